"""The document tree: what a contract is made of, independent of any file format.

:mod:`contractgen.document.compose` builds this tree from the wording templates; the writers
(:mod:`contractgen.writers.docx`, :mod:`contractgen.writers.html`) turn the same tree into DOCX and PDF, so
the two formats cannot say different things. Every node is a frozen dataclass holding plain text and other
nodes.

Text in the tree is final: spec values have been escaped and parsed as text, never as markup. This module
defines shapes and the tree's own text (for the parity test and for fonts' coverage checks); it must not know
about templates, files or formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

__all__ = [
    "Align",
    "Blank",
    "Block",
    "Bold",
    "Box",
    "Cell",
    "Clause",
    "Document",
    "Heading",
    "Inline",
    "Item",
    "Keep",
    "LineBreak",
    "NoBreak",
    "PageBreak",
    "Paragraph",
    "Part",
    "PartKind",
    "Row",
    "SealSpot",
    "Signature",
    "SignatureSide",
    "Spacer",
    "Subtitle",
    "Table",
    "Text",
    "Title",
    "Underline",
    "inline_text",
    "iter_blocks",
]

Align = Literal["left", "center", "right", "justify"]
PartKind = Literal["contract", "sections", "annex"]

#: The character a check box (``<box/>``) is drawn with. ☐ (U+2610) is not in the Noto CJK faces; □ is.
BOX_CHAR = "□"


# --- inline runs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Bold:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Underline:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class NoBreak:
    """Never broken across lines: amounts, contract numbers, dates."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Blank:
    """A ruled line to fill in by hand, ``width`` characters wide."""

    width: int


@dataclass(frozen=True)
class Box:
    """A check box (☐) to tick by hand."""


@dataclass(frozen=True)
class LineBreak:
    """A line break the template chooses (``<br/>``): a table header broken between words, never inside one."""


Inline: TypeAlias = Text | Bold | Underline | NoBreak | Blank | Box | LineBreak


# --- blocks -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """The document title (level 1) or an annex's heading 附件X：… (level 2)."""

    runs: tuple[Inline, ...]
    level: int = 1


@dataclass(frozen=True)
class Subtitle:
    runs: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Inline, ...]
    indent: bool = True  # first line indented two characters
    align: Align = "justify"


@dataclass(frozen=True)
class Heading:
    """An article heading (第一条 …, level 1) or a section heading inside a part (一、…, level 2)."""

    runs: tuple[Inline, ...]
    level: int = 1


@dataclass(frozen=True)
class Clause:
    """A numbered clause: ``num`` (``1.1``) printed before the text."""

    num: str
    runs: tuple[Inline, ...]
    #: The ids of the parts this clause makes parts of the contract (an incorporation clause: ``7.3``), so the
    #: structure check can hold every annex after the signature block to one that the signed text names.
    incorporates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A list item with a hanging ``label`` (``（1）``)."""

    label: str
    runs: tuple[Inline, ...]


@dataclass(frozen=True)
class Cell:
    runs: tuple[Inline, ...]
    header: bool = False  # <th>
    align: Align | None = None


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    header: bool = False  # repeated at the top of every page the table runs onto


@dataclass(frozen=True)
class Table:
    widths: tuple[int, ...]  # relative column widths, one per column
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SealSpot:
    """Room reserved in a signature block for a party's seal (``kind="seal"``: a square ``mm`` millimetres wide)
    or hand signature (``kind="signature"``: ``mm`` wide and :data:`SIGNATURE_HEIGHT_MM` high, room for a
    signature and a fingerprint beside it) that no text, rule or border enters. ``party`` names whose it is
    (``a``, ``b`` …)."""

    party: str
    kind: Literal["seal", "signature"]
    mm: int

    @property
    def size_mm(self) -> tuple[int, int]:
        """Width and height in millimetres."""
        return (self.mm, self.mm) if self.kind == "seal" else (self.mm, SIGNATURE_HEIGHT_MM)


#: A hand signature's room is this high whatever its width: a signature line and a fingerprint (捺印) beside it.
SIGNATURE_HEIGHT_MM = 20


@dataclass(frozen=True)
class SignatureSide:
    lines: tuple[tuple[Inline, ...] | SealSpot, ...]

    @property
    def text_lines(self) -> tuple[tuple[Inline, ...], ...]:
        """The side's lines of text, its seal spots left out."""
        return tuple(line for line in self.lines if not isinstance(line, SealSpot))


@dataclass(frozen=True)
class Signature:
    """A signature block, one side per party. ``page_note`` is the line its page carries when the block has to go
    to a page of its own (``（本页无正文，为《客户服务管理合同》之签署页）``, from the template); ``own_page`` says
    the layout found it must (:func:`contractgen.writers.pdf.lay_out_pdf`), and then every writer puts the note at
    the top of a new page and the block under it."""

    sides: tuple[SignatureSide, ...]
    page_note: tuple[Inline, ...] = ()
    own_page: bool = False


