"""Parallel parts: with part processes, the joined PDF is the single-pass PDF, to the byte.

The issue asks that the joined PDF's text, page count, footers, fonts and pixels equal the single-pass PDF's;
equal bytes give all of them, and the page images and footers are compared too, so that a failure says what
differs. Every sample is rendered both ways, with and without a 骑缝章 strip (a fixed box on every page), and
customer-service-all-options has its signature block pushed to a page of its own (two layouts). A child that
dies, hangs or cannot join gives the one-pass PDF and is ended with its layout; a child whose layouts joined
stands for the next ones until it is ended (tests/writers/test_part_children.py).
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from page_images import differing_pages
from part_fixtures import reaped, rendered
from render_helpers import ROOT

from contractgen.writers import part_children, pdf_parts, pdf_workers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("forked")]

SAMPLES = ["customer-service", "customer-service-all-options", "customer-service-person", "loan-guaranteed"]


def footers(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return [" ".join(re.findall(r"第\s*\d+\s*页\s*共\s*\d+\s*页", text)) for text in pages]


@pytest.fixture(autouse=True)
def no_other_threads() -> None:
    # A process with other threads never forks part processes, and every test here needs it to: a fixture of
    # another module whose threads outlive it (tests/server's pool once did, on the same xdist worker) would
    # otherwise show here as a one-pass layout.
    others = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
    assert pdf_workers._forkable(), f"threads left running by earlier tests: {others}"


@pytest.mark.parametrize("cross_page_seal", [False, True])
@pytest.mark.parametrize("name", SAMPLES)
def test_the_joined_pdf_is_the_single_pass_pdf(
    joins: list[int], forked: list[int], name: str, cross_page_seal: bool
) -> None:
    one = rendered(name, cross_page_seal)
    assert joins == []
    both = rendered(name, cross_page_seal, processes=1)
    assert joins
    assert joins[-1] > 10
    assert footers(both) == footers(one)
    assert footers(both)[-1].endswith(f"第 {joins[-1]} 页 共 {joins[-1]} 页")
    assert both == one
    assert forked
    assert part_children.standing_pids() == forked  # it waits for the next layout
    pdf_workers.end_part_processes()
    assert reaped(forked)


def test_the_joined_pages_are_pixel_identical(joins: list[int]) -> None:
    one = rendered("customer-service")
    both = rendered("customer-service", processes=1)
    assert joins
    assert differing_pages(one, both) == []


def test_three_runs_join_as_two_do(joins: list[int]) -> None:
    assert rendered("customer-service", processes=2) == rendered("customer-service")
    assert joins


def test_runs_are_consecutive_parts_covering_the_document(sample_document: Any) -> None:
    for count in (2, 3, 4):
        runs = pdf_workers.split_runs(sample_document, count)
        assert len(runs) == count
        assert [part for run in runs for part in run.parts] == list(sample_document.parts)
        assert all(
            run.title == sample_document.title and run.contract_no == sample_document.contract_no for run in runs
        )


def test_the_runs_carry_about_equal_work(sample_document: Any) -> None:
    costs = [pdf_workers._cost(sample_document, n) for n in range(len(sample_document.parts))]
    first, _second = pdf_workers.split_runs(sample_document, 2)
    cut = len(first.parts)

    def larger(at: int) -> float:
        return max(sum(costs[:at]), sum(costs[at:]))

    assert all(larger(cut) <= larger(other) for other in range(1, len(costs)))
    assert 0.35 < sum(costs[:cut]) / sum(costs) < 0.65


def test_pages_on_sides_are_laid_out_in_one_pass() -> None:
    assert pdf_parts.side_rules("@page :left { margin-left: 3cm }")
    assert pdf_parts.side_rules("@page chapter:nth(2) { }")
    assert not pdf_parts.side_rules((ROOT / "templates" / "zh" / "print.css").read_text(encoding="utf-8"))


def test_a_child_that_dies_gives_the_one_pass_pdf(
    joins: list[int], forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_workers, "_lay_out_later_run", lambda *args: os._exit(3))
    assert rendered("customer-service-person", processes=1) == rendered("customer-service-person")
    assert joins == []
    assert forked
    assert reaped(forked)


def test_a_child_that_hangs_is_killed_and_the_pdf_laid_out_in_one_pass(
    joins: list[int], forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_workers, "ANSWER_SECONDS", 0.5)
    monkeypatch.setattr(pdf_workers, "_lay_out_later_run", lambda *args: time.sleep(600))
    start = time.monotonic()
    assert rendered("customer-service-person", processes=1) == rendered("customer-service-person")
    assert time.monotonic() - start < 30
    assert joins == []
    assert forked
    assert reaped(forked)


def test_a_child_that_cannot_join_says_so_and_the_pdf_is_laid_out_in_one_pass(
    joins: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(conn: Any, *args: Any) -> None:
        conn.send(("unjoinable", "images or patterns"))

    monkeypatch.setattr(pdf_workers, "_lay_out_later_run", refuse)
    assert rendered("customer-service-person", processes=1) == rendered("customer-service-person")
    assert joins == []
    assert part_children.standing_pids() == []


def test_a_process_with_other_threads_is_not_forked(joins: list[int]) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="somebody-else")
    thread.start()
    try:
        rendered("customer-service-person", processes=1)
    finally:
        stop.set()
        thread.join()
    assert joins == []


def test_one_part_process_for_each_cpu_no_job_uses() -> None:
    assert pdf_workers.part_processes_for(1, cpus=1) == 0
    assert pdf_workers.part_processes_for(1, cpus=2) == 1
    assert pdf_workers.part_processes_for(2, cpus=2) == 0
    assert pdf_workers.part_processes_for(3, cpus=2) == 0
    assert pdf_workers.part_processes_for(2, cpus=8) == 3
    assert pdf_workers.part_processes_for(1, cpus=64) == pdf_workers.MAX_PART_PROCESSES


@pytest.mark.parametrize(("quota", "cpus"), [("max 100000", None), ("150000 100000", 2), ("50000 100000", 1)])
def test_a_container_quota_bounds_the_cpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quota: str, cpus: int | None
) -> None:
    (tmp_path / "cpu.max").write_text(quota + "\n", encoding="ascii")
    monkeypatch.setattr(pdf_workers, "CPU_MAX", tmp_path / "cpu.max")
    affinity = len(os.sched_getaffinity(0))
    assert pdf_workers.available_cpus() == (affinity if cpus is None else min(affinity, cpus))


def test_the_quiet_threads_are_the_ones_contractgen_starts() -> None:
    import inspect

    from contractgen.batch import pool
    from contractgen.bundling import provenance

    assert provenance.DIGEST_THREAD in pdf_workers.QUIET_THREADS
    assert all(
        name == provenance.DIGEST_THREAD or f'name="{name}"' in inspect.getsource(pool)
        for name in pdf_workers.QUIET_THREADS
    )
