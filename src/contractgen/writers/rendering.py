"""Render: contract specs to DOCX and PDF files — the orchestration of every stage.

    load_contract (validate) → build_context → compose → writers (docx, pdf) → output

:func:`render` is the public entry point: all documents of its specs are rendered before the first byte is
written, so a failure anywhere leaves the output directory as it was. ``contractgen render`` maps its flags onto
:func:`contractgen.writers.batch_rendering.render_batch` instead: every spec on its own, one outcome per spec.
Every file name of a contract is claimed before anything is rendered, unique by construction; another spec's
outputs are not replaced unless ``overwrite``. :func:`render_documents` does everything but the writing,
in memory, for tests and benchmarks. The same spec gives the same bytes on every run: every date in the files
comes from the spec's signing date (or ``SOURCE_DATE_EPOCH``).

This module must not contain wording, layout or format details: it only wires the stages together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractgen.diagnostics import Diagnostic
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Contract
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Document, seal_spots
from contractgen.errors import GlyphError, InputError, OutputError, SpecError, TemplateError
from contractgen.resources import template_dir
from contractgen.writers.file_names import file_stem
from contractgen.writers.fonts import FontSet, resolve
from contractgen.writers.glyph_fields import glyphs_in_spec
from contractgen.writers.output import claimed, write_files
from contractgen.writers.output_records import owner_of
from contractgen.writers.user_template import fill_user_template

if TYPE_CHECKING:
    from contractgen.writers.pdf import PdfFile, Spot

__all__ = [
    "FORMATS",
    "PathLike",
    "RenderResult",
    "check_formats",
    "contract_day",
    "document_date",
    "overwrites",
    "render",
    "render_documents",
    "render_specs",
    "source_date_epoch",
]

FORMATS = ("docx", "pdf")
HOUSE_TEMPLATE = "house.docx"
PRINT_STYLESHEET = "print.css"

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class RenderResult:
    paths: list[Path]
    warnings: list[Diagnostic] = field(default_factory=list)


#: 9999-12-31 23:59:59 UTC: the last second a date in a contract (or a Python datetime) can hold.
_LAST_EPOCH = 253402300799


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) as Unix seconds, or None when unset or empty.

    ASCII digits only — ``"²".isdigit()`` is true but ``int("²")`` fails — and no later than the year 9999;
    anything else is an InputError naming the variable.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise InputError(f"环境变量 SOURCE_DATE_EPOCH 应为非负整数（Unix 秒，只用 0-9），收到 {raw!r}")
    seconds = int(raw)
    if seconds > _LAST_EPOCH:
        raise InputError(f"环境变量 SOURCE_DATE_EPOCH 超出范围：{raw}（最大 {_LAST_EPOCH}，即 9999-12-31）")
    return seconds


#: The date of a contract whose spec names none (no signing date, no fixed start): the earliest a zip can hold.
#: It says "no date" to a reader of the file's properties and keeps the bytes the same on every run.
UNDATED = datetime(1980, 1, 1)


def contract_day(contract: Contract) -> date | None:
    """The day a contract's files are dated by: its type's ``document_date`` (by default the signing date)."""
    from contractgen.catalog import contract_type

    return contract_type(contract.type).rules.document_date(contract)


def document_date(contract: Contract) -> datetime:
    """The date every output file carries: ``SOURCE_DATE_EPOCH`` if set, else the contract's own day
    (:func:`contract_day`: the signing date, or what its type dates it by without one), else :data:`UNDATED` —
    never the clock."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)
    day = contract_day(contract)
    return datetime(day.year, day.month, day.day) if day is not None else UNDATED


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


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
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
    return f"{stem}-{n:02d}-{file_stem(label, what='部分名称')}"


