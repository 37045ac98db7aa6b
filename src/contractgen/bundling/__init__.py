"""Bundles: what a CI pipeline hands over to be printed and signed, with proof of what it was made from.

For each spec, :func:`bundle` writes ``OUT/<contract_no>/`` (and with ``zip=True`` ``OUT/<contract_no>.zip``):

==================  =============================================================================
``contract.docx``   the full contract (contract, sections, annexes) as Word
``contract.pdf``    the same as PDF — the *base* every counterpart is made from
``copy-N.pdf``      one counterpart per copy, 正本 · 甲方执 / 乙方执 on every page (:mod:`.counterparts`)
``spec.yaml``       the spec, byte for byte
``pdfa/*.pdf``      with ``pdfa=True``: PDF/A-3b versions with the spec and manifest attached (:mod:`.pdfa`)
``manifest.json``   versions, template and font hashes, every file's SHA-256/size/pages, copies → holders,
                    the epoch, signatures (:mod:`.manifest`)
``SHA256SUMS``      for ``sha256sum -c``
==================  =============================================================================

Order of work: render → counterparts → hash the unsigned PDFs → sign (optional, :mod:`.signing`) → hash
again → manifest. Every date is the epoch: ``epoch=`` if given, else ``SOURCE_DATE_EPOCH``, else the spec's
signing date at 00:00 UTC (the instant the render stage stamps into the DOCX and PDF, so a bundle carries
one date throughout) — so the same specs, templates and fonts give the same bytes in any process, time
zone, locale or working directory.

Outputs are built in a temporary directory inside ``OUT`` and moved into place whole (``os.replace``), one
bundle at a time, while ``OUT`` is locked against a second run (:func:`contractgen.output.locked`, the same
lock ``render`` takes): a crash or Ctrl-C leaves no half-written bundle. An existing bundle of the same
contract is replaced; anything else in its place is never touched. Bundle names are
:func:`contractgen.output.safe_stem` of the contract number.

This package must not print (the CLI reports), must not read the clock, and must not render wording itself:
it packs what :mod:`contractgen.rendering` produced.
"""

# Heavy modules are imported inside the functions that use them (see the stage modules).

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
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
from contractgen.errors import InputError, OutputError

if TYPE_CHECKING:
    from contractgen.batch import Outcome, Progress
    from contractgen.bundling.signing import SigningKey
    from contractgen.model import Contract

__all__ = [
    "Built",
    "BundleReport",
    "BundleSource",
    "assemble",
    "bundle",
    "resolve_epoch",
    "write_tree",
]

_TEMP_PREFIX = ".contractgen-bundle-"
#: What every bundle worker needs: imported once in the fork server, not once per worker.
_PRELOAD = (
    "contractgen.bundling.counterparts",
    "contractgen.rendering",
    "contractgen.validation",
    "weasyprint",
    "pypdf",
)


def resolve_epoch(explicit: int | None, signing_date: Any = None) -> Epoch | None:
    """The epoch for a run: ``explicit``, else ``SOURCE_DATE_EPOCH``, else (per spec) the signing date."""
    if explicit is not None:
        return Epoch(int(explicit), "argument")
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        if not raw.isdigit():
            raise InputError(f"SOURCE_DATE_EPOCH 应为非负整数（Unix 秒），收到 {raw!r}")
        return Epoch(int(raw), "SOURCE_DATE_EPOCH")
    if signing_date is not None:
        start = datetime(signing_date.year, signing_date.month, signing_date.day, tzinfo=UTC)
        return Epoch(int(start.timestamp()), "signing.date")
    return None


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


