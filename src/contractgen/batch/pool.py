"""The pool: many specs, one task each, in this process or in parallel worker processes, every outcome collected.

:func:`run_batch` runs ``task(spec, options)`` for each spec — in this process for ``jobs=1``, else in a pool of
``jobs`` worker processes (``forkserver``, or ``spawn`` where there is none) — and returns one
:class:`~contractgen.batch.outcome.Outcome` per spec, in input order. A failing spec never stops the others: a
:class:`~contractgen.errors.ContractgenError` becomes that spec's outcome (message, diagnostics, exit code).
``on_result`` runs in this process on each success (to move its output into place), so outputs appear one
complete unit at a time — in input order whatever the order tasks finish in, so which of two specs that claim
the same output comes "second" does not depend on ``jobs`` or timing.

Workers are recycled: a worker process runs at most ``max_tasks_per_worker`` tasks (in expectation; a
generation of ``jobs`` workers gets ``jobs × max_tasks_per_worker`` tasks) and is then replaced by a fresh one
forked from the warm fork server, so a leak in a dependency cannot grow without bound. (Not by the executor's
``max_tasks_per_child``: on Python 3.11–3.13 it deadlocks once a backlog is queued, cpython gh-115634.) With
``jobs=1`` the tasks run in this process, unless there are more of them than one worker may run.

On Ctrl-C, pending specs are cancelled, worker processes are stopped, and ``KeyboardInterrupt`` propagates
(the CLI exits 130); callers clean their temporary outputs in ``finally``.

This module must not know what a task produces, and must not write outputs itself (locking an output
directory is :func:`contractgen.writers.output.locked`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from contractgen.batch.outcome import Outcome
from contractgen.batch.progress import Progress
from contractgen.errors import EXIT_RENDER, ContractgenError, InputError, SpecError

__all__ = ["DEFAULT_MAX_TASKS_PER_WORKER", "run_batch", "worker_name"]

#: Tasks a worker process runs before a fresh one replaces it (``--max-tasks-per-worker``): benchmarks/memory.py
#: measured a worker's memory flat over 300 renders, so this bounds what a future leak could do, at the cost of
#: one fork of the warm fork server (milliseconds) per 100 renders.
DEFAULT_MAX_TASKS_PER_WORKER = 100

OptionsT = TypeVar("OptionsT")
R = TypeVar("R")


def _outcome_of(spec: Path, error: BaseException) -> Outcome[Any]:
    if isinstance(error, SpecError):
        return Outcome(spec, code=error.exit_code, message=error.message, diagnostics=error.diagnostics)
    if isinstance(error, ContractgenError):
        return Outcome(spec, code=error.exit_code, message=error.message)
    if isinstance(error, BrokenProcessPool):  # the worker was killed (out of memory, a signal) or crashed
        return Outcome(spec, code=EXIT_RENDER, message="处理该规格的工作进程意外退出（可能内存不足或被系统终止）")
    if isinstance(error, MemoryError):
        return Outcome(spec, code=EXIT_RENDER, message="内存不足，未能处理该规格")
    if isinstance(error, OSError):
        where = error.filename or spec
        return Outcome(spec, code=EXIT_RENDER, message=f"系统错误：{error.strerror or error}（{where}）")
    return Outcome(spec, code=EXIT_RENDER, message=f"内部错误（请报告）：{type(error).__name__}: {error}")


def _call(task: Callable[[Path, OptionsT], R], spec: Path, options: OptionsT) -> Outcome[R]:
    """Run one task and turn its result or error into data (exceptions do not pickle their diagnostics), with
    the seconds it took and the worker that ran it."""
    start = time.perf_counter()
    try:
        outcome: Outcome[R] = Outcome(spec, value=task(spec, options))
    except KeyboardInterrupt:
        raise
    except Exception as error:  # one spec's failure, whatever it is, must not stop the others
        outcome = _outcome_of(spec, error)
    return dataclasses.replace(outcome, seconds=round(time.perf_counter() - start, 3), worker=worker_name())


def worker_name() -> str:
    """``host:pid`` of this process: where a spec was made, across the machines of a sharded batch."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_init(parent: int) -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it, and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(parent)


