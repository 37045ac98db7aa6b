"""Reach: which clauses and annexes each field change reaches, and which derived values follow from it.

Templates never compute, so every value a change can reach is a context value (:mod:`contractgen.document.context`).
For each changed part of the spec, the old spec with only that part changed is built and its context compared with
the old one: the context values that differ follow from the change (违约金金额, the payment schedule, the term's
last day). A changed clause is reached by the change when the old form of one of those values stands in what the
clause lost and its new form (alone, or with the other changes) in what it gained; a value only one side has need
only be found on that side. A change with a value too short to tell apart (三, 两) or whose values are never
printed as they are (an option: 按年度 for ``annual``) has its perturbed spec composed instead, and reaches the units
that composition changes. Changes that
no single field explains (a template's, or two fields together) are given to the changes that reached nothing,
and otherwise stay unattributed. With only one change, everything that changed is its reach.

This module must not word a field (that is :mod:`contractgen.comparison.fields`) nor print.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any

from contractgen.catalog import contract_type
from contractgen.comparison.clauses import ClauseChange
from contractgen.comparison.fields import FieldChange, lookup
from contractgen.comparison.units import part_units
from contractgen.comparison.versions import Version
from contractgen.document.build import build_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.errors import ContractgenError
from contractgen.numerals import to_chinese_number
from contractgen.spec.yaml_compose import join_path

__all__ = ["DerivedChange", "attribute"]

#: A value this long is searched for in the clauses' text; a shorter one (三, 两, 15) stands in too many places to
#: tell one change from another, so the change is composed instead.
LONG = 3


@dataclass(frozen=True)
class DerivedChange:
    """A derived value that differs: its context path, its name, both values, where it stands, what caused it."""

    name: str
    label: str
    old: str | None
    new: str | None
    places: tuple[str, ...]
    fields: tuple[str, ...]


def context_leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every printable leaf of a context (texts and numbers), with its dotted path."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from context_leaves(item, join_path(path, str(key)))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from context_leaves(getattr(value, item.name), join_path(path, item.name))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from context_leaves(item, join_path(path, n))
    elif isinstance(value, str) and value:
        yield path, value
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        yield path, str(value)


def _set(data: Any, parts: Sequence[str | int], value: Any, present: bool) -> None:
    node = data
    for part in parts[:-1]:
        node = node[part]
    last = parts[-1]
    if not present:
        if isinstance(node, list) and isinstance(last, int) and last < len(node):
            del node[last]
        elif isinstance(node, dict):
            node.pop(last, None)
    elif isinstance(node, list) and isinstance(last, int) and last >= len(node):
        node.append(value)
    else:
        node[last] = value


class _Spans:
    """One clause change's text, with where it changed, to search values in: on the old side what was deleted and
    where something was inserted (a point), on the new side what was inserted and where something was deleted."""

    def __init__(self, change: ClauseChange) -> None:
        self.change = change
        self.old, self.new = "", ""
        self.lost: list[tuple[int, int]] = []
        self.gained: list[tuple[int, int]] = []
        for op in change.ops:
            at_old, at_new = len(self.old), len(self.new)
            if op.op != "insert":
                self.old += op.text
            if op.op != "delete":
                self.new += op.text
            if op.op == "delete":
                self.lost.append((at_old, len(self.old)))
                self.gained.append((at_new, at_new))
            elif op.op == "insert":
                self.gained.append((at_new, len(self.new)))
                self.lost.append((at_old, at_old))

    @staticmethod
    def _found(text: str, value: str, spans: list[tuple[int, int]]) -> bool:
        """Whether ``value`` stands in ``text`` where it changed: over a changed span, or around a point."""
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            if any((a < end and start < b) if a < b else start < a < end for a, b in spans):
                return True
            start = text.find(value, start + 1)
        return False

    def reached(self, old: str | None, news: set[str]) -> bool:
        lost = old is not None and self._found(self.old, old, self.lost)
        gained = any(self._found(self.new, value, self.gained) for value in news)
        return (lost and gained) if old is not None and news else (lost or gained)


def _perturbed(old: Version, new: Version, group: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The old version's context with only ``group`` as the new spec has it, or None if that does not build."""
    data = copy.deepcopy(old.data)
    present, value = lookup(new.data, group)
    try:
        _set(data, group, copy.deepcopy(value), present)
        contract = build_contract(data)
        return build_context(contract, old.folder.parts, old.folder.title)
    except (ContractgenError, KeyError, IndexError, TypeError, ValueError, ArithmeticError, AttributeError):
        return None  # not a spec on its own (a new payment mode without its instalments): nothing to learn alone


def _derived_name(path: str, names: Sequence[tuple[str, str]]) -> str | None:
    """The name a change list gives the context value at ``path``, from its type's ``DERIVED_NAMES`` (patterns,
    ``*`` for every index of a list), or ``None``: a value no change list names."""
    for pattern, label in names:
        head, star, tail = pattern.partition("[*]")
        if not star and path == pattern:
            return label
        if star and path.startswith(f"{head}[") and path.endswith(tail):
            index = path[len(head) + 1 : -len(tail) - 1]
            if index.isdigit():
                return label.format(n=to_chinese_number(int(index) + 1))
    return None


