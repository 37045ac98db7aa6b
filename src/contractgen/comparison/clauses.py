"""The clause level: two document trees aligned part by part and unit by unit, and the changes between them.

Parts are paired by id. Within a part, units (:mod:`contractgen.comparison.units`) with the same text are paired
first, in order (a clause whose number alone changed is *renumbered*); between those anchors, clauses with the
same number, then units of one kind whose texts are alike, are paired (*changed*); a unit left over on both sides
with the same or nearly the same text is *moved*; what is left is *added* or *removed*. A table's rows are
aligned the same way inside a pair of tables. Each change carries the token diff of its text
(:func:`contractgen.comparison.tokens.diff_text`) and says whether it is cosmetic (punctuation or whitespace
only) and substantive (an amount, a date, a rate or a number differs).

This module must not know where a change came from (that is :mod:`contractgen.comparison.fields`) nor any output
format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from contractgen.comparison.tokens import Op, diff_text, is_cosmetic
from contractgen.comparison.units import Unit, part_units
from contractgen.document.tree import Document, Part, Row

__all__ = ["ClauseChange", "Operation", "Pair", "PartPair", "align", "align_parts", "clause_changes"]

Operation = Literal["changed", "added", "removed", "moved", "renumbered"]

#: How alike two texts must be (difflib's ratio) to be the same unit changed rather than one removed, one added.
ALIKE = 0.5
#: How alike a unit left over on both sides must be to be reported as moved.
MOVED = 0.9


@dataclass(frozen=True)
class Pair:
    """One unit of the old version and its counterpart in the new (either may be missing)."""

    old: Unit | None
    new: Unit | None
    moved: bool = False

    @property
    def same(self) -> bool:
        return self.old is not None and self.new is not None and self.old.shown == self.new.shown


@dataclass(frozen=True)
class PartPair:
    old: Part | None
    new: Part | None
    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class ClauseChange:
    """A unit that differs between the versions, as a change list shows it."""

    id: str
    part: str
    where: str
    place: str
    operation: Operation
    old_label: str | None
    new_label: str | None
    old_text: str | None
    new_text: str | None
    ops: tuple[Op, ...]
    cosmetic: bool
    substantive: bool
    old_place: str | None = None


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < ALIKE or matcher.quick_ratio() < ALIKE:
        return 0.0
    return matcher.ratio()


def _roughly_alike(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` share enough characters to be alike (an upper bound of the ratio: no alignment)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= ALIKE and matcher.quick_ratio() >= ALIKE


def _pair_gap(
    old: Sequence[int], new: Sequence[int], olds: Sequence[Unit], news: Sequence[Unit]
) -> list[tuple[int, int]]:
    """Pairs inside one gap between anchors: clauses of the same number first, then the most alike units of one
    kind, never crossing a pair already made (the order of the text is kept)."""
    pairs: list[tuple[int, int]] = []
    diagonal = list(zip(old, new, strict=False))
    if len(old) == len(new) and all(
        olds[i].kind == news[j].kind and _roughly_alike(olds[i].text, news[j].text) for i, j in diagonal
    ):
        return diagonal  # the common case, each unit changed in place (a date in every row): no search needed
    numbered = {news[j].label: j for j in new if news[j].kind == "clause"}
    for i in old:
        j = numbered.pop(olds[i].label, None) if olds[i].kind == "clause" else None
        if j is not None and _ratio(olds[i].text, news[j].text) >= ALIKE / 2:
            pairs.append((i, j))
    candidates = []
    for i in old:
        for j in new:
            if olds[i].kind == news[j].kind and (olds[i].kind != "clause" or olds[i].label != news[j].label):
                ratio = _ratio(olds[i].text, news[j].text)
                if ratio >= ALIKE:
                    candidates.append((-_same_cells(olds[i], news[j]), -ratio, i, j))
    for _, _, i, j in sorted(candidates):
        taken = any(i == a or j == b for a, b in pairs)
        crossing = any((i < a) != (j < b) for a, b in pairs)
        if not taken and not crossing:
            pairs.append((i, j))
    return pairs


def _same_cells(old: Unit, new: Unit) -> int:
    """How many cells two table rows share, column by column: a plan's row 12 whose activity changed is the new
    row 12 (number and dates the same), not the new row 16 that took over its activity."""
    if not (isinstance(old.block, Row) and isinstance(new.block, Row)):
        return 0
    return sum(a == b for a, b in zip(old.block.cells, new.block.cells, strict=False))


def align(olds: Sequence[Unit], news: Sequence[Unit], *, split_moves: bool = False) -> list[Pair]:
    """The pairs of ``olds`` and ``news``, in the new version's order; a removed unit stands after the pair of the
    unit that preceded it in the old version, a moved one at its new place — or, with ``split_moves`` (for a
    redline, which strikes it out where it was and shows it inserted where it is), as removed and added."""
    matcher = SequenceMatcher(None, [(u.kind, u.text) for u in olds], [(u.kind, u.text) for u in news], autojunk=False)
    pairs: list[tuple[int, int]] = []
    o_at = n_at = 0
    for block in matcher.get_matching_blocks():
        gap_old, gap_new = range(o_at, block.a), range(n_at, block.b)
        pairs += _pair_gap(gap_old, gap_new, olds, news)
        pairs += [(block.a + k, block.b + k) for k in range(block.size)]
        o_at, n_at = block.a + block.size, block.b + block.size
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    moved: list[tuple[int, int]] = []
    for i, unit in enumerate(olds):
        if i in paired_old:
            continue
        for j, other in enumerate(news):
            if j not in paired_new and unit.kind == other.kind and _ratio(unit.text, other.text) >= MOVED:
                moved.append((i, j))
                paired_old.add(i)
                paired_new.add(j)
                break
    if split_moves:
        moved = []
    return _ordered(olds, news, pairs, moved)


def _ordered(
    olds: Sequence[Unit], news: Sequence[Unit], pairs: list[tuple[int, int]], moved: list[tuple[int, int]]
) -> list[Pair]:
    after = dict(pairs)
    keyed: list[tuple[tuple[int, int, int], Pair]] = []
    for i, j in pairs:
        keyed.append(((j, 0, 0), Pair(olds[i], news[j])))
    for i, j in moved:
        keyed.append(((j, 0, 0), Pair(olds[i], news[j], moved=True)))
    placed = {i for i, _ in pairs} | {i for i, _ in moved}
    placed_new = {j for _, j in pairs} | {j for _, j in moved}
    for i, unit in enumerate(olds):
        if i not in placed:
            anchor = max((after[k] for k in after if k < i), default=-1)
            keyed.append(((anchor, 1, i), Pair(unit, None)))
    for j, unit in enumerate(news):
        if j not in placed_new:
            keyed.append(((j, 0, 0), Pair(None, unit)))
    return [pair for _, pair in sorted(keyed, key=lambda item: item[0])]


def align_parts(old: Document, new: Document, *, split_moves: bool = False) -> list[PartPair]:
    """Every part of both documents, paired by id, in the new document's order (a removed part after the part
    that preceded it); ``split_moves`` as :func:`align`."""
    olds = {part.id: part for part in old.parts}
    news = {part.id: part for part in new.parts}
    out: list[PartPair] = []
    old_ids = [p.id for p in old.parts]
    for part in new.parts:
        counterpart = olds.get(part.id)
        units = part_units(counterpart) if counterpart else []
        out.append(PartPair(counterpart, part, tuple(align(units, part_units(part), split_moves=split_moves))))
    for i, part_id in enumerate(old_ids):
        if part_id in news:
            continue
        before = next((p for p in reversed(old_ids[:i]) if p in news), None)
        at = next((k + 1 for k, pp in enumerate(out) if pp.new is not None and pp.new.id == before), 0)
        while at < len(out) and out[at].new is None:
            at += 1
        out.insert(at, PartPair(olds[part_id], None, tuple(Pair(u, None) for u in part_units(olds[part_id]))))
    return out


def _change(pair: Pair) -> ClauseChange:
    old, new = pair.old, pair.new
    unit = new or old
    assert unit is not None
    old_text = old.text if old else None
    new_text = new.text if new else None
    ops = diff_text(old_text or "", new_text or "")
    if old is None:
        operation: Operation = "added"
    elif new is None:
        operation = "removed"
    elif pair.moved:
        operation = "moved"
    elif old.label != new.label:
        operation = "renumbered"
    else:
        operation = "changed"
    cosmetic = old is not None and new is not None and old.label == new.label and is_cosmetic(old.text, new.text)
    return ClauseChange(
        id=unit.key,
        part=unit.part,
        where=unit.where,
        place=unit.place,
        operation=operation,
        old_label=old.label if old else None,
        new_label=new.label if new else None,
        old_text=old_text,
        new_text=new_text,
        ops=ops,
        cosmetic=cosmetic,
        # A clause added or removed changes the terms whatever it says; a change inside one, when it touches an
        # amount, a date, a rate or a number (the fields that reach it are weighed by the caller).
        substantive=operation in ("added", "removed") or (any(op.substantive for op in ops) and not cosmetic),
        old_place=old.where if old and new and old.where != new.where else None,
    )


def _row_changes(pair: Pair) -> list[ClauseChange]:
    """A table's changes, row by row: the rows of a pair of tables aligned, or every row of a table added or
    removed whole."""
    old_rows = pair.old.rows if pair.old else ()
    new_rows = pair.new.rows if pair.new else ()
    return [_change(row) for row in align(old_rows, new_rows) if not row.same]


def clause_changes(parts: Sequence[PartPair]) -> list[ClauseChange]:
    """Every unit that differs, in the new version's reading order."""
    out: list[ClauseChange] = []
    for part in parts:
        for pair in part.pairs:
            if pair.same and not pair.moved:
                continue
            unit = pair.new or pair.old
            if unit is not None and unit.kind == "table":
                out += _row_changes(pair)
            else:
                out.append(_change(pair))
    return out
