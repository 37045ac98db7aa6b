"""骑缝章: with ``--cross-page-seal`` (or ``signing.cross_page_seal: true``) every page of every PDF of the bundle
keeps the same strip free at its right edge — half the seal wide, the seal high, vertically centred — with a
light dashed outline and nothing else inside it (no word, no counterpart marker), and signing-positions.json
lists it once per page of each PDF; ``verify`` accepts the bundle. Without it, no page has a strip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pdf_pixels import gray_inside
from pypdf import PdfReader
from render_helpers import ROOT

from contractgen.bundling import bundle, verify

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "samples" / "customer-service.yaml"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def strip_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cross-page")
    report = bundle([SAMPLE], out, cross_page_seal=True)
    assert report.exit_code == 0
    return out / "KF-2026-0001"


@pytest.fixture(scope="module")
def positions(strip_bundle: Path) -> list[dict[str, Any]]:
    body = json.loads((strip_bundle / "signing-positions.json").read_text(encoding="utf-8"))
    return [e for e in body["positions"] if e["kind"] == "cross-page-seal"]


def _pdfs(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("*.pdf"))


def test_every_page_of_every_pdf_has_one_strip_at_the_same_place(
    strip_bundle: Path, positions: list[dict[str, Any]]
) -> None:
    for name in _pdfs(strip_bundle):
        pages = len(PdfReader(strip_bundle / name).pages)
        entries = [e for e in positions if e["document"] == name]
        assert [e["page"] for e in entries] == list(range(1, pages + 1))
        assert {e["party"] for e in entries} == {"all"}
        assert "field" not in {k for e in entries for k in e}
    rects = {tuple(e["rect"]) for e in positions}
    assert len(rects) == 1
    ((x0, y0, x1, y1),) = rects
    width, height = positions[0]["page_size"]
    assert x1 == pytest.approx(width, abs=0.5)  # reaches the page edge
    assert x1 - x0 == pytest.approx(21 * MM, abs=0.5)  # half the 42 mm seal
    assert y1 - y0 == pytest.approx(42 * MM, abs=0.5)
    assert (y0 + y1) / 2 == pytest.approx(height / 2, abs=0.5)
    assert x0 >= width - 26 * MM - 0.5  # inside the right margin: clear of the text


def test_nothing_is_drawn_inside_the_strip(strip_bundle: Path, positions: list[dict[str, Any]]) -> None:
    for entry in positions:
        if entry["page"] not in (1, 6, 10) and entry["page"] % 11:
            continue  # a sample of pages: the first, the signature page, an annex, and every eleventh
        pixels = gray_inside(
            strip_bundle / entry["document"], entry["page"], tuple(entry["rect"]), entry["page_size"][1]
        )
        assert pixels
        assert min(pixels) == 255, entry


def test_the_outline_marks_it(strip_bundle: Path, positions: list[dict[str, Any]]) -> None:
    entry = positions[0]
    pixels = gray_inside(strip_bundle / entry["document"], 1, tuple(entry["rect"]), entry["page_size"][1], inset=-1)
    assert 120 < min(pixels) < 255  # light grey dashes, not black


def test_the_bundle_verifies(strip_bundle: Path) -> None:
    assert verify(strip_bundle) == []


def test_without_it_no_page_has_a_strip(tmp_path: Path) -> None:
    report = bundle([SAMPLE], tmp_path)
    assert report.exit_code == 0
    body = json.loads((tmp_path / "KF-2026-0001" / "signing-positions.json").read_text(encoding="utf-8"))
    assert {e["kind"] for e in body["positions"]} == {"seal", "signature"}


def test_the_spec_can_ask_for_it(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "\nsigning:\n" in text
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.replace("\nsigning:\n", "\nsigning:\n  cross_page_seal: true\n"), encoding="utf-8")
    report = bundle([spec], tmp_path / "out")
    assert report.exit_code == 0
    body = json.loads((tmp_path / "out" / "KF-2026-0001" / "signing-positions.json").read_text(encoding="utf-8"))
    assert "cross-page-seal" in {e["kind"] for e in body["positions"]}
