"""The listing: a comparison as text for a person — the changed fields in Chinese, then the clause redline.

Deleted text is shown ``[-like this-]`` and inserted text ``{+like this+}`` (wdiff's marks, which survive a pipe, a
log and an e-mail); with ``colour`` they are red and struck through, green and underlined as well. A long stretch
of unchanged text is cut to a few characters either side of each change (…); the JSON has the whole texts.

This module must not compute a comparison and must not write anything: it returns lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import click

from contractgen.comparison.clauses import ClauseChange
from contractgen.comparison.fields import FieldChange
from contractgen.comparison.reach import DerivedChange
from contractgen.comparison.report import Comparison
from contractgen.comparison.tokens import Op

__all__ = ["OPERATION_WORDS", "change_kind", "change_line", "change_where", "field_line", "listing", "marked_text"]

#: Unchanged text kept either side of a change, in characters.
CONTEXT = 16
OPERATION_WORDS = {"changed": "修改", "added": "新增", "removed": "删除", "moved": "移动", "renumbered": "重新编号"}


def _style(text: str, op: str, colour: bool) -> str:
    if op == "delete":
        marked = f"[-{text}-]"
        return click.style(marked, fg="red", strikethrough=True) if colour else marked
    marked = f"{{+{text}+}}"
    return click.style(marked, fg="green", underline=True) if colour else marked


def marked_text(ops: Sequence[Op], *, colour: bool = False, context: int | None = CONTEXT) -> str:
    """The text of ``ops`` with its deletions and insertions marked; unchanged stretches cut to ``context``
    characters either side of a change (``None``: the whole text)."""
    out: list[str] = []
    for n, op in enumerate(ops):
        if op.op != "equal":
            out.append(_style(op.text, op.op, colour))
            continue
        text = op.text
        if context is not None:
            first, last = n == 0, n == len(ops) - 1
            if first and last:
                pass
            elif first and len(text) > context:
                text = "…" + text[-context:]
            elif last and len(text) > context:
                text = text[:context] + "…"
            elif not first and not last and len(text) > 2 * context:
                text = text[:context] + "…" + text[-context:]
        out.append(text)
    return "".join(out).replace("\n", " ⏎ ")


def change_where(change: ClauseChange) -> str:
    """Where a clause change stands: 4.2; 2.4 → 3.3 for a moved or renumbered clause."""
    if change.operation in ("moved", "renumbered") and change.old_label != change.new_label:
        return f"{change.old_place or change.old_label} → {change.where}"
    if change.operation == "moved" and change.old_place:
        return f"{change.old_place} → {change.where}"
    return change.where


def change_kind(change: ClauseChange) -> str:
    """What happened, and what kind of change it is: 修改（实质性）, 删除, 修改（仅标点或空格）."""
    tags = "（仅标点或空格）" if change.cosmetic else "（实质性）" if change.substantive else ""
    return f"{OPERATION_WORDS[change.operation]}{tags}"


def change_line(change: ClauseChange) -> str:
    """The heading of one clause change: where, what happened, and what kind of change it is."""
    return f"{change_where(change)} {change_kind(change)}"


def field_line(change: FieldChange) -> str:
    return f"{change.title}（{change.path}）：{change.old_words}→{change.new_words}"


def _derived_line(change: DerivedChange) -> str:
    return f"{change.label}：{change.old or '（无）'}→{change.new or '（无）'}"


def _fields(comparison: Comparison) -> Iterator[str]:
    if not comparison.fields:
        return
    yield f"字段变更（{len(comparison.fields)} 项）"
    for change in comparison.fields:
        yield f"  {field_line(change)}"
        if change.places:
            yield f"    涉及：{'、'.join(change.places)}"
        yield from (f"    随之变化：{_derived_line(derived)}" for derived in change.derived)
    shown = {id(d) for change in comparison.fields for d in change.derived}
    others = [d for d in comparison.derived if id(d) not in shown]
    if others:
        yield "  其他随之变化的数值："
        yield from (f"    {_derived_line(d)}" for d in others)
    yield ""


def _warnings(comparison: Comparison) -> Iterator[str]:
    if not comparison.warnings:
        return
    yield f"警告变化（{len(comparison.warnings)} 项）"
    for change in comparison.warnings:
        word = "新增警告" if change.change == "appeared" else "不再警告"
        d = change.diagnostic
        rule = f" [{d.rule}]" if d.rule else ""
        yield f"  {word}：{d.path + '：' if d.path else ''}{d.message}{rule}"
    yield ""


def listing(comparison: Comparison, *, colour: bool = False) -> list[str]:
    """The lines ``contractgen diff`` prints: the field list, the warnings, then the clause redline."""
    old, new = comparison.old, comparison.new
    head = f"比较：{old.name} → {new.name}"
    if comparison.templates_old:
        head += f"（旧版本用模板 {comparison.templates_old}）"
    lines = [head, ""]
    lines += _fields(comparison)
    lines += _warnings(comparison)
    if comparison.clauses:
        lines.append(f"条款变更（{len(comparison.clauses)} 处）")
        for change in comparison.clauses:
            lines.append(f"  {change_line(change)}")
            lines.append(f"    {marked_text(change.ops, colour=colour)}")
        lines.append("")
    lines.append(comparison.message)
    return lines