def assemble(source: BundleSource, *, key: SigningKey | None = None, pdfa: bool = False) -> dict[str, bytes]:
    """The files of one bundle, ``{relative path: bytes}``, manifest and SHA256SUMS included."""
    import io

    from pypdf import PdfReader

    from contractgen import __version__
    from contractgen.bundling.counterparts import content_digest, holders, make_counterpart
    from contractgen.bundling.manifest import pdf_page_count

    base_sha = sha256_bytes(source.pdf)
    content = content_digest(PdfReader(io.BytesIO(source.pdf)))
    copies = holders(source.copies)
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

    signed = dict(unsigned)
    signing: dict[str, Any] | None = None
    if key is not None:
        from contractgen.bundling.signing import find_signature_page, sign_pdf

        page = find_signature_page(source.pdf)
        signer = key.signer()
        for name, data in unsigned.items():
            signed[name] = sign_pdf(data, key, page=page, when=source.epoch.utc, signer=signer)
        signing = {**key.describe(), "page": page + 1, "time": source.epoch.as_json()["iso"]}

    files: dict[str, Any] = {}
    by_copy = {f"copy-{copy.number}.pdf": copy for copy in copies}
    for name, data in sorted(signed.items()):
        extra: dict[str, Any] = {"content_sha256": content, "signed": key is not None}
        if key is not None:
            extra["unsigned_sha256"] = sha256_bytes(unsigned[name])
        base = name.removeprefix("pdfa/")
        if base in by_copy:
            copy = by_copy[base]
            extra.update(kind="counterpart", copy=copy.number, holder=copy.holder, base_sha256=base_sha)
        else:
            extra.update(kind="contract")
        if name.startswith("pdfa/"):
            extra.update(pdfa="PDF/A-3b", attachments=["manifest.json", "spec.yaml"])
        files[name] = file_entry(data, pages=pdf_page_count(data), **extra)
    outputs = dict(signed)
    outputs["contract.docx"] = source.docx
    outputs["spec.yaml"] = source.spec
    files["contract.docx"] = file_entry(source.docx, pages=None, kind="contract-docx")
    files["spec.yaml"] = file_entry(source.spec, pages=None, kind="spec", source_name=source.spec_name)

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
            {"copy": c.number, "holder": c.holder, "marker": c.marker, "file": f"copy-{c.number}.pdf"}
            for c in copies
        ],
        "signing": signing,
        "files": files,
    }
    outputs[MANIFEST_NAME] = canonical_json(manifest)
    outputs[SUMS_NAME] = format_sums(
        [(name, sha256_bytes(data)) for name, data in outputs.items() if name != SUMS_NAME]
    )
    return outputs


# --- one spec, in a worker --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    """What every worker needs (picklable)."""

    out_dir: Path
    run_id: str
    zip: bool
    pdfa: bool
    key: SigningKey | None
    epoch: Epoch | None


@dataclass(frozen=True)
class Built:
    """A bundle built in a temporary directory, not yet in place; then, once moved, where it is."""

    name: str
    contract_no: str
    temp: Path
    path: Path | None = None
    archive: Path | None = None


def _render(contract: Contract) -> tuple[bytes, bytes]:
    """DOCX and PDF bytes of the whole contract (contract, sections, annexes), from the render stage."""
    from contractgen.rendering import render_documents

    documents = render_documents(contract, formats=("docx", "pdf"))
    docx = next(data for name, data in documents.items() if name.endswith(".docx"))
    pdf = next(data for name, data in documents.items() if name.endswith(".pdf"))
    return docx, pdf


def _load(spec: Path) -> tuple[bytes, Contract]:
    """The spec's bytes and its contract, from one read: the manifest hashes exactly what was rendered."""
    from contractgen.build import build_contract
    from contractgen.errors import SpecError
    from contractgen.validation import check_spec

    try:
        data = spec.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取合同规格文件 {spec}：{error.strerror or error}") from error
    report = check_spec(spec, text=data)
    if not report.ok:
        raise SpecError(f"{spec}：有 {len(report.errors)} 个错误", report.diagnostics)
    return data, build_contract(report.data)


def _provenance(contract_type: str) -> dict[str, Any]:
    from contractgen.bundling.provenance import provenance

    return provenance(contract_type)


