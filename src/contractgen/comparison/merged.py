"""The merged tree: the new version's document tree with the old version's text marked into it, for a redline.

Every part, block, row and line of the new tree stands where it stands; inside each unit the comparison paired
(:mod:`contractgen.comparison.clauses`), text both versions share keeps its formatting, inserted text is marked
inserted, and the old text that was deleted is put back, marked deleted, where it stood — inside the same bold
or no-break run. A unit only the old version has is put back whole, marked deleted, after the unit that preceded
it; a moved unit is struck out where it was and inserted where it is. So the merged tree read without its
deletions is the new document, and without its insertions the old one.

How a mark is made is the writer's: a :class:`Marks` turns marked text into inline runs (an HTML ``<ins>``, or
text the DOCX writer's revision pass recognises), and may add a mark for a whole paragraph or table row.

This module must not change a word of either version and must not know any file format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal, Protocol, cast

from contractgen.comparison.clauses import Pair, align, align_parts
from contractgen.comparison.tokens import Op, diff_text
from contractgen.comparison.units import Unit
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
    Paragraph,
    Part,
    Row,
    SealSpot,
    Signature,
    SignatureSide,
    Subtitle,
    Table,
    Text,
    Title,
    Underline,
    inline_text,
)

__all__ = ["Mark", "Marks", "merged_document"]

Mark = Literal["ins", "del"]
#: The blocks that are one run of text (a clause's number and an item's label apart).
TextBlock = Title | Subtitle | Paragraph | Heading | Clause | Item


class Marks(Protocol):
    """How one writer marks a redline's text."""

    def text(self, text: str, mark: Mark) -> Inline:
        """``text`` marked inserted or deleted."""

    def label(self, old: str, new: str) -> tuple[str, tuple[Inline, ...]]:
        """A clause number or list label that changed: the label to print, and runs to put before the text."""

    def whole(self, mark: Mark) -> tuple[Inline, ...]:
        """Runs to put first in a paragraph that is inserted or deleted whole (none where marked text says it)."""

    def row(self, mark: Mark) -> tuple[Inline, ...]:
        """Runs to put first in the first cell of a table row that is inserted or deleted whole."""

    def blank(self, blank: Blank, mark: Mark) -> tuple[Inline, ...]:
        """A ruled line to fill in by hand, inserted or deleted."""

    def number(self, num: str, mark: Mark) -> tuple[str, tuple[Inline, ...]]:
        """The number of a clause inserted or deleted whole: the number to print, runs to put before the text."""


#: A blank in the text the diff compares: one character per blank, its width in it (a private-use code point of
#: plane 15, which no template or spec can put there: the blank is a run, not text), so that a blank that comes
#: or goes, or changes its width, is an insertion or a deletion like any text.
_BLANK_BASE = 0xF0000


def _blank_char(blank: Blank) -> str:
    return chr(_BLANK_BASE + min(max(blank.width, 0), 0xFFFD))


def _compared_text(runs: tuple[Inline, ...]) -> str:
    """What the diff compares: the text a reader sees, each blank as one character of its own."""
    out: list[str] = []
    for run in runs:
        if isinstance(run, Blank):
            out.append(_blank_char(run))
        elif isinstance(run, Bold | Underline | NoBreak):
            out.append(_compared_text(run.children))
        else:
            out.append(inline_text((run,)))
    return "".join(out)


