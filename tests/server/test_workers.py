"""The warm pool under load: a full queue is 503 with Retry-After, a crashed or stuck worker is replaced and its
request answered with an error, workers are recycled after their tasks — and the next request is served. The
workers start in the background, forked from a fork server that has rendered once."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from batch_tasks import echo
from server_client import SAMPLE, TOKEN, Api, Call

from contractgen.server import ServerConfig
from contractgen.server.workers import Busy, WorkerPool


def _spec(tmp_path: Path, text: str) -> str:
    path = tmp_path / f"{text}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def small_pool() -> WorkerPool:
    pool = WorkerPool(1, queue=0, timeout=3.0, recycle=2)
    yield pool  # type: ignore[misc]
    pool.close()


@pytest.mark.parametrize(
    ("text", "options", "said"),
    [("die", {}, "工作进程意外退出"), ("slow", {"sleep": 30.0}, "超时")],
    ids=["crashed", "stuck"],
)
def test_a_crashed_or_stuck_worker_is_replaced(
    small_pool: WorkerPool, tmp_path: Path, text: str, options: dict[str, float], said: str
) -> None:
    async def run() -> tuple[str, str | None]:
        failed = await small_pool.run(echo, _spec(tmp_path, text), options)
        after = await small_pool.run(echo, _spec(tmp_path, "ok"), {})
        return failed.message, after.value

    message, value = asyncio.run(run())
    assert said in message
    assert value is not None
    assert value.startswith("ok@")  # the next request is served by a new worker


def test_workers_are_recycled(small_pool: WorkerPool, tmp_path: Path) -> None:
    async def run() -> list[str]:
        return [str((await small_pool.run(echo, _spec(tmp_path, "ok"), {})).value) for _ in range(6)]

    pids = {value.split("@")[1] for value in asyncio.run(run())}
    assert len(pids) >= 3  # two tasks a worker: six tasks, three workers at least


def test_a_full_queue_is_503_with_retry_after(small_pool: WorkerPool, tmp_path: Path) -> None:
    async def run() -> tuple[str | None, bool]:
        slow = asyncio.ensure_future(small_pool.run(echo, _spec(tmp_path, "slow"), {"sleep": 1.0}))
        await asyncio.sleep(0.05)
        try:
            await small_pool.run(echo, _spec(tmp_path, "ok"), {})
        except Busy:
            busy = True
        else:
            busy = False
        return (await slow).value, busy

    value, busy = asyncio.run(run())
    assert busy
    assert value is not None
    assert value.startswith("slow@")

    small_pool._running = small_pool.jobs + small_pool.queue  # as if the pool were full: the HTTP answer
    api = Api(small_pool, ServerConfig(TOKEN))
    reply = api("POST", "/api/preview", SAMPLE.read_bytes())
    assert reply.status == 503
    assert int(reply.headers["Retry-After"]) >= 1
    assert "稍后再试" in reply.message
    small_pool._running = 0
    assert api.session([Call("GET", "/api/types")])[0].status == 200


def test_a_closed_pool_leaves_no_thread_behind(tmp_path: Path) -> None:
    # Threads outliving the pool would stop this process forking part processes (writers/pdf_workers.py).
    before = set(threading.enumerate())
    pool = WorkerPool(1, queue=0, timeout=3.0)

    async def run() -> None:
        await pool.run(echo, _spec(tmp_path, "ok"), {})
        await pool.run(echo, _spec(tmp_path, "die"), {})  # and a pool replaced after a crash

    asyncio.run(run())
    assert set(threading.enumerate()) > before
    pool.close()
    assert set(threading.enumerate()) <= before


def _python(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter (a fork server of its own, started from nothing)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_fork_server_renders_once_and_freezes_what_it_made() -> None:
    # What the workers inherit: WeasyPrint's engine made, the template folder opened, objects out of the collector.
    printed = _python(
        "import gc, contractgen.server.warm_start\n"
        "from contractgen.writers.pdf import _engine\n"
        "from contractgen.writers.rendering import _open_folder\n"
        "from contractgen.catalog import type_names\n"
        "print(_engine.cache_info().currsize, _open_folder.cache_info().currsize == len(type_names()),"
        " gc.get_freeze_count() > 0)"
    )
    assert printed == "1 True True"  # one engine; every type's folder, each rendered once


def test_a_failing_warm_up_does_not_fail_the_fork_server() -> None:
    printed = _python(
        "import contractgen.server.tasks as tasks\n"
        "def fail(): raise RuntimeError('no fonts')\n"
        "tasks.warm_render = fail\n"
        "import contractgen.server.warm_start\n"
        "print('imported')"
    )
    assert printed == "imported"


def test_starting_does_not_wait_for_the_workers_and_the_first_request_does() -> None:
    # The fork server imports and renders for seconds: start() returns at once, the first request waits for it.
    code = f"""
import asyncio, time
from pathlib import Path
from contractgen.server.tasks import Job, render_task
from contractgen.server.workers import WorkerPool

async def main():
    pool = WorkerPool(1, timeout=60.0)
    start = time.monotonic()
    pool.start()
    started = time.monotonic() - start
    outcome = await pool.run(render_task, "spec.yaml", Job(Path({str(SAMPLE)!r}).read_bytes()))
    pool.close()
    print(started < 0.5, outcome.ok and outcome.value.data.startswith(b"%PDF"))

if __name__ == "__main__":
    asyncio.run(main())
"""
    assert _python(code) == "True True"
