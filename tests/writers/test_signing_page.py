"""The signature page: where the text ends, and a signature block pushed to a page of its own.

The sample's signature block fits under （以下无正文） on the page where the text ends, and no page says
（本页无正文…）. The same document with blank room added before its last item pushes the block past that page:
then, and only then, the block stands on a page of its own under the template's note, in the PDF and the DOCX
alike, and the block is never split across pages.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfReader
from render_helpers import ROOT, W_NS, lay_out

from contractgen.document.structure import END_OF_TEXT
from contractgen.document.tree import Document, Keep, Signature, Spacer, iter_blocks
from contractgen.writers.docx import write_docx
from contractgen.writers.pdf import PdfFile

pytestmark = pytest.mark.slow

LANGUAGE_FOLDER = ROOT / "templates" / "zh"
NOTE = "（本页无正文，为《客户服务管理合同》之签署页）"


def _with_room(document: Document, spacers: int) -> Document:
    """``document`` with ``spacers`` blank lines before the kept last item and （以下无正文）."""
    contract = document.parts[0]
    at = max(n for n, block in enumerate(contract.blocks) if isinstance(block, Keep))
    blocks = contract.blocks[:at] + (Spacer(),) * spacers + contract.blocks[at:]
    return dataclasses.replace(document, parts=(dataclasses.replace(contract, blocks=blocks), *document.parts[1:]))


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _signature(document: Document) -> Signature:
    return next(b for b in iter_blocks(document.parts[0].blocks) if isinstance(b, Signature))


@pytest.fixture(scope="module")
def room(sample_document: Document) -> int:
    # The least room that pushes the block: the text still ends low on its page, where a reader would look for
    # the signatures and find none.
    for spacers in range(1, 60):  # a spacer is one blank line
        if _signature(lay_out(_with_room(sample_document, spacers), draw=False).document).own_page:
            return spacers
    raise AssertionError("no amount of room pushed the signature block to the next page")


@pytest.fixture(scope="module")
def pushed(sample_document: Document, room: int) -> PdfFile:
    return lay_out(_with_room(sample_document, room))


@pytest.mark.parametrize("extra", [-1, 0])
def test_the_decision_alone_is_the_full_layouts_when_the_contract_is_not_the_first_part(
    sample_document: Document, room: int, extra: int
) -> None:
    # Without a PDF (a DOCX alone) only the part with the page note is laid out, behind a lead page when parts
    # come before it: one room short of pushing and just enough, with an annex moved before the contract.
    document = _with_room(sample_document, room + extra)
    contract, first_annex, *rest = document.parts
    moved = dataclasses.replace(document, parts=(first_annex, contract, *rest))
    decided = lay_out(moved, draw=False).document
    assert _signature(dataclasses.replace(decided, parts=decided.parts[1:])).own_page == (extra == 0)
    assert decided == lay_out(moved).document


def test_the_lead_page_keeps_the_first_pages_rules_off_a_later_part(
    sample_document: Document, room: int, tmp_path: Path
) -> None:
    # With a first page whose text starts a third of the page lower, the contract laid out alone as the first
    # page would be pushed one room short of it; behind its lead page it is laid out as in the whole document.
    from contractgen.writers.fonts import resolve
    from contractgen.writers.pdf import lay_out_pdf

    sheet = tmp_path / "print.css"
    sheet.write_text(
        (LANGUAGE_FOLDER / "print.css").read_text(encoding="utf-8") + "\n@page :first { margin-top: 100mm; }\n"
    )
    document = _with_room(sample_document, room - 1)
    contract, first_annex, *rest = document.parts
    moved = dataclasses.replace(document, parts=(first_annex, contract, *rest))
    options: dict[str, Any] = {"stylesheet": sheet, "asset_roots": (LANGUAGE_FOLDER, tmp_path), "fonts": resolve()}
    decided = lay_out_pdf(moved, when=datetime(2026, 1, 1), draw=False, **options).document
    assert decided is moved
    assert lay_out_pdf(document, when=datetime(2026, 1, 1), draw=False, **options).document is not document


def test_a_block_that_fits_stands_under_the_end_of_the_text(sample_document: Document) -> None:
    laid_out = lay_out(sample_document)
    assert laid_out.document is sample_document
    pages = _pages(laid_out.data)
    assert not any("本页无正文" in page for page in pages)
    (end,) = [n for n, page in enumerate(pages) if END_OF_TEXT in page]
    assert "甲方（盖章）" in pages[end]
    assert pages[end].index(END_OF_TEXT) < pages[end].index("甲方（盖章）")


def test_a_pushed_block_has_a_page_of_its_own_under_its_note(pushed: PdfFile) -> None:
    pages = _pages(pushed.data)
    (end,) = [n for n, page in enumerate(pages) if END_OF_TEXT in page]
    signing = pages[end + 1]
    assert "甲方（盖章）" not in pages[end]
    body = signing.split("\n")
    assert NOTE in body[:3]  # the page's first line under the header
    for keyword in ("甲方（盖章）", "乙方（盖章）", "签订日期"):
        assert keyword in signing
    assert sum(NOTE in page for page in pages) == 1
    main_block = pushed.spots[:4]  # both parties' seal and signature spots, in document order
    assert {s.page for s in main_block} == {end + 2}  # 1-based: the whole block on the signing page


def test_the_docx_carries_the_same_page_and_note(pushed: PdfFile, sample_context: dict[str, Any]) -> None:
    data = write_docx(
        pushed.document, house=LANGUAGE_FOLDER / "house.docx", context=sample_context, when=datetime(2026, 1, 1)
    )
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    notes = [p for p in body.iter(f"{W_NS}p") if "".join(p.itertext()) == NOTE]
    assert len(notes) == 1
    (note,) = notes
    assert note.find(f"{W_NS}pPr/{W_NS}pageBreakBefore") is not None
    assert note.find(f"{W_NS}pPr/{W_NS}keepNext") is not None
    assert note.getnext().tag == f"{W_NS}tbl"  # the signature table, directly under its note
    assert "甲方（盖章）" in "".join(note.getnext().itertext())