class _Cursor:
    """Where a walk over the new runs stands in the diff's operations (offsets in the new text)."""

    def __init__(self, ops: Sequence[Op], marks: Marks) -> None:
        self.ops = list(ops)
        self.at = 0
        self.offset = 0
        self.marks = marks
        self.made: dict[int, Mark] = {}  # id() of each marked run made: which mark it carries

    def mark(self, text: str, mark: Mark) -> Inline:
        run = self.marks.text(text, mark)
        self.made[id(run)] = mark
        return run

    def deletions(self) -> list[Inline]:
        out: list[Inline] = []
        while self.at < len(self.ops) and self.ops[self.at].op == "delete":
            text = ""
            for char in self.ops[self.at].text:
                if ord(char) < _BLANK_BASE:
                    text += char
                    continue
                out += [self.mark(text, "del")] if text else []
                out += self.marks.blank(Blank(ord(char) - _BLANK_BASE), "del")
                text = ""
            out += [self.mark(text, "del")] if text else []
            self.at += 1
        return out

    def no_break(self, children: tuple[Inline, ...]) -> list[Inline]:
        """A ``<nobr>`` (an amount, a date) that now holds its old text struck out before its new one, as two: each
        stays whole on a line, but the line may break between them."""
        groups: list[list[Inline]] = [[]]
        for n, child in enumerate(children):
            if n and self.made.get(id(children[n - 1])) == "del" and self.made.get(id(child)) == "ins":
                groups.append([])
            groups[-1].append(child)
        return [NoBreak(tuple(group)) for group in groups]

    def pieces(self, text: str, leaf: Inline) -> list[Inline]:
        """``text`` (the new text of ``leaf``) cut where the operations change, each piece kept or marked."""
        out: list[Inline] = []
        pos = 0
        while pos < len(text):
            out += self.deletions()
            op = self.ops[self.at]
            size = min(len(text) - pos, len(op.text) - self.offset)
            piece = text[pos : pos + size]
            if op.op == "equal":
                out.append(leaf if size == len(text) and not isinstance(leaf, Text) else Text(piece))
            elif isinstance(leaf, LineBreak):
                out.append(leaf)  # a break has no mark of its own; it stays
            elif isinstance(leaf, Blank):
                out += self.marks.blank(leaf, "ins")
            else:
                out.append(self.mark(piece, "ins"))
            pos += size
            self.offset += size
            if self.offset == len(op.text):
                self.at, self.offset = self.at + 1, 0
        return out


def _walk(runs: tuple[Inline, ...], cursor: _Cursor) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Text):
            out += cursor.pieces(run.text, run)
        elif isinstance(run, NoBreak):
            out += cursor.no_break(_walk(run.children, cursor))
        elif isinstance(run, Bold | Underline):
            out.append(type(run)(_walk(run.children, cursor)))
        elif isinstance(run, Box):
            out += cursor.pieces(BOX_CHAR, run)
        elif isinstance(run, LineBreak):
            out += cursor.pieces("\n", run)
        elif isinstance(run, Blank):
            out += cursor.pieces(_blank_char(run), run)
    return tuple(out)


def merge_runs(old: tuple[Inline, ...], new: tuple[Inline, ...], marks: Marks) -> tuple[Inline, ...]:
    """``new`` with what it gained over ``old`` marked inserted and what it lost put back, marked deleted."""
    ops = diff_text(_compared_text(old), _compared_text(new))
    if all(op.op == "equal" for op in ops):
        return new
    cursor = _Cursor(ops, marks)
    return (*_walk(new, cursor), *cursor.deletions())


def mark_runs(runs: tuple[Inline, ...], mark: Mark, marks: Marks) -> tuple[Inline, ...]:
    """``runs`` marked inserted or deleted throughout (a box as its character, blanks and breaks as they are)."""
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Text):
            out.append(marks.text(run.text, mark) if run.text else run)
        elif isinstance(run, Bold | Underline | NoBreak):
            out.append(type(run)(mark_runs(run.children, mark, marks)))
        elif isinstance(run, Box):
            out.append(marks.text(BOX_CHAR, mark))
        elif isinstance(run, Blank):
            out += marks.blank(run, mark)
        else:
            out.append(run)
    return tuple(out)


def _whole_line(line: tuple[Inline, ...] | SealSpot, mark: Mark, marks: Marks) -> tuple[Inline, ...] | SealSpot:
    """A signature line inserted or deleted whole: the block is a table, a row per line, so its row goes too."""
    return line if isinstance(line, SealSpot) else marks.row(mark) + mark_runs(line, mark, marks)


def _row_whole(row: Row, mark: Mark, marks: Marks) -> Row:
    cells = [replace(cell, runs=mark_runs(cell.runs, mark, marks)) for cell in row.cells]
    if cells:
        cells[0] = replace(cells[0], runs=marks.row(mark) + cells[0].runs)
    return replace(row, cells=tuple(cells))


