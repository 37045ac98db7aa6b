"""Parallel parts: runs of a contract's parts laid out and drawn in separate processes, joined into one PDF that
is byte for byte the PDF of the whole document laid out at once — or not joined at all.

Every part starts on a new page, so a run of parts lays out the same pages alone as inside the whole document,
given three things this module supplies. (1) A later run starts with a lead page that is thrown away
(:func:`contractgen.writers.html.to_html` ``lead_page``): its parts follow a page break as in the whole, the
``@page :first`` rules stay on a page nobody sees, and the header's running element is set before their pages.
(2) Page numbers: WeasyPrint lays out the margin boxes (第 X 页 共 Y 页) only once the pages are made; at that
moment (the first margin box of a layout) every run reports its page count and waits for its first page's
number and the total (:func:`paginated`), and its page counters are shifted before any margin box is made.
(3) One subset per font face: a run's pages are drawn into content streams in its process and sent back
frozen (:class:`FrozenPage`, plain data); the parent lays out the first run and freezes its pages too, into
its own dictionary of fonts, then paints every run's pages in order into one WeasyPrint document with that
dictionary, so WeasyPrint writes the fonts, bookmarks, anchors and metadata once, as for the whole document.
A glyph first drawn in a later run gets its width where the whole document would have measured it too; a
glyph measured in both runs must have measured the same, and anything else this join cannot reproduce
exactly (images, transparency, links, forms, fonts the first run never used, pages whose rules depend on
left/right) raises :class:`Unjoinable`: the caller then lays the document out in one pass.

The same hook also leaves the margin boxes out of a layout read only for where its boxes fall
(:func:`margin_boxes_left_out`): WeasyPrint makes them last, from pages already made, so nothing moves.

WeasyPrint 70's internals are used (``weasyprint.layout.make_margin_boxes``, ``pdf.stream.Stream``); with any
other version :func:`contractgen.writers.weasyprint_loading.internals_known` is false and nothing is joined. This
module must not change what is drawn, nor decide where a part goes (:mod:`contractgen.writers.pdf_workers` runs
the processes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FrozenPage",
    "FrozenPart",
    "Unjoinable",
    "freeze",
    "join",
    "margin_boxes_left_out",
    "paginated",
    "side_rules",
]

#: WeasyPrint's page selectors that depend on where a page falls: a run laid out alone could not honour them.
_SIDED = re.compile(r"@page[^{]*:(left|right|recto|verso|blank|nth)", re.IGNORECASE)


class Unjoinable(Exception):
    """A run of parts whose pages could not be joined exactly: lay the whole document out at once."""


def side_rules(stylesheet_text: str) -> bool:
    """Whether a stylesheet has page rules for left, right, blank or n-th pages."""
    return _SIDED.search(stylesheet_text) is not None


# --- pagination -------------------------------------------------------------------------------------------

#: Called once per layout, when its pages are made: page count in, (shift of the page counter, total) out.
_ON_PAGINATED: ContextVar[Callable[[int], tuple[int, int]] | None] = ContextVar("on_paginated", default=None)

#: True in a layout that makes no margin boxes (:func:`margin_boxes_left_out`).
_NO_MARGIN_BOXES: ContextVar[bool] = ContextVar("no_margin_boxes", default=False)


def _install_hook(layout: Any) -> None:
    original = layout.make_margin_boxes
    if getattr(original, "contractgen_parts", False):
        return

    def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
        if _NO_MARGIN_BOXES.get():
            return ()
        hook = _ON_PAGINATED.get()
        if hook is not None and not getattr(context, "contractgen_paginated", False):
            context.contractgen_paginated = True
            if context.target_collector.counter_lookup_items:  # page-based counters read before this point
                raise Unjoinable("target-counter")
            shift, total = hook(len(context.page_maker) - 1)
            _shift_counters(context, shift, total)
        return original(context, page, state)

    make_margin_boxes.contractgen_parts = True  # type: ignore[attr-defined]
    layout.make_margin_boxes = make_margin_boxes


def _shift_counters(context: Any, shift: int, total: int) -> None:
    """Every page's ``page`` counter moved by ``shift`` and ``pages`` set to ``total``, before margin boxes."""
    seen: set[int] = set()
    for entry in context.page_maker:
        values = entry[3][1]
        if id(values) in seen:
            continue
        seen.add(id(values))
        if "page" in values:
            values["page"] = [value + shift for value in values["page"]]
        values["pages"] = [total]


@contextmanager
def paginated(hook: Callable[[int], tuple[int, int]]) -> Iterator[None]:
    """Layouts in this block call ``hook(page count)`` once their pages are made, and number their pages from
    the shift it returns, out of the total it returns."""
    from weasyprint import layout

    _install_hook(layout)
    token = _ON_PAGINATED.set(hook)
    try:
        yield
    finally:
        _ON_PAGINATED.reset(token)


