"""`contractgen test-key`: a self-signed key that bundle signs with and verify trusts, never over a file.

The command reads the clock (the certificate's validity is around the day it is made); here that clock is the
suite's fixed day (tests/conftest.py: 2026-12-01), so the README's recipe — which signs the sample at its
signing date, 2026-11-24 — holds whenever the suite runs.
"""

from __future__ import annotations

import re
import shlex
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bundle_fixtures import small_source
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from contractgen.bundling import assemble, write_tree
from contractgen.bundling.signing import SigningKeyError, load_signing_key
from contractgen.bundling.verification import verify_report
from contractgen.cli import cli, key_commands

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, 9, 30, 15, tzinfo=UTC)  # the suite's fixed day, tests/conftest.py
TEST_NAME = "contractgen 测试密钥 — 仅供测试，不具法律效力"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_commands, "_now", lambda: NOW)


def _run(folder: Path, *args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _certificate(pem: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.read_bytes())


def test_a_key_without_a_password_and_what_the_command_says(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, "test-key", "-o", "test-key.p12")
    assert (code, err) == (0, "")
    digest = _certificate(tmp_path / "test-key.pem").fingerprint(hashes.SHA256()).hex()
    assert out.splitlines() == [
        "test-key.p12：测试签名密钥（PKCS#12，EC P-256，无密码）",
        "test-key.pem：它的证书，供 contractgen verify --trust 使用",
        f"证书：{TEST_NAME}",
        "有效期：2025-12-01 09:30:15 至 2027-12-01 09:30:15 UTC",
        f"证书 SHA-256：{digest}",
        "签署：contractgen bundle SPEC -o OUT --sign-key test-key.p12（密钥无密码：不给 --sign-password-env）",
        "校验：contractgen verify OUT/<合同编号> --trust test-key.pem",
    ]


def test_the_certificate_says_it_is_for_testing_and_is_fit_for_signing(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "test-key", "-o", "co.pfx", "--name", "上海明远科技有限公司")
    assert code == 0, err
    key, cert, others = pkcs12.load_key_and_certificates((tmp_path / "co.pfx").read_bytes(), None)
    assert cert is not None
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert isinstance(key.curve, ec.SECP256R1)
    assert others == []
    assert cert == _certificate(tmp_path / "co.pem")
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == TEST_NAME
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "上海明远科技有限公司"
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)  # self-signed: its own signature holds
    assert (cert.not_valid_before_utc, cert.not_valid_after_utc) == (NOW - timedelta(365), NOW + timedelta(365))
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature
    assert usage.value.content_commitment  # nonRepudiation
    assert not usage.value.key_cert_sign
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert stat.S_IMODE((tmp_path / "co.pfx").stat().st_mode) == 0o600  # the private key: its owner's only
    subject = load_signing_key(tmp_path / "co.pfx", None).describe()["subject"]
    assert "仅供测试，不具法律效力" in subject
    assert "上海明远科技有限公司" in subject


def test_a_key_with_a_password_from_the_environment(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, "test-key", "-o", "k.p12", "--password-env", "PW", env={"PW": "秘密-1"})
    assert code == 0, err
    assert "（PKCS#12，EC P-256，有密码）" in out
    sign = "签署：contractgen bundle SPEC -o OUT --sign-key k.p12 --sign-password-env PW（PW 存放同一密码）"
    assert sign in out.splitlines()
    load_signing_key(tmp_path / "k.p12", "秘密-1")
    with pytest.raises(SigningKeyError, match="有密码保护，但没有给出密码"):
        load_signing_key(tmp_path / "k.p12", None)


def test_a_bundle_signed_with_the_test_key_verifies_against_its_certificate(tmp_path: Path, small_pdf: bytes) -> None:
    assert _run(tmp_path, "test-key", "-o", "t.p12")[0] == 0
    bundle = tmp_path / "KF-TEST-0001"
    write_tree(bundle, assemble(small_source(small_pdf), key=load_signing_key(tmp_path / "t.p12", None)))
    report = verify_report(bundle, trust=tmp_path / "t.pem")
    assert report.problems == ()
    assert (report.signatures, report.trusted) == (3, True)


@pytest.mark.parametrize("existing", ["t.p12", "t.pem"])
def test_an_existing_file_is_never_overwritten(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_bytes(b"keep me")
    code, out, err = _run(tmp_path, "test-key", "-o", "t.p12")
    assert (code, out) == (3, "")
    assert err == f"contractgen: 错误：{existing} 已存在，未覆盖：请换一个文件名，或先删除它\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]  # nothing else written, not even the other
    assert (tmp_path / existing).read_bytes() == b"keep me"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--password-env", "PW"], {"PW": None}, "环境变量 PW 未设置（应存放测试密钥的密码）"),
        (["--password-env", "PW"], {"PW": ""}, "测试密钥的密码不能为空（不要密码时不给 --password-env）"),
        (["--name", " "], {}, "--name 不能为空（不写 --name 时证书只写明测试用途）"),
        (["--name", "公" * 65], {}, "--name 最多 64 个字符，收到 65 个"),
        (["--name", "甲\n乙"], {}, "--name 不能含控制字符或换行"),
    ],
    ids=["password-env-not-set", "empty-password", "blank-name", "long-name", "name-with-newline"],
)
def test_wrong_options_are_input_errors(
    tmp_path: Path, args: list[str], env: dict[str, str | None], message: str
) -> None:
    code, out, err = _run(tmp_path, "test-key", "-o", "t.p12", *args, env=env)
    assert (code, out, err) == (3, "", f"contractgen: 错误：{message}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("t.pem", "测试密钥的文件名应以 .p12 或 .pfx 结尾（证书另存为同名 .pem），收到 t.pem"),
        ("file/t.p12", "file 不是目录，测试密钥无处可写"),
    ],
    ids=["not-p12", "not-a-folder"],
)
def test_a_wrong_output_is_an_input_error(tmp_path: Path, output: str, message: str) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    code, _, err = _run(tmp_path, "test-key", "-o", output)
    assert (code, err) == (3, f"contractgen: 错误：{message}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_the_folder_of_the_key_is_made(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "test-key", "-o", "keys/test-key.p12")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == ["test-key.p12", "test-key.pem"]


def _readme_recipe() -> list[str]:
    """The README's test-key lines: the shell block of its bundle section that makes a test key."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Bundles for signing (CI)") :]
    section = section[: section.index("\n## ")]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    (block,) = [b for b in blocks if "contractgen test-key" in b]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_recipe_has_three_lines_key_bundle_verify() -> None:
    assert [shlex.split(line, comments=True)[:2] for line in _readme_recipe()] == [
        ["contractgen", "test-key"],
        ["contractgen", "bundle"],
        ["contractgen", "verify"],
    ]


@pytest.mark.slow
def test_the_readme_recipe_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    outputs = []
    for line in _readme_recipe():
        args = shlex.split(line, comments=True)
        code, out, err = _run(tmp_path, *args[1:], env={"CI": "true"})
        assert code == 0, (line, out, err)
        outputs.append(out)
    assert outputs[-1].splitlines()[-1] == "signed/KF-2026-0001: 校验通过（SHA256SUMS 所列 7 个文件，3 个签名）"
    assert outputs[-1].count("证书链可信（链接到所给的信任证书）") == 3
