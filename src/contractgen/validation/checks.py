"""What a named check sees: the spec's data after schema validation, and how it reports a problem.

A schema attaches checks to the places they concern with ``"x-checks": ["seal-size", …]``; validation runs
each one with a :class:`CheckContext` and the dotted path of that place. A check reads values through
:meth:`CheckContext.get`, which returns ``None`` for anything missing or already reported (a check never
repeats a schema error, nor trips over a value the schema rejected), and makes diagnostics that point at the
right line through :meth:`CheckContext.report`.

This module must not contain checks itself (see :mod:`contractgen.validation.consistency` and
:mod:`contractgen.validation.legal`), nor count periods (that is :mod:`contractgen.numerals.periods`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from contractgen.diagnostics import Diagnostic, Severity
from contractgen.spec.loading import Spec
from contractgen.spec.yaml_compose import join_path

__all__ = ["Check", "CheckContext", "path_parts"]

_PART = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.\[\]]+)')


def path_parts(path: str) -> list[str | int]:
    """``acknowledge[1].reason`` → ``["acknowledge", 1, "reason"]``."""
    parts: list[str | int] = []
    for index, quoted, plain in _PART.findall(path):
        if index:
            parts.append(int(index))
        elif quoted:
            parts.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            parts.append(plain)
    return parts


@lru_cache(maxsize=4096)
def _steps(path: str) -> tuple[tuple[str | int, str], ...]:
    """Each part of ``path`` with the dotted path of the node it is read from (``""`` for the root); kept,
    since every check reads the same few dozen paths of every spec."""
    steps: list[tuple[str | int, str]] = []
    probe = ""
    for part in path_parts(path):
        steps.append((part, probe))
        probe = join_path(probe, part)
    return tuple(steps)


@dataclass(frozen=True)
class CheckContext:
    spec: Spec
    data: Any  # the typed view: integers are int, everything else as the loader kept it
    reported: frozenset[str]  # paths that already have a diagnostic

    def get(self, path: str) -> Any:
        """The value at ``path``; ``None`` if it is missing or it (or a parent) was already reported."""
        node = self.data
        for part, parent in _steps(path):
            if parent in self.reported:
                return None
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return None
            elif not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return None if path in self.reported else node

    def text(self, path: str) -> str | None:
        value = self.get(path)
        return value if isinstance(value, str) else None

    def integer(self, path: str) -> int | None:
        value = self.get(path)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def decimal(self, path: str) -> Decimal | None:
        """An amount or a rate (its ``%`` dropped) as an exact Decimal, when the schema accepted it."""
        value = self.text(path)
        if value is None:
            return None
        try:
            return Decimal(value.removesuffix("%"))
        except InvalidOperation:  # the schema let through text that is no number: not a check's business
            return None

    def calendar_date(self, path: str) -> date | None:
        value = self.text(path)
        try:
            return date.fromisoformat(value) if value is not None and len(value) == 10 else None
        except ValueError:
            return None

    def report(
        self,
        path: str,
        message: str,
        *,
        rule: str,
        severity: Severity = "error",
        citation: str = "",
        key: bool = False,
    ) -> Diagnostic:
        line, column = self.spec.locate(path, key=key)
        return Diagnostic(self.spec.path, line, column, path, message, severity, rule, citation)


Check = Callable[[CheckContext, str], Iterable[Diagnostic]]