def render_documents(
    contract: Contract,
    *,
    formats: Sequence[str] = FORMATS,
    split: bool = False,
    docx_template: PathLike | None = None,
    fonts: FontSet | None = None,
    spots: list[tuple[Spot, str]] | None = None,
    cross_page_seal: bool = False,
) -> dict[str, bytes]:
    """Every file one contract renders to, by file name, in memory (nothing is written).

    With ``spots``, the whole contract's PDF seal spots are appended to it, each with its keyword (the text above
    it: 甲方（盖章）), in document order: where the bundle's signature fields and positions file put the seals;
    then, with a 骑缝章 strip, each page's strip (keyword ``""``). ``cross_page_seal`` keeps that strip even when
    the spec's ``signing.cross_page_seal`` does not ask for it (``--cross-page-seal``).
    """
    # One function, not one per format: the formats share one composed document, one layout decision (the
    # signature page) and the split files' names, in an order that the decision dictates.
    formats = check_formats(formats)
    fonts = fonts or FontSet()
    # Fail before any work if a face is missing: the DOCX too needs the layout (whether its signature block has a
    # page of its own is the PDF layout's to say).
    resolved = resolve(fonts) if {"pdf", "docx"} & set(formats) else None
    folder = template_folder(contract.type)
    context = build_context(contract, folder.parts, folder.title)
    document = compose(folder, context)
    when = document_date(contract)
    stem = file_stem(contract.contract_no)

    documents: list[tuple[str, Document]] = [(stem, document)]
    if split:
        documents += [
            (_split_stem(stem, n, document, part.id), document.only(part.id))
            for n, part in enumerate(document.parts, 1)
        ]
    files: dict[str, bytes] = {}
    _claim_names(documents, formats, stem, docx_template)
    strip = contract.signing.seal_mm if cross_page_seal or contract.signing.cross_page_seal else None
    laid_out: PdfFile | None = None
    # The whole contract is laid out first: whether its signature block needs a page of its own is the layout's
    # to say, and the DOCX and every split file then carry the same decision.
    layout_options: dict[str, Any] = {
        "stylesheet": folder.asset(PRINT_STYLESHEET),
        "asset_roots": folder.asset_roots,
        "fonts": resolved,
        "when": when,
        "cross_page_seal_mm": strip,
    }
    decided = document
    if resolved is not None and "pdf" not in formats:
        from contractgen.writers.pdf import lay_out_pdf

        decided = lay_out_pdf(document, draw=False, **layout_options).document  # the DOCX needs no PDF
    elif resolved is not None:
        from contractgen.writers.page_positions import check_keywords
        from contractgen.writers.pdf import collector_paused, lay_out_pdf

        def lay_out(doc: Document) -> PdfFile:
            return lay_out_pdf(doc, **layout_options)

        with collector_paused():  # the keyword check too reads the PDF back while its layout is alive
            laid_out = lay_out(document)
            keywords = [keyword for _spot, keyword in seal_spots(laid_out.document)]
            check_keywords(laid_out.data, laid_out.spots, keywords, str(folder.path))
        decided = laid_out.document
    if decided is not document:
        document = decided
        documents = [
            (name, document if n == 0 else document.only(doc.parts[0].id)) for n, (name, doc) in enumerate(documents)
        ]
    if "docx" in formats:
        from contractgen.writers.docx import write_docx

        house = folder.asset(HOUSE_TEMPLATE)
        for name, doc in documents:
            files[f"{name}.docx"] = write_docx(doc, house=house, context=context, when=when, fonts=fonts)
    if "pdf" in formats:
        assert laid_out is not None
        files[f"{stem}.pdf"] = laid_out.data
        if spots is not None:  # the whole contract's: where its seals go, with their keywords
            spots.extend(zip(laid_out.spots, keywords, strict=True))
            spots.extend((strip_spot, "") for strip_spot in laid_out.strips)
        for name, doc in documents[1:]:
            files[f"{name}.pdf"] = lay_out(doc).data
    if docx_template is not None:
        path = Path(docx_template)
        files[_user_template_name(stem, path)] = fill_user_template(path, context, when)
    return files


