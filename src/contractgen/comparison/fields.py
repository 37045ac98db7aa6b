"""The field level: every field whose value differs between two specs, named and worded as a reader says it.

Both specs' typed data are flattened to dotted paths (``a.b``, ``a.list[2].c``). A field the spec
leaves out has the schema's default, so writing a default out changes nothing; amounts, rates and dates are
compared as values (``360,000.00`` is ``360000``). Each change is named by the schema's Chinese title (its unit in
brackets dropped, a party's field prefixed with the party: 甲方名称或姓名) and its values worded as the contract
words them: 人民币叁拾陆万元整（¥360,000.00）, 百分之二十（20%）, 二〇二六年十一月二十四日（2026-11-24）, an
option by its description. A change is substantive when it is an amount, a rate or a date, or concerns a party or
a field its contract type calls substantive (its rules' ``SUBSTANTIVE_FIELDS``: the money, the term …).

This module must not know which clauses a change reaches (:mod:`contractgen.comparison.reach`) nor print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from contractgen.numerals import parse_amount, to_capital, to_chinese_date, to_figures, to_rate_text
from contractgen.spec.yaml_compose import join_path
from contractgen.validation.schema_index import SchemaIndex

__all__ = ["ABSENT", "FieldChange", "field_changes", "flatten", "lookup"]

#: How a field the spec leaves out (and the schema gives no default for) is worded.
ABSENT = "（未填写）"
#: After the words of a default the spec does not write out.
DEFAULTED = "（未填写，按默认）"
_UNIT = re.compile(r"（([^（）]*)）$")
_COUNTED = {"月": "个月", "工作日": "个工作日"}  # 12个月, not 12月 (December)

Parts = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs. ``old``/``new`` are the spec's values (``None``: not written);
    ``old_words``/``new_words`` how the contract words them; ``group`` the path of the smallest part of the spec
    that was added, removed or changed with it (a whole new instalment, say)."""

    path: str
    parts: Parts
    title: str
    old: Any
    new: Any
    old_words: str
    new_words: str
    kind: str
    substantive: bool
    group: str
    group_parts: Parts
    places: tuple[str, ...] = field(default=())
    derived: tuple[Any, ...] = field(default=())


def flatten(data: Any, parts: Parts = ()) -> Iterator[tuple[Parts, Any]]:
    """Every leaf of ``data`` with its path; a list of plain values is one leaf."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from flatten(value, (*parts, key))
    elif isinstance(data, list) and any(isinstance(item, Mapping | list) for item in data):
        for n, item in enumerate(data):
            yield from flatten(item, (*parts, n))
    else:
        yield parts, data


def dotted(parts: Sequence[str | int]) -> str:
    path = ""
    for part in parts:
        path = join_path(path, part)
    return path


def _kind(index: SchemaIndex, parts: Parts) -> str:
    fmt = index.first(parts, "format")
    if fmt in ("cny-amount", "percent", "date"):
        return str(fmt)
    if index.first(parts, "enum") is not None:
        return "enum"
    return "integer" if index.is_integer(parts) else "text"


def _value(kind: str, value: Any) -> Any:
    """``value`` as a value to compare: amounts and rates as ``Decimal``, everything else as the spec wrote it."""
    if value is None:
        return None
    try:
        if kind == "cny-amount":
            return parse_amount(value)
        if kind == "percent" and isinstance(value, str) and value.endswith("%"):
            return Decimal(value[:-1])
    except (InvalidOperation, ValueError, ArithmeticError):
        return value
    return value


def _option_words(index: SchemaIndex, parts: Parts, value: Any) -> str | None:
    for schema in index.at(parts):
        options, words = schema.get("enum"), schema.get("enumDescriptions")
        if isinstance(options, list) and isinstance(words, list) and value in options:
            return str(words[options.index(value)])
        if schema.get("const") == value and isinstance(schema.get("title"), str):
            return str(schema["title"])
    return None


def _words(index: SchemaIndex, parts: Parts, kind: str, value: Any) -> str:
    """``value`` of the field at ``parts`` as the contract words it."""
    if value is None:
        return ABSENT
    option = _option_words(index, parts, value)
    if option is not None:
        return option
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    try:
        if kind == "cny-amount":
            amount = parse_amount(value)
            return f"人民币{to_capital(amount)}（{to_figures(amount)}）"
        if kind == "percent":
            return to_rate_text(Decimal(str(value).removesuffix("%")))
        if kind == "date":
            return f"{to_chinese_date(date.fromisoformat(str(value)))}（{value}）"
    except (ValueError, ArithmeticError):
        return str(value)
    unit = _UNIT.search(index.title(parts))
    if kind == "integer" and unit:
        return f"{value}{_COUNTED.get(unit.group(1), unit.group(1))}"
    return str(value)


def _title(index: SchemaIndex, parts: Parts) -> str:
    """The field's name for a reader: its title without the unit; a party's field with the party before it
    (甲方住所), a list item's with its number (分期付款计划第3项·付款日期)."""
    own = _UNIT.sub("", index.title(parts)) or str(parts[-1])
    prefix = ""
    top = _UNIT.sub("", index.title(parts[:1])) if len(parts) > 1 else ""
    if top and len(top) <= 2 and not own.startswith(top):
        prefix = top
    for n, part in enumerate(parts):
        if isinstance(part, int):
            listed = _UNIT.sub("", index.title(parts[:n])) or str(parts[n - 1])
            prefix = f"{listed}第{part + 1}项·" if n < len(parts) - 1 else f"{listed}第{part + 1}项"
            if n == len(parts) - 1:
                return prefix
    return prefix + own