def _build_one(spec: Path, options: _Options) -> Built:
    from contractgen.output import safe_stem

    data, contract = _load(spec)
    epoch = options.epoch or resolve_epoch(None, contract.signing.date)
    assert epoch is not None
    docx, pdf = _render(contract)
    source = BundleSource(
        spec=data,
        spec_name=spec.name,
        contract_no=contract.contract_no,
        contract_type=contract.type,
        copies=contract.copies,
        docx=docx,
        pdf=pdf,
        epoch=epoch,
        provenance=_provenance(contract.type),
    )
    files = assemble(source, key=options.key, pdfa=options.pdfa)
    name = safe_stem(contract.contract_no)
    temp = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{options.run_id}-", dir=options.out_dir))
    try:
        write_tree(temp / name, files)
        if options.zip:
            from contractgen.bundling.archive import write_zip

            write_zip(temp / name, temp / f"{name}.zip", epoch_seconds=epoch.seconds)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return Built(name, contract.contract_no, temp)


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` under ``root`` (new), with fixed permissions; names were made by :func:`assemble`."""
    root.mkdir(mode=0o755)
    for name, data in sorted(files.items()):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        with path.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        path.chmod(0o644)


# --- moving into place, in the parent process ----------------------------------------------------------


def _replace_dir(new: Path, target: Path, trash: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target} 已存在且不是 bundle 目录，未覆盖")
    if target.exists():
        if any(target.iterdir()) and not (target / MANIFEST_NAME).is_file():
            raise OutputError(f"{target} 已存在且不是 bundle 目录（没有 {MANIFEST_NAME}），未覆盖")
        os.replace(target, trash)
    os.replace(new, target)


def _replace_file(new: Path, target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OutputError(f"{target} 已存在且不是普通文件，未覆盖")
    os.replace(new, target)


class _Placer:
    """Moves finished bundles into ``out_dir`` one at a time; refuses two specs with one contract number."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.seen: dict[str, str] = {}

    def __call__(self, spec: Path, built: Built) -> Built:
        try:
            key = built.name.casefold()
            if key in self.seen:
                raise OutputError(f"合同编号 {built.contract_no} 与 {self.seen[key]} 的 bundle 重名，未写入")
            self.seen[key] = str(spec)
            target = self.out_dir / built.name
            _replace_dir(built.temp / built.name, target, built.temp / ".old")
            archive = None
            if (built.temp / f"{built.name}.zip").exists():
                archive = self.out_dir / f"{built.name}.zip"
                _replace_file(built.temp / f"{built.name}.zip", archive)
            return Built(built.name, built.contract_no, built.temp, target, archive)
        finally:
            shutil.rmtree(built.temp, ignore_errors=True)


@dataclass(frozen=True)
class BundleReport:
    """One outcome per spec (``value`` is a :class:`Built` on success) and the batch's exit code."""

    outcomes: tuple[Outcome[Built], ...]
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def _describe(built: Built) -> str:
    return f"→ {built.path}" + (f"（{built.archive}）" if built.archive else "")


def bundle(
    specs: Sequence[Path | str],
    out_dir: Path | str,
    *,
    zip: bool = False,
    pdfa: bool = False,
    sign_key: Path | str | None = None,
    sign_password: str | bytes | None = None,
    sign_as: str = "a",
    jobs: int = 1,
    epoch: int | None = None,
    progress: Progress | None = None,
) -> BundleReport:
    """Bundle every spec (files, or folders of specs) into ``out_dir``; see the module docstring.

    A bad signing key fails at once (:class:`~contractgen.bundling.signing.SigningKeyError`, exit 5) before
    anything is written. Each spec's failure is reported in its outcome; the others are still bundled.
    ``epoch`` (Unix seconds) fixes the bundle's own dates — manifest, zip entries, signing time; the dates
    inside the DOCX and PDF are the render stage's (``SOURCE_DATE_EPOCH`` or the signing date), so to move
    every date at once set ``SOURCE_DATE_EPOCH`` instead. ``sign_as``: ``"a"`` (甲方) or ``"b"`` (乙方).
    """
    from contractgen.batch import discover_specs, exit_code, run_batch
    from contractgen.bundling.signing import load_signing_key
    from contractgen.output import locked

    key = load_signing_key(Path(sign_key), sign_password, party=sign_as) if sign_key is not None else None
    paths = discover_specs(specs)
    out = Path(out_dir)
    options = _Options(out, secrets.token_hex(4), zip, pdfa, key, resolve_epoch(epoch))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"无法创建输出目录 {out}：{error.strerror or error}") from error
    with locked(out):
        _sweep(out, _TEMP_PREFIX)  # leftovers of a run that was killed: the lock says none is running
        try:
            outcomes = run_batch(
                paths,
                _build_one,
                options,
                jobs=jobs,
                progress=progress,
                on_result=_Placer(out),
                describe=_describe,
                preload=_PRELOAD,
            )
        finally:
            _sweep(out, f"{_TEMP_PREFIX}{options.run_id}-")
    return BundleReport(tuple(outcomes), exit_code(outcomes))


def _sweep(out_dir: Path, prefix: str) -> None:
    for leftover in out_dir.glob(f"{prefix}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
