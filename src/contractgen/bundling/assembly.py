"""Assembly: one bundle's files, from the rendered DOCX and PDF and the spec, as ``{relative path: bytes}``.

Order of work: counterparts → hash the unsigned PDFs → sign (optional, :mod:`.signing`) → hash again →
manifest and SHA256SUMS. Every date is the epoch (:func:`resolve_epoch`).

This module must not read spec files, render, or write to disk: it turns bytes into bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from contractgen.bundling.manifest import (
    FORMAT,
    MANIFEST_NAME,
    SUMS_NAME,
    Epoch,
    canonical_json,
    file_entry,
    format_sums,
    sha256_bytes,
)
from contractgen.bundling.positions import POSITIONS_NAME, FieldSpot, field_spots, positions_json

if TYPE_CHECKING:
    from contractgen.bundling.counterparts import Copy
    from contractgen.bundling.signing import SigningKey
    from contractgen.document.model import Contract

__all__ = ["BundleSource", "assemble", "resolve_epoch", "spec_epoch"]


def resolve_epoch(explicit: int | None, day: Any = None, source: str = "signing.date") -> Epoch | None:
    """The epoch for a run: ``explicit``, else ``SOURCE_DATE_EPOCH``, else (per spec) ``day`` at 00:00 UTC — the
    signing date, or what stands for it (``source`` says which)."""
    if explicit is not None:
        return Epoch(int(explicit), "argument")
    from contractgen.writers.rendering import source_date_epoch

    seconds = source_date_epoch()
    if seconds is not None:
        return Epoch(seconds, "SOURCE_DATE_EPOCH")
    if day is not None:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return Epoch(int(start.timestamp()), source)
    return None


def spec_epoch(contract: Contract) -> Epoch:
    """A spec's own epoch, the instant the render stage stamps into its DOCX and PDF
    (:func:`contractgen.writers.rendering.document_date`): its signing date, else the day its type dates it by
    (named by the type's ``DOCUMENT_DATE_SOURCE``), else the "undated" 1980-01-01 — never the clock."""
    from contractgen.catalog import contract_type
    from contractgen.writers.rendering import UNDATED, contract_day

    day = contract_day(contract)
    if day is None:
        epoch = resolve_epoch(None, UNDATED.date(), "undated")
    elif day == contract.signing.date:  # optional in the spec: left out, the parties write it by hand
        epoch = resolve_epoch(None, day, "signing.date")
    else:
        epoch = resolve_epoch(None, day, contract_type(contract.type).rules.document_date_source)
    assert epoch is not None  # a day was given
    return epoch


@dataclass(frozen=True)
class BundleSource:
    """Everything a bundle is made of, as bytes and facts: the input to :func:`assemble`."""

    spec: bytes
    spec_name: str
    contract_no: str
    contract_type: str
    copies: int
    docx: bytes
    pdf: bytes
    epoch: Epoch
    provenance: dict[str, Any] = field(default_factory=dict)  # templates, schema, fonts
    spots: tuple[FieldSpot, ...] = ()  # where the seals go on the PDF (the layout's), in document order
    # The roles of the parties the contract has, in signing order: who holds the copies. Empty: the parties its
    # type declares that are never left out.
    roles: tuple[str, ...] = ()

    def holder_roles(self) -> tuple[str, ...]:
        if self.roles:
            return self.roles
        from contractgen.catalog import contract_type

        return tuple(p.role for p in contract_type(self.contract_type).parties if not p.optional)


def assemble(source: BundleSource, *, key: SigningKey | None = None, pdfa: bool = False) -> dict[str, bytes]:
    """The files of one bundle, ``{relative path: bytes}``, manifest and SHA256SUMS included."""
    import io

    from pypdf import PdfReader

    from contractgen.bundling.counterparts import content_digest, holders

    base_sha = sha256_bytes(source.pdf)
    content = content_digest(PdfReader(io.BytesIO(source.pdf)))
    copies = holders(source.copies, source.holder_roles())
    unsigned = _unsigned_pdfs(source, copies, pdfa)
    signed, signing = _signed_pdfs(source, unsigned, key)

    by_copy = {f"copy-{copy.number}.pdf": copy for copy in copies}
    files: dict[str, Any] = {
        name: _pdf_entry(name, data, unsigned, by_copy, content=content, base_sha=base_sha, signed=key is not None)
        for name, data in sorted(signed.items())
    }
    outputs = dict(signed)
    outputs["contract.docx"] = source.docx
    outputs["spec.yaml"] = source.spec
    files["contract.docx"] = file_entry(source.docx, pages=None, kind="contract-docx")
    files["spec.yaml"] = file_entry(source.spec, pages=None, kind="spec", source_name=source.spec_name)
    if source.spots:  # a type whose signature blocks reserve seal spots: where each goes, for e-signing platforms
        outputs[POSITIONS_NAME] = positions_json(signed, source.spots)
        files[POSITIONS_NAME] = file_entry(outputs[POSITIONS_NAME], pages=None, kind="signing-positions")

    outputs[MANIFEST_NAME] = _manifest(source, copies, files, signing, base_sha=base_sha, content=content)
    outputs[SUMS_NAME] = format_sums(
        [(name, sha256_bytes(data)) for name, data in outputs.items() if name != SUMS_NAME]
    )
    return outputs


def _unsigned_pdfs(source: BundleSource, copies: Sequence[Copy], pdfa: bool) -> dict[str, bytes]:
    """The base PDF and one counterpart per copy; with ``pdfa``, their PDF/A-3b versions under ``pdfa/``."""
    from contractgen.bundling.counterparts import make_counterpart

    unsigned: dict[str, bytes] = {"contract.pdf": source.pdf}
    for copy in copies:
        unsigned[f"copy-{copy.number}.pdf"] = make_counterpart(source.pdf, copy)
    if pdfa:
        from contractgen.bundling.pdfa import to_pdfa

        core = {name: file_entry(data, pages=None) for name, data in unsigned.items()}
        attached = canonical_json({"format": FORMAT, "contract_no": source.contract_no, "files": core})
        for name in list(unsigned):
            unsigned[f"pdfa/{name}"] = to_pdfa(
                unsigned[name],
                attachments={"spec.yaml": source.spec, "manifest.json": attached},
                epoch=source.epoch,
                title=f"{source.contract_no} {name}",
            )
    return unsigned


def _signed_pdfs(
    source: BundleSource, unsigned: dict[str, bytes], key: SigningKey | None
) -> tuple[dict[str, bytes], dict[str, Any] | None]:
    """Every PDF signed with ``key`` (unchanged without one), and the manifest's ``signing`` entry."""
    if key is None:
        return dict(unsigned), None
    from contractgen.bundling.signing import find_signature_page, sign_pdf

    page = find_signature_page(source.pdf)
    boxes = {party: (spot.page - 1, spot.rect) for party, spot in field_spots(source.spots).items()}
    if boxes:  # the fields go where the layout put the seal spots; the page is theirs
        page = boxes[key.party][0] if key.party in boxes else page
    signer = key.signer()
    if source.epoch.source == "undated":
        _check_undated(signer.signing_cert, source.epoch)
    signed = {
        name: sign_pdf(data, key, page=page, when=source.epoch.utc, signer=signer, boxes=boxes)
        for name, data in unsigned.items()
    }
    return signed, {**key.describe(), "page": page + 1, "time": source.epoch.as_json()["iso"]}


def _check_undated(cert: Any, epoch: Epoch) -> None:
    """A spec with neither a signing date nor a fixed start dates its bundle 1980-01-01, when no certificate of
    today is valid: say so, and how to give the signing time, instead of only that the certificate is not valid."""
    from contractgen.bundling.signing import SigningKeyError, check_validity

    try:
        check_validity(cert, epoch.utc)
    except SigningKeyError as error:
        raise SigningKeyError(
            f"{error.message}。本合同没有签订日期（signing.date）也没有固定的服务开始日期，bundle 的日期为 "
            "1980-01-01；要签名，请写明签订日期，或用环境变量 SOURCE_DATE_EPOCH 给出签署时间"
            "（例：SOURCE_DATE_EPOCH=$(date -u -d 2026-12-01 +%s) contractgen bundle …）"
        ) from None


def _pdf_entry(
    name: str,
    data: bytes,
    unsigned: dict[str, bytes],
    by_copy: dict[str, Copy],
    *,
    content: str,
    base_sha: str,
    signed: bool,
) -> dict[str, Any]:
    """The manifest entry of one PDF: what it is (contract or whose counterpart), its hashes, pages, PDF/A."""
    from contractgen.bundling.manifest import pdf_page_count

    extra: dict[str, Any] = {"content_sha256": content, "signed": signed}
    if signed:
        extra["unsigned_sha256"] = sha256_bytes(unsigned[name])
    base = name.removeprefix("pdfa/")
    if base in by_copy:
        copy = by_copy[base]
        extra.update(kind="counterpart", copy=copy.number, holder=copy.holder, base_sha256=base_sha)
    else:
        extra.update(kind="contract")
    if name.startswith("pdfa/"):
        extra.update(pdfa="PDF/A-3b", attachments=["manifest.json", "spec.yaml"])
    return file_entry(data, pages=pdf_page_count(data), **extra)


def _manifest(
    source: BundleSource,
    copies: Sequence[Copy],
    files: dict[str, Any],
    signing: dict[str, Any] | None,
    *,
    base_sha: str,
    content: str,
) -> bytes:
    from contractgen import __version__

    manifest = {
        "format": FORMAT,
        "contractgen": __version__,
        "contract_no": source.contract_no,
        "type": source.contract_type,
        "epoch": source.epoch.as_json(),
        "spec": {"file": "spec.yaml", "source_name": source.spec_name, "sha256": sha256_bytes(source.spec)},
        **source.provenance,
        "base": {"file": "contract.pdf", "sha256": base_sha, "content_sha256": content},
        "copies": [
            {"copy": c.number, "holder": c.holder, "marker": c.marker, "file": f"copy-{c.number}.pdf"} for c in copies
        ],
        "signing": signing,
        "files": files,
    }
    return canonical_json(manifest)
