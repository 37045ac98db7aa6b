"""Progress of a batch: a bar on a terminal, plain lines in CI (``CI`` set, or no TTY).

A failed spec's diagnostics are printed exactly as ``contractgen validate`` prints them, so a CI problem matcher
finds ``file:line:col:`` at the start of a line.

This module must not run tasks; it only reports the outcomes it is given.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Protocol, TextIO

import click

from contractgen.batch.outcome import Outcome
from contractgen.diagnostics import format_text

__all__ = ["BarProgress", "PlainProgress", "Progress", "choose_progress"]


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, outcome: Outcome[Any], describe: str) -> None: ...
    def finish(self) -> None: ...


def _failure_lines(outcome: Outcome[Any]) -> list[str]:
    """The lines under a failed spec's heading: its diagnostics exactly as ``validate`` prints them (a CI
    problem matcher finds ``file:line:col:`` at the start of a line), else its message, indented."""
    if outcome.diagnostics:
        lines = format_text(outcome.diagnostics).splitlines()
        return [*lines, f"    {outcome.message}"] if outcome.message else lines
    return [f"    {outcome.spec}: 错误：{outcome.message}"]


class PlainProgress:
    """One line per finished spec, for logs: ``[3/20] specs/a.yaml: 完成 → out/KF-1``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, outcome: Outcome[Any], describe: str) -> None:
        self.done += 1
        head = f"[{self.done}/{self.total}] {outcome.spec}"
        if outcome.ok:
            lines = [f"{head}: 完成 {describe}".rstrip()]
        else:
            lines = [f"{head}: 失败（退出码 {outcome.code}）", *_failure_lines(outcome)]
        # One write per spec: a Ctrl-C between print()'s text and its newline would glue the next line on.
        self.stream.write("".join(f"{line}\n" for line in lines))
        self.stream.flush()

    def finish(self) -> None:
        pass


class BarProgress:
    """A progress bar on a terminal (click's); failures are listed under it when the batch ends."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.failures: list[Outcome[Any]] = []
        self._bar: Any = None

    def start(self, total: int) -> None:
        self._bar = click.progressbar(length=total, label="生成中", file=self.stream, show_pos=True)
        self._bar.__enter__()

    def advance(self, outcome: Outcome[Any], describe: str) -> None:
        if not outcome.ok:
            self.failures.append(outcome)
        self._bar.update(1)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        for outcome in self.failures:
            print(f"{outcome.spec}: 失败（退出码 {outcome.code}）", file=self.stream)
            for line in _failure_lines(outcome):
                print(line, file=self.stream)


def choose_progress(stream: TextIO | None = None, *, environ: dict[str, str] | None = None) -> Progress:
    """A bar when ``stream`` is a terminal and this is not CI (``CI`` unset or false), else plain lines."""
    stream = stream or sys.stderr
    env = os.environ if environ is None else environ
    in_ci = env.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    interactive = hasattr(stream, "isatty") and stream.isatty()
    return BarProgress(stream) if interactive and not in_ci else PlainProgress(stream)
