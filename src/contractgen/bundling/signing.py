"""PAdES signatures on a bundle's PDFs (pyHanko), reproducible to the byte.

Every signed PDF gets one signature field per party — ``PartyA`` (甲方) and ``PartyB`` (乙方) — on
the signature page (the page that holds ``甲方（盖章）``, else the last page). The key's owner signs its
own party's field; the other field stays empty for the other party's signature. The fields are
invisible: a drawn appearance would cover the printed 盖章 area, where the wet seal goes.

Signing is an incremental update appended to the unsigned file, which the caller has already hashed.
Nothing in it comes from the clock or from chance: the signing time (``/M``) and ``/ModDate`` are the
bundle's epoch, the new file identifier is derived from the unsigned bytes, an RSA key signs with
PKCS#1 v1.5 and an EC key with deterministic ECDSA (RFC 6979), both free of random bits — so the same PDF,
key and epoch give the same signed bytes. (RSA-PSS salts are random: with such a key, everything but the
signature value itself is still reproducible.)

pyHanko stamps ``/ModDate`` from the wall clock, leaves the signing time to the clock and signs ECDSA with a
random nonce; three small subclasses below replace exactly those. They rely on pyHanko 0.38's internals
(pinned in pyproject.toml), and the reproducibility tests fail if that ever changes.

A certificate that is not valid at the signing time — expired, or not yet valid at the bundle's epoch — is
refused before anything is signed (:func:`check_validity`): such a signature could never be trusted.

This module must not decide which files are signed, and must not read the clock.
"""

# Heavy modules (pypdf, pyHanko, WeasyPrint) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Any, cast

from contractgen.bundling.signing_key import SigningKeyError, check_pkcs12, read_key_file

__all__ = [
    "FIELD_NAMES",
    "SigningKey",
    "SigningKeyError",
    "check_validity",
    "find_signature_page",
    "load_signing_key",
    "sign_pdf",
]

#: The signature field of each party, in the order of the parties.
FIELD_NAMES: dict[str, str] = {"a": "PartyA", "b": "PartyB"}
_SIGNATURE_PAGE_MARK = re.compile(r"甲方\s*（\s*盖章\s*）")


@dataclass(frozen=True)
class SigningKey:
    """A PKCS#12 key as bytes plus password: small and picklable, so that worker processes can sign too."""

    data: bytes
    password: bytes | None
    party: str = "a"  # which party's field the key's owner signs: "a" (甲方) or "b" (乙方)

    def signer(self) -> Any:
        from pyhanko.sign import signers

        try:
            loaded = signers.SimpleSigner.load_pkcs12_data(self.data, other_certs=[], passphrase=self.password)
        except ValueError as error:  # only a SigningKey made by hand: load_signing_key names each problem first
            raise SigningKeyError("无法读取签名密钥：不是可用的 PKCS#12（.p12/.pfx）密钥，或密码不对") from error
        # load_pkcs12_data always builds a plain SimpleSigner: hand its parts to the deterministic one.
        return _deterministic_signer_class()(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
            signature_mechanism=loaded.signature_mechanism,
        )

    def describe(self) -> dict[str, Any]:
        """What the manifest records about the key: the certificate's subject, issuer, SHA-256, mechanism."""
        signer = self.signer()
        cert = signer.signing_cert
        mechanism = signer.get_signature_mechanism_for_digest("sha256")
        return {
            "subject": cert.subject.human_friendly,
            "issuer": cert.issuer.human_friendly,
            "certificate_sha256": sha256(cert.dump()).hexdigest(),
            "mechanism": mechanism["algorithm"].native,
            "field": FIELD_NAMES[self.party],
        }


