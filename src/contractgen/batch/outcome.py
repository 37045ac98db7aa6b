"""Outcomes: what became of each spec of a batch, and the batch summed up in an exit code and a line.

- :func:`discover_specs` turns command-line arguments (files and folders) into a sorted list of spec files;
- :class:`Outcome` is one spec's result: a value, or the error's exit code, message and diagnostics;
- :func:`exit_code` sums a batch up: 0 when every spec succeeded, else the lowest failing code — 3 when any
  spec is invalid, then 4 (template), then 5 (render/output); :func:`summary` counts successes and failures.

This module must not run tasks or print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from contractgen.batch.shards import SPEC_SUFFIXES, keyed_specs
from contractgen.errors import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_TEMPLATE,
    ContractgenError,
    InputError,
    RenderError,
    SpecError,
    TemplateError,
)

__all__ = ["SPEC_SUFFIXES", "Outcome", "discover_specs", "exit_code", "summary"]

R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What became of one spec: ``value`` on success, else the error's exit code, message and diagnostics."""

    spec: Path
    value: R | None = None
    code: int = EXIT_OK
    message: str = ""
    diagnostics: tuple[Any, ...] = field(default_factory=tuple)
    seconds: float = 0.0  # the task's own time, in its worker
    worker: str = ""  # host:pid of the process that ran the task ("" when it died before saying)
    skipped: bool = False  # --resume: made by an earlier run, proven by the ledger and the outputs' hashes

    @property
    def ok(self) -> bool:
        return self.code == EXIT_OK

    @property
    def status(self) -> str:
        """``rendered``, ``skipped`` (``--resume``), ``invalid`` (the spec has errors: its diagnostics say which)
        or ``failed``."""
        if self.ok:
            return "skipped" if self.skipped else "rendered"
        return "invalid" if self.diagnostics else "failed"

    def error(self) -> ContractgenError:
        """A failed outcome as an error again, with the same exit code (to report a lone spec's failure)."""
        if self.diagnostics:
            return SpecError(self.message, self.diagnostics)
        kind = {EXIT_INPUT: InputError, EXIT_TEMPLATE: TemplateError}.get(self.code, RenderError)
        return kind(self.message)


def discover_specs(paths: Sequence[Path | str]) -> list[Path]:
    """The spec files named by ``paths``: files as given, folders searched for ``*.yaml``/``*.yml``.

    Order: arguments in the order given, each folder's files sorted by path; duplicates are dropped.
    """
    return [spec for spec, _key in keyed_specs(paths)]


def exit_code(outcomes: Sequence[Outcome[Any]]) -> int:
    """0 if every spec succeeded; else the lowest failing exit code (3 invalid, 4 template, 5 render)."""
    codes = [outcome.code for outcome in outcomes if not outcome.ok]
    return min(codes) if codes else EXIT_OK


def summary(outcomes: Sequence[Outcome[Any]]) -> str:
    """``成功 3 份，失败 1 份`` (``成功 3 份（其中跳过 2 份），失败 1 份`` after ``--resume``): the last line of a
    batch command."""
    failed = sum(not outcome.ok for outcome in outcomes)
    skipped = sum(outcome.skipped for outcome in outcomes)
    also = f"（其中跳过 {skipped} 份：已生成且记录一致）" if skipped else ""
    return f"成功 {len(outcomes) - failed} 份{also}，失败 {failed} 份"
