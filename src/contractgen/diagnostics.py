"""Diagnostics: problems found in a spec, as data.

A :class:`Diagnostic` says where (file, line, column, field path) and what (a Chinese message, a rule id, a
severity, and for a warning the spec acknowledges, the reason given). Validation returns them; formatting them
for people (``file:line:col: path: message``) or for machines (JSON) happens here, apart from finding them, so
both outputs say the same thing.

:func:`format_github` writes them as GitHub Actions workflow commands, which the runner shows as annotations on
the lines they name; :func:`diagnostic_objects` is their JSON shape, the same in every JSON output.

This module must not decide what is valid, and must not print.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["Diagnostic", "Severity", "diagnostic_objects", "format_github", "format_json", "format_text", "sort_key"]

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
    acknowledged: str = ""  # a warning the spec acknowledges (``acknowledge:``): the reason given there

    def format(self) -> str:
        """``file:line:col: path: message`` — the form editors and CI logs can jump to."""
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        label = "" if self.severity == "error" else "警告："
        if self.acknowledged and self.severity == "warning":
            label = f"警告（已确认：{self.acknowledged}）："
        field = f" {self.path}:" if self.path else ""
        rule = f" [{self.rule}]" if self.rule else ""
        cite = f"（依据：{self.citation}）" if self.citation else ""
        return f"{where}:{field} {label}{self.message}{cite}{rule}"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.path, d.message)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.format() for d in sorted(diagnostics, key=sort_key))


def diagnostic_objects(diagnostics: Iterable[Diagnostic]) -> list[dict[str, object]]:
    """The diagnostics as JSON objects, sorted: the one shape every JSON output (CLI and serve) gives them."""
    return [asdict(d) for d in sorted(diagnostics, key=sort_key)]


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(diagnostic_objects(diagnostics), ensure_ascii=False, indent=2)


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """One GitHub Actions workflow command per diagnostic, sorted: ``::error file=F,line=L,col=C,title=RULE::MSG``.

    The escaping is the runner's own (actions/toolkit, packages/core/src/command.ts: ``escapeData`` and
    ``escapeProperty``): a message or file name holding a newline must not end the command and start another
    one of its own making, nor a comma or colon in a property cut it short. A whole-file problem (line 0) names
    the file only; warnings (never under --strict, which makes them errors) are ``::warning``.
    """
    return "\n".join(_github_command(d) for d in sorted(diagnostics, key=sort_key))


def _github_command(d: Diagnostic) -> str:
    properties = {"file": d.file, "line": d.line, "col": d.column if d.line else 0, "title": d.rule}
    listed = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items() if value)
    field = f"{d.path}: " if d.path else ""
    cite = f"（依据：{d.citation}）" if d.citation else ""
    head = f"{d.severity} {listed}" if listed else d.severity
    return f"::{head}::{_escape_data(field + d.message + cite)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
