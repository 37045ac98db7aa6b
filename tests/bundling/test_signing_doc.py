"""docs/signing.md's worked example is the product's: the sample's PartyA spot, converted into each platform's
coordinates, gives exactly the numbers the page shows.

The sample is bundled once; its ``signing-positions.json`` entry for ``contract.pdf``'s ``PartyA`` is converted
with the page's own formulas (half-up rounding, 2 decimals for points and 4 for fractions, as a reader does it by
hand), and every cell of the example's table must read as computed — so a layout change that moves the seal
cannot leave the page behind.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("contractgen.writers.rendering", reason="the render stage has not landed yet")

from contractgen.bundling import bundle
from contractgen.bundling.positions import POSITIONS_NAME

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
DOC = ROOT / "docs" / "signing.md"
NAME = "KF-2026-0001"


@pytest.fixture(scope="module")
def party_a(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("signing-doc")
    report = bundle([SAMPLE], out)
    assert report.ok, [o.message for o in report.outcomes]
    body = json.loads((out / NAME / POSITIONS_NAME).read_bytes())
    entry: dict[str, Any] = next(
        e for e in body["positions"] if e["document"] == "contract.pdf" and e.get("field") == "PartyA"
    )
    return entry


def _example() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("### Worked example")
    return text[start : text.index("\n## ", start)]


def _points(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _fraction(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _rows() -> dict[str, list[str]]:
    """The example table's rows by platform (the text of the first cell before its parenthesis)."""
    rows: dict[str, list[str]] = {}
    for line in _example().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and "(" in cells[0]:
            rows[cells[0].split("(")[0].strip()] = cells[1:]
    return rows


def test_the_example_shows_the_sample_spot(party_a: dict[str, Any]) -> None:
    rect = ", ".join(_points(Decimal(str(v))) for v in party_a["rect"])
    size = ", ".join(_points(Decimal(str(v))) for v in party_a["page_size"])
    assert f"page {party_a['page']},  rect [{rect}],  page_size [{size}]" in _example()


def test_every_conversion_in_the_example_is_the_products(party_a: dict[str, Any]) -> None:
    x0, y0, x1, y1 = (Decimal(str(v)) for v in party_a["rect"])
    width, height = (Decimal(str(v)) for v in party_a["page_size"])
    page = party_a["page"]
    two = Decimal(2)
    expected = {
        "e签宝": [
            str(page),
            _points(x0),
            _points(y0),
            _points(x1 - x0),
            _points(y1 - y0),
            f"({_points((x0 + x1) / two)}, {_points((y0 + y1) / two)})",
        ],
        "腾讯电子签": [str(page), _points(x0), _points(height - y1), _points(x1 - x0), _points(y1 - y0), ""],
        "契约锁": [
            str(page),
            _fraction(x0 / width),
            _fraction(y0 / height),
            _fraction((x1 - x0) / width),
            _fraction((y1 - y0) / height),
            "",
        ],
        "君子签": [str(page - 1), _fraction(x0 / width), _fraction((height - y1) / height), "", "", ""],
    }
    assert _rows() == expected


def test_the_worked_steps_use_the_same_numbers(party_a: dict[str, Any]) -> None:
    _, _, _, y1 = (Decimal(str(v)) for v in party_a["rect"])
    height = Decimal(str(party_a["page_size"][1]))
    top = height - y1
    example = _example()
    assert f"y' = {_points(height)} − {_points(y1)} = {_points(top)}" in example
    assert f"y = {_points(top)} / {_points(height)} = {_fraction(top / height)}" in example
