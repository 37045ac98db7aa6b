"""Batch rendering: many specs into one output folder, each on its own, in worker processes (``render -j N``).

Each spec is loaded, rendered and written as a unit — all of its files or none — in input order, while the
output folder is held for the whole run (:func:`contractgen.writers.output.claimed`); one spec's failure is its
outcome and never stops the others (:mod:`contractgen.batch`). Another spec's outputs are not replaced unless
``overwrite`` (:mod:`contractgen.writers.output_records`). The run is ledgered (:mod:`contractgen.batch.ledgered`):
``shard`` keeps one shard of the specs, ``resume`` skips the ones the folder's ``batch.jsonl`` proves made, and
every spec's end is a line of that ledger.

This module must not print (progress is the caller's), and must not render wording itself: it runs
:func:`contractgen.writers.rendering.render_documents` per spec.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from contractgen.diagnostics import Diagnostic
from contractgen.errors import GlyphError, InputError
from contractgen.writers.fonts import FontSet, resolve
from contractgen.writers.glyph_fields import glyphs_in_spec
from contractgen.writers.output import claimed, write_files
from contractgen.writers.output_records import OutputRecords, owner_of
from contractgen.writers.pdf_workers import part_processes, part_processes_for
from contractgen.writers.rendering import FORMATS, PathLike, check_formats, overwrites, render_documents

if TYPE_CHECKING:
    from contractgen.batch import Outcome, Progress
    from contractgen.batch.shards import Shard

__all__ = ["RenderReport", "RenderedSpec", "render_batch"]


@dataclass(frozen=True)
class _Job:
    """What every worker needs to render a spec (picklable)."""

    formats: tuple[str, ...]
    split: bool
    docx_template: Path | None
    fonts: FontSet
    strict: bool
    cross_page_seal: bool = False
    part_processes: int = 0  # children laying out later parts of each PDF beside the worker (pdf_workers.py)


@dataclass(frozen=True)
class RenderedSpec:
    """One spec rendered: its files in memory (from a worker), then, once written, their paths."""

    contract_no: str
    files: Mapping[str, bytes]
    warnings: tuple[Diagnostic, ...] = ()
    paths: tuple[Path, ...] = ()
    spec_sha256: str = ""  # of the bytes rendered
    contract_type: str = ""
    digests: Mapping[str, str] = field(default_factory=dict)  # file name -> SHA-256, once written

    def outputs(self, out_dir: Path) -> dict[str, str]:
        """The written files by name (they are directly in ``out_dir``), with their SHA-256: for the ledger."""
        return dict(self.digests)


@dataclass(frozen=True)
class RenderReport:
    """One outcome per spec (``value`` is a :class:`RenderedSpec` on success) and the batch's exit code."""

    outcomes: tuple[Outcome[RenderedSpec], ...]
    exit_code: int
    ledger: Path | None = None  # the output folder's batch.jsonl

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def paths(self) -> list[Path]:
        return [path for o in self.outcomes if o.value is not None for path in o.value.paths]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [warning for o in self.outcomes if o.value is not None for warning in o.value.warnings]


def _render_one(spec: Path, job: _Job) -> RenderedSpec:
    from contractgen.document import load_contract

    try:
        data: bytes | None = spec.read_bytes()
    except OSError:  # load_contract says why, as validate does
        data = None
    contract, diagnostics = load_contract(spec, strict=job.strict, text=data)
    try:
        with part_processes(job.part_processes):
            files = render_documents(
                contract,
                formats=job.formats,
                split=job.split,
                docx_template=job.docx_template,
                fonts=job.fonts,
                cross_page_seal=job.cross_page_seal,
            )
    except GlyphError as error:
        raise glyphs_in_spec(spec, error) from None
    warnings = tuple(d for d in diagnostics if d.severity == "warning")
    spec_sha256 = hashlib.sha256(data).hexdigest() if data is not None else ""
    return RenderedSpec(contract.contract_no, files, warnings, spec_sha256=spec_sha256, contract_type=contract.type)


