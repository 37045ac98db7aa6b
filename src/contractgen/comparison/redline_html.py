"""The redline for readers without Word: HTML and PDF, from the same HTML writer and print stylesheet as the PDF.

The document is a change list — the changed fields with the places each reaches, the warnings, a table of every
changed clause — followed by the merged tree (:mod:`.merged`): the new contract with its insertions underlined in
blue and its deletions struck through in red (``<ins>``/``<del>``, which :mod:`contractgen.writers.html` writes for
marked runs). The PDF is laid out by :func:`contractgen.writers.pdf.lay_out_pdf` with the type's print stylesheet
and the redline's few rules after it; the HTML file carries both in a ``<style>`` element, so it stands alone.

This module must not change a word of either version, and must not read the clock.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contractgen.comparison.clauses import ClauseChange
from contractgen.comparison.listing import change_kind, change_where
from contractgen.comparison.merged import Mark, merged_document
from contractgen.comparison.report import Comparison
from contractgen.comparison.tokens import Op
from contractgen.document.tree import (
    Blank,
    Block,
    Bold,
    Cell,
    Document,
    Heading,
    Inline,
    Item,
    Paragraph,
    Part,
    Row,
    Table,
    Text,
    Title,
)
from contractgen.numerals import to_chinese_number
from contractgen.writers.fonts import FontSet
from contractgen.writers.rendering import PRINT_STYLESHEET, document_date

__all__ = ["REDLINE_CSS", "Marked", "redline_document", "redline_html", "redline_pdf"]

#: What the redline adds to the print stylesheet: insertions underlined in blue, deletions struck through in red.
REDLINE_CSS = """
ins { color: #0b57a4; text-decoration: underline; text-decoration-color: #0b57a4; }
del { color: #b3261e; text-decoration: line-through; text-decoration-color: #b3261e; }
"""
#: For the HTML file on a screen, where the print stylesheet's page margins do not apply.
SCREEN_CSS = "@media screen { body { max-width: 170mm; margin: 2em auto; padding: 0 1em; } }\n"
#: Unchanged text kept either side of a change in the change table, in characters.
CONTEXT = 12
CHANGES_PART = "changes"


@dataclass(frozen=True)
class Marked(Text):
    """Text the HTML writer wraps in ``element`` (``ins`` or ``del``)."""

    element: str = "ins"


class HtmlMarks:
    """The merged tree's marks as ``<ins>`` and ``<del>``; a changed number shows the old one struck beside it."""

    def text(self, text: str, mark: Mark) -> Inline:
        return Marked(text, mark)

    def label(self, old: str, new: str) -> tuple[str, tuple[Inline, ...]]:
        return new, (Marked(old, "del"), Text(" "))

    def whole(self, mark: Mark) -> tuple[Inline, ...]:
        return ()

    def row(self, mark: Mark) -> tuple[Inline, ...]:
        return ()

    def number(self, num: str, mark: Mark) -> tuple[str, tuple[Inline, ...]]:
        return "", (Marked(num, mark), Text(" "))  # the number struck out (or underlined) with its clause

    def blank(self, blank: Blank, mark: Mark) -> tuple[Inline, ...]:
        # A new blank is shown as a blank; one that went, as the spaces it held, struck through.
        return (blank,) if mark == "ins" else (Marked("\u3000" * blank.width, "del"),)


def _summary(ops: Sequence[Op]) -> tuple[Inline, ...]:
    """A change's text for the change table: the changes marked, unchanged text cut to a few characters around."""
    out: list[Inline] = []
    for n, op in enumerate(ops):
        text = op.text.replace("\n", " ")
        if op.op != "equal":
            out.append(Marked(text, "del" if op.op == "delete" else "ins"))
            continue
        first, last = n == 0, n == len(ops) - 1
        if first and not last and len(text) > CONTEXT:
            text = "…" + text[-CONTEXT:]
        elif last and not first and len(text) > CONTEXT:
            text = text[:CONTEXT] + "…"
        elif not first and not last and len(text) > 2 * CONTEXT:
            text = text[:CONTEXT] + "…" + text[-CONTEXT:]
        out.append(Text(text))
    return tuple(out)


def _field_items(comparison: Comparison) -> list[Block]:
    blocks: list[Block] = []
    for n, change in enumerate(comparison.fields, 1):
        runs: list[Inline] = [Bold((Text(f"{change.title}（{change.path}）"),)), Text("：")]
        runs += [Marked(change.old_words, "del"), Text(" → "), Marked(change.new_words, "ins")]
        if change.places:
            runs.append(Text(f"。涉及：{'、'.join(change.places)}"))
        blocks.append(Item(f"{n}.", tuple(runs)))
        for derived in change.derived:
            line = (Text(f"随之变化：{derived.label}："), Marked(derived.old or "（无）", "del"), Text(" → "))
            blocks.append(Paragraph((*line, Marked(derived.new or "（无）", "ins")), indent=True))
    return blocks


def _clause_rows(changes: Sequence[ClauseChange]) -> tuple[Row, ...]:
    header = Row(tuple(Cell((Text(t),), header=True, align="center") for t in ("序号", "位置", "变更", "内容")), True)
    rows = [header]
    for n, change in enumerate(changes, 1):
        cells = (Text(str(n)),), (Text(change_where(change)),), (Text(change_kind(change)),), _summary(change.ops)
        rows.append(Row(tuple(Cell(runs, align="center" if i == 0 else None) for i, runs in enumerate(cells))))
    return tuple(rows)


def change_list(comparison: Comparison) -> Part:
    """The redline's first part: what changed, field by field and clause by clause."""
    new = comparison.new
    title = f"《{new.document.title}》修订对照"
    blocks: list[Block] = [Title((Text(title),))]
    note = f"合同编号：{new.contract.contract_no}。旧版本：{comparison.old.name}；新版本：{new.name}"
    if comparison.templates_old:
        note += f"（旧版本用模板 {comparison.templates_old}）"
    blocks.append(Paragraph((Text(note + "。"),), indent=False, align="left"))
    blocks.append(
        Paragraph(
            (Text("本对照稿仅供审阅："), Marked("插入的文字", "ins"), Text("加下划线，"), Marked("删除的文字", "del"),
             Text("加删除线。签署以新版本的正式文本为准。")),
            indent=False,
            align="left",
        )
    )  # fmt: skip
    if comparison.same:
        blocks.append(Paragraph((Text("两个版本没有差异。"),), indent=False))
    sections = iter(range(1, 4))

    def heading(text: str) -> Heading:
        return Heading((Text(f"{to_chinese_number(next(sections))}、{text}"),), level=2)

    if comparison.fields:
        blocks.append(heading(f"字段变更（{len(comparison.fields)} 项）"))
        blocks += _field_items(comparison)
    if comparison.warnings:
        blocks.append(heading(f"警告变化（{len(comparison.warnings)} 项）"))
        for n, warning in enumerate(comparison.warnings, 1):
            word = "新增警告" if warning.change == "appeared" else "不再警告"
            d = warning.diagnostic
            blocks.append(Item(f"{n}.", (Bold((Text(f"{word}："),)), Text(f"{d.path}：{d.message}"))))
    if comparison.clauses:
        blocks.append(heading(f"条款变更（{len(comparison.clauses)} 处）"))
        blocks.append(Table((2, 6, 6, 19), _clause_rows(comparison.clauses)))
    return Part(CHANGES_PART, "sections", title, tuple(blocks))


def redline_document(comparison: Comparison) -> Document:
    """The change list, then the new contract with the old one's differences marked into it."""
    merged = merged_document(comparison.old.document, comparison.new.document, HtmlMarks())
    return Document(merged.title, merged.contract_no, (change_list(comparison), *merged.parts), merged.language)


def _stylesheet(comparison: Comparison) -> str:
    return comparison.new.folder.asset(PRINT_STYLESHEET).read_text(encoding="utf-8") + REDLINE_CSS


def redline_html(comparison: Comparison, *, fonts: FontSet | None = None) -> str:
    """The redline as one HTML file, its stylesheet inside."""
    from contractgen.writers.fonts import check_font_name
    from contractgen.writers.html import to_screen_html

    fonts = fonts or FontSet()
    serif, sans = check_font_name(fonts.serif), check_font_name(fonts.sans)
    families = f'html {{ font-family: "{serif}", serif; }}\nh1 {{ font-family: "{sans}", sans-serif; }}\n'
    html = to_screen_html(redline_document(comparison))
    style = f"<style>{_stylesheet(comparison)}{families}{SCREEN_CSS}</style>"
    return html.replace("</head>", f"{style}</head>", 1)


def redline_pdf(comparison: Comparison, *, fonts: FontSet | None = None) -> bytes:
    """The redline as a PDF, laid out as the contract's PDF is, the redline's rules after the print stylesheet."""
    from contractgen.writers.fonts import resolve
    from contractgen.writers.pdf import lay_out_pdf

    fonts = fonts or FontSet()
    folder = comparison.new.folder
    with tempfile.TemporaryDirectory(prefix="contractgen-redline-") as scratch:
        stylesheet = Path(scratch) / PRINT_STYLESHEET
        stylesheet.write_text(_stylesheet(comparison), encoding="utf-8")
        laid_out = lay_out_pdf(
            redline_document(comparison),
            stylesheet=stylesheet,
            asset_roots=(Path(scratch), *folder.asset_roots),
            fonts=resolve(fonts),
            when=document_date(comparison.new.contract),
        )
    return laid_out.data
