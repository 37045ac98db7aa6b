"""Batch runs: many specs, one task each, in parallel processes, every outcome collected.

Generic over the task, so ``render`` and ``bundle`` share it:

- :func:`discover_specs` turns command-line arguments (files and folders) into a sorted list of spec files;
- :func:`run_batch` runs ``task(spec, options)`` for each spec — in this process for ``jobs=1``, else in a
  pool of ``jobs`` worker processes (``forkserver``, or ``spawn`` where there is none) — and returns one
  :class:`Outcome` per spec, in input order. A failing spec never stops the others: a
  :class:`~contractgen.errors.ContractgenError` becomes that spec's outcome (message, diagnostics, exit
  code). ``on_result`` runs in this process on each success (to move its output into place), so outputs
  appear one complete unit at a time — in input order whatever the order tasks finish in, so which of two
  specs that claim the same output comes "second" does not depend on ``jobs`` or timing;
- :func:`exit_code` sums a batch up: 0 when every spec succeeded, else the lowest failing code — 3 when any
  spec is invalid, then 4 (template), then 5 (render/output); :func:`summary` counts successes and failures;
- progress: :func:`choose_progress` picks a bar on a terminal and plain lines in CI (``CI`` set, or no TTY);
  a failed spec's diagnostics are printed exactly as ``contractgen validate`` prints them.

On Ctrl-C, pending specs are cancelled, worker processes are stopped, and ``KeyboardInterrupt`` propagates
(the CLI exits 130); callers clean their temporary outputs in ``finally``.

This module must not know what a task produces, and must not write outputs itself (locking an output
directory is :func:`contractgen.output.locked`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TextIO, TypeVar

import click

from contractgen.diagnostics import format_text
from contractgen.errors import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_RENDER,
    EXIT_TEMPLATE,
    ContractgenError,
    InputError,
    RenderError,
    SpecError,
    TemplateError,
)

__all__ = [
    "SPEC_SUFFIXES",
    "BarProgress",
    "Outcome",
    "PlainProgress",
    "Progress",
    "choose_progress",
    "discover_specs",
    "exit_code",
    "run_batch",
    "summary",
]

SPEC_SUFFIXES = (".yaml", ".yml")

OptionsT = TypeVar("OptionsT")
R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What became of one spec: ``value`` on success, else the error's exit code, message and diagnostics."""

    spec: Path
    value: R | None = None
    code: int = EXIT_OK
    message: str = ""
    diagnostics: tuple[Any, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.code == EXIT_OK

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
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"找不到合同规格文件或目录：{path}")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise InputError("没有找到任何合同规格文件（*.yaml / *.yml）")
    return unique


def exit_code(outcomes: Sequence[Outcome[Any]]) -> int:
    """0 if every spec succeeded; else the lowest failing exit code (3 invalid, 4 template, 5 render)."""
    codes = [outcome.code for outcome in outcomes if not outcome.ok]
    return min(codes) if codes else EXIT_OK


def summary(outcomes: Sequence[Outcome[Any]]) -> str:
    """``成功 3 份，失败 1 份``: the last line of a batch command."""
    failed = sum(not outcome.ok for outcome in outcomes)
    return f"成功 {len(outcomes) - failed} 份，失败 {failed} 份"


# --- progress -------------------------------------------------------------------------------------------


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


# --- running --------------------------------------------------------------------------------------------


def _outcome_of(spec: Path, error: BaseException) -> Outcome[Any]:
    if isinstance(error, SpecError):
        return Outcome(spec, code=error.exit_code, message=error.message, diagnostics=error.diagnostics)
    if isinstance(error, ContractgenError):
        return Outcome(spec, code=error.exit_code, message=error.message)
    return Outcome(spec, code=EXIT_RENDER, message=f"内部错误：{type(error).__name__}: {error}")


def _call(task: Callable[[Path, OptionsT], R], spec: Path, options: OptionsT) -> Outcome[R]:
    """Run one task and turn its result or error into data (exceptions do not pickle their diagnostics)."""
    try:
        return Outcome(spec, value=task(spec, options))
    except KeyboardInterrupt:
        raise
    except Exception as error:  # one spec's failure, whatever it is, must not stop the others
        return _outcome_of(spec, error)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it, and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    # Never fork this process: a forked worker inherits its threads and locks. A fork server is a clean
    # process that imports ``preload`` once; each worker is forked from it with those modules loaded.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop running work; its worker processes are in ``_processes``.
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)


def run_batch(
    specs: Sequence[Path],
    task: Callable[[Path, OptionsT], R],
    options: OptionsT,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    on_result: Callable[[Path, R], R] | None = None,
    describe: Callable[[R], str] = lambda value: "",
    preload: Sequence[str] = (),
) -> list[Outcome[R]]:
    """Run ``task(spec, options)`` for every spec; one :class:`Outcome` per spec, in the order of ``specs``.

    ``task`` must be a module-level function and ``options`` picklable when ``jobs > 1``. ``on_result`` runs
    here, in the calling process, on each success, in the order of ``specs`` (a finished task waits for
    those before it); whatever it returns becomes the outcome's value, and a ContractgenError it raises turns
    that spec into a failure. ``progress`` advances in the same order. ``preload``: modules worker processes
    import before their first task (where the platform has a fork server), so each does not pay for them.
    """
    if jobs < 1:
        raise InputError(f"-j 必须至少为 1，收到 {jobs}")
    results: dict[int, Outcome[R]] = {}
    if progress is not None:
        progress.start(len(specs))

    def settle(index: int, outcome: Outcome[R]) -> None:
        if outcome.ok and on_result is not None:
            try:
                value = on_result(outcome.spec, outcome.value)  # type: ignore[arg-type]
                outcome = Outcome(outcome.spec, value=value)
            except ContractgenError as error:
                outcome = _outcome_of(outcome.spec, error)
        results[index] = outcome
        if progress is not None:
            progress.advance(outcome, describe(outcome.value) if outcome.ok else "")  # type: ignore[arg-type]

    try:
        if jobs == 1 or len(specs) == 1:
            for index, spec in enumerate(specs):
                settle(index, _call(task, spec, options))
        else:
            pool = ProcessPoolExecutor(
                max_workers=min(jobs, len(specs)), mp_context=_pool_context(preload), initializer=_worker_init
            )
            try:
                futures = {pool.submit(_call, task, spec, options): i for i, spec in enumerate(specs)}
                pending: set[Future[Outcome[R]]] = set(futures)
                finished: dict[int, Outcome[R]] = {}  # done, waiting for the specs before them
                upcoming = 0
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        index = futures[future]
                        error = future.exception()
                        # a worker that died (killed, out of memory) fails its spec; the rest go on
                        finished[index] = future.result() if error is None else _outcome_of(specs[index], error)
                    while upcoming in finished:
                        settle(upcoming, finished.pop(upcoming))
                        upcoming += 1
            except BaseException:
                _stop_workers(pool)
                raise
            pool.shutdown(wait=True)
    finally:
        if progress is not None:
            progress.finish()
    return [results[index] for index in range(len(specs))]
