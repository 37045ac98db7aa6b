"""Render: contract specs to DOCX and PDF files — the orchestration of every stage.

    load_contract (validate) → build_context → compose → writers (docx, pdf) → output

:func:`render` is the public entry point: all documents of its specs are rendered before the first byte is
written, so a failure anywhere leaves the output directory as it was. :func:`render_batch` is what
``contractgen render`` maps its flags onto: every spec on its own (in ``jobs`` processes, through
:mod:`contractgen.batch`), each spec's files written as a unit — all or none — while the output directory is
locked once for the whole run; one outcome per spec. :func:`render_documents` does everything but the writing,
in memory, for tests and benchmarks. The same spec gives the same bytes on every run: every date in the files
comes from the spec's signing date (or ``SOURCE_DATE_EPOCH``).

This module must not contain wording, layout or format details: it only wires the stages together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from contractgen.diagnostics import Diagnostic
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Contract
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Document
from contractgen.errors import InputError, SpecError, TemplateError
from contractgen.resources import template_dir
from contractgen.writers.fonts import FontSet, resolve
from contractgen.writers.output import claimed, safe_stem, write_files
from contractgen.writers.user_template import fill_user_template

if TYPE_CHECKING:
    from contractgen.batch import Outcome, Progress

__all__ = [
    "FORMATS",
    "RenderReport",
    "RenderResult",
    "RenderedSpec",
    "document_date",
    "render",
    "render_batch",
    "render_documents",
    "render_specs",
]

FORMATS = ("docx", "pdf")
HOUSE_TEMPLATE = "house.docx"
PRINT_STYLESHEET = "print.css"

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class RenderResult:
    paths: list[Path]
    warnings: list[Diagnostic] = field(default_factory=list)


def document_date(contract: Contract) -> datetime:
    """The date every output file carries: ``SOURCE_DATE_EPOCH`` if set, else the spec's signing date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise InputError(f"SOURCE_DATE_EPOCH 应为整数秒，收到 {epoch!r}")
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    day = contract.signing.date
    return datetime(day.year, day.month, day.day)


@lru_cache(maxsize=16)
def _open_folder(path: Path, _stamp: int) -> TemplateFolder:
    return TemplateFolder.open(path)


def template_folder(contract_type: str) -> TemplateFolder:
    """The contract type's template folder (kept while parts.yaml is unchanged: Jinja caches templates)."""
    path = template_dir(contract_type)
    try:
        stamp = (path / "parts.yaml").stat().st_mtime_ns
    except OSError:
        raise TemplateError(f"没有合同类型 {contract_type!r} 的模板（{path}）") from None
    return _open_folder(path, stamp)


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError(f"不支持的输出格式：{', '.join(unknown) or '（空）'}（可选：{', '.join(FORMATS)}）")
    return chosen


def _split_stem(stem: str, n: int, document: Document, part_id: str) -> str:
    part = next(p for p in document.parts if p.id == part_id)
    if part.kind == "annex":
        label = f"附件{part.number_cn}-{part.title}"
    elif part.kind == "contract":
        label = part.title
    else:
        label = part.title if part.title != document.title else part.id
    return f"{stem}-{n:02d}-{safe_stem(label, what='部分名称')}"


def render_documents(
    contract: Contract,
    *,
    formats: Sequence[str] = FORMATS,
    split: bool = False,
    docx_template: PathLike | None = None,
    fonts: FontSet | None = None,
) -> dict[str, bytes]:
    """Every file one contract renders to, by file name, in memory (nothing is written)."""
    formats = _check_formats(formats)
    fonts = fonts or FontSet()
    resolved = resolve(fonts) if "pdf" in formats else None  # fail before any work if a face is missing
    folder = template_folder(contract.type)
    context = build_context(contract, folder.parts, folder.title)
    document = compose(folder, context)
    when = document_date(contract)
    stem = safe_stem(contract.contract_no)

    documents: list[tuple[str, Document]] = [(stem, document)]
    if split:
        documents += [
            (_split_stem(stem, n, document, part.id), document.only(part.id))
            for n, part in enumerate(document.parts, 1)
        ]
    files: dict[str, bytes] = {}
    if "docx" in formats:
        from contractgen.writers.docx import write_docx

        house = folder.asset(HOUSE_TEMPLATE)
        for name, doc in documents:
            files[f"{name}.docx"] = write_docx(doc, house=house, context=context, when=when, fonts=fonts)
    if "pdf" in formats:
        from contractgen.writers.pdf import write_pdf

        assert resolved is not None
        stylesheet = folder.asset(PRINT_STYLESHEET)
        for name, doc in documents:
            files[f"{name}.pdf"] = write_pdf(
                doc, stylesheet=stylesheet, asset_roots=folder.asset_roots, fonts=resolved, when=when
            )
    if docx_template is not None:
        path = Path(docx_template)
        files[f"{stem}-{safe_stem(path.stem, what='Word 模板名')}.docx"] = fill_user_template(
            path, context, when
        )
    return files