def whole_block(block: Block, mark: Mark, marks: Marks) -> Block:
    """``block`` inserted or deleted whole."""
    if isinstance(block, Table):
        return replace(block, rows=tuple(_row_whole(row, mark, marks) for row in block.rows))
    if isinstance(block, Signature):
        sides = tuple(SignatureSide(tuple(_whole_line(x, mark, marks) for x in s.lines)) for s in block.sides)
        return replace(block, sides=sides, page_note=mark_runs(block.page_note, mark, marks))
    if isinstance(block, Keep):
        return Keep(tuple(whole_block(inner, mark, marks) for inner in block.blocks))
    if not isinstance(block, TextBlock):
        return block  # a spacer or a page break: nothing to read
    if isinstance(block, Clause):
        num, before = marks.number(block.num, mark)
        return replace(block, num=num, runs=marks.whole(mark) + before + mark_runs(block.runs, mark, marks))
    return _with_runs(block, marks.whole(mark) + mark_runs(block.runs, mark, marks))


def _with_runs(block: TextBlock, runs: tuple[Inline, ...]) -> Block:
    changed: Block = replace(cast(Any, block), runs=runs)
    return changed


def _labelled(old: Clause | Item, new: Clause | Item, marks: Marks) -> Block:
    runs = merge_runs(old.runs, new.runs, marks)
    if isinstance(new, Clause):
        assert isinstance(old, Clause)
        if old.num == new.num:
            return replace(new, runs=runs)
        num, before = marks.label(old.num, new.num)
        return replace(new, num=num, runs=before + runs)
    assert isinstance(old, Item)
    if old.label == new.label:
        return replace(new, runs=runs)
    label, before = marks.label(old.label, new.label)
    return replace(new, label=label, runs=before + runs)


def _cells(old: Row, new: Row, marks: Marks) -> tuple[Cell, ...]:
    return tuple(replace(n, runs=merge_runs(o.runs, n.runs, marks)) for o, n in zip(old.cells, new.cells, strict=True))


def _table(old: Unit, new: Unit, marks: Marks) -> tuple[Block, ...]:
    assert isinstance(old.block, Table)
    assert isinstance(new.block, Table)
    if len(old.block.widths) != len(new.block.widths):
        return (whole_block(old.block, "del", marks), whole_block(new.block, "ins", marks))
    rows: list[Row] = []
    for pair in align(old.rows, new.rows, split_moves=True):
        o = pair.old.block if pair.old else None
        n = pair.new.block if pair.new else None
        assert o is None or isinstance(o, Row)
        assert n is None or isinstance(n, Row)
        if o is not None and n is not None and len(o.cells) == len(n.cells):
            rows.append(replace(n, cells=_cells(o, n, marks)))
            continue
        rows += [_row_whole(o, "del", marks)] if o is not None else []
        rows += [_row_whole(n, "ins", marks)] if n is not None else []
    return (replace(new.block, rows=tuple(rows)),)


def _signature(old: Signature, new: Signature, marks: Marks) -> tuple[Block, ...]:
    shapes = [[isinstance(x, SealSpot) for x in side.lines] for side in old.sides]
    if shapes != [[isinstance(x, SealSpot) for x in side.lines] for side in new.sides]:
        return (whole_block(old, "del", marks), whole_block(new, "ins", marks))
    sides = []
    for o_side, n_side in zip(old.sides, new.sides, strict=True):
        lines: list[tuple[Inline, ...] | SealSpot] = []
        for o, n in zip(o_side.lines, n_side.lines, strict=True):
            lines.append(n if isinstance(n, SealSpot) or isinstance(o, SealSpot) else merge_runs(o, n, marks))
        sides.append(SignatureSide(tuple(lines)))
    note_old = old.page_note if old.own_page else ()
    note_new = new.page_note if new.own_page else ()
    note = merge_runs(note_old, note_new, marks) if note_new else mark_runs(note_old, "del", marks)
    own_page = new.own_page or bool(note_old)
    return (replace(new, sides=tuple(sides), page_note=note or new.page_note, own_page=own_page),)


