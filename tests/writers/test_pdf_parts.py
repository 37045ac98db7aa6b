"""Parallel parts: with a part worker running, the joined PDF is the single-pass PDF, to the byte.

The issue asks that the joined PDF's text, page count, footers, fonts and pixels equal the single-pass PDF's;
equal bytes give all of them, and the page images and footers are compared too, so that a failure says what
differs. Every sample is rendered both ways, with and without a 骑缝章 strip (a fixed box on every page), and
customer-service-all-options has its signature block pushed to a page of its own (two layouts).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from page_images import differing_pages
from render_helpers import ROOT

from contractgen.document import load_contract
from contractgen.writers import pdf_parts, pdf_workers
from contractgen.writers.fonts import resolve
from contractgen.writers.pdf import font_css
from contractgen.writers.rendering import PRINT_STYLESHEET, render_documents, template_folder

pytestmark = pytest.mark.slow

SAMPLES = ["customer-service", "customer-service-all-options", "customer-service-person"]


@pytest.fixture(scope="module")
def worker() -> Iterator[None]:
    folder = template_folder("customer-service")
    pdf_workers.start_part_workers(1, warm=(folder.asset(PRINT_STYLESHEET), folder.asset_roots, font_css(resolve())))
    try:
        yield
    finally:
        pdf_workers.stop_part_workers()


@pytest.fixture
def joins(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pages each join made (an empty list: the document was laid out in one pass)."""
    made: list[int] = []
    original = pdf_parts.join

    def counting(first: Any, later: list[pdf_parts.FrozenPart]) -> Any:
        joined = original(first, later)
        made.append(len(joined.pages))
        return joined

    monkeypatch.setattr(pdf_parts, "join", counting)
    return made


def single_pass(name: str, cross_page_seal: bool) -> bytes:
    saved = list(pdf_workers._workers)
    pdf_workers._workers.clear()
    try:
        contract, _ = load_contract(ROOT / "samples" / f"{name}.yaml")
        return render_documents(contract, formats=["pdf"], cross_page_seal=cross_page_seal)[
            f"{contract.contract_no}.pdf"
        ]
    finally:
        pdf_workers._workers.extend(saved)


def joined(name: str, cross_page_seal: bool) -> bytes:
    contract, _ = load_contract(ROOT / "samples" / f"{name}.yaml")
    return render_documents(contract, formats=["pdf"], cross_page_seal=cross_page_seal)[f"{contract.contract_no}.pdf"]


def footers(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return [" ".join(re.findall(r"第\s*\d+\s*页\s*共\s*\d+\s*页", text)) for text in pages]


@pytest.mark.parametrize("cross_page_seal", [False, True])
@pytest.mark.parametrize("name", SAMPLES)
def test_the_joined_pdf_is_the_single_pass_pdf(
    worker: None, joins: list[int], name: str, cross_page_seal: bool
) -> None:
    one = single_pass(name, cross_page_seal)
    assert joins == []
    both = joined(name, cross_page_seal)
    assert joins
    assert joins[-1] > 30
    assert footers(both) == footers(one)
    assert footers(both)[-1].endswith(f"第 {joins[-1]} 页 共 {joins[-1]} 页")
    assert both == one


def test_the_joined_pages_are_pixel_identical(worker: None, joins: list[int]) -> None:
    one = single_pass("customer-service", False)
    both = joined("customer-service", False)
    assert joins
    assert differing_pages(one, both) == []


def test_runs_are_consecutive_parts_covering_the_document(sample_document: Any) -> None:
    for count in (2, 3, 4):
        runs = pdf_workers.split_runs(sample_document, count)
        assert len(runs) == count
        assert [part for run in runs for part in run.parts] == list(sample_document.parts)
        assert all(
            run.title == sample_document.title and run.contract_no == sample_document.contract_no for run in runs
        )


def test_the_first_run_is_the_lighter(sample_document: Any) -> None:
    first, second = pdf_workers.split_runs(sample_document, 2)
    cost = pdf_workers._cost
    assert sum(cost(first, n) for n in range(len(first.parts))) < sum(cost(second, n) for n in range(len(second.parts)))


def test_pages_on_sides_are_laid_out_in_one_pass() -> None:
    assert pdf_parts.side_rules("@page :left { margin-left: 3cm }")
    assert pdf_parts.side_rules("@page chapter:nth(2) { }")
    assert not pdf_parts.side_rules((ROOT / "templates" / "zh" / "print.css").read_text(encoding="utf-8"))


def test_a_dead_worker_falls_back_to_one_pass(joins: list[int], tmp_path: Path) -> None:
    folder = template_folder("customer-service")
    pdf_workers.start_part_workers(1, warm=(folder.asset(PRINT_STYLESHEET), folder.asset_roots, font_css(resolve())))
    try:
        pdf_workers._workers[0].process.kill()
        pdf_workers._workers[0].process.join()
        both = joined("customer-service-person", False)
        assert joins == []
        assert pdf_workers.part_workers_running() == 0
    finally:
        pdf_workers.stop_part_workers()
    assert both == single_pass("customer-service-person", False)
