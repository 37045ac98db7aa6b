"""The server's test set-up: one warm pool (one worker) for each module; clients from tests/support/server_client.

The pool lives for a module, not the session: its threads would outlive the folder on an xdist worker, and a
process with threads other than its own never forks part processes (writers/pdf_workers.py), so the tests of
parallel parts that the worker ran next would see the one-pass layout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from server_client import SAMPLE, TOKEN, Api

from contractgen.server import ServerConfig
from contractgen.server.workers import WorkerPool


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1, queue=4, timeout=120.0)
    workers.start()
    yield workers
    workers.close()


@pytest.fixture
def api(pool: WorkerPool) -> Api:
    return Api(pool, ServerConfig(TOKEN))


@pytest.fixture
def sample() -> bytes:
    return SAMPLE.read_bytes()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    # Each test's call report on its item, for fixtures that keep evidence of a failure (test_browser's shots).
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