def _user_template_name(stem: str, template: Path) -> str:
    return f"{stem}-模板-{file_stem(template.stem, what='Word 模板名')}.docx"


def _claim_names(
    documents: Sequence[tuple[str, Document]],
    formats: Sequence[str],
    stem: str,
    docx_template: PathLike | None,
) -> None:
    """Every file name of one contract, before any is rendered: unique by construction (the whole contract is
    ``S``, a part ``S-NN-title``, a user template's output ``S-模板-name``), and checked, case-folded."""
    names = [f"{name}.{ext}" for ext in FORMATS if ext in formats for name, _ in documents]
    if docx_template is not None:
        names.append(_user_template_name(stem, Path(docx_template)))
    folded = [name.casefold() for name in names]
    if len(set(folded)) != len(folded):
        duplicates = sorted({n for n in names if folded.count(n.casefold()) > 1})
        raise OutputError(f"输出文件名重复：{'、'.join(duplicates)}，未写入任何文件")


def _load(paths: Sequence[Path], strict: bool) -> tuple[list[tuple[Path, Contract]], list[Diagnostic]]:
    from contractgen.document import load_contract

    contracts: list[tuple[Path, Contract]] = []
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
        contracts.append((path, contract))
        warnings.extend(d for d in diagnostics if d.severity == "warning")
    if failures:
        if len(failures) == 1:
            raise failures[0]
        messages = "；".join(f.message for f in failures if f.message and not f.diagnostics)
        raise SpecError(messages or f"{len(failures)} 个合同文件未通过校验，未生成任何文件", errors)
    return contracts, warnings


def overwrites(contract_no: str, name: str) -> str:
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
    overwrite: bool = False,
    cross_page_seal: bool = False,
) -> RenderResult:
    """Render every spec into ``out_dir``; all specs must validate, and all files are written or none.

    An existing output that another spec made (or that no record says contractgen made) is not replaced
    unless ``overwrite``: :class:`~contractgen.errors.InputError`, nothing written.
    """
    contracts, warnings = _load([Path(s) for s in specs], strict)
    files: dict[str, bytes] = {}
    made_by: dict[str, tuple[Path, str]] = {}
    for path, contract in contracts:
        try:
            rendered = render_documents(
                contract,
                formats=formats,
                split=split,
                docx_template=docx_template,
                fonts=fonts,
                cross_page_seal=cross_page_seal,
            )
        except GlyphError as error:
            raise glyphs_in_spec(path, error) from None
        for name, data in rendered.items():
            if name.casefold() in {n.casefold() for n in files}:
                raise InputError(overwrites(contract.contract_no, name))
            files[name] = data
            made_by[name] = (path, contract.contract_no)
    with claimed(out_dir) as out:
        owners = {name: owner_of(spec, number, out) for name, (spec, number) in made_by.items()}
        paths = write_files(out, files, lock=False, owners=owners, overwrite=overwrite)
    return RenderResult(paths, warnings)


def render(
    spec: PathLike | Sequence[PathLike],
    out_dir: PathLike = ".",
    *,
    formats: Sequence[str] = FORMATS,
    split: bool = False,
    docx_template: PathLike | None = None,
    fonts: FontSet | None = None,
    strict: bool = False,
    overwrite: bool = False,
) -> list[Path]:
    """Render ``spec`` (one path or several) to DOCX and PDF in ``out_dir``; return the files written.

    Raises :class:`~contractgen.errors.SpecError` (nothing written) if a spec does not validate,
    :class:`~contractgen.errors.FontError` if a face is missing, and other ContractgenErrors for templates,
    rendering and output.
    """
    specs = [spec] if isinstance(spec, str | os.PathLike) else list(spec)
    return render_specs(
        specs,
        out_dir,
        formats=formats,
        split=split,
        docx_template=docx_template,
        fonts=fonts,
        strict=strict,
        overwrite=overwrite,
    ).paths
