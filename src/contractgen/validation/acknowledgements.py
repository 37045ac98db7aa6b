"""Acknowledged warnings: a warning someone has considered, recorded in the spec with the reason.

``acknowledge:`` in a spec lists warnings by rule id (``legal.seal-size``), optionally for one field
(``path: signing.seal_mm``), each with the reason it stands (``reason: 经法务部审核，比例由双方协商确定``).
A warning it matches is still reported, marked with that reason (``警告（已确认：…）``), and ``--strict`` lets it
pass: CI then fails only on warnings nobody has looked at. Two things keep the list honest:

- an acknowledgement that matches no warning of this spec (the rule no longer fires, or the id is mistyped) is
  itself a warning (``acknowledge.unused``), with the nearest rule id that did fire;
- an error cannot be acknowledged: an acknowledgement matching one is an error (``acknowledge.error``) — an error
  means the contract would be wrong, and no reason makes it right.

This module must not find problems of the contract itself, and must never drop a diagnostic: it only marks
warnings and adds its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from contractgen.diagnostics import Diagnostic, Severity
from contractgen.spec.loading import Spec
from contractgen.validation.schema_messages import did_you_mean

__all__ = ["FIELD", "acknowledge"]

#: The spec's field that holds the acknowledgements.
FIELD = "acknowledge"


@dataclass(frozen=True)
class _Entry:
    index: int
    rule: str
    path: str
    reason: str

    def matches(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.rule != self.rule:
            return False
        path = diagnostic.path
        return not self.path or path == self.path or path.startswith((self.path + ".", self.path + "["))


def _entries(data: Any) -> list[_Entry]:
    """The well-formed acknowledgements (the schema reports the others, by their own fields)."""
    listed = data.get(FIELD) if isinstance(data, dict) else None
    if not isinstance(listed, list):
        return []
    entries = []
    for index, item in enumerate(listed):
        if not isinstance(item, dict):
            continue
        rule, reason, path = item.get("rule"), item.get("reason"), item.get("path", "")
        if isinstance(rule, str) and isinstance(reason, str) and reason.strip() and isinstance(path, str):
            entries.append(_Entry(index, rule, path, reason.strip()))
    return entries


def acknowledge(spec: Spec, data: Any, found: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` with the warnings the spec acknowledges marked, and a diagnostic for each acknowledgement that
    matches no warning (or matches an error)."""
    entries = _entries(data)
    if not entries:
        return found
    used: set[int] = set()
    out: list[Diagnostic] = []
    for diagnostic in found:
        entry = next((e for e in entries if e.matches(diagnostic)), None)
        if entry is not None and diagnostic.severity == "warning":
            out.append(replace(diagnostic, acknowledged=entry.reason))
            used.add(entry.index)
            continue
        if entry is not None:
            out.append(_about(spec, entry, f"{entry.rule} 是错误，不能确认：错误须改正，确认只用于警告", "error"))
            used.add(entry.index)
        out.append(diagnostic)
    fired = sorted({d.rule for d in found if d.severity == "warning" and d.rule})
    for entry in entries:
        if entry.index in used:
            continue
        where = f"（{entry.path}）" if entry.path else ""
        message = f"没有 {entry.rule}{where} 的警告，这条确认已不需要，可以删除"
        guess = did_you_mean(entry.rule, dict.fromkeys(fired, ""))
        if guess:
            message += f"（您是否想写 {guess}？）"
        out.append(_about(spec, entry, message, "warning"))
    return out


def _about(spec: Spec, entry: _Entry, message: str, severity: Severity) -> Diagnostic:
    path = f"{FIELD}[{entry.index}].rule"
    line, column = spec.locate(path)
    rule = f"{FIELD}.error" if severity == "error" else f"{FIELD}.unused"
    return Diagnostic(spec.path, line, column, path, message, severity=severity, rule=rule)
