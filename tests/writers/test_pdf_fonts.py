"""Real font subsets: the sample's PDF embeds each face as a bare CFF subset, and nothing on its pages changes.

The reference is the same document written through WeasyPrint's own font embedding (RETAIN_GIDS subsets in an
OpenType wrapper): every page renders pixel for pixel the same (poppler, 100 dpi), the text extracts the same,
and the file is a third of the size — smaller than LibreOffice's 418 KB for the same contract.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from functools import partial
from typing import Any

import pytest
from page_images import differing_pages

from contractgen.writers.fonts import resolve
from contractgen.writers.pdf import write_pdf
from contractgen.writers.pdf_fonts import _charset_cids
from contractgen.writers.rendering import PRINT_STYLESHEET, template_folder

pytestmark = pytest.mark.slow

LIBREOFFICE_BYTES = 418 * 1024  # LibreOffice 7.4's PDF of the sample's DOCX (benchmarks/render.py)


@contextmanager
def weasyprint_embedding() -> Iterator[None]:
    """WeasyPrint's own font embedding for the duration (the writer asks for real subsets)."""
    from contractgen.writers import pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "real_subsets", nullcontext)
        yield


@pytest.fixture(scope="module")
def both(sample_document: Any, sample_pdf: bytes) -> tuple[bytes, bytes]:
    folder = template_folder("customer-service")
    write = partial(
        write_pdf,
        stylesheet=folder.asset(PRINT_STYLESHEET),
        asset_roots=folder.asset_roots,
        fonts=resolve(),
        when=datetime(2026, 11, 24),
    )
    with weasyprint_embedding():
        reference = write(sample_document)
    ours = write(sample_document)
    return reference, ours


def font_files(pdf: bytes) -> list[tuple[str, str, bytes]]:
    """(BaseFont, FontFile3 subtype, font program) of every descendant font."""
    from pypdf import PdfReader

    found = []
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor["/FontFile3"].get_object()
            found.append((str(font["/BaseFont"]), str(program["/Subtype"]), program.get_data()))
    return list(dict.fromkeys(found))


def test_every_face_is_a_bare_cff_subset(both: tuple[bytes, bytes]) -> None:
    _reference, ours = both
    files = font_files(ours)
    assert {name.split("+", 1)[1] for name, _, _ in files} == {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC-Bold",
    }
    for _name, subtype, program in files:
        assert subtype == "/CIDFontType0C"
        assert program[:1] == b"\x01"  # CFF version 1 header, no OpenType wrapper
        cids = _charset_cids(program)
        assert cids is not None
        assert 60 < len(cids) < 2000


def test_the_pages_are_pixel_identical_to_weasyprints_embedding(both: tuple[bytes, bytes]) -> None:
    reference, ours = both
    assert differing_pages(reference, ours) == []


def test_the_text_extracts_the_same(both: tuple[bytes, bytes]) -> None:
    from pypdf import PdfReader

    reference, ours = both
    before = [page.extract_text() for page in PdfReader(io.BytesIO(reference)).pages]
    after = [page.extract_text() for page in PdfReader(io.BytesIO(ours)).pages]
    assert after == before
    assert "客户服务管理合同" in after[0]


def test_the_pdf_is_smaller_than_libreoffices(both: tuple[bytes, bytes]) -> None:
    reference, ours = both
    assert len(ours) < LIBREOFFICE_BYTES < len(reference)
    assert len(ours) < 0.5 * len(reference)


def test_the_charset_reader_agrees_with_fonttools(both: tuple[bytes, bytes]) -> None:
    from fontTools.cffLib import CFFFontSet

    for _name, _subtype, program in font_files(both[1]):
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(program), None)
        names = fonts[fonts.fontNames[0]].charset
        assert _charset_cids(program) == [0 if n == ".notdef" else int(n[3:]) for n in names]


def test_a_name_keyed_or_broken_cff_is_not_read_as_cids() -> None:
    assert _charset_cids(b"") is None
    assert _charset_cids(b"\x01\x00\x04\x01\x00\x00") is None


def test_the_module_hooks_into_weasyprint_once(both: tuple[bytes, bytes]) -> None:
    from weasyprint import pdf as weasyprint_pdf

    from contractgen.writers.pdf_fonts import install

    installed = weasyprint_pdf.build_fonts_dictionary
    install(weasyprint_pdf)
    assert weasyprint_pdf.build_fonts_dictionary is installed


def test_other_pdfs_of_the_process_keep_weasyprints_embedding(both: tuple[bytes, bytes]) -> None:
    from weasyprint import HTML

    from contractgen.writers.pdf_fonts import real_subsets

    page = '<html lang="zh-CN"><body style="font-family: \'Noto Serif CJK SC\'">合同</body></html>'
    plain = HTML(string=page).write_pdf()
    with real_subsets():
        real = HTML(string=page).write_pdf()
    assert font_files(plain)[0][1] == "/OpenType"
    assert font_files(real)[0][1] == "/CIDFontType0C"
    assert len(real) < len(plain) / 4


def test_faces_cut_side_by_side_come_back_in_order_and_errors_are_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from contractgen.writers import pdf_fonts

    seen: list[str] = []

    def cut(face: Any, glyphs: Any, hinting: bool) -> bytes:
        seen.append(threading.current_thread().name)
        time.sleep(0.02 * (3 - face))  # the first face finishes last
        if face == 2:
            raise ValueError("face 2")
        return bytes([face])

    monkeypatch.setattr(pdf_fonts, "bare_cff_subset", cut)
    assert pdf_fonts._side_by_side([(0, {1}), (1, {1}), (3, set())], False) == [b"\x00", b"\x01", None]
    assert len(seen) == 2  # a face with no glyphs is not cut
    assert "contractgen-font-subset" in seen
    with pytest.raises(ValueError, match="face 2"):
        pdf_fonts._side_by_side([(0, {1}), (2, {1})], False)
    assert not [thread for thread in threading.enumerate() if thread.name == "contractgen-font-subset"]
