"""The report: what a comparison found, as data — fields, derived values, warnings and clauses — and its JSON.

:class:`Comparison` is what :func:`contractgen.comparison.diff` returns and every output is written from: the text
listing, the JSON object (``--format json``: the envelope every command's JSON has, with ``fields``, ``derived``,
``warnings`` and ``clauses`` as its lists; docs/diff.md), and the redlines. ``same`` is true when the two versions
differ in nothing a reader would see or a field would say.

This module must not compute a comparison and must not print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from contractgen.comparison.clauses import ClauseChange
from contractgen.comparison.fields import FieldChange
from contractgen.comparison.reach import DerivedChange
from contractgen.comparison.versions import Version
from contractgen.diagnostics import Diagnostic, diagnostic_objects

__all__ = ["Comparison", "WarningChange", "warning_changes"]


@dataclass(frozen=True)
class WarningChange:
    """A warning (a legal check, say) that the new version has and the old has not (``appeared``), or the reverse."""

    change: Literal["appeared", "disappeared"]
    diagnostic: Diagnostic


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return (d.rule, d.path, d.message)


def warning_changes(old: Sequence[Diagnostic], new: Sequence[Diagnostic]) -> list[WarningChange]:
    """The warnings only one version has (the same rule at the same field with the same words is the same)."""
    before = {_key(d) for d in old if d.severity == "warning"}
    after = {_key(d) for d in new if d.severity == "warning"}
    out = [WarningChange("appeared", d) for d in new if d.severity == "warning" and _key(d) not in before]
    out += [WarningChange("disappeared", d) for d in old if d.severity == "warning" and _key(d) not in after]
    return out


@dataclass(frozen=True)
class Comparison:
    old: Version
    new: Version
    fields: tuple[FieldChange, ...]
    derived: tuple[DerivedChange, ...]
    warnings: tuple[WarningChange, ...]
    clauses: tuple[ClauseChange, ...]
    clause_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    templates_old: str | None = None

    @property
    def same(self) -> bool:
        return not (self.fields or self.clauses or self.warnings)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "fields": len(self.fields),
            "derived": len(self.derived),
            "warnings": len(self.warnings),
            "clauses": len(self.clauses),
            "substantive": sum(c.substantive for c in self.clauses),
            "cosmetic": sum(c.cosmetic for c in self.clauses),
        }

    @property
    def message(self) -> str:
        if self.same:
            return f"{self.old.name} 与 {self.new.name} 没有差异"
        s = self.summary
        return (
            f"{self.old.name} → {self.new.name}：{s['fields']} 个字段、{s['clauses']} 处条款文字不同"
            f"（其中 {s['substantive']} 处涉及金额、日期、比例或数字，{s['cosmetic']} 处仅标点或空格）"
        )

    def lists(self) -> dict[str, Any]:
        """The JSON lists of the comparison (docs/diff.md), in the envelope's order."""
        return {
            "files": [_file(self.old), _file(self.new)],
            "fields": [_field(change) for change in self.fields],
            "derived": [_derived(change) for change in self.derived],
            "warnings": [_warning(change) for change in self.warnings],
            "clauses": [_clause(change, self.clause_fields.get(change.id, ())) for change in self.clauses],
        }


def _file(version: Version) -> dict[str, Any]:
    return {"file": version.name, "status": "valid", "diagnostics": diagnostic_objects(version.diagnostics)}


def _field(change: FieldChange) -> dict[str, Any]:
    return {
        "path": change.path,
        "title": change.title,
        "old": _plain(change.old),
        "new": _plain(change.new),
        "old_text": change.old_words,
        "new_text": change.new_words,
        "substantive": change.substantive,
        "clauses": list(change.places),
        "derived": [d.name for d in change.derived],
    }


def _plain(value: Any) -> Any:
    """A spec value as JSON has it: text, numbers and booleans as they are, anything else as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _derived(change: DerivedChange) -> dict[str, Any]:
    return {
        "name": change.name,
        "title": change.label,
        "old": change.old,
        "new": change.new,
        "clauses": list(change.places),
        "fields": list(change.fields),
    }


def _warning(change: WarningChange) -> dict[str, Any]:
    return {"change": change.change, **diagnostic_objects([change.diagnostic])[0]}


def _clause(change: ClauseChange, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": change.id,
        "part": change.part,
        "place": change.place,
        "where": change.where,
        "old_where": change.old_place,
        "operation": change.operation,
        "old_number": change.old_label or None,
        "new_number": change.new_label or None,
        "old_text": change.old_text,
        "new_text": change.new_text,
        "changes": [{"op": op.op, "text": op.text} for op in change.ops if op.op != "equal"],
        "cosmetic": change.cosmetic,
        "substantive": change.substantive,
        "fields": list(fields),
    }
