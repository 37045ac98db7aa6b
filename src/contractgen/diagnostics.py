"""Diagnostics: problems found in a spec, as data.

A :class:`Diagnostic` says where (file, line, column, field path) and what (a Chinese message, a rule id, a
severity). Validation returns them; formatting them for people (``file:line:col: path: message``) or for machines
(JSON) happens here, apart from finding them, so both outputs say the same thing.

This module must not decide what is valid, and must not print.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["Diagnostic", "Severity", "format_json", "format_text", "sort_key"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one spec. ``line`` and ``column`` are 1-based; 0 means "the whole file"."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"
    rule: str = ""
    citation: str = ""

    def format(self) -> str:
        """``file:line:col: path: message`` — the form editors and CI logs can jump to."""
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        label = "" if self.severity == "error" else "警告："
        field = f" {self.path}:" if self.path else ""
        rule = f" [{self.rule}]" if self.rule else ""
        cite = f"（依据：{self.citation}）" if self.citation else ""
        return f"{where}:{field} {label}{self.message}{cite}{rule}"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.path, d.message)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.format() for d in sorted(diagnostics, key=sort_key))


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    items = [asdict(d) for d in sorted(diagnostics, key=sort_key)]
    return json.dumps(items, ensure_ascii=False, indent=2)
