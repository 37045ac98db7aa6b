"""Pango layouts kept from a text box's layout to its drawing, instead of made again to draw it.

WeasyPrint 70 lays a line of text out with a Pango layout, then frees it (``Layout.deactivate``); to draw the
line it makes the layout again from the box's text and style — a new Pango context, font description and
attribute list — and sets the text once more (``Layout.reactivate``): 4% of a warm one-pass render of the
sample (50 ms), 3% with a part process (26 ms; 7 December, medians of 7 and 15 rounds in turn).
Inside :func:`kept_layouts` the layout is kept instead, and the drawing uses it with its width lifted (a new
layout has none, and the line is already broken) — whenever the layout made again would be the same one:
drawn with the very style object it was made with, and with no justification, word or letter spacing, whose
attributes :meth:`Layout.set_text` lays over the text by byte offsets and does not clear from a layout that
is set again. Any other layout is made again, as WeasyPrint does. The PDFs are the same bytes
(tests/writers/test_pango_layouts.py compares every sample's).

Kept layouts live as long as their boxes, to the end of the render: more memory during a render, none after.

This module must not change what is drawn. Outside :func:`kept_layouts`, and with another WeasyPrint version,
WeasyPrint does what it does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

__all__ = ["install", "kept_layouts"]

_ACTIVE: ContextVar[bool] = ContextVar("kept_layouts", default=False)
_KEPT = "_contractgen_kept"


def _unchanged_by_drawing(layout: Any, style: Any) -> bool:
    """Whether ``reactivate(style)`` would make ``layout`` again as it stands (see the module's docstring)."""
    letter_spacing = style["letter_spacing"]
    return (
        style is layout.style
        and not layout.justification_spacing
        and not style["word_spacing"]
        and (letter_spacing == "normal" or not letter_spacing)
    )


def install(line_break: Any) -> None:
    """Make ``weasyprint.text.line_break.Layout`` keep its Pango layout for drawing inside :func:`kept_layouts`."""
    layout_class = line_break.Layout
    if getattr(layout_class, "contractgen_kept", False):
        return
    deactivate, reactivate = layout_class.deactivate, layout_class.reactivate
    from weasyprint.text.ffi import pango

    def keep(self: Any) -> None:
        if _ACTIVE.get():
            setattr(self, _KEPT, True)
        else:
            deactivate(self)

    def make_again(self: Any, style: Any) -> None:
        if self.__dict__.pop(_KEPT, False) and _ACTIVE.get() and _unchanged_by_drawing(self, style):
            pango.pango_layout_set_width(self.layout, -1)
            return
        reactivate(self, style)

    layout_class.deactivate, layout_class.reactivate = keep, make_again
    layout_class.contractgen_kept = True


def kept_layouts() -> AbstractContextManager[None]:
    """Text laid out inside the block keeps its Pango layouts for drawing inside it (WeasyPrint 70)."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    return patched_for_block(_ACTIVE, install, "weasyprint.text.line_break")