def _warm_worker_init(parent: int, fork_server_warm: bool) -> None:
    """A rendering worker's start: as any worker's, then the renderers imported and the fonts resolved — and,
    where no fork server rendered once for it (spawn), a render of its own (:mod:`.warming`)."""
    _worker_init(parent)
    from contractgen.batch.warming import warm_render, warm_up

    with contextlib.suppress(Exception):  # a missing font: each task meets it and reports it for its spec
        warm_up()
        if not fork_server_warm:
            warm_render()


def _end_with(parent: int) -> None:
    """End this worker when ``parent`` (the run's process) ends, however it ends — SIGKILL included.

    A worker's parent is the fork server, not the run, so a parent-death signal would not fire; and a worker
    holds the fork server's and the resource tracker's pipes open, so while it lives they never see the run go
    and live on too. A thread waits on a pidfd of the run (no pid-reuse race) and ends the worker at once.
    """
    try:
        handle = os.pidfd_open(parent)
    except ProcessLookupError:  # the run is already gone
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux 5.3+): poll the pid instead
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _alive(parent):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="contractgen-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pool_context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    # Never fork this process: a forked worker inherits its threads and locks. A fork server is a clean
    # process that imports ``preload`` once; each worker is forked from it with those modules loaded.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["contractgen.batch.worker_start", *preload])
    return context


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop running work; its worker processes are in ``_processes``, and
    # the thread that manages them in ``_executor_manager_thread`` (shutdown forgets it when it does not wait).
    processes = list(getattr(pool, "_processes", {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)
    # Once its processes are gone the manager thread ends, with its queue's feeder thread: wait for both, so
    # that no thread outlives the pool (a process with other threads never forks part processes).
    if manager is not None:
        manager.join(timeout=10)


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
    on_settled: Callable[[Outcome[R]], None] | None = None,
    max_tasks_per_worker: int = DEFAULT_MAX_TASKS_PER_WORKER,
    warm: bool = False,
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
                outcome = dataclasses.replace(outcome, value=value)
            except ContractgenError as error:
                outcome = dataclasses.replace(
                    _outcome_of(outcome.spec, error), seconds=outcome.seconds, worker=outcome.worker
                )
        results[index] = outcome
        if on_settled is not None:
            on_settled(outcome)
        if progress is not None:
            progress.advance(outcome, describe(outcome.value) if outcome.ok else "")  # type: ignore[arg-type]

    try:
        if (jobs == 1 and len(specs) <= max_tasks_per_worker) or len(specs) == 1:
            for index, spec in enumerate(specs):
                settle(index, _call(task, spec, options))
        else:
            generation = jobs * max_tasks_per_worker
            for first in range(0, len(specs), generation):  # a fresh pool of workers for every generation
                chunk = specs[first : first + generation]
                offset = partial(lambda base, index, outcome: settle(base + index, outcome), first)
                _run_in_pool(chunk, task, options, jobs=jobs, preload=preload, settle=offset, warm=warm)
    finally:
        if progress is not None:
            progress.finish()
    return [results[index] for index in range(len(specs))]


def _run_in_pool(
    specs: Sequence[Path],
    task: Callable[[Path, OptionsT], R],
    options: OptionsT,
    *,
    jobs: int,
    preload: Sequence[str],
    settle: Callable[[int, Outcome[R]], None],
    warm: bool = False,
) -> None:
    """Run the tasks in worker processes; ``settle`` each outcome in the order of ``specs``."""
    context = _pool_context([*preload, "contractgen.batch.warm_start"] if warm else preload)
    forked = context.get_start_method() == "forkserver"
    initializer: Callable[..., None] = _warm_worker_init if warm else _worker_init
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(specs)),
        mp_context=context,
        initializer=initializer,
        initargs=(os.getpid(), forked) if warm else (os.getpid(),),
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
