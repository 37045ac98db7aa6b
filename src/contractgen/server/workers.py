"""The warm pool: renders for the server in worker processes started once, never on the event loop.

The processes are the batch stage's (:mod:`contractgen.batch.pool`): the same fork server context, which
imports WeasyPrint and the writers once, the same worker start-up (Ctrl-C left to the server, a worker that
ends with the server), and the same ``_call``, which turns a spec's failure into an
:class:`~contractgen.batch.outcome.Outcome` with its diagnostics. Each worker also resolves the fonts at start
(:func:`contractgen.server.tasks.warm_up`), so the first request does not pay for it.

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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from contractgen.batch.outcome import Outcome
from contractgen.batch.pool import _call, _outcome_of, _pool_context, _stop_workers, _worker_init
from contractgen.errors import EXIT_RENDER, ContractgenError

__all__ = ["Busy", "WorkerPool"]

R = TypeVar("R")

PRELOAD = (
    "contractgen.validation.validator",
    "contractgen.writers.docx",
    "contractgen.writers.pdf",
    "contractgen.server.tasks",
    "weasyprint",
)


class Busy(Exception):
    """Every worker is busy and the queue is full: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _start(parent: int) -> None:
    """A worker's start: the batch pool's, then the renderers warmed up (a missing font fails its requests)."""
    _worker_init(parent)
    from contractgen.server.tasks import warm_up

    with contextlib.suppress(ContractgenError):
        warm_up()


def _ready() -> int:
    return os.getpid()


class WorkerPool:
    """``jobs`` warm worker processes, ``queue`` requests waiting at most, ``timeout`` seconds a render."""

    def __init__(self, jobs: int = 1, *, queue: int = 8, timeout: float = 120.0, recycle: int = 100) -> None:
        self.jobs, self.queue, self.timeout, self.recycle = jobs, queue, timeout, recycle
        self._executor: ProcessPoolExecutor | None = None
        self._running = 0  # submitted and not yet answered

    def start(self) -> None:
        """Start the workers now (each imports and warms up in the background)."""
        if self._executor is None:
            self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=_pool_context(PRELOAD),
            initializer=_start,
            initargs=(os.getpid(),),
            max_tasks_per_child=self.recycle,
        )
        for _ in range(self.jobs):
            executor.submit(_ready)  # spawns the processes, which warm up while the server starts listening
        return executor

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool in place of ``broken`` (once, whichever of its requests notices first)."""
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
        """Stop every worker (at the server's end)."""
        if self._executor is not None:
            _stop_workers(self._executor)
            self._executor = None
