"""DOCX writer: the document tree written into the Word house template.

docxtpl fills the house template's own placeholders (the header's ``{{ contract_no }}``) with the sandboxed,
autoescaping environment; then the tree is appended to its empty body as WordprocessingML built here, using
the template's styles (see ``tools/make_house_template.py``): each part starts a new page, headings and
``<keep>`` blocks are kept with what follows, table header rows repeat and rows never split; ``<nobr>`` text keeps
its spaces unbreakable (U+00A0) and is otherwise written as it reads — no invisible character ever enters the
file, so every amount, date and contract number can be found with Word's Find.

Text is only ever XML-escaped into ``w:t`` elements: a spec value can never become a run, a paragraph or a
field. The result is zipped reproducibly (dates from the spec) and every XML part is re-parsed strictly.

This module must not change wording, read the clock, or lay out pages (Word and LibreOffice do that).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from contractgen.document.tree import (
    BOX_CHAR,
    Blank,
    Block,
    Bold,
    Box,
    Cell,
    Clause,
    Document,
    Heading,
    Inline,
    Item,
    Keep,
    LineBreak,
    NoBreak,
    PageBreak,
    Paragraph,
    Row,
    SealSpot,
    Signature,
    Spacer,
    Subtitle,
    Table,
    Text,
    Title,
    Underline,
    signature_follows,
)
from contractgen.errors import RenderError, TemplateError
from contractgen.writers.docx_sections import finish_sections, section_end, section_flags
from contractgen.writers.fonts import DEFAULT_SANS, DEFAULT_SERIF, FontSet
from contractgen.writers.labels import has_long_word, label_width_em, runs_width_em
from contractgen.writers.ooxml import check_xml_parts, normalise_zip

__all__ = ["TEXT_WIDTH_TWIPS", "body_xml", "write_docx"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: The text column of the house template's A4 page (11906 twips less 28 mm and 26 mm margins).
TEXT_WIDTH_TWIPS = 8845
CHAR_TWIPS = 240  # one 12 pt character
LINE_EM = TEXT_WIDTH_TWIPS / CHAR_TWIPS
TABLE_CHAR_TWIPS = 210  # TableText: 10.5 pt
CELL_MARGINS_TWIPS = 120  # the house table styles' cell margins, left and right
EMPTY_ROW_TWIPS = 480  # a row left blank to write in by hand: 24 pt

NO_BREAK_SPACE = "\u00a0"
IDEOGRAPHIC_SPACE = "\u3000"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


# --- runs -------------------------------------------------------------------------------------------------


def _t(text: str) -> str:
    if _CONTROL.search(text):
        raise RenderError(f"文字中含有控制字符，无法写入 DOCX：{text[:30]!r}")
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def _unbreakable(text: str) -> str:
    """The content of a ``w:r`` for text that should stay on one line, with Word's own means only.

    Word's one means is the no-break space: spaces become U+00A0. It has none for CJK text (it breaks between any
    two ideographs) that leaves the text as written: word joiners (U+2060) made 人民币叁拾陆万元整 and every date
    unfindable with Word's Find, travelled with copied text, and made LibreOffice stretch lines letter by letter;
    ``w:noBreakHyphen`` turns KF-2026-0001 into U+2011 in LibreOffice's text. The DOCX is the copy people edit,
    so there Word breaks the line where it must; the PDF keeps each ``<nobr>`` whole.
    """
    return _t(text.replace(" ", NO_BREAK_SPACE))


def _rpr(bold: bool, underline: bool) -> str:
    inner = ("<w:b/><w:bCs/>" if bold else "") + ('<w:u w:val="single"/>' if underline else "")
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


def _pieces(runs: tuple[Inline, ...], bold: bool, underline: bool) -> Iterator[tuple[str, bool, bool]]:
    """The text of ``runs`` as (text, bold, underline) pieces: a blank is underlined spaces, a box its character."""
    for run in runs:
        if isinstance(run, Text):
            yield run.text, bold, underline
        elif isinstance(run, Bold):
            yield from _pieces(run.children, True, underline)
        elif isinstance(run, Underline | NoBreak):
            yield from _pieces(run.children, bold, underline or isinstance(run, Underline))
        elif isinstance(run, Blank):
            yield IDEOGRAPHIC_SPACE * run.width, bold, True
        elif isinstance(run, Box):
            yield BOX_CHAR, bold, underline


def _nobr_runs(runs: tuple[Inline, ...], bold: bool, underline: bool) -> str:
    """The runs of one ``<nobr>``, pieces with the same formatting merged into one run (Word and LibreOffice may
    break between two runs as between two characters: ☐ | 其他)."""
    merged: list[tuple[str, bool, bool]] = []
    for text, b, u in _pieces(runs, bold, underline):
        if merged and merged[-1][1:] == (b, u):
            merged[-1] = (merged[-1][0] + text, b, u)
        elif text:
            merged.append((text, b, u))
    return "".join(f"<w:r>{_rpr(b, u)}{_unbreakable(text)}</w:r>" for text, b, u in merged)


def _runs(runs: tuple[Inline, ...], bold: bool = False, underline: bool = False, room: float = math.inf) -> str:
    """The runs of ``runs`` in a box ``room`` em wide; a ``<nobr>`` that may be longer is plain text, which Word and
    LibreOffice break like other text, as the PDF its ``nobr long`` (joined, it would be broken all the same,
    wherever the line ended: LibreOffice left its first character alone on a line)."""
    out: list[str] = []
    for run in runs:
        if isinstance(run, Text):
            out.append(f"<w:r>{_rpr(bold, underline)}{_t(run.text)}</w:r>")
        elif isinstance(run, Bold):
            out.append(_runs(run.children, True, underline, room))
        elif isinstance(run, Underline):
            out.append(_runs(run.children, bold, True, room))
        elif isinstance(run, NoBreak) and runs_width_em(run.children) > room:
            out.append(_runs(run.children, bold, underline, room))
        elif isinstance(run, NoBreak):
            out.append(_nobr_runs(run.children, bold, underline))
        elif isinstance(run, Blank):
            out.append(f"<w:r>{_rpr(bold, True)}{_t(IDEOGRAPHIC_SPACE * run.width)}</w:r>")
        elif isinstance(run, Box):
            out.append(f"<w:r>{_rpr(bold, underline)}{_t(BOX_CHAR)}</w:r>")
        elif isinstance(run, LineBreak):
            out.append("<w:r><w:br/></w:r>")
    return "".join(out)


# --- paragraphs -------------------------------------------------------------------------------------------


class _Flow:
    """Paragraph properties that depend on position: a page break before, keep-with-next inside <keep>."""

    def __init__(self) -> None:
        self.break_before = False
        self.keep = False

    def ppr(self, style: str, extra: str = "", *, jc: str | None = None, keep_next: bool = False) -> str:
        keep_next = keep_next or self.keep
        parts = [f'<w:pStyle w:val="{style}"/>']
        if keep_next:
            parts.append("<w:keepNext/>")
        if self.keep:
            parts.append("<w:keepLines/>")
        if self.break_before:
            parts.append("<w:pageBreakBefore/>")
            self.break_before = False
        parts.append(extra)
        if jc:
            parts.append(f'<w:jc w:val="{jc}"/>')
        return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _paragraph(flow: _Flow, style: str, content: str, extra: str = "", *, jc: str | None = None) -> str:
    return f"<w:p>{flow.ppr(style, extra, jc=jc)}{content}</w:p>"


def _justify(runs: tuple[Inline, ...], room: float) -> str | None:
    # Left, not the style's justified, when a word is longer than a line: it goes to a line of its own, and
    # justifying the short line left before it would spread its few characters across the page (电　子　邮　箱).
    return "left" if has_long_word(runs, room) else None


_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


def _item(flow: _Flow, item: Item) -> str:
    # Hanging indent: the label sits in the first two characters' indent plus its own width; a tab (the
    # hanging indent is an implicit tab stop) takes the text to where its following lines start.
    label = round(label_width_em(item.label) * CHAR_TWIPS)
    left = 2 * CHAR_TWIPS + label
    indent = f'<w:ind w:left="{left}" w:hanging="{label}"/>'
    room = LINE_EM - left / CHAR_TWIPS
    content = f"<w:r>{_t(item.label)}</w:r><w:r><w:tab/></w:r>{_runs(item.runs, room=room)}"
    return _paragraph(flow, "ListItem", content, indent, jc=_justify(item.runs, room))


def _grid(widths: tuple[int, ...], total: int = TEXT_WIDTH_TWIPS) -> list[int]:
    scale = sum(widths)
    cols = [total * w // scale for w in widths]
    cols[-1] += total - sum(cols)
    return cols


def _cell(flow: _Flow, cell: Cell, width: int) -> str:
    style = "TableHeading" if cell.header else "TableText"
    jc = _ALIGN[cell.align] if cell.align else None
    room = (width - CELL_MARGINS_TWIPS) / TABLE_CHAR_TWIPS
    paragraph = f"<w:p>{flow.ppr(style, jc=jc)}{_runs(cell.runs, room=room)}</w:p>"
    tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
    return f"<w:tc>{tcpr}{paragraph}</w:tc>"


def _row(flow: _Flow, row: Row, grid: list[int]) -> str:
    trpr = "<w:cantSplit/>"
    if row.header:
        trpr += "<w:tblHeader/>"
    elif all(not cell.runs for cell in row.cells):
        trpr += f'<w:trHeight w:val="{EMPTY_ROW_TWIPS}" w:hRule="atLeast"/>'
    cells = "".join(_cell(flow, cell, width) for cell, width in zip(row.cells, grid, strict=True))
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{cells}</w:tr>"


def _table(flow: _Flow, table: Table) -> str:
    # A page break cannot sit on a table: it goes on an empty paragraph before it.
    out = [f"<w:p>{flow.ppr('Normal')}</w:p>"] if flow.break_before else []
    grid = _grid(table.widths)
    tblpr = (
        '<w:tblPr><w:tblStyle w:val="ContractTable"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
    )
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    rows = "".join(_row(flow, row, grid) for row in table.rows)
    out.append(f"<w:tbl>{tblpr}<w:tblGrid>{cols}</w:tblGrid>{rows}</w:tbl>")
    return "".join(out)


def _signature(flow: _Flow, signature: Signature) -> str:
    # A borderless table, one row per line so the parties' lines stand level; every row is kept with the next.
    if signature.own_page:  # pushed past the text in the layout: a page of its own, its note first
        flow.break_before = True
        note = _runs(signature.page_note, room=LINE_EM)
        extra = '<w:spacing w:after="280"/>' + _NO_INDENT  # 14 pt, as print.css's p.signing-note (schema order)
        jc = _justify(signature.page_note, LINE_EM)
        out = [f"<w:p>{flow.ppr('BodyText', extra, jc=jc, keep_next=True)}{note}</w:p>"]
    else:
        out = [f"<w:p>{flow.ppr('Normal')}</w:p>"] if flow.break_before else []
    grid = _grid((1,) * len(signature.sides))
    rows: list[str] = []
    for n in range(max(len(side.lines) for side in signature.sides)):
        cells = []
        spots = [side.lines[n] for side in signature.sides if n < len(side.lines)]
        spot = max((s.size_mm[1] for s in spots if isinstance(s, SealSpot)), default=0)
        for side, width in zip(signature.sides, grid, strict=True):
            line = side.lines[n] if n < len(side.lines) else ()
            room = (width - CELL_MARGINS_TWIPS) / CHAR_TWIPS
            runs = "" if isinstance(line, SealSpot) else _runs(line, room=room)
            paragraph = f"<w:p>{flow.ppr('SignatureLine', keep_next=True)}{runs}</w:p>"
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paragraph}</w:tc>')
        # A seal spot's row is exactly its size (1 mm = 56.7 twips): an empty square nothing can grow into.
        height = f'<w:trHeight w:val="{round(spot * 1440 / 25.4)}" w:hRule="exact"/>' if spot else ""
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{height}</w:trPr>{''.join(cells)}</w:tr>")
    tblpr = (
        '<w:tblPr><w:tblStyle w:val="SignatureTable"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
    )
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    out.append(f"<w:tbl>{tblpr}<w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>")
    return "".join(out)


def _blocks(flow: _Flow, blocks: tuple[Block, ...]) -> Iterator[str]:
    for at, block in enumerate(blocks):
        if isinstance(block, Title):
            style = "Title" if block.level == 1 else "AnnexTitle"
            yield _paragraph(flow, style, _runs(block.runs))
        elif isinstance(block, Subtitle):
            yield _paragraph(flow, "Subtitle", _runs(block.runs, room=LINE_EM))
        elif isinstance(block, Paragraph):
            extra = "" if block.indent else _NO_INDENT
            room = LINE_EM - 2 if block.indent else LINE_EM
            jc = _justify(block.runs, room) if block.align == "justify" else _ALIGN[block.align]
            yield _paragraph(flow, "BodyText", _runs(block.runs, room=room), extra, jc=jc)
        elif isinstance(block, Heading):
            yield _paragraph(flow, "Heading1" if block.level == 1 else "Heading2", _runs(block.runs, room=LINE_EM))
        elif isinstance(block, Clause):
            num, room = f"<w:r>{_t(block.num + ' ')}</w:r>", LINE_EM - 2
            yield _paragraph(flow, "Clause", num + _runs(block.runs, room=room), jc=_justify(block.runs, room))
        elif isinstance(block, Item):
            yield _item(flow, block)
        elif isinstance(block, Table):
            yield _table(flow, block)
        elif isinstance(block, Signature):
            yield _signature(flow, block)
        elif isinstance(block, Keep):
            # Kept with a signature block sharing its page: Word must never leave the signatures alone on one.
            whole = signature_follows(blocks, at)
            outer = flow.keep
            flow.keep = True
            inner = list(_blocks(flow, block.blocks if whole else block.blocks[:-1]))
            flow.keep = outer
            yield from inner
            if not whole:
                yield from _blocks(flow, block.blocks[-1:])
        elif isinstance(block, PageBreak):
            flow.break_before = True
        elif isinstance(block, Spacer):
            yield f"<w:p>{flow.ppr('Normal', keep_next=signature_follows(blocks, at))}</w:p>"


def body_xml(document: Document) -> str:
    """The WordprocessingML of the document's body (without ``w:sectPr``), wrapped in one ``w:body``."""
    flow = _Flow()
    out: list[str] = []
    for n, part in enumerate(document.parts):
        flow.break_before = n > 0  # every part starts a new page
        if n > 0 and part.standalone != document.parts[n - 1].standalone:
            out.append(section_end())  # a section break starts the new page itself
            flow.break_before = False
        out.extend(_blocks(flow, part.blocks))
    return f'<w:body xmlns:w="{W_NS}">{"".join(out)}</w:body>'


