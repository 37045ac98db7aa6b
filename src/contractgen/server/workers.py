"""The warm pool: renders for the server in worker processes started once, never on the event loop.

The processes are the batch stage's (:mod:`contractgen.batch.pool`): the same fork server context, which
imports WeasyPrint and the writers once, the same worker start-up (Ctrl-C left to the server, a worker that
ends with the server), and the same ``_call``, which turns a spec's failure into an
:class:`~contractgen.batch.outcome.Outcome` with its diagnostics. The fork server also renders once
(:mod:`contractgen.server.warm_start`), so every worker forked from it, a replacement too, starts with its
templates, stylesheets and fonts loaded; each worker resolves the fonts at start
(:func:`contractgen.server.tasks.warm_up`), where there is no fork server too.

The workers are started in a thread: starting them waits for the fork server's imports and render (seconds),
which must delay neither the server's URL nor its event loop; a request waits for that start, off the loop.

Load is bounded: at most ``jobs`` renders run and ``queue`` more wait; beyond that :class:`Busy` (503). A
render has ``timeout`` seconds; past it, or when a worker dies (killed, out of memory), the pool is replaced by
a new one and the request is answered with an error — the server keeps serving. A worker is replaced after
``recycle`` tasks, so memory stays flat over hundreds of renders.

This module must not know what a task produces, and must not import aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from contractgen.batch.outcome import Outcome
from contractgen.batch.pool import _call, _outcome_of, _pool_context, _stop_workers, _worker_init
from contractgen.errors import EXIT_RENDER, ContractgenError
from contractgen.writers.pdf_workers import part_processes_for

__all__ = ["Busy", "WorkerPool"]

R = TypeVar("R")

PRELOAD = (
    "contractgen.validation.validator",
    "contractgen.writers.docx",
    "contractgen.writers.pdf",
    "contractgen.server.tasks",
    "weasyprint",
    "contractgen.server.warm_start",  # last: it renders, with everything above imported
)


class Busy(Exception):
    """Every worker is busy and the queue is full: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _start(parent: int, part_processes: int) -> None:
    """A worker's start: the batch pool's, then the renderers warmed up (a missing font fails its requests), and
    ``part_processes`` children to lay out each PDF's later parts (a CPU no worker uses: writers/pdf_workers.py)."""
    _worker_init(parent)
    from contractgen.server.tasks import warm_up
    from contractgen.writers.pdf_workers import set_part_processes

    with contextlib.suppress(ContractgenError):
        warm_up()
    set_part_processes(part_processes)


def _ready() -> int:
    return os.getpid()


def _spawn(executor: ProcessPoolExecutor, jobs: int) -> None:
    """Start ``jobs`` worker processes (a submitted task starts one while none is idle)."""
    with contextlib.suppress(RuntimeError, BrokenProcessPool, OSError):  # closed or broken meanwhile: its
        for _ in range(jobs):  # requests say so
            executor.submit(_ready)


class WorkerPool:
    """``jobs`` warm worker processes, ``queue`` requests waiting at most, ``timeout`` seconds a render."""

    def __init__(self, jobs: int = 1, *, queue: int = 8, timeout: float = 120.0, recycle: int = 100) -> None:
        self.jobs, self.queue, self.timeout, self.recycle = jobs, queue, timeout, recycle
        self._executor: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None  # starting the workers of ``_executor``
        self._running = 0  # submitted and not yet answered

    def start(self) -> None:
        """Start the workers now, in the background (the fork server imports and warms up first)."""
        if self._executor is None:
            self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=_pool_context(PRELOAD),
            initializer=_start,
            initargs=(os.getpid(), part_processes_for(self.jobs)),
            max_tasks_per_child=self.recycle,
        )
        # While it starts them, submitting holds the executor's lock: only once they are started may the event
        # loop submit (see run) without waiting on that lock.
        self._starting = threading.Thread(
            target=_spawn, args=(executor, self.jobs), name="contractgen-workers-start", daemon=True
        )
        self._starting.start()
        return executor

    async def _started(self) -> None:
        starting = self._starting
        if starting is not None and starting.is_alive():
            await asyncio.to_thread(starting.join)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool in place of ``broken`` (once, whichever of its requests finds it first)."""
        if self._executor is broken:
            self._executor = self._new()
            _stop_workers(broken)

    @property
    def busy(self) -> bool:
        return self._running >= self.jobs + self.queue

    async def run(self, task: Callable[[Path, Any], R], name: str, job: Any) -> Outcome[R]:
        """``task(Path(name), job)`` in a worker; its outcome (a failure, a crash or a timeout included)."""
        if self.busy:
            raise Busy(retry_after=max(1, int(self.timeout // 10)))
        self.start()
        executor = self._executor
        assert executor is not None
        self._running += 1
        try:
            await self._started()  # at the server's start: the fork server's warm-up, not counted in the timeout
            try:
                future = executor.submit(_call, task, Path(name), job)
                outcome: Outcome[R] = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
            except TimeoutError:
                self._replace(executor)  # the worker is stuck in the render: only a new process frees it
                return Outcome(Path(name), code=EXIT_RENDER, message=f"生成超时（超过 {self.timeout:g} 秒），已中止")
            except BrokenProcessPool as error:  # a worker died: its requests fail, the next ones get a new pool
                self._replace(executor)
                return _outcome_of(Path(name), error)
            return outcome
        finally:
            self._running -= 1

    def close(self) -> None:
        """Stop every worker (at the server's end; during the start, once the workers being started are)."""
        if self._starting is not None:
            self._starting.join(timeout=60)
        if self._executor is not None:
            _stop_workers(self._executor)
            self._executor = None