@dataclass(frozen=True)
class Keep:
    """Blocks kept together on one page (the last clause and the signature block)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Spacer:
    """One blank line."""


Block: TypeAlias = (
    Title | Subtitle | Paragraph | Heading | Clause | Item | Table | Signature | Keep | PageBreak | Spacer
)


@dataclass(frozen=True)
class Part:
    """One part of the document: the contract, a further part of its text, or an annex. Each starts a new page."""

    id: str
    kind: PartKind
    title: str  # the annex title from parts.yaml; the document title for the other parts
    blocks: tuple[Block, ...]
    number: int | None = None  # annexes: 1, 2, …
    number_cn: str | None = None  # annexes: 一, 二, …
    standalone: bool = False  # a form handed out on its own: printed without the contract's header and footer


@dataclass(frozen=True)
class Document:
    title: str
    contract_no: str
    parts: tuple[Part, ...]
    language: str = "zh-CN"

    def only(self, part_id: str) -> Document:
        """This document reduced to one part (for ``--split``)."""
        return Document(self.title, self.contract_no, tuple(p for p in self.parts if p.id == part_id), self.language)

    def with_signing_page(self) -> Document:
        """This document with its signature block (the one carrying a page note) on a page of its own."""
        return replace(self, parts=tuple(replace(p, blocks=_signing_page(p.blocks)) for p in self.parts))


def _signing_page(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Keep):
            out.append(Keep(_signing_page(block.blocks)))
        elif isinstance(block, Signature) and block.page_note:
            out.append(replace(block, own_page=True))
        else:
            out.append(block)
    return tuple(out)


# --- reading the tree back --------------------------------------------------------------------------------


def inline_text(runs: tuple[Inline, ...]) -> str:
    """The characters a reader sees in ``runs`` (blanks as nothing, boxes as □)."""
    out: list[str] = []
    for run in runs:
        if isinstance(run, Text):
            out.append(run.text)
        elif isinstance(run, Bold | Underline | NoBreak):
            out.append(inline_text(run.children))
        elif isinstance(run, Box):
            out.append(BOX_CHAR)
        elif isinstance(run, LineBreak):
            out.append("\n")
    return "".join(out)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, descending into ``<keep>``."""
    for block in blocks:
        if isinstance(block, Keep):
            yield from iter_blocks(block.blocks)
        else:
            yield block


def block_texts(block: Block) -> Iterator[str]:
    """The visible text of one block, one string per line of the source (paragraph, cell, signature line)."""
    if isinstance(block, Title | Subtitle | Paragraph | Heading):
        yield inline_text(block.runs)
    elif isinstance(block, Clause):
        yield f"{block.num} {inline_text(block.runs)}"
    elif isinstance(block, Item):
        yield f"{block.label}{inline_text(block.runs)}"
    elif isinstance(block, Table):
        for row in block.rows:
            for cell in row.cells:
                yield inline_text(cell.runs)
    elif isinstance(block, Signature):  # row by row, as the parties' lines stand level on the page
        if block.own_page:
            yield inline_text(block.page_note)
        for n in range(max((len(side.lines) for side in block.sides), default=0)):
            for side in block.sides:
                line = side.lines[n] if n < len(side.lines) else ()
                yield "" if isinstance(line, SealSpot) else inline_text(line)
    elif isinstance(block, Keep):
        for inner in block.blocks:
            yield from block_texts(inner)


def signature_follows(blocks: tuple[Block, ...], at: int) -> bool:
    """Whether, after ``blocks[at]`` and blank lines only, comes a signature block that shares its page."""
    for block in blocks[at + 1 :]:
        if isinstance(block, Signature):
            return bool(block.page_note) and not block.own_page
        if not isinstance(block, Spacer | PageBreak):
            return False
    return False


def seal_spots(document: Document) -> list[tuple[SealSpot, str]]:
    """Every seal spot of ``document`` in document order, with the text of the line above it in its side (the
    keyword an e-signing platform searches for: 甲方（盖章）), its closing colon left out."""
    out: list[tuple[SealSpot, str]] = []
    for part in document.parts:
        for block in iter_blocks(part.blocks):
            if not isinstance(block, Signature):
                continue
            for n in range(max((len(side.lines) for side in block.sides), default=0)):
                for side in block.sides:
                    line = side.lines[n] if n < len(side.lines) else ()
                    if isinstance(line, SealSpot):
                        above = [inline_text(x) for x in side.lines[:n] if not isinstance(x, SealSpot)]
                        out.append((line, next((t for t in reversed(above) if t.strip()), "").rstrip("：:")))
    return out


def part_text(part: Part) -> str:
    """All visible text of a part, in reading order (tables row by row)."""
    return "\n".join(t for block in part.blocks for t in block_texts(block))