def _pair(old: Unit, new: Unit, marks: Marks) -> tuple[Block, ...]:
    o, n = old.block, new.block
    if isinstance(o, Clause | Item) and type(o) is type(n):
        assert isinstance(n, Clause | Item)
        return (_labelled(o, n, marks),)
    if isinstance(o, Table) and isinstance(n, Table):
        return _table(old, new, marks)
    if isinstance(o, Signature) and isinstance(n, Signature):
        return _signature(o, n, marks)
    assert not isinstance(o, Row)
    assert not isinstance(n, Row)
    if isinstance(o, TextBlock) and isinstance(n, TextBlock) and type(o) is type(n):
        return (_with_runs(n, merge_runs(o.runs, n.runs, marks)),)
    return (whole_block(o, "del", marks), whole_block(n, "ins", marks))


def _gone_keeps(pairs: Sequence[Pair]) -> set[int]:
    """The old part's top-level ``<keep>`` groups none of whose units the new part has (a voucher annex, say)."""
    kept: dict[int, list[bool]] = {}
    for pair in pairs:
        if pair.old is not None and len(pair.old.path) > 1:
            kept.setdefault(pair.old.path[0], []).append(pair.new is None)
    return {index for index, gone in kept.items() if all(gone)}


def _merge_part(old: Part, new: Part, pairs: Sequence[Pair], marks: Marks) -> tuple[Block, ...]:
    # A deleted unit goes back after the new unit that follows its old predecessor; a <keep> group deleted whole
    # goes back whole, after the new top-level block there: inside the new group it would make one group too
    # tall to keep on a page (a voucher and the two struck out after it).
    paired: dict[tuple[int, ...], Unit] = {}
    added: set[tuple[int, ...]] = set()
    after: dict[tuple[int, ...] | None, list[Block]] = {}
    gone, put_back = _gone_keeps(pairs), set()
    groups = {pair.new.path[0]: pair.new.path for pair in pairs if pair.new is not None and len(pair.new.path) > 1}
    ends = set(groups.values())  # the last unit of each new top-level group: after it, the group itself ends
    last: tuple[int, ...] | None = None
    anchor: tuple[int, ...] | None = None  # where the next deleted unit goes: after the last new one, or its group
    for pair in pairs:
        if pair.new is not None:
            last = anchor = pair.new.path
            if pair.old is not None:
                paired[last] = pair.old
            else:
                added.add(last)
        elif pair.old is not None and len(pair.old.path) > 1 and pair.old.path[0] in gone:
            if last is not None and last in ends:
                anchor = last[:1]  # what follows a group put back stays after it, in order
            if pair.old.path[0] not in put_back:
                put_back.add(pair.old.path[0])
                group = old.blocks[pair.old.path[0]]
                after.setdefault(anchor, []).append(whole_block(group, "del", marks))
        elif pair.old is not None:
            after.setdefault(anchor, []).append(whole_block(_block(pair.old), "del", marks))
    units = {pair.new.path: pair.new for pair in pairs if pair.new is not None}

    def deleted(path: tuple[int, ...] | None) -> list[Block]:
        return after.get(path, [])

    def rebuild(blocks: tuple[Block, ...], prefix: tuple[int, ...]) -> list[Block]:
        out: list[Block] = []
        for n, block in enumerate(blocks):
            path = (*prefix, n)
            if isinstance(block, Keep):
                out.append(Keep(tuple(rebuild(block.blocks, path))))
            elif path in paired:
                out += _pair(paired[path], units[path], marks)
            elif path in added:
                out.append(whole_block(block, "ins", marks))
            else:
                out.append(block)
            out += deleted(path)
        return out

    return tuple(deleted(None) + rebuild(new.blocks, ()))


def _block(unit: Unit) -> Block:
    assert not isinstance(unit.block, Row)
    return unit.block


def merged_document(old: Document, new: Document, marks: Marks) -> Document:
    """``new`` with ``old``'s differences marked into it by ``marks`` (a part only ``old`` has, struck out whole
    after the part that preceded it)."""
    parts: list[Part] = []
    for pair in align_parts(old, new, split_moves=True):
        if pair.new is None:
            assert pair.old is not None
            parts.append(replace(pair.old, blocks=tuple(whole_block(b, "del", marks) for b in pair.old.blocks)))
        elif pair.old is None:
            parts.append(replace(pair.new, blocks=tuple(whole_block(b, "ins", marks) for b in pair.new.blocks)))
        else:
            parts.append(replace(pair.new, blocks=_merge_part(pair.old, pair.new, pair.pairs, marks)))
    return replace(new, parts=tuple(parts))
