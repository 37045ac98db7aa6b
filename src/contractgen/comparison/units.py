"""Units: a document part read as the things a reader compares — clauses, paragraphs, list items, table rows,
signature blocks — each with its text, its number, and where a reader finds it.

A clause's identity is its part and its number (``contract`` 4.2); everything else is known by its place in the
part. :func:`part_units` gives a part's units in reading order, each with the path to its block in the part's
tree (through ``<keep>``), so that the redline writers can put the marked text back where it stood. A table is one
unit whose rows are units of their own; a signature block is one unit, its lines joined row by row.

This module must not compare anything, and must not know any output format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from contractgen.document.tree import (
    Block,
    Clause,
    Heading,
    Item,
    Keep,
    Paragraph,
    Part,
    Row,
    SealSpot,
    Signature,
    Subtitle,
    Table,
    Title,
    inline_text,
)

__all__ = ["CONTRACT_HEAD", "SIGNATURE_PLACE", "Unit", "UnitKind", "part_label", "part_units", "row_text"]

UnitKind = Literal["clause", "title", "subtitle", "heading", "paragraph", "item", "table", "row", "signature"]

#: Where a reader finds what stands before the first article: the title, the parties, the recital.
CONTRACT_HEAD = "合同首部"
SIGNATURE_PLACE = "签署栏"
#: What a seal spot reads as in a signature block's text: room kept empty, never text a reader compares.
SEAL_TEXT = "［盖章处］"
CELL_SEPARATOR = " | "

_KIND_WORDS = {
    "title": "标题",
    "subtitle": "副标题",
    "heading": "标题",
    "paragraph": "段落",
    "item": "列项",
    "table": "表格",
    "row": "表格行",
    "signature": "签署栏",
}


@dataclass(frozen=True)
class Unit:
    """One thing a reader compares. ``label`` is a clause's number or an item's label (not part of ``text``);
    ``place`` is the coarse location a change list names (4.2, 附件八, 合同首部); ``where`` the exact one
    (附件八 表格2 第3行); ``path`` the indexes of its block through ``<keep>``, a row's index last."""

    part: str
    kind: UnitKind
    label: str
    text: str
    place: str
    where: str
    path: tuple[int, ...]
    block: Block | Row
    rows: tuple[Unit, ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        """The identity a change is reported under: ``contract/4.2`` for a clause, ``annex-08/row:2.3`` else."""
        if self.kind == "clause":
            return f"{self.part}/{self.label}"
        return f"{self.part}/{self.kind}:{'.'.join(str(n + 1) for n in self.path)}"

    @property
    def shown(self) -> str:
        """The unit's text as printed: its number or label before it."""
        if self.kind == "clause":
            return f"{self.label} {self.text}"
        return f"{self.label}{self.text}"


def part_label(part: Part) -> str:
    """How a reader names a part: 附件八 for an annex, its title for the others."""
    if part.kind == "annex" and part.number_cn:
        return f"附件{part.number_cn}"
    return part.title


def row_text(row: Row) -> str:
    return CELL_SEPARATOR.join(inline_text(cell.runs) for cell in row.cells)


def signature_text(block: Signature) -> str:
    """A signature block's text, row by row as its lines stand level on the page, sides apart by a full space."""
    lines = []
    for n in range(max((len(side.lines) for side in block.sides), default=0)):
        cells = []
        for side in block.sides:
            line = side.lines[n] if n < len(side.lines) else ()
            cells.append(SEAL_TEXT if isinstance(line, SealSpot) else inline_text(line))
        lines.append("\u3000".join(cells))
    return "\n".join(lines)


def _walk(blocks: tuple[Block, ...], path: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], Block]]:
    for n, block in enumerate(blocks):
        if isinstance(block, Keep):
            yield from _walk(block.blocks, (*path, n))
        else:
            yield (*path, n), block


class _Places:
    """Where the units of one part stand for a reader: in an annex, the annex; in the contract's text, the clause
    last seen (a list item under 1.1 belongs to 1.1), the article heading before its first clause, or the head."""

    def __init__(self, part: Part) -> None:
        self.annex = part_label(part) if part.kind == "annex" else None
        self.prefix = f"{self.annex} " if self.annex else ""
        self.current = CONTRACT_HEAD if part.kind == "contract" else part.title
        self.counts: dict[str, int] = {}

    def place(self, block: Block) -> str:
        if isinstance(block, Signature):
            return f"{self.annex}{SIGNATURE_PLACE}" if self.annex else SIGNATURE_PLACE
        if self.annex:
            return self.annex
        if isinstance(block, Heading) and block.level == 1:
            self.current = inline_text(block.runs)
        elif isinstance(block, Clause):
            self.current = block.num
        return self.current

    def where(self, kind: UnitKind, block: Block, place: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if isinstance(block, Clause):
            return f"{self.prefix}{block.num}" if self.annex else block.num
        if isinstance(block, Signature):
            return place
        base = self.annex or place
        return f"{base} {_KIND_WORDS[kind]}{self.counts[kind]}"


def part_units(part: Part) -> list[Unit]:
    """The units of ``part`` in reading order (spacers and page breaks have no text and are not units)."""
    places = _Places(part)
    units: list[Unit] = []
    for path, block in _walk(part.blocks, ()):
        kind, label, text = _read(block)
        if kind is None:
            continue
        place = places.place(block)
        where = places.where(kind, block, place)
        rows: tuple[Unit, ...] = ()
        if isinstance(block, Table):
            rows = tuple(
                Unit(part.id, "row", "", row_text(row), place, f"{where} 第{n + 1}行", (*path, n), row)
                for n, row in enumerate(block.rows)
            )
        units.append(Unit(part.id, kind, label, text, place, where, path, block, rows))
    return units


def _read(block: Block) -> tuple[UnitKind | None, str, str]:
    if isinstance(block, Clause):
        return "clause", block.num, inline_text(block.runs)
    if isinstance(block, Item):
        return "item", block.label, inline_text(block.runs)
    if isinstance(block, Title):
        return "title", "", inline_text(block.runs)
    if isinstance(block, Subtitle):
        return "subtitle", "", inline_text(block.runs)
    if isinstance(block, Heading):
        return "heading", "", inline_text(block.runs)
    if isinstance(block, Paragraph):
        return "paragraph", "", inline_text(block.runs)
    if isinstance(block, Table):
        return "table", "", "\n".join(row_text(row) for row in block.rows)
    if isinstance(block, Signature):
        note = inline_text(block.page_note) + "\n" if block.own_page else ""
        return "signature", "", note + signature_text(block)
    return None, "", ""