def attribute(
    old: Version, new: Version, fields: Sequence[FieldChange], changes: Sequence[ClauseChange]
) -> tuple[list[FieldChange], list[DerivedChange], dict[str, tuple[str, ...]]]:
    """The field changes with their reach and derived values, every named derived value that differs, and for
    each clause change (by id) the paths of the fields that reach it."""
    old_leaves = dict(context_leaves(old.context))
    new_leaves = dict(context_leaves(new.context))
    search = _Search(old, old_leaves, new_leaves, changes)
    groups = list(dict.fromkeys(change.group for change in fields))
    contexts = {group: _perturbed(old, new, _first(fields, group).group_parts) for group in groups}
    moved: dict[str, dict[str, str | None]] = {}
    for group in groups:
        context = contexts[group]
        leaves = dict(context_leaves(context)) if context is not None else new_leaves if len(groups) == 1 else None
        moved[group] = _moved(old_leaves, leaves)
    short = {group: search.short_pairs(moved[group]) for group in groups}
    reached: dict[str, set[int]] = {}
    for group in groups:
        if len(groups) == 1:
            reached[group] = set(range(len(changes)))
        elif not moved[group]:
            reached[group] = set()  # built, and nothing the templates print differs: a value only checked (大写)
        else:
            others = set().union(*(short[g] for g in groups if g != group))
            reached[group] = search.reach(contexts[group], moved[group], short[group], others)
    orphans = set(range(len(changes))) - set().union(*reached.values()) if reached else set()
    for group in groups:
        if not reached[group] and orphans:
            reached[group] = set(orphans)
    by_clause: dict[str, list[str]] = {}
    for group in groups:
        for n in reached[group]:
            by_clause.setdefault(changes[n].id, []).extend(c.path for c in fields if c.group == group)
    names = contract_type(old.contract.type).rules.derived_names
    derived = _derived(old_leaves, new_leaves, moved, search.spans, names)
    out = []
    for change in fields:
        places = tuple(dict.fromkeys(changes[n].place for n in sorted(reached[change.group])))
        own = tuple(d for d in derived if change.group in d.fields)
        out.append(replace(change, places=places, derived=own if change is _first(fields, change.group) else ()))
    return out, derived, {key: tuple(dict.fromkeys(paths)) for key, paths in by_clause.items()}


class _Search:
    """Where the values a change moved stand in the changed clauses."""

    def __init__(
        self, old: Version, before: Mapping[str, str], after: Mapping[str, str], changes: Sequence[ClauseChange]
    ) -> None:
        self.old, self.old_leaves, self.new_leaves, self.changes = old, before, after, changes
        self.spans = [_Spans(change) for change in changes]

    def short_pairs(self, moved: Mapping[str, str | None]) -> set[tuple[str | None, str | None]]:
        """The (old, new) values too short to search for (三 → 四)."""
        return {(self.old_leaves.get(k), v) for k, v in moved.items() if len(self.old_leaves.get(k) or v or "") < LONG}

    def reach(
        self,
        context: dict[str, Any] | None,
        moved: Mapping[str, str | None],
        short: set[tuple[str | None, str | None]],
        others: set[tuple[str | None, str | None]],
    ) -> set[int]:
        """The clause changes one change reaches: its long values searched for, its short ones found as a deletion
        right before an insertion (一式[-两-]{+四+}份) — unless another change moves the same short values (the
        term's 三年 and the validity's 三年): then its perturbed spec is composed."""
        if short & others and context is not None:
            return _composed_reach(self.old, context, self.changes)
        found = {
            n
            for n, span in enumerate(self.spans)
            for key, value in moved.items()
            if len(self.old_leaves.get(key) or value or "") >= LONG
            and span.reached(self.old_leaves.get(key), {v for v in (value, self.new_leaves.get(key)) if v})
        }
        pairs = {(a, b) for a, b in short if a and b}
        found |= {n for n, change in enumerate(self.changes) if pairs & _replacements(change)}
        if not found and context is not None:
            return _composed_reach(self.old, context, self.changes)
        return found


def _replacements(change: ClauseChange) -> set[tuple[str | None, str | None]]:
    """Every (deleted, inserted) text that stand side by side in a clause change."""
    ops = change.ops
    return {(a.text, b.text) for a, b in pairwise(ops) if a.op == "delete" and b.op == "insert"}


def _moved(old: Mapping[str, str], new: Mapping[str, str] | None) -> dict[str, str | None]:
    """The context leaves that differ between ``old`` and ``new`` (none when ``new`` could not be built)."""
    if new is None:
        return {}
    return {key: new.get(key) for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _first(fields: Sequence[FieldChange], group: str) -> FieldChange:
    return next(change for change in fields if change.group == group)


def _composed_reach(old: Version, context: dict[str, Any], changes: Sequence[ClauseChange]) -> set[int]:
    """The clause changes at the places a perturbed context's document differs from the old one's (units compared
    by their text alone: which places differ is all that is asked here, not how)."""
    try:
        document = compose(old.folder, context)
    except ContractgenError:
        return set()
    places: set[str] = set()
    before = {part.id: part for part in old.document.parts}
    for part in document.parts:
        counterpart = before.get(part.id)
        if counterpart is not None and counterpart == part:
            continue
        olds = part_units(counterpart) if counterpart is not None else []
        news = part_units(part)
        matcher = SequenceMatcher(None, [u.shown for u in olds], [u.shown for u in news], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                places |= {u.place for u in (*olds[i1:i2], *news[j1:j2])}
    return {n for n, change in enumerate(changes) if change.place in places}


def _derived(
    old_leaves: Mapping[str, str],
    new_leaves: Mapping[str, str],
    moved: Mapping[str, Mapping[str, str | None]],
    spans: Sequence[_Spans],
    names: Sequence[tuple[str, str]],
) -> list[DerivedChange]:
    out = []
    for key in list(old_leaves) + [k for k in new_leaves if k not in old_leaves]:
        label = _derived_name(key, names)
        before, after = old_leaves.get(key), new_leaves.get(key)
        if label is None or before == after:
            continue
        places = tuple(dict.fromkeys(s.change.place for s in spans if s.reached(before, {after} if after else set())))
        causes = tuple(group for group, keys in moved.items() if key in keys)
        out.append(DerivedChange(key, label, before, after, places, causes))
    return out
