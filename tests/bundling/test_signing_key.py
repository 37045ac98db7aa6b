"""Every way a signing key can be unusable gets its own Chinese message, through ``bundle --sign-key``.

Issue 18: leaving out ``--sign-password-env`` said ``密码错误或不是 PKCS#12``, and a missing key file ended in
English ``No such file or directory``. Each case below is a key file (or none), the environment, the command
line's key options, and the exact message and exit code; the key fails before any spec is rendered, so
nothing is written.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pki import Pki

from contractgen.bundling import signing_key
from contractgen.bundling.signing import load_signing_key
from contractgen.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
_NEEDS_KEY_AND_CERT = "签名需要私钥与其证书同在的 PKCS#12 文件"


def _plain(pki: Pki, *, key: bool = True, cert: bool = True, ca: bool = False) -> bytes:
    """The test PKI's key and certificate again, without a password, with parts left out (and the CA's
    certificate, which is not the key's, beside them)."""
    loaded_key, loaded_cert, _ = pkcs12.load_key_and_certificates(pki.key_p12.read_bytes(), pki.password.encode())
    assert loaded_cert is not None
    return pkcs12.serialize_key_and_certificates(
        b"test",
        loaded_key if key else None,  # type: ignore[arg-type]
        loaded_cert if cert else None,
        [x509.load_pem_x509_certificate(pki.ca_pem.read_bytes())] if ca else None,
        serialization.NoEncryption(),
    )


@dataclass(frozen=True)
class Case:
    id: str
    key: Callable[[Path, Pki], bytes | None] | None  # the file's bytes; None: a folder there; no function: nothing
    message: str  # {path}: the key's path as given, {cwd}: the folder the command runs in
    password: str | None = None  # the environment variable PW; --sign-password-env PW is given when set
    password_env: bool | None = None  # give --sign-password-env PW even without a password (None: when set)
    code: int = 5
    relative: bool = False  # give the key's path relative to the folder the command runs in
    unreadable: bool = False  # reading the file fails with EACCES (the tests run as root: chmod would not do)


CASES = [
    Case("missing", None, "签名密钥文件不存在：{path}"),
    Case("missing-relative", None, "签名密钥文件不存在：{path}（即 {cwd}/{path}）", relative=True),
    Case("folder", lambda tmp, pki: None, "签名密钥 {path} 是一个文件夹，不是 PKCS#12（.p12/.pfx）文件"),
    Case("unreadable", lambda tmp, pki: b"x", "无法读取签名密钥 {path}：没有读取权限", unreadable=True),
    Case(
        "too-large",
        lambda tmp, pki: b"0" * (signing_key.MAX_KEY_BYTES + 1),
        "签名密钥 {path} 大于 1 MiB，不是 PKCS#12 密钥（.p12/.pfx 通常只有几 KiB）",
    ),
    Case(
        "pem-certificate",
        lambda tmp, pki: pki.ca_pem.read_bytes(),
        "签名密钥 {path} 是 PEM 文本（证书或私钥），不是 PKCS#12：签名需要把私钥和证书打包在一起的 .p12/.pfx 文件",
    ),
    Case("a-pdf", lambda tmp, pki: b"%PDF-1.7\n%\xe2\xe3\n", "签名密钥 {path} 不是 PKCS#12（.p12/.pfx）文件"),
    Case("empty", lambda tmp, pki: b"", "签名密钥 {path} 不是 PKCS#12（.p12/.pfx）文件"),
    Case(
        "password-not-given",
        lambda tmp, pki: pki.key_p12.read_bytes(),
        "签名密钥 {path} 有密码保护，但没有给出密码：用 --sign-password-env <变量名> 指明存放密码的环境变量"
        "（密码不在命令行上给出）",
    ),
    Case(
        "password-env-not-set",
        lambda tmp, pki: pki.key_p12.read_bytes(),
        "环境变量 PW 未设置（应存放签名密钥的密码）",
        password_env=True,
        code=3,
    ),
    Case(
        "wrong-password",
        lambda tmp, pki: pki.key_p12.read_bytes(),
        "签名密钥 {path} 的密码错误：所给的密码解不开这个 PKCS#12 文件",
        password="wrong",
    ),
    Case(
        "password-for-a-plain-key",
        lambda tmp, pki: _plain(pki),
        "签名密钥 {path} 没有密码保护，却给出了密码：去掉 --sign-password-env",
        password="secret",
    ),
    Case(
        "certificate-only",
        lambda tmp, pki: _plain(pki, key=False, ca=True),
        f"签名密钥 {{path}} 中没有私钥（只有证书）：{_NEEDS_KEY_AND_CERT}",
    ),
    Case(
        "key-only",
        lambda tmp, pki: _plain(pki, cert=False),
        f"签名密钥 {{path}} 中没有私钥的证书（没有任何证书）：{_NEEDS_KEY_AND_CERT}",
    ),
    Case(
        "key-with-a-stranger-certificate",
        lambda tmp, pki: _plain(pki, cert=False, ca=True),
        f"签名密钥 {{path}} 中没有私钥的证书（只有 1 个不属于此私钥的证书）：{_NEEDS_KEY_AND_CERT}",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_unusable_key_says_what_is_wrong(
    case: Case, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    key = work / "keys" / "signer.p12"
    key.parent.mkdir()
    if case.key is not None:
        data = case.key(tmp_path, pki)
        if data is None:
            key.mkdir()
        else:
            key.write_bytes(data)
    if case.unreadable:

        def refused(path: Path, cap: int) -> bytes:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

        monkeypatch.setattr(signing_key, "read_capped", refused)
    given = key.relative_to(work) if case.relative else key
    args = ["bundle", str(SAMPLE), "-o", str(tmp_path / "out"), "--sign-key", str(given)]
    env = {"PW": case.password}
    if case.password is not None or case.password_env:
        args += ["--sign-password-env", "PW"]
    monkeypatch.delenv("PW", raising=False)
    result = CliRunner().invoke(cli, args, env=env)
    expected = case.message.format(path=given, cwd=work)
    assert (result.exit_code, result.stderr) == (case.code, f"contractgen: 错误：{expected}\n")
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_a_good_key_still_loads_with_and_without_a_password(pki: Pki, tmp_path: Path) -> None:
    plain = tmp_path / "plain.p12"
    plain.write_bytes(_plain(pki))
    assert "上海明远科技有限公司" in load_signing_key(pki.key_p12, pki.password).describe()["subject"]
    assert load_signing_key(plain, None).describe() == load_signing_key(pki.key_p12, pki.password).describe()