# --- the package ------------------------------------------------------------------------------------------


def _apply_fonts(doc: Any, fonts: FontSet) -> None:
    """Put the configured families where the house template names the default ones."""
    if fonts.serif == DEFAULT_SERIF and fonts.sans == DEFAULT_SANS:
        return
    from docx.oxml.ns import qn

    swap = {DEFAULT_SERIF: fonts.serif, DEFAULT_SANS: fonts.sans}
    attributes = [qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")]
    for element in doc.styles.element.iter(qn("w:rFonts")):
        for attribute in attributes:
            value = element.get(attribute)
            if value in swap:
                element.set(attribute, swap[value])


def write_docx(
    document: Document,
    *,
    house: Path,
    context: Mapping[str, Any],
    when: datetime,
    fonts: FontSet | None = None,
) -> bytes:
    """The DOCX of ``document`` on the house template ``house``; ``when`` dates the file (from the spec)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaError

    from contractgen.document.templates import sandboxed_environment

    template = DocxTemplate(str(house))
    try:
        template.render(dict(context), jinja_env=sandboxed_environment(), autoescape=True)
    except (JinjaError, TemplateError) as error:
        raise TemplateError(f"{house}: Word 模板的占位符有误：{error}") from None
    doc = template.docx
    body = doc.element.body
    section = body.find(qn("w:sectPr"))
    for element in list(body):
        if element is not section:
            body.remove(element)
    try:
        new_body = parse_xml(body_xml(document))
    except Exception as error:  # lxml.etree.XMLSyntaxError: a bug here, never a user's text (it is escaped)
        raise RenderError(f"无法生成 DOCX 正文：{error}") from None
    for element in list(new_body):
        section.addprevious(element)
    finish_sections(doc, section_flags(document))
    _apply_fonts(doc, fonts or FontSet())

    properties = doc.core_properties
    properties.title = properties.subject = document.title
    properties.identifier = document.contract_no
    properties.language = document.language
    properties.author = properties.last_modified_by = "contractgen"
    properties.revision = 1
    properties.created = properties.modified = when

    buffer = io.BytesIO()
    template.save(buffer)
    data = normalise_zip(buffer.getvalue(), when)
    check_xml_parts(data)
    return data
