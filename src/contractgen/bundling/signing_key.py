"""Reading a PKCS#12 signing key, and saying in words what is wrong with one that cannot be used.

A key is given as a path and a password from an environment variable; either can be wrong in many ways, and
pyHanko (through ``cryptography``) answers all of them with one English ``ValueError``. :func:`read_key_file`
and :func:`check_pkcs12` tell them apart, each with its own Chinese message naming the file: missing, not a
file, not readable, too large, PEM text instead of PKCS#12, not PKCS#12 at all, password needed but none
given, wrong password, a password given for a file that has none, no private key, no certificate for it.
(A certificate that is not the key's cannot come back: OpenSSL's PKCS#12 reader pairs them by the key.)

The order matters: whether the bytes are PKCS#12 at all is decided from their structure (asn1crypto's
``Pfx``) before a password is blamed, and a password that fails is tried against "no password" before it is
called wrong.

This module must not sign, print or read anything but the one key file.
"""

# cryptography and asn1crypto are imported inside the functions, so that `import contractgen` stays light.

from __future__ import annotations

import errno
from pathlib import Path

from contractgen.bundling.verification_limits import TooLarge, read_capped, size_text
from contractgen.errors import RenderError

__all__ = ["MAX_KEY_BYTES", "SigningKeyError", "check_pkcs12", "read_key_file"]

#: A PKCS#12 key with its certificate chain is a few KiB; anything larger is some other file given by mistake.
MAX_KEY_BYTES = 1024 * 1024


class SigningKeyError(RenderError):
    """The signing key cannot be used: missing, unreadable, not PKCS#12, a password problem (exit 5)."""


def read_key_file(path: Path) -> bytes:
    """The bytes of the key file at ``path``; every way of failing to read it is a :class:`SigningKeyError`."""
    try:
        return read_capped(path, MAX_KEY_BYTES)
    except TooLarge:
        raise SigningKeyError(
            f"签名密钥 {path} 大于 {size_text(MAX_KEY_BYTES)}，不是 PKCS#12 密钥（.p12/.pfx 通常只有几 KiB）"
        ) from None
    except OSError as error:
        raise SigningKeyError(_unreadable(path, error)) from None


def _unreadable(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        where = "" if path.is_absolute() else f"（即 {path.absolute()}）"
        return f"签名密钥文件不存在：{path}{where}"
    if error.errno == errno.EISDIR or path.is_dir():
        return f"签名密钥 {path} 是一个文件夹，不是 PKCS#12（.p12/.pfx）文件"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"无法读取签名密钥 {path}：没有读取权限"
    return f"无法读取签名密钥 {path}：{error.strerror or error}"


def check_pkcs12(path: Path, data: bytes, password: bytes | None) -> None:
    """Raise :class:`SigningKeyError`, saying what is wrong, unless ``data`` opens with ``password`` into a
    private key and its certificate."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise SigningKeyError(_why_not_loaded(path, data, password)) from None
    if key is None:
        held = "只有证书" if cert is not None or others else "也没有证书"
        raise SigningKeyError(f"签名密钥 {path} 中没有私钥（{held}）：签名需要私钥与其证书同在的 PKCS#12 文件")
    if cert is None:
        held = f"只有 {len(others)} 个不属于此私钥的证书" if others else "没有任何证书"
        raise SigningKeyError(f"签名密钥 {path} 中没有私钥的证书（{held}）：签名需要私钥与其证书同在的 PKCS#12 文件")


def _why_not_loaded(path: Path, data: bytes, password: bytes | None) -> str:
    """Why ``data`` did not open: not PKCS#12, a password missing, wrong, or given for a file without one."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    if data.lstrip().startswith(b"-----BEGIN"):
        return (
            f"签名密钥 {path} 是 PEM 文本（证书或私钥），不是 PKCS#12：签名需要把私钥和证书打包在一起的 .p12/.pfx 文件"
        )
    if not _is_pfx(data):
        return f"签名密钥 {path} 不是 PKCS#12（.p12/.pfx）文件"
    if password is None:
        return (
            f"签名密钥 {path} 有密码保护，但没有给出密码："
            "用 --sign-password-env <变量名> 指明存放密码的环境变量（密码不在命令行上给出）"
        )
    try:
        pkcs12.load_key_and_certificates(data, None)
    except ValueError:
        return f"签名密钥 {path} 的密码错误：所给的密码解不开这个 PKCS#12 文件"
    return f"签名密钥 {path} 没有密码保护，却给出了密码：去掉 --sign-password-env"


def _is_pfx(data: bytes) -> bool:
    """Whether ``data`` is a PKCS#12 ``PFX`` structure (its encrypted contents are not opened)."""
    from asn1crypto import pkcs12 as asn1_pkcs12  # type: ignore[import-untyped]

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
    except Exception:  # asn1crypto raises ValueError, TypeError, KeyError… on bytes that are not DER
        return False
