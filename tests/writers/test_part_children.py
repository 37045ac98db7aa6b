"""Standing part processes: a child forked for one layout stands for the next ones, and is ended — killed and
reaped — when it fails, has laid out its share, has waited too long, is asked to, or its parent ends; a fork of
its parent leaves it alone. Every layout it joins is the one-pass PDF's bytes (tests/writers/test_pdf_parts.py
compares every sample).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from part_fixtures import reaped, rendered
from render_helpers import ROOT

from contractgen.writers import part_children, pdf_workers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("forked")]

SMALL = "customer-service-person"  # two layouts a render: its signature block is pushed to a page of its own


@pytest.fixture(scope="module")
def one_pass() -> bytes:
    return rendered(SMALL)


def test_a_child_stands_for_the_next_layouts(joins: list[int], forked: list[int], one_pass: bytes) -> None:
    for _ in range(3):
        assert rendered(SMALL, processes=1) == one_pass
    assert len(joins) == 6
    assert len(forked) == 1
    assert part_children.standing_pids() == forked
    pdf_workers.end_part_processes()
    assert part_children.standing_pids() == []
    assert reaped(forked)


def test_a_standing_child_that_died_is_replaced(joins: list[int], forked: list[int], one_pass: bytes) -> None:
    assert rendered(SMALL, processes=1) == one_pass
    os.kill(forked[0], signal.SIGKILL)
    assert rendered(SMALL, processes=1) == one_pass
    assert len(joins) == 4  # the dead one was found before the layout, not by it
    assert len(forked) == 2
    assert reaped(forked[:1])


def test_a_child_is_recycled_after_its_share_of_layouts(
    monkeypatch: pytest.MonkeyPatch, joins: list[int], forked: list[int], one_pass: bytes
) -> None:
    monkeypatch.setattr(part_children, "RECYCLE_LAYOUTS", 3)
    for _ in range(3):
        assert rendered(SMALL, processes=1) == one_pass
    assert len(joins) == 6
    assert len(forked) == 2  # layouts 1-3, then 4-6
    assert part_children.standing_pids() == []  # each ended as its share was done
    assert reaped(forked)


def test_a_child_that_waited_too_long_ends_itself(
    monkeypatch: pytest.MonkeyPatch, joins: list[int], forked: list[int], one_pass: bytes
) -> None:
    monkeypatch.setattr(part_children, "IDLE_SECONDS", 1.0)
    monkeypatch.setattr(part_children, "IDLE_MARGIN", 0.0)
    monkeypatch.setattr(part_children, "WATCH_SECONDS", 0.1)
    assert rendered(SMALL, processes=1) == one_pass
    deadline = time.monotonic() + 30
    while os.waitpid(forked[0], os.WNOHANG) == (0, 0):
        assert time.monotonic() < deadline, "the idle child did not end"
        time.sleep(0.1)
    assert rendered(SMALL, processes=1) == one_pass
    assert len(joins) == 4
    assert len(forked) == 2


def test_a_child_near_its_idle_end_is_not_given_a_run(
    monkeypatch: pytest.MonkeyPatch, joins: list[int], forked: list[int], one_pass: bytes
) -> None:
    monkeypatch.setattr(part_children, "IDLE_MARGIN", part_children.IDLE_SECONDS + 1)
    assert rendered(SMALL, processes=1) == one_pass
    assert len(joins) == 2
    assert len(forked) == 2  # each layout found the child of the one before it too idle
    assert reaped(forked[:1])


def test_a_fork_of_the_parent_leaves_its_children_alone(
    joins: list[int], forked: list[int], one_pass: bytes
) -> None:
    assert rendered(SMALL, processes=1) == one_pass
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(0 if part_children.standing_pids() == [] else 1)
        finally:
            os._exit(2)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert part_children.standing_pids() == forked
    assert rendered(SMALL, processes=1) == one_pass
    assert len(joins) == 4
    assert len(forked) == 1


def test_a_process_with_other_threads_does_not_use_its_child(joins: list[int], one_pass: bytes) -> None:
    assert rendered(SMALL, processes=1) == one_pass
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="somebody-else")
    thread.start()
    try:
        assert rendered(SMALL, processes=1) == one_pass
    finally:
        stop.set()
        thread.join()
    assert len(joins) == 2


def _gone(pid: int) -> bool:
    """``pid`` has ended: no such process, or a zombie left to an init that does not reap."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


RENDER_AND_END = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from contractgen.document import load_contract
    from contractgen.writers import part_children
    from contractgen.writers.pdf_workers import part_processes
    from contractgen.writers.rendering import render_documents

    contract, _ = load_contract(Path("samples/customer-service-person.yaml"))
    with part_processes(1):
        render_documents(contract, formats=["pdf"])
    print(*part_children.standing_pids(), flush=True)
    if sys.argv[1] == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.parametrize("how", ["exits", "killed"])
def test_a_child_ends_with_its_parent(how: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RENDER_AND_END, how], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == (-signal.SIGKILL if how == "killed" else 0), done.stderr
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 1
    deadline = time.monotonic() + 20
    while not all(_gone(pid) for pid in pids):
        assert time.monotonic() < deadline, f"part process {pids} outlived its parent"
        time.sleep(0.1)


def test_a_child_forked_under_an_output_lock_does_not_keep_it(tmp_path: Path, forked: list[int]) -> None:
    from contractgen.writers.output import locked

    with locked(tmp_path):
        rendered(SMALL, processes=1)
    assert part_children.standing_pids() == forked  # it stands, without its copy of the folder's lock
    with locked(tmp_path):
        pass
