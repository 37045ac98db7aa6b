"""Seal spots: a square in the signature block that no text, rule or border enters, where it was laid out.

The sample's signature block, with a ``<seal/>`` spot under each party's 盖章 line (42 mm, and 45 mm for one
side), rendered to PDF: the layout gives each spot's page and rectangle (``lay_out_pdf``), the rectangle is the
spot's size, inside the page margins, and ``pdftotext -bbox`` finds no word inside it; the DOCX reserves a row of
exactly the spot's height with nothing in its cells.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from render_helpers import ROOT, W_NS

from contractgen.document.tree import Document, Keep, SealSpot, Signature, SignatureSide
from contractgen.writers.docx import write_docx
from contractgen.writers.fonts import resolve
from contractgen.writers.pdf import PdfFile, lay_out_pdf

pytestmark = pytest.mark.slow

LANGUAGE_FOLDER = ROOT / "templates" / "zh"
MM = 72 / 25.4


def _with_spots(side: SignatureSide, spot: SealSpot) -> SignatureSide:
    return SignatureSide((side.lines[0], spot, *side.lines[1:]))


def _replace_signature(blocks: tuple[Any, ...], sizes: tuple[int, int]) -> tuple[Any, ...]:
    out = []
    for original in blocks:
        block = original
        if isinstance(original, Keep):
            block = Keep(_replace_signature(original.blocks, sizes))
        elif isinstance(original, Signature):
            a, b = original.sides
            block = Signature(
                (_with_spots(a, SealSpot("a", "seal", sizes[0])), _with_spots(b, SealSpot("b", "seal", sizes[1])))
            )
        out.append(block)
    return tuple(out)


@pytest.fixture(scope="module")
def spotted(sample_document: Document) -> Document:
    contract = sample_document.parts[0]
    return dataclasses.replace(
        sample_document, parts=(dataclasses.replace(contract, blocks=_replace_signature(contract.blocks, (42, 45))),)
    )


@pytest.fixture(scope="module")
def laid_out(spotted: Document) -> PdfFile:
    return lay_out_pdf(
        spotted,
        stylesheet=LANGUAGE_FOLDER / "print.css",
        asset_roots=(LANGUAGE_FOLDER,),
        fonts=resolve(),
        when=datetime(2026, 1, 1),
    )


def test_each_spot_is_where_the_layout_put_it_and_of_its_size(laid_out: PdfFile) -> None:
    spots = {s.party: s for s in laid_out.spots}
    assert sorted(spots) == ["a", "b"]
    for party, mm in (("a", 42), ("b", 45)):
        x0, y0, x1, y1 = spots[party].rect
        assert x1 - x0 == pytest.approx(mm * MM, abs=0.5)
        assert y1 - y0 == pytest.approx(mm * MM, abs=0.5)
        width, height = spots[party].page_size
        assert (width, height) == pytest.approx((595.28, 841.89), abs=0.5)  # A4
        assert x0 >= 28 * MM - 0.5  # inside the margins
        assert x1 <= width - 26 * MM + 0.5
        assert y0 >= 25 * MM - 0.5
        assert y1 <= height - 25 * MM + 0.5
    assert spots["a"].page == spots["b"].page
    assert spots["a"].rect[3] == pytest.approx(spots["b"].rect[3], abs=0.5)  # level tops, side by side
    assert spots["a"].rect[2] < spots["b"].rect[0]


def test_no_word_is_drawn_inside_a_spot(laid_out: PdfFile, tmp_path: Path) -> None:
    (tmp_path / "spots.pdf").write_bytes(laid_out.data)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "spots.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = html.split("<page ")[1:]
    for spot in laid_out.spots:
        page = pages[spot.page - 1]
        height = spot.page_size[1]
        x0, y0, x1, y1 = spot.rect
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)
        assert words  # the signature page has text
        inside = [
            w[4]
            for w in words
            if float(w[0]) < x1 and float(w[2]) > x0 and height - float(w[3]) < y1 and height - float(w[1]) > y0
        ]
        assert inside == [], spot


def test_the_docx_reserves_a_row_of_the_spot_size(spotted: Document, sample_context: dict[str, Any]) -> None:
    import zipfile

    from lxml import etree

    data = write_docx(spotted, house=LANGUAGE_FOLDER / "house.docx", context=sample_context, when=datetime(2026, 1, 1))
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    heights = body.findall(f".//{W_NS}trHeight")
    assert [(h.get(f"{W_NS}val"), h.get(f"{W_NS}hRule")) for h in heights] == [("2551", "exact")]
    row = heights[0].getparent().getparent()
    assert "".join(row.itertext()) == ""  # nothing in the reserved row, on either side
