"""HTML writer: the document tree as one HTML document for the print stylesheet (``templates/zh/print.css``).

Every character of text is HTML-escaped; spec values appear only as text content, never in an attribute, a
style or a URL (the few attributes written here are fixed class names and numbers taken from the templates'
markup, already validated by :mod:`contractgen.document.compose`). The page furniture — 合同编号 in the header, 第 X 页
共 Y 页 in the footer — comes from the stylesheet; the contract number reaches the header as a running
element's text.

This module must not change wording, fetch anything, or import WeasyPrint.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from contractgen.document.tree import (
    BOX_CHAR,
    Blank,
    Block,
    Bold,
    Box,
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
    Part,
    Row,
    SealSpot,
    Signature,
    Spacer,
    Subtitle,
    Table,
    Text,
    Title,
    Underline,
)
from contractgen.writers.labels import TEXT_WIDTH_PT, label_width_em, long_words, runs_width_em

__all__ = ["SPOT_ID", "to_html", "to_screen_html"]

# What a line of each kind of box holds, from the sizes print.css sets: body 12 pt, titles 22 and 18 pt,
# tables 10.5 pt inside 3 pt of padding either side and a 0.5 pt rule, the signature columns 12 pt apart.
BODY_PT = 12.0
TABLE_PT = 10.5
TITLE_PT = {1: 22.0, 2: 18.0}
CELL_PADDING_PT = 2 * 3 + 0.5
SIGNATURE_PADDING_PT = 12.0
LINE_EM = TEXT_WIDTH_PT / BODY_PT
INDENT_EM = 2.0  # p.body's first-line indent


def _text(text: str) -> str:
    return escape(text, quote=True)


def _words(text: str, room: float) -> str:
    """``text`` escaped, every word that may be longer than ``room`` em in a ``long-word`` span.

    Such a word is broken between two characters where the line ends (overflow-wrap in print.css), and the
    span gives it one shaping on every line (see ``.long-word`` there). The punctuation that cannot be parted
    from it goes in the span too: WeasyPrint breaks a word only in its first text box on a line, so a word
    after an opening bracket outside the span would not break at all, and a closing one after the span could
    neither follow the word's full last line nor start the next.
    """
    out: list[str] = []
    end = 0
    for start, stop in long_words(text, room):
        out.append(_text(text[end:start]))
        out.append(f'<span class="long-word">{_text(text[start:stop])}</span>')
        end = stop
    out.append(_text(text[end:]))
    return "".join(out)


def _nobr(runs: tuple[Inline, ...], room: float, underline: bool) -> str:
    """A ``<nobr>``: kept on one line when it can be; ``room`` is its box's width in em.

    An item that may be longer than its box (a contract number, an e-mail address or a bank account at the
    schema's maximum length in a table column) cannot stay on one line: it would run out of the page. It is
    written ``nobr long`` — an inline block as wide as the box at most (print.css), which stays whole on a
    line when it fits there and otherwise starts a line of its own and breaks inside the box. The width is
    an upper bound, so an item that fits is at worst made ``long`` needlessly, which changes nothing on the
    page. Text decorations do not reach into an inline block: an underline is repeated inside it.
    """
    inner = _runs(runs, room, underline)
    if runs_width_em(runs) <= room:
        return f'<span class="nobr">{inner}</span>'
    if underline:
        inner = f"<u>{inner}</u>"
    return f'<span class="nobr long">{inner}</span>'


#: The elements a run of text may ask to be wrapped in, by an ``element`` of its own: a redline's insertions and
#: deletions (:mod:`contractgen.comparison.redline_html`). A fixed set, so no other markup can come from a run.
MARK_ELEMENTS = frozenset({"ins", "del"})


def _marked(run: Text, html: str) -> str:
    element = getattr(run, "element", None)
    return f"<{element}>{html}</{element}>" if element in MARK_ELEMENTS else html


def _runs(runs: tuple[Inline, ...], room: float, underline: bool = False) -> str:
    """The HTML of ``runs`` in a box ``room`` em wide (what a line of the box holds)."""
    out: list[str] = []
    for run in runs:
        if isinstance(run, Text):
            out.append(_marked(run, _words(run.text, room)))
        elif isinstance(run, Bold):
            out.append(f"<b>{_runs(run.children, room, underline)}</b>")
        elif isinstance(run, Underline):
            out.append(f"<u>{_runs(run.children, room, True)}</u>")
        elif isinstance(run, NoBreak):
            out.append(_nobr(run.children, room, underline))
        elif isinstance(run, Blank):
            out.append(f'<span class="blank" style="width: {int(run.width)}em"></span>')
        elif isinstance(run, Box):
            out.append(f'<span class="box">{BOX_CHAR}</span>')
        elif isinstance(run, LineBreak):
            out.append("<br/>")
    return "".join(out)


# The last two ideographs of a paragraph or table cell and the punctuation after them, kept on one line: a
# paragraph never ends on a line holding a single character (孤字, "务。" alone), which Chinese typesetting
# avoids. WeasyPrint already keeps closing punctuation with the character before it; a WORD JOINER (U+2060)
# binds one more character. A joiner, not a no-break span: a span per paragraph and cell costs a tenth of the
# render time, the joiner nothing, and it leaves no trace in the PDF's text. PDF only: Word and LibreOffice
# break lines themselves, and joiners in the DOCX would defeat Word's Find.
_LAST_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2}[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20”’）》」』]*$")


def _runs_no_lone_character(runs: tuple[Inline, ...], room: float) -> str:
    """``_runs`` of a paragraph's or a cell's text, its last two ideographs joined (when it ends in text)."""
    if not runs or type(runs[-1]) is not Text:  # marked text (a redline's) is written as _runs writes it
        return _runs(runs, room)
    text = runs[-1].text
    tail = _LAST_WORD.search(text)
    if tail is None:
        return _runs(runs, room)
    last = tail.group()
    return _runs(runs[:-1], room) + _words(text[: tail.start()] + last[0] + "\u2060" + last[1:], room)


def _row(row: Row, rooms: list[float]) -> str:
    empty = all(not cell.runs for cell in row.cells)
    cells: list[str] = []
    for cell, room in zip(row.cells, rooms, strict=True):
        tag = "th" if cell.header else "td"
        align = f' class="{cell.align}"' if cell.align else ""
        cells.append(f"<{tag}{align}>{_runs_no_lone_character(cell.runs, room)}</{tag}>")
    opening = '<tr class="empty">' if empty else "<tr>"
    return f"{opening}{''.join(cells)}</tr>"


def _table(table: Table) -> str:
    total = sum(table.widths)
    cols = "".join(f'<col style="width: {100 * w / total:.3f}%"/>' for w in table.widths)
    rooms = [(TEXT_WIDTH_PT * w / total - CELL_PADDING_PT) / TABLE_PT for w in table.widths]
    head = "".join(_row(row, rooms) for row in table.rows if row.header)
    body = "".join(_row(row, rooms) for row in table.rows if not row.header)
    thead = f"<thead>{head}</thead>" if head else ""
    return f'<table class="grid"><colgroup>{cols}</colgroup>{thead}<tbody>{body}</tbody></table>'


#: The ids that tell the layout whether a signature block was pushed to a page of its own: the end of the text
#: before it, and the block itself (:func:`contractgen.writers.pdf.lay_out_pdf`).
TEXT_END_ID, SIGNING_ID = "cg-text-end", "cg-signing"


def _mark_text_end(out: list[str]) -> None:
    # The anchor goes inside the last block with text before the signature block (spacers are not text), at its
    # end: the page it lands on is the page where the agreed text ends.
    for n in range(len(out) - 1, -1, -1):
        if not out[n].startswith(('<div class="spacer"', '<div class="pagebreak"')):
            cut = out[n].rindex("</")
            out[n] = f'{out[n][:cut]}<span id="{TEXT_END_ID}"></span>{out[n][cut:]}'
            return


def _signature(signature: Signature) -> str:
    # One row per line, so the two parties' lines (盖章, 签字, 日期) stand level with each other.
    width = 100 / len(signature.sides)
    cols = "".join(f'<col style="width: {width:.3f}%"/>' for _ in signature.sides)
    room = (TEXT_WIDTH_PT / len(signature.sides) - SIGNATURE_PADDING_PT) / BODY_PT
    rows: list[str] = []
    for n in range(max(len(side.lines) for side in signature.sides)):
        cells = "".join(_signature_cell(side.lines[n] if n < len(side.lines) else (), room) for side in signature.sides)
        rows.append(f"<tr>{cells}</tr>")
    anchor = f' id="{SIGNING_ID}"' if signature.page_note else ""
    return f'<table class="signature"{anchor}><colgroup>{cols}</colgroup>{"".join(rows)}</table>'


def _signature_cell(line: tuple[Inline, ...] | SealSpot, room: float) -> str:
    if not isinstance(line, SealSpot):
        return f"<td>{_runs(line, room)}</td>"
    # The spot's id is numbered in document order by to_html (SPOT_ID); its box is the reserved square.
    width, height = line.size_mm
    size = f"width: {width}mm; height: {height}mm"
    spot_id = f"cg-{line.kind}-{line.party}-{_SPOT_NUMBER}"
    return f'<td class="spot"><div class="seal-spot" id="{spot_id}" style="{size}"></div></td>'


def _blocks(blocks: tuple[Block, ...]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            kind = "title" if block.level == 1 else "annex-title"
            room = TEXT_WIDTH_PT / TITLE_PT[1 if block.level == 1 else 2]
            out.append(f'<h1 class="{kind}">{_runs(block.runs, room)}</h1>')
        elif isinstance(block, Subtitle):
            out.append(f'<p class="subtitle">{_runs(block.runs, LINE_EM)}</p>')
        elif isinstance(block, Paragraph):
            classes = ["body"] + ([] if block.indent else ["noindent"]) + [block.align]
            room = LINE_EM - INDENT_EM if block.indent else LINE_EM
            out.append(f'<p class="{" ".join(classes)}">{_runs_no_lone_character(block.runs, room)}</p>')
        elif isinstance(block, Heading):
            tag = "h2" if block.level == 1 else "h3"
            out.append(f"<{tag}>{_runs(block.runs, LINE_EM)}</{tag}>")
        elif isinstance(block, Clause):
            num = f'<span class="num">{_text(block.num)}</span>'
            runs = _runs_no_lone_character(block.runs, LINE_EM - INDENT_EM)
            out.append(f'<p class="body clause">{num} {runs}</p>')
        elif isinstance(block, Item):
            label = label_width_em(block.label)
            style = f"padding-left: {2 + label:.1f}em; text-indent: -{label:.1f}em"
            out.append(
                f'<p class="item" style="{style}"><span class="label" style="width: {label:.1f}em">'
                f"{_text(block.label)}</span>{_runs_no_lone_character(block.runs, LINE_EM - 2 - label)}</p>"
            )
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Signature):
            if block.page_note:
                _mark_text_end(out)
            if block.own_page:
                out.append(f'<p class="body noindent signing-note">{_runs(block.page_note, LINE_EM)}</p>')
            out.append(_signature(block))
        elif isinstance(block, Keep):
            out.append(f'<div class="keep">{_blocks(block.blocks)}</div>')
        elif isinstance(block, PageBreak):
            out.append('<div class="pagebreak"></div>')
        elif isinstance(block, Spacer):
            out.append('<div class="spacer"></div>')
    return "".join(out)


def _part(part: Part) -> str:
    standalone = " standalone" if part.standalone else ""  # print.css: a page without header and footer
    return f'<section class="part {part.kind}{standalone}">{_blocks(part.blocks)}</section>'


#: Where a seal spot's number goes in its id, filled in document order by :func:`_number_spots`.
_SPOT_NUMBER = "\x00"
#: A seal spot's element id: ``cg-seal-a-1`` (kind, party, its number in the document).
SPOT_ID = re.compile(r"cg-(seal|signature)-([a-z])-([0-9]+)")


def _number_spots(html: str, first: int = 1) -> str:
    count = iter(range(first, first + len(html) + 1))
    return re.sub(_SPOT_NUMBER, lambda _: str(next(count)), html)


#: The 骑缝章 strip's element id: fixed, so WeasyPrint repeats it (and its box) on every page.
CROSS_PAGE_SEAL_ID = "cg-cross-page-seal"


#: The class of the block that holds a later run of parts' lead page (:func:`to_html` ``lead_page``).
LEAD_PAGE_CLASS = "cg-lead-page"


def to_html(
    document: Document,
    *,
    dated: datetime | None = None,
    cross_page_seal_mm: int | None = None,
    lead_page: bool = False,
    first_spot: int = 1,
) -> str:
    """The whole document as an HTML string (UTF-8, ``lang`` set for the CJK faces' Chinese glyphs).

    The string is also well-formed XML (void elements closed, only XML's own entities), so the PDF writer can
    read it with a plain XML parser instead of an HTML5 one.

    ``dated`` becomes the PDF's creation and modification date (WeasyPrint reads the ``dcterms`` metadata).
    ``cross_page_seal_mm`` (the seal's size) keeps a 骑缝章 strip free at every page's right edge: half the seal
    wide, the seal high, vertically centred (print.css ``.cross-page-seal``).

    ``lead_page`` starts the body with a page that is laid out and thrown away (:mod:`contractgen.writers.pdf_parts`):
    the parts of a later run then start on a page after a break, as they do in the whole document, the first
    page's rules (``@page :first``) apply to that lead page only, and the header's running element is set
    there, on a page before theirs. ``first_spot`` numbers the seal spots from a later run's first one.
    """
    parts = _number_spots("".join(_part(part) for part in document.parts), first_spot)
    meta = '<meta name="generator" content="contractgen"/>'
    if dated is not None:
        stamp = dated.strftime("%Y-%m-%dT%H:%M:%SZ")
        meta += f'<meta name="dcterms.created" content="{stamp}"/>'
        meta += f'<meta name="dcterms.modified" content="{stamp}"/>'
    return (
        f'<!DOCTYPE html><html lang="{_text(document.language)}"><head><meta charset="utf-8"/>{meta}'
        f"<title>{_text(document.title)}</title></head><body>"
        f'<div class="running-contract-no">{_text(document.contract_no)}</div>'
        f"{_cross_page_seal(cross_page_seal_mm)}{_lead_page(lead_page)}{parts}</body></html>"
    )


def _lead_page(lead: bool) -> str:
    # An empty block in flow: the first part's break-before: page then starts a new page after it.
    return f'<div class="{LEAD_PAGE_CLASS}"></div>' if lead else ""


def _cross_page_seal(mm: int | None) -> str:
    if mm is None:
        return ""
    size = f"width: {mm / 2:g}mm; height: {mm}mm; margin-top: -{mm / 2:g}mm"
    return f'<div class="cross-page-seal" id="{CROSS_PAGE_SEAL_ID}" style="{size}"></div>'


def to_screen_html(document: Document) -> str:
    """The document for a screen (``contractgen serve``'s preview): :func:`to_html` without the WORD JOINERs
    (U+2060) that only steer the PDF's line breaking — a screen must hold no character a reader cannot see."""
    return to_html(document).replace("\u2060", "")
