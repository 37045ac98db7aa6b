"""A self-signed signing key for trying out signatures: a PKCS#12 file and its certificate as PEM beside it.

``contractgen test-key`` writes ``NAME.p12`` (an EC P-256 key and a self-signed certificate, for
``bundle --sign-key``) and ``NAME.pem`` (the certificate alone, for ``verify --trust``), so that trying signing
or writing CI needs no OpenSSL recipe. The certificate says what it is where every signature panel shows it,
in its common name: :data:`TEST_COMMON_NAME`, ``contractgen 测试密钥 — 仅供测试，不具法律效力``; a ``name``
(the company the test stands for) goes into the organisation, so that no name can push the warning out of
the 64 bytes a common name may hold.

The certificate is fit for pyHanko's PAdES signing and validation: key usage digitalSignature and
nonRepudiation (critical), basicConstraints CA:FALSE, subject and authority key identifiers; as its own
issuer, it is the trust root ``verify --trust`` takes. An EC key signs deterministically in
:mod:`.signing` (RFC 6979), so bundles signed with it stay reproducible to the byte.

Validity: :data:`VALIDITY` either side of ``now``. A bundle signs at its epoch — the spec's signing date or
``SOURCE_DATE_EPOCH`` — which is often some days in the past (the sample's date is) or in the near future,
and :func:`.signing.check_validity` refuses a certificate not valid then; a year either way covers the
contracts a test is made with, and still ends soon.

The caller hands in ``now``: this module must not read the clock (nothing in :mod:`contractgen.bundling`
does), must not overwrite a file, and must not print.
"""

# cryptography is imported inside the function that uses it, so that `import contractgen` stays light.

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path

from contractgen.errors import InputError, OutputError

__all__ = ["MAX_NAME_CHARS", "TEST_COMMON_NAME", "VALIDITY", "SelfSignedKey", "make_test_key"]

#: The common name of every test certificate: what a PDF reader shows as the signer.
TEST_COMMON_NAME = "contractgen 测试密钥 — 仅供测试，不具法律效力"
#: How long before and after the moment it is made a test certificate is valid.
VALIDITY = timedelta(days=365)
#: RFC 5280's upper bound for an organisation name.
MAX_NAME_CHARS = 64
_KEY_SUFFIXES = (".p12", ".pfx")
_FRIENDLY_NAME = b"contractgen test key"


@dataclass(frozen=True)
class SelfSignedKey:
    """What :func:`make_test_key` wrote: the two files, and what the certificate says."""

    p12: Path
    pem: Path
    subject: str
    not_before: datetime
    not_after: datetime
    certificate_sha256: str
    encrypted: bool


def make_test_key(
    p12: Path | str, *, now: datetime, password: str | bytes | None = None, name: str | None = None
) -> SelfSignedKey:
    """Write a test key to ``p12`` (``.p12``/``.pfx``) and its certificate to the same name with ``.pem``.

    ``password`` encrypts the PKCS#12 file (without one it is not encrypted: ``bundle`` then takes no
    ``--sign-password-env``). Neither file may exist yet (:class:`~contractgen.errors.InputError`, exit 3);
    both are written whole or not at all.
    """
    target = Path(p12)
    if target.suffix.lower() not in _KEY_SUFFIXES:
        raise InputError(f"测试密钥的文件名应以 .p12 或 .pfx 结尾（证书另存为同名 .pem），收到 {target}")
    pem = target.with_suffix(".pem")
    organisation = _checked_name(name)
    secret = password.encode("utf-8") if isinstance(password, str) else password
    if secret == b"":
        raise InputError("测试密钥的密码不能为空（不要密码时不给 --password-env）")
    for path in (target, pem):
        if path.exists() or path.is_symlink():
            raise InputError(f"{path} 已存在，未覆盖：请换一个文件名，或先删除它")
    # The folder is made, as init -o and render -o make theirs: the README's walk writes keys/test-key.p12.
    if target.parent.exists() and not target.parent.is_dir():
        raise InputError(f"{target.parent} 不是目录，测试密钥无处可写")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"无法创建目录 {target.parent}：{error.strerror or error}") from None
    start = now.astimezone(UTC).replace(microsecond=0)
    key_bytes, cert_pem, cert_der = _key_and_certificate(start, secret, organisation)
    _write_new(target, key_bytes, 0o600)  # a private key, even a test one, is for its owner only
    try:
        _write_new(pem, cert_pem, 0o644)
    except BaseException:
        target.unlink(missing_ok=True)  # both files or neither: a key without its certificate helps nobody
        raise
    subject = TEST_COMMON_NAME if organisation is None else f"{TEST_COMMON_NAME}（{organisation}）"
    return SelfSignedKey(
        target, pem, subject, start - VALIDITY, start + VALIDITY, sha256(cert_der).hexdigest(), secret is not None
    )


def _checked_name(name: str | None) -> str | None:
    if name is None:
        return None
    value = name.strip()
    if not value:
        raise InputError("--name 不能为空（不写 --name 时证书只写明测试用途）")
    if len(value) > MAX_NAME_CHARS:
        raise InputError(f"--name 最多 {MAX_NAME_CHARS} 个字符，收到 {len(value)} 个")
    if any(not char.isprintable() for char in value):
        raise InputError("--name 不能含控制字符或换行")
    return value


def _key_and_certificate(start: datetime, secret: bytes | None, organisation: str | None) -> tuple[bytes, bytes, bytes]:
    """The PKCS#12 bytes, and the certificate as PEM and DER."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, TEST_COMMON_NAME)]
    if organisation is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    subject = x509.Name(attributes)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # nonRepudiation: what a document signature is for
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - VALIDITY)
        .not_valid_after(start + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(secret) if secret is not None else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(_FRIENDLY_NAME, key, cert, None, encryption)
    return data, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """``data`` as the new file ``path``, whole: written to a temporary file beside it, then hard-linked into
    place — a link, unlike a rename, fails if ``path`` appeared meanwhile, so nothing is ever overwritten."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"无法写入 {path}：{error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(temporary, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise InputError(f"{path} 已存在，未覆盖：请换一个文件名，或先删除它") from None
    except OSError as error:
        raise OutputError(f"无法写入 {path}：{error.strerror or error}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)