def _load(paths: Sequence[Path], strict: bool) -> tuple[list[Contract], list[Diagnostic]]:
    from contractgen.document import load_contract

    contracts: list[Contract] = []
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    failures: list[SpecError] = []
    for path in paths:
        try:
            contract, diagnostics = load_contract(path, strict=strict)
        except SpecError as error:
            failures.append(error)
            errors.extend(error.diagnostics)
            continue
        contracts.append(contract)
        warnings.extend(d for d in diagnostics if d.severity == "warning")
    if failures:
        if len(failures) == 1:
            raise failures[0]
        messages = "；".join(f.message for f in failures if f.message and not f.diagnostics)
        raise SpecError(messages or f"{len(failures)} 个合同文件未通过校验，未生成任何文件", errors)
    return contracts, warnings


def _overwrites(contract_no: str, name: str) -> str:
    return f"两个合同文件的合同编号相同（{contract_no}），输出文件 {name} 会互相覆盖"


def render_specs(
    specs: Sequence[PathLike],
    out_dir: PathLike = ".",
    *,
    formats: Sequence[str] = FORMATS,
    split: bool = False,
    docx_template: PathLike | None = None,
    fonts: FontSet | None = None,
    strict: bool = False,
) -> RenderResult:
    """Render every spec into ``out_dir``; all specs must validate, and all files are written or none."""
    contracts, warnings = _load([Path(s) for s in specs], strict)
    files: dict[str, bytes] = {}
    for contract in contracts:
        for name, data in render_documents(
            contract, formats=formats, split=split, docx_template=docx_template, fonts=fonts
        ).items():
            if name in files:
                raise InputError(_overwrites(contract.contract_no, name))
            files[name] = data
    return RenderResult(write_files(Path(out_dir), files), warnings)


def render(
    spec: PathLike | Sequence[PathLike],
    out_dir: PathLike = ".",
    *,
    formats: Sequence[str] = FORMATS,
    split: bool = False,
    docx_template: PathLike | None = None,
    fonts: FontSet | None = None,
    strict: bool = False,
) -> list[Path]:
    """Render ``spec`` (one path or several) to DOCX and PDF in ``out_dir``; return the files written.

    Raises :class:`~contractgen.errors.SpecError` (nothing written) if a spec does not validate,
    :class:`~contractgen.errors.FontError` if a face is missing, and other ContractgenErrors for templates,
    rendering and output.
    """
    specs = [spec] if isinstance(spec, str | os.PathLike) else list(spec)
    return render_specs(
        specs, out_dir, formats=formats, split=split, docx_template=docx_template, fonts=fonts, strict=strict
    ).paths


# --- many specs, each on its own --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What every worker needs to render a spec (picklable)."""

    formats: tuple[str, ...]
    split: bool
    docx_template: Path | None
    fonts: FontSet
    strict: bool


@dataclass(frozen=True)
class RenderedSpec:
    """One spec rendered: its files in memory (from a worker), then, once written, their paths."""

    contract_no: str
    files: Mapping[str, bytes]
    warnings: tuple[Diagnostic, ...] = ()
    paths: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RenderReport:
    """One outcome per spec (``value`` is a :class:`RenderedSpec` on success) and the batch's exit code."""

    outcomes: tuple[Outcome[RenderedSpec], ...]
    exit_code: int

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

    contract, diagnostics = load_contract(spec, strict=job.strict)
    files = render_documents(
        contract, formats=job.formats, split=job.split, docx_template=job.docx_template, fonts=job.fonts
    )
    warnings = tuple(d for d in diagnostics if d.severity == "warning")
    return RenderedSpec(contract.contract_no, files, warnings)


class _Writer:
    """Writes each spec's files into the locked output directory, all or none, in the run's own process;
    refuses a spec whose files an earlier spec of the run wrote (two specs with one contract number)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: dict[str, Path] = {}  # file name, case-folded -> the spec that wrote it

    def __call__(self, spec: Path, rendered: RenderedSpec) -> RenderedSpec:
        for name in rendered.files:
            first = self.written.get(name.casefold())
            if first is not None:
                raise InputError(f"{_overwrites(rendered.contract_no, name)}：{spec} 未写入（{first} 已写入）")
        paths = write_files(self.out_dir, rendered.files, lock=False)
        self.written.update(dict.fromkeys((name.casefold() for name in rendered.files), spec))
        return replace(rendered, files={}, paths=tuple(paths))  # the bytes are on disk: free them


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
) -> RenderReport:
    """Render every spec (files, or folders of specs) into ``out_dir``, each on its own; see the module docstring.

    Fails as a whole, before any work, only for what no spec could overcome: no specs found, an unknown
    format, a missing font face, an output directory another run holds. Otherwise each spec's failure is
    its outcome (an invalid spec: its diagnostics, exit code 3) and the others are still written.
    """
    from contractgen.batch import discover_specs, exit_code, run_batch

    paths = discover_specs([Path(spec) for spec in specs])
    job = _Job(
        _check_formats(formats),
        split,
        Path(docx_template) if docx_template is not None else None,
        fonts or FontSet(),
        strict,
    )
    if "pdf" in job.formats:
        resolve(job.fonts)  # a missing face fails the run once, not every spec
    preload = ["contractgen.validation.validator", "contractgen.writers.rendering", "contractgen.writers.docx"]
    if "pdf" in job.formats:
        preload += ["contractgen.writers.pdf", "weasyprint"]
    with claimed(Path(out_dir)) as out:
        outcomes = run_batch(
            paths,
            _render_one,
            job,
            jobs=jobs,
            progress=progress,
            on_result=_Writer(out),
            describe=_describe,
            preload=preload,
        )
    return RenderReport(tuple(outcomes), exit_code(outcomes))