def _group(parts: Parts, old_data: Any, new_data: Any) -> Parts:
    """The shallowest ancestor of ``parts`` that one of the two specs does not have at all (or ``parts``)."""
    for n in range(1, len(parts)):
        head = parts[:n]
        if not (lookup(old_data, head)[0] and lookup(new_data, head)[0]):
            return head
    return parts


def lookup(data: Any, parts: Sequence[str | int]) -> tuple[bool, Any]:
    """Whether ``data`` has a value at ``parts``, and the value (``None`` if not)."""
    for part in parts:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False, None
        elif not isinstance(data, Mapping) or part not in data:
            return False, None
        data = data[part]
    return True, data


def substantive_roots(data: Any) -> frozenset[str]:
    """The top-level fields whose change is substantive whatever their value: the parties its type declares and
    the fields its rules name (``SUBSTANTIVE_FIELDS``: the term, the money …)."""
    from contractgen.catalog import contract_type

    kind = data.get("type") if isinstance(data, Mapping) else None
    if not isinstance(kind, str):
        return frozenset()
    found = contract_type(kind)
    return frozenset(p.key for p in found.parties) | found.rules.substantive_fields


def field_changes(index: SchemaIndex, old_data: Any, new_data: Any) -> list[FieldChange]:
    """Every field whose value differs between ``old_data`` and ``new_data`` (typed spec data), in the new spec's
    order (a field only the old spec has, where it stood there)."""
    old = dict(flatten(old_data))
    new = dict(flatten(new_data))
    order = list(new) + [p for p in old if p not in new]
    roots = substantive_roots(new_data)
    changes: list[FieldChange] = []
    for parts in order:
        if not parts:
            continue
        kind = _kind(index, parts)
        default = index.first(parts, "default")
        before = old.get(parts, default)
        after = new.get(parts, default)
        if _value(kind, before) == _value(kind, after):
            continue
        substantive = kind in ("cny-amount", "percent", "date") or parts[0] in roots
        changes.append(
            FieldChange(
                path=dotted(parts),
                parts=parts,
                title=_title(index, parts),
                old=old.get(parts),
                new=new.get(parts),
                old_words=_words(index, parts, kind, before) + _defaulted(parts, old, before),
                new_words=_words(index, parts, kind, after) + _defaulted(parts, new, after),
                kind=kind,
                substantive=substantive,
                group=dotted(_group(parts, old_data, new_data)),
                group_parts=_group(parts, old_data, new_data),
            )
        )
    return _whole_groups(index, changes, old_data, new_data)


def _defaulted(parts: Parts, written: Mapping[Parts, Any], value: Any) -> str:
    return DEFAULTED if parts not in written and value is not None else ""


def _whole_groups(index: SchemaIndex, changes: list[FieldChange], old_data: Any, new_data: Any) -> list[FieldChange]:
    """A part of the spec only one side has (a new instalment, a contact added) is one change, its fields listed
    in its words: 分期付款计划第4项：（未填写）→ 付款日期：二〇二八年七月十日（2028-07-10）；本期金额：…"""
    out: list[FieldChange] = []
    for change in changes:
        if change.group_parts == change.parts:
            out.append(change)
            continue
        if out and out[-1].parts == change.group_parts:
            continue
        members = [c for c in changes if c.group_parts == change.group_parts]
        side = "new" if all(c.old is None for c in members) else "old"
        words = "；".join(f"{_UNIT.sub('', index.title(c.parts))}：{getattr(c, side + '_words')}" for c in members)
        parts = change.group_parts
        out.append(
            replace(
                change,
                path=change.group,
                parts=parts,
                title=_title(index, parts),
                old=lookup(old_data, parts)[1],
                new=lookup(new_data, parts)[1],
                old_words=ABSENT if side == "new" else words,
                new_words=words if side == "new" else ABSENT,
                kind="group",
                substantive=any(c.substantive for c in members),
            )
        )
    return out
