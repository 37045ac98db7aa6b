"""Seal spots: room in the signature blocks that no text, rule or border enters, where it was laid out.

The sample as the templates lay it out (a seal under each party's 盖章 line and a signature spot under its 签字
line, in the main signature block and the annexes' forms), with ``signing.seal_mm`` 42 and 45, rendered to PDF:
the layout gives each spot's page and rectangle (``lay_out_pdf``), the rectangle is the spot's size, inside the
page margins, and ``pdftotext -bbox`` finds no word inside it; the DOCX reserves a row of exactly the tallest
spot's height with nothing in its cells.
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
from customer_service_model import Contract
from installed import needs
from pdf_pixels import gray_inside
from render_helpers import ROOT, W_NS, lay_out

from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Party
from contractgen.document.tree import Document, SealSpot, Signature, iter_blocks, seal_spots
from contractgen.writers.docx import write_docx
from contractgen.writers.pdf import PdfFile
from contractgen.writers.rendering import template_folder

pytestmark = pytest.mark.slow

LANGUAGE_FOLDER = ROOT / "templates" / "zh"
MM = 72 / 25.4


#: A company name of 60 characters: it wraps in its column, and must not push a spot off its page.
LONG_NAME = (
    "中国建筑第八工程局有限公司上海浦东新区张江高科技园区"
    "数字化客户服务管理与信息技术咨询服务及人力资源外包业务上海第一分公司"
)
assert len(LONG_NAME) == 60
PERSON = Party(kind="person", name="沈佳怡", address="江苏省苏州市姑苏区人民路1号", id_number="320508199001011234")


def _variant(contract: Contract, name: str) -> Contract:
    if name == "45mm":  # the largest seal a spec may ask for
        return dataclasses.replace(contract, signing=dataclasses.replace(contract.signing, seal_mm=45))
    if name == "long-name":
        return dataclasses.replace(contract, party_a=dataclasses.replace(contract.party_a, name=LONG_NAME))
    if name == "person":
        return dataclasses.replace(contract, party_b=PERSON)
    return contract


@pytest.fixture(scope="module", params=["42mm", "45mm", "long-name", "person"])
def spotted(request: pytest.FixtureRequest, loaded_sample: Contract) -> Document:
    """The sample as the templates lay it out: with the default 42 mm seal, the largest (45 mm), a 60-character
    company name for 甲方, and a person as 乙方."""
    contract = _variant(loaded_sample, request.param)
    folder = template_folder(contract.type)
    return compose(folder, build_context(contract, folder.parts, folder.title))


@pytest.fixture(scope="module")
def laid_out(spotted: Document) -> PdfFile:
    return lay_out(spotted)


def test_each_spot_is_where_the_layout_put_it_and_of_its_size(spotted: Document, laid_out: PdfFile) -> None:
    planned = [spot for spot, _ in seal_spots(spotted)]
    assert [(s.party, s.kind) for s in laid_out.spots] == [(s.party, s.kind) for s in planned]
    for spot, laid in zip(planned, laid_out.spots, strict=True):
        width_mm, height_mm = spot.size_mm
        x0, y0, x1, y1 = laid.rect
        assert x1 - x0 == pytest.approx(width_mm * MM, abs=0.5)
        assert y1 - y0 == pytest.approx(height_mm * MM, abs=0.5)
        width, height = laid.page_size
        assert (width, height) == pytest.approx((595.28, 841.89), abs=0.5)  # A4
        assert x0 >= 28 * MM - 0.5  # inside the margins
        assert x1 <= width - 26 * MM + 0.5
        assert y0 >= 25 * MM - 0.5
        assert y1 <= height - 25 * MM + 0.5
    a, b = (next(s for s in laid_out.spots if s.party == p) for p in "ab")  # each party's in the main block
    assert a.page == b.page  # side by side, level tops
    assert a.rect[3] == pytest.approx(b.rect[3], abs=0.5)
    assert a.rect[2] < b.rect[0]


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


def test_nothing_is_drawn_inside_a_spot(laid_out: PdfFile, tmp_path: Path) -> None:
    # No glyph, rule or border: the spot's inside, rendered, is white paper (a 0.5 pt edge left for antialiasing).
    (tmp_path / "spots.pdf").write_bytes(laid_out.data)
    for spot in laid_out.spots:
        pixels = gray_inside(tmp_path / "spots.pdf", spot.page, spot.rect, spot.page_size[1], inset=0.5)
        assert len(pixels) > 1000
        assert min(pixels) == 255, spot


def test_each_keyword_stands_right_above_its_spot(spotted: Document, laid_out: PdfFile, tmp_path: Path) -> None:
    # Where a platform finds the keyword, the spot is right under it, left edges aligned: the text and the layout agree.
    (tmp_path / "spots.pdf").write_bytes(laid_out.data)
    words = _words(tmp_path / "spots.pdf")
    for (_spot, keyword), laid in zip(seal_spots(spotted), laid_out.spots, strict=True):
        top = laid.page_size[1] - laid.rect[3]  # the spot's top, in points from the page top
        above = [
            w
            for w in words
            if w[0] == laid.page and w[5].startswith(keyword + "：") and abs(w[1] - laid.rect[0]) < 1 and w[4] <= top
        ]
        assert above, (keyword, laid)
        assert top - max(w[4] for w in above) < 12  # the line right above: lines are 28 pt apart, the text 12 pt


def test_the_docx_reserves_a_row_of_the_spot_size(spotted: Document, sample_context: dict[str, Any]) -> None:
    import zipfile

    from lxml import etree

    data = write_docx(spotted, house=LANGUAGE_FOLDER / "house.docx", context=sample_context, when=datetime(2026, 1, 1))
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    heights = [h for h in body.iter(f"{W_NS}trHeight") if h.get(f"{W_NS}hRule") == "exact"]
    # Row by row, the tallest spot of the row: the main block's seal row, then its signature row, then the annexes'.
    expected = []
    for block in (b for part in spotted.parts for b in iter_blocks(part.blocks) if isinstance(b, Signature)):
        for n in range(max(len(side.lines) for side in block.sides)):
            row = [side.lines[n] for side in block.sides if n < len(side.lines)]
            tallest = max((x.size_mm[1] for x in row if isinstance(x, SealSpot)), default=0)
            if tallest:
                expected.append((str(round(tallest * 1440 / 25.4)), "exact"))
    assert [(h.get(f"{W_NS}val"), h.get(f"{W_NS}hRule")) for h in heights] == expected
    assert expected[0] == (str(round(spotted_mm(spotted) * 1440 / 25.4)), "exact")
    for height in heights:
        row = height.getparent().getparent()
        assert "".join(row.itertext()) == ""  # nothing in a reserved row, on either side


def spotted_mm(document: Document) -> int:
    return next(spot.mm for spot, _ in seal_spots(document) if spot.kind == "seal")


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word poppler finds in ``pdf``: page (1-based), xMin, yMin, xMax, yMax (points from the top), text."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for number, page in enumerate(html.split("<page ")[1:], 1):
        for x0, y0, x1, y1, text in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
        ):
            out.append((number, float(x0), float(y0), float(x1), float(y1), text))
    return out


@needs("soffice", "LibreOffice opens the DOCX")
def test_libreoffice_leaves_each_spot_empty_under_its_keyword(
    spotted: Document, sample_context: dict[str, Any], tmp_path: Path
) -> None:
    # The DOCX as a word processor lays it out: under each 盖章/签字 line, a spot-sized square with no word in it.
    source = tmp_path / "contract.docx"
    source.write_bytes(
        write_docx(spotted, house=LANGUAGE_FOLDER / "house.docx", context=sample_context, when=datetime(2026, 1, 1))
    )
    command = ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    words = _words(tmp_path / "contract.pdf")
    checked = 0
    for spot, keyword in seal_spots(spotted):
        width, height = (mm * MM for mm in spot.size_mm)
        lines = [w for w in words if w[5].startswith(keyword + "：")]
        assert lines, keyword
        for page, x0, _y0, _x1, y1, _text in lines:
            inside = [
                w[5]
                for w in words
                if w[0] == page and w[1] < x0 + width and w[3] > x0 and w[2] < y1 + height - 1 and w[4] > y1 + 1
            ]
            assert inside == [], (keyword, page)
            assert y1 + height <= 841.89 - 25 * MM + 1  # the spot ends above the bottom margin
            checked += 1
    assert checked >= len(seal_spots(spotted))
