"""Box lengths: WeasyPrint's resolution of a box's margins, paddings, sizes and borders, planned once per style.

Each time WeasyPrint 70 lays a box out it sets the box's used lengths from its style
(``layout.percent.resolve_percentages``): eleven margins, paddings and widths, three heights, four borders,
each through two function calls that read the style value, test its unit and set the attribute — 7,650 calls
for the sample's 5,725 boxes, 8% of a warm one-pass render (126 of 1,475 ms, 8 December, a wrapper timing each
call). What it sets depends on the style and the containing block's width and height alone, and the sample's
boxes share 1,400 styles.

Inside :func:`lengths_planned` the first call for a style makes its plan: each length either a fixed value
(a length in px, ``auto``, none) or a percentage to take of the containing block's width or height. Every
call then sets the fixed values at once and computes each percentage as WeasyPrint does
(``refer_to * value / 100``, the same operations on the same floats). A style with a ``calc()`` value goes
through WeasyPrint's own function, and so does the adjustment of ``box-sizing: border-box`` (WeasyPrint's
own, after the lengths are set). A collapsed border WeasyPrint has already set on the box is kept, as
WeasyPrint keeps it. The PDFs are the same bytes (tests/writers/test_pdf_writer.py compares every sample's).

This module must not change what is drawn. Outside :func:`lengths_planned`, and with another WeasyPrint
version, WeasyPrint does what it does.
"""

from __future__ import annotations

import math
import sys
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any, NamedTuple

__all__ = ["install", "lengths_planned"]

_ACTIVE: ContextVar[bool] = ContextVar("lengths_planned", default=False)
#: Per block, each style seen (kept, so its id names it to the block's end) and its plan (None: WeasyPrint's).
_PLANS: ContextVar[dict[int, tuple[Any, _Plan | None]] | None] = ContextVar("length_plans", default=None)

#: What a percentage refers to: the containing block's width, its height for a page box and its width for
#: any other box (vertical margins and paddings), the containing block's height.
_WIDTH, _VERTICAL, _HEIGHT = 0, 1, 2
_ALWAYS = (
    ("margin_left", _WIDTH),
    ("margin_right", _WIDTH),
    ("margin_top", _VERTICAL),
    ("margin_bottom", _VERTICAL),
    ("padding_left", _WIDTH),
    ("padding_right", _WIDTH),
    ("padding_top", _VERTICAL),
    ("padding_bottom", _VERTICAL),
    ("width", _WIDTH),
    ("min_width", _WIDTH),
    ("max_width", _WIDTH),
)
_HEIGHTS = ("height", "min_height", "max_height")
_BORDERS = tuple(f"border_{side}_width" for side in ("top", "right", "bottom", "left"))


class _Plan(NamedTuple):
    fixed: dict[str, Any]  # the lengths that need no containing block
    shares: tuple[tuple[str, int, float], ...]  # (attribute, what it refers to, percentage)
    auto_height: dict[str, Any]  # with a containing block of auto height: height, min and max height, fixed
    auto_shares: tuple[tuple[str, float, float], ...]  # …or a percentage of a fixed reference (0, infinity)
    heights: tuple[tuple[str, Any, float | None], ...]  # else (attribute, fixed value, or None and a percentage)
    borders: dict[str, Any]
    collapse: bool
    sized: bool  # box-sizing other than content-box: WeasyPrint's adjustment follows


def _plan(style: Any) -> _Plan | None:
    """The plan of ``style``'s lengths, or None when one is not a length or percentage (a ``calc()``)."""
    fixed: dict[str, Any] = {}
    shares: list[tuple[str, int, float]] = []

    def split(name: str, value: Any) -> tuple[bool, Any]:  # (is a percentage, its number or the fixed value)
        if value is None or value == "auto":
            return False, 0 if value == "auto" and name.startswith("min_") else value
        unit = getattr(value, "unit", None)
        if unit is None:
            raise _NotPlain
        return (True, value.value) if unit == "%" else (False, value.value)

    try:
        for name, refer in _ALWAYS:
            share, value = split(name, style[name])
            if share:
                shares.append((name, refer, value))
            else:
                fixed[name] = value
        height = style["height"]
        auto_height: dict[str, Any] = {}
        if height == "auto" or getattr(height, "unit", None) == "%":
            auto_height["height"] = "auto"
        elif getattr(height, "unit", None) is None:
            raise _NotPlain
        else:
            auto_height["height"] = height.value
        auto_shares = []
        for name, refer_to in (("min_height", 0), ("max_height", math.inf)):
            share, value = split(name, style[name])
            if share:
                auto_shares.append((name, refer_to, value))
            else:
                auto_height[name] = value
        heights = []
        for name in _HEIGHTS:
            share, value = split(name, style[name])
            heights.append((name, None, value) if share else (name, value, None))
    except _NotPlain:
        return None
    borders = {name: style[name] for name in _BORDERS}
    sizing = style["box_sizing"]
    return _Plan(
        fixed,
        tuple(shares),
        auto_height,
        tuple(auto_shares),
        tuple(heights),
        borders,
        style["border_collapse"] == "collapse",
        sizing != "content-box",
    )


class _NotPlain(Exception):
    pass


def install(percent: Any) -> None:
    """Make ``weasyprint.layout.percent.resolve_percentages`` (and every layout module's copy of it) follow a
    plan per style inside the block."""
    original = percent.resolve_percentages
    if getattr(original, "contractgen_planned", False):
        return
    from weasyprint.formatting_structure import boxes

    box_class, page_class = boxes.Box, boxes.PageBox
    adjust = percent.adjust_box_sizing

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        plans = _PLANS.get()
        if plans is None:  # set only inside the block, with _ACTIVE
            original(box, containing_block)
            return
        style = box.style
        known = plans.get(id(style))
        if known is None:
            known = plans[id(style)] = (style, _plan(style))
        plan = known[1]
        if plan is None:
            original(box, containing_block)
            return
        if isinstance(containing_block, box_class):
            cb_width, cb_height = containing_block.width, containing_block.height
        else:
            cb_width, cb_height = containing_block
        refers = (cb_width, cb_height if isinstance(box, page_class) else cb_width, cb_height)
        attributes = box.__dict__
        attributes.update(plan.fixed)
        for name, refer, value in plan.shares:
            attributes[name] = refers[refer] * value / 100
        if cb_height == "auto":
            attributes.update(plan.auto_height)
            for name, refer_to, value in plan.auto_shares:
                attributes[name] = refer_to * value / 100
        else:
            for name, fixed, share in plan.heights:
                attributes[name] = fixed if share is None else cb_height * share / 100
        if plan.collapse:
            for name, width in plan.borders.items():
                if not hasattr(box, name):
                    attributes[name] = width
        else:
            attributes.update(plan.borders)
        if plan.sized:
            adjust(box, "width")
            adjust(box, "height")

    resolve_percentages.contractgen_planned = True  # type: ignore[attr-defined]
    resolve_percentages.__wrapped__ = original  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):
        if name.startswith("weasyprint.") and getattr(module, "resolve_percentages", None) is original:
            module.resolve_percentages = resolve_percentages  # type: ignore[attr-defined]


def lengths_planned() -> AbstractContextManager[None]:
    """Boxes laid out inside the block have their lengths resolved from one plan per style (WeasyPrint 70)."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    return patched_for_block(_ACTIVE, install, "weasyprint.layout.percent", record=_PLANS)
