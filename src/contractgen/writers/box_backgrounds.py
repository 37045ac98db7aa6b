"""Box backgrounds: WeasyPrint's per-page pass over every box for its background, decided once per style.

Once a page is made, WeasyPrint 70 visits each of its boxes (``layout.background.layout_box_backgrounds``) to
resolve its corner radii, fetch its border and mask images and lay its background layers out. A contract's
boxes have none of these: the pass only sets four radii to nought and the background to None, reading a dozen
style values and calling a function per corner to do it — 50 ms of a warm one-pass render of the sample (its
5,725 boxes, 36 pages; 7 December, process time of 5 renders). What it sets depends on the box's style alone
for such a box, and the 5,725 boxes have 1,400 styles between them.

Inside :func:`styles_decided` the pass asks once per style object whether the style is *plain*: all four
radii nought, no border image, no mask image, and no background to draw — hidden, or no background image and
a fully transparent colour, and no box shadow. A box with a plain style gets what WeasyPrint would give it
(radii ``(0, 0)``, ``background`` None) and its children are visited; any other box, and the page box itself,
goes through WeasyPrint's own function. The PDFs are the same bytes (tests/writers/test_pdf_writer.py
compares every sample's).

This module must not change what is drawn. Outside :func:`styles_decided`, and with another WeasyPrint version,
WeasyPrint does what it does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

__all__ = ["install", "styles_decided"]

_ACTIVE: ContextVar[bool] = ContextVar("styles_decided", default=False)
#: Per block, each style seen (kept, so its id names it to the block's end) and whether it is plain.
_DECIDED: ContextVar[dict[int, tuple[Any, bool]] | None] = ContextVar("decided_styles", default=None)

_CORNERS = tuple(f"border_{corner}_radius" for corner in ("top_left", "top_right", "bottom_right", "bottom_left"))
_NOUGHT = (0, "px")


def _relevant() -> frozenset[str]:
    """The properties the pass reads, with the logical properties (border-start-start-radius …) that WeasyPrint
    resolves the radii from."""
    from weasyprint.css.computed_values import PHYSICAL_FUNCTIONS

    logical = {
        function(block="ttb", inline=direction)
        for key in _READ
        if (function := PHYSICAL_FUNCTIONS.get(key)) is not None
        for direction in ("ltr", "rtl")
    }
    return frozenset(_READ) | logical


_READ = (*_CORNERS, "border_image_source", "mask_border_source", "box_shadow", "background_image", "background_color")


def _initial(style: Any, relevant: frozenset[str], kinds: tuple[Any, Any]) -> bool:
    """Whether every property the pass reads has its initial value, known without computing one: not computed
    yet, and declared nowhere for the element (none of them is inherited; an anonymous box's style declares
    nothing). The initial values are plain: radii nought, no images, no shadow, a transparent background."""
    computed, anonymous = kinds
    if type(style) is anonymous:
        declared: Any = ()
    elif type(style) is computed:
        declared = style.cascaded
    else:
        return False
    return not any(key in declared or dict.__contains__(style, key) for key in relevant)


def _plain(style: Any) -> bool:
    """Whether WeasyPrint's pass would only set the radii to nought and the background to None (module doc)."""
    from weasyprint.draw.color import get_color

    if not all(_NOUGHT in style[corner] for corner in _CORNERS):
        return False
    if style["border_image_source"][0] != "none" or style["mask_border_source"][0] != "none":
        return False
    if style["box_shadow"]:
        return False
    if style["visibility"] == "hidden":
        return True
    no_image = all(kind != "url" and not value for kind, value in style["background_image"])
    return no_image and get_color(style, "background_color").alpha == 0


def install(background: Any) -> None:
    """Make ``weasyprint.layout.background`` decide a box's background once per style inside the block."""
    original = background.layout_box_backgrounds
    if getattr(original, "contractgen_decided", False):
        return
    from weasyprint.css import AnonymousStyle, ComputedStyle

    relevant, kinds = _relevant(), (ComputedStyle, AnonymousStyle)

    def layout_box_backgrounds(
        page: Any, box: Any, get_image_from_uri: Any, layout_children: bool = True, style: Any = None
    ) -> None:
        decided = _DECIDED.get()
        if decided is None or style is not None or box is page:  # set only inside the block, with _ACTIVE
            original(page, box, get_image_from_uri, layout_children, style)
            return
        key = box.style
        known = decided.get(id(key))
        if known is None:
            known = decided[id(key)] = (key, _initial(key, relevant, kinds) or _plain(key))
        if not known[1]:
            original(page, box, get_image_from_uri, layout_children, style)
            return
        for corner in _CORNERS:
            setattr(box, corner, (0, 0))
        if layout_children:
            for child in box.all_children():
                layout_box_backgrounds(page, child, get_image_from_uri)
        box.background = None

    layout_box_backgrounds.contractgen_decided = True  # type: ignore[attr-defined]
    background.layout_box_backgrounds = layout_box_backgrounds


def styles_decided() -> AbstractContextManager[None]:
    """Boxes laid out inside the block have their backgrounds decided once per style (WeasyPrint 70)."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    return patched_for_block(_ACTIVE, install, "weasyprint.layout.background", record=_DECIDED)
