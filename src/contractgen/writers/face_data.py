"""Face data: a font face's whole file copied out of HarfBuzz only if something reads it.

WeasyPrint 70 makes a ``pdf.fonts.Font`` for each face a document draws with, and its first statement copies
the face's whole blob into a Python ``bytes`` (``file_content``): for a Noto CJK collection, the 20-odd MB
file. contractgen's PDFs never read that copy: each face is embedded as a bare CFF subset cut from HarfBuzz's
face (:mod:`contractgen.writers.pdf_fonts`), which sets ``file_content`` to the subset. The three copies were
46 ms of every render of the sample, in each process that draws pages (8 December, this host; the profile of
one run's drawing: three calls of cffi's ``unpack``).

Inside :func:`face_data_when_read` a ``Font`` is made as WeasyPrint makes it, except that its
``file_content`` is read from HarfBuzz on its first read, by the same function, giving the same bytes — for a
face WeasyPrint embeds itself (a TrueType font, a variable one, a face with a missing glyph), which reads it.
Setting ``file_content`` (the subset) replaces it, as before.

This module must not change what is drawn or embedded. Outside :func:`face_data_when_read`, and with another
WeasyPrint version, WeasyPrint does what it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["face_data_when_read", "install"]

_ACTIVE: ContextVar[bool] = ContextVar("face_data_when_read", default=False)
#: True while a deferring Font is made: its ``get_hb_object_data(face)`` answers _LATER.
_MAKING: ContextVar[bool] = ContextVar("making_font", default=False)


class _Later:
    """Stands for a face's data not read yet."""


_LATER = _Later()


def install(stream: Any) -> None:
    """Make ``weasyprint.pdf.stream`` make Fonts whose face data is read on first use, inside the block."""
    original = stream.Font
    if getattr(original, "contractgen_deferred", False):
        return
    from weasyprint.pdf import fonts

    read = fonts.get_hb_object_data

    def get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        if ot_color is None and glyph is None and _MAKING.get():
            return _LATER
        return read(hb_object, ot_color, glyph)

    def file_content(font: Any) -> Any:
        data = font.__dict__.get("file_content")
        if data is _LATER:
            data = font.__dict__["file_content"] = read(font.hb_face)
        return data

    def set_file_content(font: Any, data: Any) -> None:
        font.__dict__["file_content"] = data  # also what a class without this property reads (pdf_fonts' own)

    class DeferringFont(original):  # type: ignore[misc, valid-type]
        """WeasyPrint's Font, with its face's data read on first use."""

        contractgen_deferred = True

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if not _ACTIVE.get():  # outside the block: WeasyPrint's own
                return original(*args, **kwargs)
            return super().__new__(cls)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            token = _MAKING.set(True)
            try:
                super().__init__(*args, **kwargs)
            finally:
                _MAKING.reset(token)

    DeferringFont.file_content = property(file_content, set_file_content)
    fonts.get_hb_object_data = get_hb_object_data
    stream.Font = DeferringFont


@contextmanager
def face_data_when_read() -> Iterator[None]:
    """Fonts made inside the block read their face's data only when it is used (WeasyPrint 70)."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    with patched_for_block(_ACTIVE, install, "weasyprint.pdf.stream"):
        yield