def margin_boxes_left_out() -> AbstractContextManager[None]:
    """Layouts in this block make no margin boxes (the running header, 第 X 页 共 Y 页): for a layout read only for
    which page its boxes fell on — the signing page's decision of a DOCX alone, a tenth faster. WeasyPrint lays
    the margin boxes out after every page is made, from those pages; nothing in the page area moves. With a
    WeasyPrint other than 70 they are made as usual."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    return patched_for_block(_NO_MARGIN_BOXES, _install_hook, "weasyprint.layout")


# --- frozen pages -----------------------------------------------------------------------------------------


@dataclass
class FrozenPage:
    """A page drawn in another process: what WeasyPrint's PDF writer reads from a page, as plain data."""

    width: float
    height: float
    bleed: dict[str, float]
    bookmarks: list[tuple[Any, ...]]
    anchors: dict[str, tuple[float, float, float, float]]
    operators: list[bytes]
    fonts: list[tuple[str, dict[int, str], dict[int, int]]] = field(default_factory=list)  # first page of a run
    states: list[tuple[str, dict[str, float]]] = field(default_factory=list)  # its opacity states (ca, CA)
    links: list[Any] = field(default_factory=list)
    forms: dict[Any, list[Any]] = field(default_factory=lambda: {None: []})

    def paint(self, stream: Any, scale: float = 1) -> None:
        if self.fonts:
            _merge_fonts(stream, self.fonts)
        for name, state in self.states:
            stream._resources["ExtGState"].setdefault(name, _dictionary(state))
        stream.stream.extend(self.operators)


@dataclass
class FrozenPart:
    pages: list[FrozenPage]


def _merge_fonts(stream: Any, fonts: list[tuple[str, dict[int, str], dict[int, int]]]) -> None:
    """A run's glyphs added to the document's fonts, as the whole document's drawing would have added them."""
    known = {font.hash: font for font in stream._fonts.values()}
    for name, to_unicode, widths in fonts:
        font = known.get(name)
        if font is None:
            raise Unjoinable(f"font {name} is not used by the first run")
        for glyph, width in widths.items():
            if font.widths.setdefault(glyph, width) != width:
                raise Unjoinable(f"glyph {glyph} of {name} measured differently")
        for glyph, text in to_unicode.items():
            font.to_unicode.setdefault(glyph, text)


def _dictionary(values: dict[str, float]) -> Any:
    import pydyf  # type: ignore[import-untyped]

    return pydyf.Dictionary(values)


def _plain_states(states: Any) -> list[tuple[str, dict[str, float]]]:
    """The opacity states a run's drawing named (``/a1.0 << /ca 1 >>``), as plain data; nothing else joins."""
    plain = []
    for name, state in states.items():
        values = dict(state)
        if not set(values) <= {"ca", "CA"} or not all(isinstance(v, int | float) for v in values.values()):
            raise Unjoinable("graphics state beyond opacity")
        plain.append((str(name), values))
    return plain


def freeze(document: Any, *, lead_page: bool, fonts: dict[Any, Any] | None = None) -> FrozenPart:
    """The pages of a laid-out WeasyPrint document drawn into content streams (the lead page left out), and
    the glyphs they use, in drawing order.

    With ``fonts`` (the first run's, drawn in the joining process), the glyphs are added to that dictionary of
    WeasyPrint fonts, which the joined document then writes (:func:`join`); without, they travel with the
    pages as plain data."""
    import pydyf
    from weasyprint.pdf.stream import Stream

    scale = 0.75  # PDF points per CSS pixel, as weasyprint.pdf.generate_pdf draws at zoom 1
    shared = fonts is not None
    fonts = {} if fonts is None else fonts
    resources = pydyf.Dictionary(
        {"ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary()}
    )
    resources["Shading"] = pydyf.Dictionary()
    images: dict[Any, Any] = {}
    frozen: list[FrozenPage] = []
    for page in document.pages[1 if lead_page else 0 :]:
        if page.links or any(page.forms.values()):
            raise Unjoinable("links or forms")
        bleed = page.bleed
        width, height = page.width + bleed["left"] + bleed["right"], page.height + bleed["top"] + bleed["bottom"]
        rectangle = (-bleed["left"], -bleed["top"], width, height)
        stream = Stream(fonts, rectangle, resources, images, None, document.color_profiles, document.output_intent)
        stream.transform(d=-1, f=(page.height * scale))
        start = len(stream.stream)
        page.paint(stream, scale)
        frozen.append(
            FrozenPage(
                page.width,
                page.height,
                dict(bleed),
                list(page.bookmarks),
                dict(page.anchors),
                _joined(stream.stream[start:]),
            )
        )
    if images or any(len(resources[key]) for key in ("XObject", "Pattern", "Shading")):
        raise Unjoinable("images or patterns")
    if any(font.missing or font.used_in_forms for font in fonts.values()):
        raise Unjoinable("missing glyphs")
    if frozen and not shared:
        frozen[0].fonts = [(font.hash, dict(font.to_unicode), dict(font.widths)) for font in fonts.values()]
    if frozen:
        frozen[0].states = _plain_states(resources["ExtGState"])
    return FrozenPart(frozen)


def _joined(operators: list[Any]) -> list[bytes]:
    """A page's drawing operators as one item: pydyf writes a content stream as its items joined by newlines, so
    the written stream is the same bytes, and the joining is done here — in the part process, for a later run's
    pages — rather than item by item in the serial writing of the joined PDF (and one item pickles faster).
    Items other than bytes (none in WeasyPrint 70's drawing) are left as they are, for pydyf to write."""
    if operators and all(type(item) is bytes for item in operators):
        return [b"\n".join(operators)]
    return list(operators)


def join(first: Any, runs: list[FrozenPart], *, fonts: dict[Any, Any]) -> Any:
    """One WeasyPrint document of every run's frozen pages in order, with ``first``'s metadata and the fonts
    the first run was drawn with (:func:`freeze` ``fonts``), to which the later runs' glyphs are added as
    their pages are painted."""
    joined = first.copy([page for run in runs for page in run.pages])
    joined.fonts = fonts
    return joined