@lru_cache(maxsize=1)
def _deterministic_signer_class() -> Any:
    """pyHanko's SimpleSigner, with ECDSA's nonce derived from the key and the message (RFC 6979).

    A random nonce would make every signed bundle differ; a derived one is as secure (the RFC's point is that
    it cannot repeat for different messages) and is what OpenSSL 3.2+ does when asked. Other mechanisms are
    pyHanko's own.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class DeterministicSigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                name = mechanism.signature_algo
            except ValueError:  # as in pyHanko's sign_raw: a mechanism asn1crypto cannot name
                name = mechanism["algorithm"].native
            if name != "ecdsa":
                return bytes(super().sign_raw(data, digest_algorithm))
            key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            assert isinstance(key, EllipticCurvePrivateKey)
            algorithm = ECDSA(get_pyca_cryptography_hash(digest_algorithm), deterministic_signing=True)
            return key.sign(data, signature_algorithm=algorithm)

    return DeterministicSigner


def load_signing_key(path: Path, password: str | bytes | None, *, party: str = "a") -> SigningKey:
    """Read and check a PKCS#12 key now, so that a bad key fails before anything is written.

    Each way a key can be unusable has its own message (:mod:`.signing_key`): a missing or unreadable file, not
    PKCS#12, a password missing, wrong or superfluous, no private key or no certificate for it.
    """
    if party not in FIELD_NAMES:
        raise SigningKeyError(f"未知的签署方 {party!r}：应为 a（甲方）或 b（乙方）")
    data = read_key_file(path)
    secret = password.encode("utf-8") if isinstance(password, str) else password
    check_pkcs12(path, data, secret)
    key = SigningKey(data, secret, party)
    key.signer()  # pyHanko reads it the same way; anything it still refuses fails here, before any output
    return key


def check_validity(cert: Any, when: datetime) -> None:
    """Refuse (:class:`SigningKeyError`) to sign at ``when`` with ``cert`` (asn1crypto) if it is not valid then."""
    moment = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    not_before: datetime = cert.not_valid_before
    not_after: datetime = cert.not_valid_after
    if not_before <= moment <= not_after:  # RFC 5280: both ends of the period are inside it
        return
    state = "已过期" if moment > not_after else "尚未生效"
    raise SigningKeyError(
        f"签名证书（{cert.subject.human_friendly}）在签署时间{state}："
        f"证书有效期 {_utc(not_before)} 至 {_utc(not_after)}，签署时间 {_utc(moment)}"
        "（bundle 的日期，来自 SOURCE_DATE_EPOCH 或合同的签订日期）"
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def find_signature_page(pdf: bytes) -> int:
    """The 0-based index of the page holding the signature block (甲方（盖章）), else of the last page."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    for index, page in enumerate(pages):
        if _SIGNATURE_PAGE_MARK.search(page.extract_text() or ""):
            return index
    return len(pages) - 1


def sign_pdf(
    pdf: bytes,
    key: SigningKey,
    *,
    page: int,
    when: datetime,
    signer: Any = None,
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] | None = None,
) -> bytes:
    """``pdf`` with party fields on ``page`` and the key owner's field signed at ``when`` (PAdES B-B).

    ``boxes`` puts a party's field on its seal spot instead: ``{party: (0-based page, (x0, y0, x1, y1))}`` in PDF
    points, origin lower left — so a platform's visible stamp and the PAdES field coincide.

    The key's certificate must be valid at ``when`` (:func:`check_validity`), else nothing is signed.
    """
    # One function, not split: the three pyHanko subclasses below close over ``when`` (the epoch), which is what
    # keeps the clock out of the signed bytes.
    from pyhanko import stamp as stamps
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.info import update_info_dict
    from pyhanko.sign import fields, signers

    class EpochWriter(IncrementalPdfFileWriter):
        """An incremental writer whose ``/ModDate`` is the epoch, not the wall clock."""

        def _update_meta(self) -> None:
            if "/Metadata" in self.root:
                # A PDF/A file: its XMP (pdfaid) and information dictionary already agree and carry the
                # epoch; pyHanko would rewrite the XMP without pdfaid and append itself to /Producer.
                return
            base: Any = super()
            base._update_meta()
            self._meta.last_modified = when
            info: Any = self._info
            if info is not None:
                update_info_dict(self._meta, info.get_object(), only_update_existing=True)
            metadata = self.root.get("/Metadata")
            if metadata is not None and hasattr(metadata.get_object(), "update_xmp_with_meta"):
                metadata.get_object().update_xmp_with_meta(self._meta)

    class EpochSigner(signers.PdfSigner):
        """A PAdES signer whose signing time is the epoch, not the wall clock."""

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when
            return session

    signer = signer or key.signer()
    check_validity(signer.signing_cert, when)
    writer = EpochWriter(io.BytesIO(pdf))
    digest = sha256(pdf).digest()
    # The second identifier says "a new revision"; derive it from the unsigned bytes instead of os.urandom.
    previous = "/ID" in writer.prev.trailer
    first = writer.document_id[0] if previous else digest[:16]
    writer._document_id = generic.ArrayObject(
        [generic.ByteStringObject(first), generic.ByteStringObject(sha256(digest + b"signed").digest()[:16])]
    )
    for party, name in FIELD_NAMES.items():
        on_page, box = (boxes or {}).get(party, (page, None))
        # pyHanko types the box as integers but writes any number (FloatObject): the spot's exact rectangle.
        spec = fields.SigFieldSpec(name, on_page=on_page, box=cast(Any, box))
        fields.append_signature_field(writer, spec)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAMES[key.party],
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        location=None,
        reason="contractgen bundle",
    )
    out = io.BytesIO()
    # No drawn appearance: the field lies over the seal spot, where the wet seal (or a platform's stamp) goes.
    blank = stamps.TextStampStyle(stamp_text="", border_width=0, background=None, background_opacity=0)
    EpochSigner(meta, signer=signer, stamp_style=blank).sign_pdf(writer, output=out)
    return out.getvalue()
