"""One spec, in a worker: load and validate it, render it, assemble its bundle in a staging folder.

The staging folder (``OUT/.contractgen-bundle-<run>-*``) is moved into place by :mod:`.placement`, in the parent
process; a worker never touches a finished output.

This module must not print and must not write outside its own staging folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractgen.bundling.assembly import BundleSource, assemble, spec_epoch
from contractgen.bundling.manifest import Epoch
from contractgen.bundling.positions import FieldSpot
from contractgen.diagnostics import Diagnostic
from contractgen.errors import InputError

if TYPE_CHECKING:
    from contractgen.bundling.signing import SigningKey
    from contractgen.document.model import Contract

__all__ = ["TEMP_PREFIX", "BuildOptions", "Built", "build_one", "write_tree"]

TEMP_PREFIX = ".contractgen-bundle-"


@dataclass(frozen=True)
class BuildOptions:
    """What every worker needs (picklable)."""

    out_dir: Path
    run_id: str
    zip: bool
    pdfa: bool
    key: SigningKey | None
    epoch: Epoch | None
    cross_page_seal: bool = False  # --cross-page-seal: the 骑缝章 strip whatever the spec says
    strict: bool = False  # --strict: a warning nobody has acknowledged fails the spec, as in render
    part_processes: int = 0  # children laying out later parts of each PDF beside the worker (writers/pdf_workers.py)


@dataclass(frozen=True)
class Built:
    """A bundle built in a temporary directory, not yet in place; then, once moved, where it is."""

    name: str
    contract_no: str
    temp: Path
    path: Path | None = None
    archive: Path | None = None
    warnings: tuple[Diagnostic, ...] = ()  # the spec's warnings, for the command to show as render does
    spec_sha256: str = ""  # of the spec bytes bundled
    contract_type: str = ""

    def outputs(self, out_dir: Path) -> dict[str, str]:
        """Every file of the placed bundle and its zip, by path relative to ``out_dir``, with its SHA-256 — read
        back from the disk, file by file, so that ``--resume`` can tell any of them changed."""
        from contractgen.batch.resume import file_sha256

        found = [p for p in sorted(self.path.rglob("*")) if p.is_file()] if self.path is not None else []
        if self.archive is not None:
            found.append(self.archive)
        return {p.relative_to(out_dir).as_posix(): file_sha256(p) or "" for p in found}


def _render(
    contract: Contract, cross_page_seal: bool, part_processes: int = 0
) -> tuple[bytes, bytes, tuple[FieldSpot, ...]]:
    """DOCX and PDF bytes of the whole contract (its text and annexes), and where its seals go, from the render
    stage."""
    from contractgen.writers.pdf_workers import part_processes as laid_out_beside
    from contractgen.writers.rendering import render_documents

    laid_out: list[Any] = []
    with laid_out_beside(part_processes):
        documents = render_documents(
            contract, formats=("docx", "pdf"), spots=laid_out, cross_page_seal=cross_page_seal
        )
    docx = next(data for name, data in documents.items() if name.endswith(".docx"))
    pdf = next(data for name, data in documents.items() if name.endswith(".pdf"))
    spots = tuple(FieldSpot(s.party, s.kind, s.page, s.rect, s.page_size, keyword) for s, keyword in laid_out)
    return docx, pdf, spots


def _load(spec: Path, strict: bool) -> tuple[bytes, Contract, tuple[Diagnostic, ...]]:
    """The spec's bytes, its contract and its warnings, from one read: the manifest hashes exactly what was
    rendered."""
    from contractgen.document.build import build_contract
    from contractgen.errors import SpecError
    from contractgen.validation import check_spec

    try:
        data = spec.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取合同规格文件 {spec}：{error.strerror or error}") from error
    report = check_spec(spec, text=data, strict=strict)
    if not report.ok:
        raise SpecError(f"{spec}：有 {len(report.errors)} 个错误", report.diagnostics)
    return data, build_contract(report.data), tuple(d for d in report.diagnostics if d.severity == "warning")


def _provenance(contract_type: str) -> dict[str, Any]:
    from contractgen.bundling.provenance import provenance

    return provenance(contract_type)


def build_one(spec: Path, options: BuildOptions) -> Built:
    from contractgen.document.context import party_entries
    from contractgen.writers.file_names import file_stem

    data, contract, warnings = _load(spec, options.strict)
    epoch = options.epoch or spec_epoch(contract)
    docx, pdf, spots = _render(contract, options.cross_page_seal, options.part_processes)
    source = BundleSource(
        spec=data,
        spec_name=spec.name,
        contract_no=contract.contract_no,
        contract_type=contract.type,
        copies=contract.copies,
        docx=docx,
        pdf=pdf,
        spots=spots,
        epoch=epoch,
        provenance=_provenance(contract.type),
        roles=tuple(entry.role for entry in party_entries(contract)),  # the parties present: a 保证人 too
    )
    files = assemble(source, key=options.key, pdfa=options.pdfa)
    name = file_stem(contract.contract_no)
    temp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{options.run_id}-", dir=options.out_dir))
    try:
        write_tree(temp / name, files)
        if options.zip:
            from contractgen.bundling.archive import write_zip

            write_zip(temp / name, temp / f"{name}.zip", epoch_seconds=epoch.seconds)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    spec_sha256 = hashlib.sha256(data).hexdigest()
    return Built(
        name, contract.contract_no, temp, warnings=warnings, spec_sha256=spec_sha256, contract_type=contract.type
    )


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