class _Writer:
    """Writes each spec's files into the locked output directory, all or none, in the run's own process;
    refuses a spec whose files an earlier spec of the run wrote (two specs with one contract number)."""

    def __init__(self, out_dir: Path, overwrite: bool) -> None:
        self.out_dir = out_dir
        self.overwrite = overwrite
        self.records = OutputRecords.load(out_dir)
        self.written: dict[str, Path] = {}  # file name, case-folded -> the spec that wrote it

    def __call__(self, spec: Path, rendered: RenderedSpec) -> RenderedSpec:
        for name in rendered.files:
            first = self.written.get(name.casefold())
            if first is not None:
                raise InputError(f"{overwrites(rendered.contract_no, name)}：{spec} 未写入（{first} 已写入）")
        owner = owner_of(spec, rendered.contract_no, self.out_dir)
        paths = write_files(
            self.out_dir,
            rendered.files,
            lock=False,
            owners=dict.fromkeys(rendered.files, owner),
            overwrite=self.overwrite,
            records=self.records,
        )
        self.written.update(dict.fromkeys((name.casefold() for name in rendered.files), spec))
        digests = {name: hashlib.sha256(data).hexdigest() for name, data in rendered.files.items()}
        return replace(rendered, files={}, paths=tuple(paths), digests=digests)  # the bytes are on disk: free them


def _describe(rendered: RenderedSpec) -> str:
    more = f" 等 {len(rendered.paths)} 个文件" if len(rendered.paths) > 1 else ""
    return f"→ {rendered.paths[0]}{more}" if rendered.paths else ""


def render_batch(
    specs: Sequence[PathLike],
    out_dir: PathLike = ".",
    *,
    formats: Sequence[str] = FORMATS,
    split: bool = False,
    docx_template: PathLike | None = None,
    fonts: FontSet | None = None,
    strict: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    overwrite: bool = False,
    cross_page_seal: bool = False,
    shard: Shard | str | None = None,
    resume: bool = False,
    max_tasks_per_worker: int | None = None,
) -> RenderReport:
    """Render every spec (files, or folders of specs) into ``out_dir``, each on its own; see the module docstring.

    Fails as a whole, before any work, only for what no spec could overcome: no specs found, an unknown
    format, a missing font face, an output directory another run holds. Otherwise each spec's failure is
    its outcome (an invalid spec: its diagnostics, exit code 3) and the others are still written.
    ``shard`` (``Shard`` or ``"K/N"``): only the specs of that shard (:mod:`contractgen.batch.shards`);
    ``resume``: skip the specs the ledger proves made; ``max_tasks_per_worker``: recycle worker processes.
    """
    # One body: the public API's keyword arguments, each mapped once onto what the workers and the ledger need.
    from contractgen.batch import exit_code
    from contractgen.batch.ledger import LEDGER_NAME
    from contractgen.batch.ledgered import BatchOptions, run_ledgered
    from contractgen.batch.shards import keyed_specs

    keyed = keyed_specs([Path(spec) for spec in specs])
    job = _Job(
        check_formats(formats),
        split,
        Path(docx_template) if docx_template is not None else None,
        fonts or FontSet(),
        strict,
        cross_page_seal,
        part_processes_for(jobs),
    )
    if "pdf" in job.formats:
        resolve(job.fonts)  # a missing face fails the run once, not every spec
    preload = ["contractgen.validation.validator", "contractgen.writers.batch_rendering", "contractgen.writers.docx"]
    if "pdf" in job.formats:
        preload += ["contractgen.writers.pdf", "weasyprint"]
    fresh = not Path(out_dir).exists()
    with claimed(out_dir) as out:
        outcomes = run_ledgered(
            keyed,
            _render_one,
            job,
            out_dir=out,
            command="render",
            batch=BatchOptions.of(shard, resume, max_tasks_per_worker),
            families=job.fonts.families,
            settings=_settings(job),
            jobs=jobs,
            progress=progress,
            on_result=_Writer(out, overwrite),
            describe=_describe,
            preload=preload,
            fresh=fresh,
        )
    return RenderReport(tuple(outcomes), exit_code(outcomes), out / LEDGER_NAME)


def _settings(job: _Job) -> dict[str, object]:
    """What changes the bytes of a render besides the spec, templates and fonts (``--resume`` compares it)."""
    from contractgen.batch.resume import file_sha256
    from contractgen.writers.rendering import source_date_epoch

    template = file_sha256(job.docx_template) if job.docx_template is not None else None
    return {
        "formats": sorted(job.formats),
        "split": job.split,
        "docx_template": template,
        "strict": job.strict,
        "cross_page_seal": job.cross_page_seal,
        "source_date_epoch": source_date_epoch(),
    }
