"""Face data read when used: a face's whole file is copied out of HarfBuzz only by what reads it.

Inside ``face_data_when_read`` (every contractgen render) WeasyPrint's Fonts are made without copying their
face's blob; a face embedded as a bare CFF subset never reads it, one WeasyPrint embeds itself reads it then.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from contractgen.writers import face_data
from contractgen.writers.face_data import face_data_when_read
from contractgen.writers.pdf_fonts import real_subsets

CJK_AND_LATIN = """
<p style="font-family: 'Noto Serif CJK SC'">甲方乙方<b>粗体</b></p>
<p style="font-family: 'DejaVu Serif'">A TrueType face, which WeasyPrint embeds itself</p>
"""


def fonts_of(html: str) -> dict[Any, Any]:
    """The Fonts WeasyPrint makes to draw ``html``'s pages (its PDF writer's stream)."""
    import weasyprint

    from contractgen.writers.pdf_parts import freeze

    fonts: dict[Any, Any] = {}
    freeze(weasyprint.HTML(string=html).render(), lead_page=False, fonts=fonts)  # drawn as the PDF writer draws
    return fonts


def test_a_font_made_inside_the_block_reads_its_face_only_when_asked() -> None:
    from weasyprint.text.fonts import get_hb_object_data

    with face_data_when_read():
        fonts = list(fonts_of(CJK_AND_LATIN).values())
        assert len(fonts) == 3
        assert all(font.__dict__["file_content"] is face_data._LATER for font in fonts)
        whole = fonts[0].file_content  # read now, from HarfBuzz, as WeasyPrint would have read it
        assert whole == get_hb_object_data(fonts[0].hb_face)
        assert len(whole) > 1_000_000
        fonts[1].file_content = b"a subset"  # set: replaces it, never read
        assert fonts[1].file_content == b"a subset"
        assert fonts[2].__dict__["file_content"] is face_data._LATER


def test_outside_the_block_fonts_are_weasyprints_own() -> None:
    from weasyprint.pdf.fonts import Font

    with face_data_when_read():
        pass  # installed, then switched off
    fonts = list(fonts_of(CJK_AND_LATIN).values())
    assert fonts
    assert all(type(font) is Font and isinstance(font.__dict__["file_content"], bytes) for font in fonts)


@pytest.mark.parametrize("bare", [True, False], ids=["bare CFF subsets", "WeasyPrint's embedding"])
def test_the_same_bytes_whoever_embeds_the_faces(bare: bool) -> None:
    import weasyprint

    subsets = real_subsets if bare else contextlib.nullcontext
    with subsets():
        plain = weasyprint.HTML(string=CJK_AND_LATIN).write_pdf()
        with face_data_when_read():
            assert weasyprint.HTML(string=CJK_AND_LATIN).write_pdf() == plain
