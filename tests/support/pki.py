"""A throw-away certificate authority for signing tests: a root CA and a signer, as PEM and PKCS#12.

The signer's validity period is a parameter, so that tests can make a certificate that has expired, or is not
yet valid, at a bundle's epoch (2026-11-24): :data:`EXPIRED` and :data:`NOT_YET_VALID`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "测试-secret"
_NOT_BEFORE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_NOT_AFTER = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
#: A signer's validity period that ends long before the test bundles' epoch (2026-11-24).
EXPIRED = (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
#: One that starts long after it.
NOT_YET_VALID = (dt.datetime(2030, 1, 1, tzinfo=dt.UTC), dt.datetime(2031, 1, 1, tzinfo=dt.UTC))


@dataclass(frozen=True)
class Pki:
    ca_pem: Path
    key_p12: Path
    password: str


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make_pki(
    folder: Path,
    ca_name: str = "contractgen Test CA",
    *,
    signer_key: str = "rsa",
    signer_valid: tuple[dt.datetime, dt.datetime] = (_NOT_BEFORE, _NOT_AFTER),
) -> Pki:
    """A CA (RSA) and a signer valid ``signer_valid``, with a ``signer_key`` "rsa" (2048 bits) or "ec" (P-256) key."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(signer=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
        ec.generate_private_key(ec.SECP256R1())
        if signer_key == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("上海明远科技有限公司"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(signer_valid[0])
        .not_valid_after(signer_valid[1])
        .add_extension(_usage(signer=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode("utf-8"))
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "signer.p12").write_bytes(p12)
    return Pki(folder / "ca.pem", folder / "signer.p12", PASSWORD)
