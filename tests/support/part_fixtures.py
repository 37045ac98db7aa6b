"""Fixtures and helpers of the part-process tests (tests/writers/test_pdf_parts.py, test_part_children.py).

``forked`` records the pids of the part processes a test forks, with none standing from before the test and none
left after it; ``joins`` how many pages each join made (empty: every layout was one pass).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from render_helpers import SAMPLES, sample_pdf

from contractgen.writers import part_children, pdf_parts, pdf_workers


@pytest.fixture
def joins(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pages each join made (an empty list: the document was laid out in one pass)."""
    made: list[int] = []
    original = pdf_parts.join

    def counting(first: Any, runs: list[pdf_parts.FrozenPart], *, fonts: dict[Any, Any]) -> Any:
        joined = original(first, runs, fonts=fonts)
        made.append(len(joined.pages))
        return joined

    monkeypatch.setattr(pdf_parts, "join", counting)
    return made


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The pids of the part processes forked during a test, each from this test's code (none stands from before)."""
    pids: list[int] = []
    original = part_children._fork

    def recording(work: Any) -> part_children.Child:
        child = original(work)
        pids.append(child.pid)
        return child

    pdf_workers.end_part_processes()
    monkeypatch.setattr(part_children, "_fork", recording)
    yield pids
    pdf_workers.end_part_processes()


def rendered(name: str, cross_page_seal: bool = False, processes: int = 0) -> bytes:
    """The PDF of ``samples/<name>.yaml`` with ``processes`` part processes."""
    with pdf_workers.part_processes(processes):
        return sample_pdf(SAMPLES / f"{name}.yaml", cross_page_seal=cross_page_seal)


def reaped(pids: list[int]) -> bool:
    """Every one of ``pids`` has ended and been reaped: none is still this process's child."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True
