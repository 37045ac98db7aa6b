"""Every string field at its schema's maximum length, in every script, stays inside the page and appears whole.

The specs come from the schema itself (tests/support/max_length.py): one per script — Latin capitals without a
space, digits, CJK, a mix — with every string field at its longest, so four renders cover every field in
every kind of box it is printed in: paragraphs, table columns, the signature block, the header. A 100-letter
company name once ran past the right edge on eight pages, and the signature block showed 38 of its letters.

The PDF is measured, not looked at: `pdftotext -bbox` gives every word's box, which must lie in the page's
text area (or, for the header and footer, in the margin band they are set in, between the side margins).
The DOCX is laid out by Word or LibreOffice, not by contractgen, so it is checked for what lets them wrap —
fixed table layouts and cell widths, nothing that forbids wrapping or clips — and, when LibreOffice is
installed, converted and measured like the PDF.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from max_length import MAKERS, SCRIPTS, UNUSED, MaxLengthSpec, max_length_spec, string_fields
from render_helpers import docx_text, normalise

from contractgen import to_capital
from contractgen.document import load_contract
from contractgen.document.tree import Cell, Document, NoBreak, Paragraph, Part, Row, Table, Text, Underline
from contractgen.writers.docx import TEXT_WIDTH_TWIPS, body_xml
from contractgen.writers.html import to_html
from contractgen.writers.labels import has_long_word
from contractgen.writers.rendering import render_documents

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
# The text area: margins 25 mm top and bottom, 28 mm left, 26 mm right (print.css and the house template).
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, PAGE_WIDTH - 26 * MM, 25 * MM, PAGE_HEIGHT - 25 * MM
TOLERANCE_PT = 0.5
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
SOFFICE = shutil.which("soffice")

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@dataclass(frozen=True)
class Rendered:
    spec: MaxLengthSpec = dataclasses.field(repr=False)
    pdf: Path
    docx: bytes = dataclasses.field(repr=False)


@pytest.fixture(scope="module", params=SCRIPTS)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    spec = max_length_spec(request.param)
    contract, _warnings = load_contract(Path(f"max-{spec.script}.yaml"), text=spec.text)
    files = render_documents(contract)
    (pdf_name,) = (name for name in files if name.endswith(".pdf"))
    pdf = tmp_path_factory.mktemp(spec.script) / "contract.pdf"
    pdf.write_bytes(files[pdf_name])
    return Rendered(spec, pdf, files[pdf_name.removesuffix(".pdf") + ".docx"])


# --- the specs ----------------------------------------------------------------------------------------------


def test_every_string_field_of_the_schema_has_a_value_maker() -> None:
    fields = string_fields()
    assert {f.key for f in fields} == set(MAKERS)
    paths = {f.path for f in fields}
    assert {"party_a.name", "party_b.contact.email", "contract_no", "fee.instalments[].note"} <= paths


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_field_is_at_its_maximum_length_and_the_spec_is_valid(script: str) -> None:
    spec = max_length_spec(script)
    load_contract(Path(f"max-{script}.yaml"), text=spec.text)  # raises on any error
    for field in string_fields():
        if field.path in UNUSED or field.max_length is None:
            continue
        values = [v for path, v in spec.values.items() if re.sub(r"\[\d+\]", "[]", path) == field.path]
        assert values, field.path
        # A 大写 must equal the total: the largest total's takes 28 of the 60 characters the schema allows.
        expected = len(to_capital(Decimal("999999999999.99"))) if field.path == "fee.capital" else field.max_length
        assert {len(v) for v in values} == {expected}, field.path


# --- what the writers mark ---------------------------------------------------------------------------------


def _document(*blocks: Paragraph | Table) -> Document:
    return Document("合同", "KF-1", (Part("contract", "contract", "合同", blocks),))


NUMBER = NoBreak((Text("KF-2026-0001"),))
ACCOUNT = NoBreak((Text("6" * 32),))  # wider than a column of a tenth of the page
NARROW = Table((1, 9), (Row((Cell((ACCOUNT,)), Cell((NUMBER,)))),))


def test_a_nobr_that_fits_its_box_stays_unbroken_and_a_longer_one_may_break_inside_it() -> None:
    html = to_html(_document(Paragraph((Text("合同编号："), NUMBER)), NARROW))
    assert html.count('<span class="nobr">KF-2026-0001</span>') == 2
    assert f'<td><span class="nobr long"><span class="long-word">{"6" * 32}</span></span></td>' in html
    # An underline does not reach into an inline block: it is repeated inside.
    underlined = Table((1, 9), (Row((Cell((Underline((ACCOUNT,)),)), Cell(()))),))
    assert '<span class="nobr long"><u>' in to_html(_document(underlined))


def test_only_a_word_longer_than_its_line_is_marked_with_the_punctuation_bound_to_it() -> None:
    name = "SHANGHAI" * 6
    html = to_html(_document(Paragraph((Text(f"甲方：{name}（以下简称“甲方”）；KF-2026-0001 SHANGHAI"),))))
    assert f'甲方：<span class="long-word">{name}</span>（以下简称' in html
    assert html.count("long-word") == 1
    assert f'<span class="long-word">（{name}）。</span>' in to_html(_document(Paragraph((Text(f"见（{name}）。"),))))


def test_the_docx_writes_every_nobr_as_it_reads() -> None:
    # No joiners or no-break hyphens in the DOCX (they broke Word's Find): a nobr that fits and one that does not
    # are both plain text there; Word breaks the line where it must.
    body = body_xml(_document(Paragraph((Text("联系电话："), NoBreak((Text("021-68881234"),)))), NARROW))
    assert "<w:noBreakHyphen/>" not in body
    assert "021-68881234" in body
    long_cjk = NoBreak((Text("合同编号：" + "合" * 40),))
    assert "\u2060" not in body_xml(_document(Paragraph((long_cjk,))))
    assert "\u2060" not in body_xml(_document(Paragraph((NoBreak((Text("人民币叁拾陆万元整"),)),))))


def test_a_docx_paragraph_with_a_word_longer_than_its_line_is_set_left_not_justified() -> None:
    assert '<w:jc w:val="left"/>' in body_xml(_document(Paragraph((Text("电子邮箱：" + "A" * 60),))))
    assert "<w:jc " not in body_xml(_document(Paragraph((Text("电子邮箱：lijing@mingyuan-tech.cn"),))))


# --- the PDF ------------------------------------------------------------------------------------------------


def _word_boxes(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    # -raw: in drawing order, which keeps the lines of a table cell together.
    command = ["pdftotext", "-raw", "-bbox", str(pdf), "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    boxes = []
    for number, page in enumerate(out.split("<page ")[1:], 1):
        boxes += [(number, *map(float, m.groups()[:4]), m[5]) for m in WORD_BOX.finditer(page)]
    return boxes


def _outside(pdf: Path, right_slack: float = 0.0) -> list[str]:
    """Every word that is not inside the text area, nor (header, footer) in a margin band between the sides."""
    outside = []
    for page, x0, y0, x1, y1, text in _word_boxes(pdf):
        in_band = (y0 >= TOP - TOLERANCE_PT and y1 <= BOTTOM + TOLERANCE_PT) or y1 <= TOP or y0 >= BOTTOM
        in_columns = x0 >= LEFT - TOLERANCE_PT and x1 <= RIGHT + TOLERANCE_PT + right_slack
        if not (in_band and in_columns and y0 >= 0 and y1 <= PAGE_HEIGHT):
            outside.append(f"page {page}: {text[:24]}… ({x0:.1f}–{x1:.1f}, {y0:.1f}–{y1:.1f})")
    return outside


@pytest.mark.slow
@needs_pdftotext
def test_no_text_of_the_pdf_runs_outside_the_text_area(rendered: Rendered) -> None:
    assert len(_word_boxes(rendered.pdf)) > 1000
    assert _outside(rendered.pdf) == []


def _missing(text: str, spec: MaxLengthSpec) -> list[str]:
    return [path for path, shown in spec.shown.items() if normalise(shown) not in text]


def _text_drawn(pdf: Path) -> tuple[str, dict[int, str]]:
    """The text of the pages' text areas, and of each page's margins (header, footer), whitespace dropped."""
    body, margins = [], {}
    for page, _x0, y0, _x1, y1, text in _word_boxes(pdf):
        if y0 >= TOP - TOLERANCE_PT and y1 <= BOTTOM + TOLERANCE_PT:
            body.append(text)
        else:
            margins[page] = margins.get(page, "") + text
    return normalise("".join(body)), margins


@pytest.mark.slow
@needs_pdftotext
def test_every_value_appears_whole_in_the_pdf(rendered: Rendered) -> None:
    # A value broken over lines or pages reads whole once the line breaks are dropped.
    body, margins = _text_drawn(rendered.pdf)
    assert _missing(body, rendered.spec) == []
    header = normalise(f"合同编号：{rendered.spec.values['contract_no']}")
    assert len(margins) > 30
    assert [page for page, text in margins.items() if page > 1 and header not in text] == []


# --- the DOCX -----------------------------------------------------------------------------------------------


def _parts(docx: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"word/(document|styles|header\d*|footer\d*)\.xml", n)]
        return {name: etree.fromstring(archive.read(name)) for name in names}


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


@pytest.mark.slow
def test_every_value_appears_whole_in_the_docx(rendered: Rendered) -> None:
    assert _missing(docx_text(rendered.docx), rendered.spec) == []
    headers = [_text(root) for name, root in _parts(rendered.docx).items() if "header" in name]
    assert any(normalise(f"合同编号：{rendered.spec.values['contract_no']}") in normalise(h) for h in headers)


@pytest.mark.slow
def test_nothing_in_the_docx_keeps_text_from_wrapping_or_clips_it(rendered: Rendered) -> None:
    parts = _parts(rendered.docx)
    for name, root in parts.items():
        for tag in ("noWrap", "tcFitText", "framePr", "txbxContent", "fitText"):
            assert root.find(f".//{W}{tag}") is None, f"{name}: w:{tag}"
        # Only a seal spot's row has an exact height, and it holds no text to clip.
        exact = root.xpath("//w:tr[w:trPr/w:trHeight[@w:hRule='exact']]", namespaces={"w": W[1:-1]})
        assert ["".join(row.itertext()) for row in exact] == [""] * len(exact), name
    tables = parts["word/document.xml"].iter(f"{W}tbl")
    for table in tables:
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        grid = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
        assert sum(grid) <= TEXT_WIDTH_TWIPS
        for row in table.iter(f"{W}tr"):
            widths = [cell.find(f"{W}tcPr/{W}tcW") for cell in row.iter(f"{W}tc")]
            assert all(w is not None and w.get(f"{W}type") == "dxa" for w in widths)
            assert [int(w.get(f"{W}w")) for w in widths] == grid


@pytest.mark.slow
def test_no_docx_paragraph_with_a_word_longer_than_a_line_is_justified(rendered: Rendered) -> None:
    # Justified, the short line before such a word would spread its characters across the page (电　子　邮　箱).
    justified = {"BodyText", "Clause", "ListItem"}  # the house styles that justify: Normal's jc is "both"
    line_em = TEXT_WIDTH_TWIPS / 240
    spread = []
    for paragraph in _parts(rendered.docx)["word/document.xml"].iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val") not in justified or paragraph.find(f"{W}pPr/{W}jc") is not None:
            continue
        if has_long_word((Text(_text(paragraph)),), line_em):
            spread.append(_text(paragraph)[:40])
    assert spread == []


@pytest.fixture(scope="module")
def libreoffice_profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    # A profile of its own (never the user's, nor another run's), made once: making one takes seconds.
    return f"-env:UserInstallation=file://{tmp_path_factory.mktemp('libreoffice')}"


@pytest.mark.slow
@needs_pdftotext
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_docx_laid_out_by_libreoffice_stays_inside_the_page(
    rendered: Rendered, tmp_path: Path, libreoffice_profile: str
) -> None:
    docx = tmp_path / "contract.docx"
    docx.write_bytes(rendered.docx)
    command = [
        str(SOFFICE),
        libreoffice_profile,
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(docx),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "contract.pdf"
    # LibreOffice lets CJK punctuation at the end of a line hang into the margin, up to one character (12 pt):
    # the sample's own text does so. A field that ran out would overrun further, or lose its end.
    assert _outside(pdf, right_slack=12.0 + TOLERANCE_PT) == []
    assert _missing(_text_drawn(pdf)[0], rendered.spec) == []
