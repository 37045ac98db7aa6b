"""Text lines: the glyphs of a line of text written into a page's content stream, read from Pango in bulk.

WeasyPrint 70 draws a line (``draw.text.draw_first_line``) by walking Pango's glyph string one glyph at a time
through cffi: seven field reads per glyph (its id, width, offsets), each a cffi object, then the operators of
the ``TJ`` array. For a contract's 25,000 glyphs that walk was 7% of a warm one-pass render (98 of 1,330 ms,
8 December, a wrapper timing each call), most of it the strings themselves.

Inside :func:`lines_read_in_bulk` a run's glyphs are read in one copy of Pango's array (``ffi.buffer``, five
32-bit fields a glyph), its clusters only when a glyph is met for the first time (for its ToUnicode text),
and the same strings are built from the same numbers by the same expressions, in the same order: the same
operators, the same widths and the same ToUnicode text for each glyph. Drawing the sample's pages went from
145 to 133 ms (the drawing alone, medians of 7 in turn). The drawing is gathered first and written to the
stream at the end; a line this path does not cover goes through WeasyPrint's own function instead, before
anything of it is written: ellipsis, a missing glyph (WeasyPrint warns), a glyph raised or lowered, bitmap,
colour and emoji fonts. The PDFs are the same bytes (tests/writers/test_pdf_writer.py compares every
sample's).

This module must not change what is drawn. Outside :func:`lines_read_in_bulk`, and with another WeasyPrint
version, WeasyPrint does what it does.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

__all__ = ["install", "lines_read_in_bulk"]

_ACTIVE: ContextVar[bool] = ContextVar("lines_read_in_bulk", default=False)

#: PangoGlyphInfo as it sits in memory: the glyph, its width, x and y offsets, and its attribute bits.
_GLYPH = struct.Struct("=IiiiI")
#: A gint of Pango's log_clusters, as memoryview.cast reads it ("i").
_CLUSTER = "i"


class _Elsewhere(Exception):
    """A line for WeasyPrint's own function."""


class _Pango(NamedTuple):
    """What the drawing reads of WeasyPrint's Pango binding."""

    ffi: Any
    pango: Any
    from_units: float
    empty: int  # PANGO_GLYPH_EMPTY
    unknown: int  # PANGO_GLYPH_UNKNOWN_FLAG
    old: bool  # a Pango before 1.48.2: WeasyPrint takes the font size from the style (Pango's issue 530)


def install(text: Any) -> None:
    """Make ``weasyprint.draw.text.draw_first_line`` read the glyphs in bulk inside the block."""
    original = text.draw_first_line
    if getattr(original, "contractgen_bulk", False):
        return
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    if ffi.sizeof("PangoGlyphInfo") != _GLYPH.size or ffi.sizeof("gint") != struct.calcsize(_CLUSTER):
        return
    names = _Pango(
        ffi, pango, FROM_UNITS, pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG, pango.pango_version() < 14802
    )

    def lines(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any) -> Any:
        # WeasyPrint's own function is called through the attribute, so that a test can count its lines.
        if not _ACTIVE.get() or text_overflow == "ellipsis" or block_ellipsis != "none":
            return bulk.__wrapped__(stream, textbox, text_overflow, block_ellipsis, matrix)
        if not textbox.text.strip():
            return []
        if textbox.style["font_size"] < 1e-6:
            return []
        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
        first_line, _index = textbox.pango_layout.get_first_line()
        try:
            drawing = _drawn(stream, textbox, first_line, names)
        except _Elsewhere:
            return bulk.__wrapped__(stream, textbox, text_overflow, block_ellipsis, matrix)
        stream.set_text_matrix(*matrix.values)
        for operator in drawing[:-1]:
            if isinstance(operator, tuple):
                stream.set_font_size(*operator)
            else:
                stream.show_text(operator)
        stream.show_text(drawing[-1])
        return []

    bulk: Any = lines
    bulk.contractgen_bulk = True
    bulk.__wrapped__ = original
    text.draw_first_line = lines


def _drawn(stream: Any, textbox: Any, first_line: Any, names: _Pango) -> list[Any]:
    """The line's operators in order, as WeasyPrint 70's ``draw_first_line`` makes them: (font, size) for a
    ``Tf``, a string for a ``TJ``; the last is the final ``TJ``. Raises _Elsewhere for a line it does not cover."""
    # One loop, as WeasyPrint's: the same statements in the same order are what makes the bytes the same.
    ffi, pango, from_units = names.ffi, names.pango, names.from_units
    drawing: list[Any] = []
    previous_pango_font = None
    string: list[str] = []
    font: Any = None
    font_size: Any = None
    utf8_text = None
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        num_glyphs = glyph_string.num_glyphs
        item = glyph_item.item
        pango_font = item.analysis.font
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if font.bitmap or font.png or font.svg or font.colr:
                raise _Elsewhere
            if names.old:
                font_size = textbox.style["font_size"]
            if shown := "".join(string):
                drawing.append(shown)
            string = []
            drawing.append((font.hash, font_size))
        string.append("<")
        infos = _GLYPH.iter_unpack(ffi.buffer(glyph_string.glyphs, num_glyphs * _GLYPH.size))
        clusters = None  # read when a glyph is first met: most were met on earlier lines
        rtl = item.analysis.level % 2
        offset_in_text, length = item.offset, item.length
        widths, to_unicode = font.widths, font.to_unicode
        for i, (glyph_id, width, x_offset, y_offset, _attr) in enumerate(infos):
            if glyph_id == names.empty:
                string.append(f">{-width / font_size}<")
                continue
            if glyph_id & names.unknown or y_offset:
                raise _Elsewhere
            if glyph_id not in to_unicode:
                if clusters is None:
                    clusters = memoryview(ffi.buffer(glyph_string.log_clusters, num_glyphs * 4)).cast("i")
                t1 = clusters[i]
                if rtl:
                    t2 = length if i == 0 else clusters[i - 1]
                else:
                    t2 = length if i == num_glyphs - 1 else clusters[i + 1]
                utf8_text = utf8_text or textbox.pango_layout.text.encode()
                to_unicode[glyph_id] = utf8_text[offset_in_text + t1 : offset_in_text + t2].decode()
            offset = x_offset / font_size
            if offset:
                string.append(f">{-offset}<")
            string.append(f"{glyph_id:04x}")
            if glyph_id in widths:
                logical_width = widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                logical_width = widths[glyph_id] = round(stream.logical_rect.width * 1000 * from_units / font_size)
            kerning = logical_width + offset - width * 1000 * from_units / font_size
            if kerning:
                string.append(f">{int(kerning)}<")
        last = string[-1]
        if last[-1] == "<":  # the run's "<" or a glyph's offset or kerning: WeasyPrint drops the one character
            string[-1] = last[:-1]
        else:
            string.append(">")
    drawing.append("".join(string))
    return drawing


@contextmanager
def lines_read_in_bulk() -> Iterator[None]:
    """Lines of text drawn inside the block read their glyphs in bulk (WeasyPrint 70)."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    with patched_for_block(_ACTIVE, install, "weasyprint.draw.text"):
        yield
