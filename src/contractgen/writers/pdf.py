"""PDF writer: the document's HTML and the print stylesheet through WeasyPrint, checked before and after.

Before: every character must have a glyph in the configured faces (no tofu, no silent fallback font). During:
WeasyPrint may read only the template folder's own asset files (a locked URL fetcher, paths realpath-checked;
anything else stops the render), and any warning or error it logs — a missing glyph, a blocked resource, bad
CSS — fails the render. After: the PDF must embed subsets of the configured families and nothing else.

Logging policy: WeasyPrint's warnings are collected for the duration of one render and turned into a
:class:`~contractgen.errors.RenderError` (or :class:`~contractgen.errors.FontError`); they are not re-logged.

This module must not change wording, read the clock (PDF dates come from the spec), or fetch from the network.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

from contractgen.document.tree import Document, Signature, Title, inline_text, iter_blocks, part_text
from contractgen.errors import FontError, GlyphError, RenderError
from contractgen.writers.box_backgrounds import styles_decided
from contractgen.writers.box_lengths import lengths_planned
from contractgen.writers.face_data import face_data_when_read
from contractgen.writers.fonts import INSTALL_HINT, ResolvedFonts, check_font_name, missing_characters
from contractgen.writers.html import to_html
from contractgen.writers.page_positions import PdfFile, Spot, signing_pushed, spots, strips
from contractgen.writers.pango_layouts import kept_layouts
from contractgen.writers.pdf_fonts import check_embedded, embedded_fonts, real_subsets
from contractgen.writers.pdf_parts import margin_boxes_left_out, side_rules
from contractgen.writers.stack_room import roomy
from contractgen.writers.text_lines import lines_read_in_bulk

__all__ = ["PdfFile", "Spot", "collector_paused", "embedded_fonts", "font_css", "lay_out_pdf", "raise_warnings"]
__all__ += ["render_markup", "weasyprint_errors", "write_pdf"]

ALLOWED_ASSET_SUFFIXES = frozenset({".css", ".png", ".jpg", ".jpeg", ".svg", ".otf", ".ttf", ".woff2"})


# --- fonts ------------------------------------------------------------------------------------------------


def font_css(fonts: ResolvedFonts) -> str:
    """The rules that name the configured families (names checked: they can contain no CSS syntax)."""
    serif = check_font_name(fonts.fonts.serif)
    sans = check_font_name(fonts.fonts.sans)
    return f'html {{ font-family: "{serif}"; }}\nh1.title, h1.annex-title {{ font-family: "{sans}"; }}\n'


def _check_coverage(document: Document, fonts: ResolvedFonts) -> None:
    serif = next(f for f in fonts.faces if f.family == fonts.fonts.serif and f.weight == "regular")
    sans = next(f for f in fonts.faces if f.family == fonts.fonts.sans and f.weight == "regular")
    furniture = "合同编号：第页共0123456789 " + document.contract_no
    body = [furniture, *(part_text(part) for part in document.parts)]
    blocks = [b for part in document.parts for b in iter_blocks(part.blocks)]
    titles = [inline_text(b.runs) for b in blocks if isinstance(b, Title)]
    for face, texts in ((serif, body), (sans, titles)):
        missing = missing_characters(texts, face)
        if missing:
            shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in missing[:8])
            raise GlyphError(
                f"字体「{face.family}」缺少这些字符的字形，PDF 中会显示为方框：{shown}。{INSTALL_HINT}",
                family=face.family,
                characters=tuple(missing),
            )


# --- WeasyPrint -------------------------------------------------------------------------------------------


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_warnings() -> Iterator[_Collector]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def _asset_path(url: str, roots: Sequence[Path]) -> Path | None:
    """The file a ``file:`` URL names, if it is an asset inside one of ``roots`` (links resolved first)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    if path.suffix.lower() not in ALLOWED_ASSET_SUFFIXES or not path.is_file():
        return None
    if not any(path.is_relative_to(root.resolve()) for root in roots):
        return None
    return path


class _RefusedResource(ValueError):
    """A resource the locked fetcher would not serve; the URL is kept for the error message."""

    def __init__(self, url: str) -> None:
        super().__init__(f"contractgen: resource not allowed: {url}")
        self.url = url


def _locked_fetcher(roots: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves only asset files under ``roots``, and stops the render else."""
    from weasyprint import urls

    def serve(url: str) -> tuple[Path, str]:
        path = _asset_path(url, roots)
        if path is None:
            raise _RefusedResource(url)
        return path, mimetypes.guess_type(path.name)[0] or "application/octet-stream"

    if hasattr(urls, "URLFetcherResponse"):  # WeasyPrint >= 70

        class LockedFetcher(urls.URLFetcher):  # type: ignore[misc]
            def __init__(self) -> None:
                super().__init__(fail_on_errors=True, allowed_protocols=("file",), allow_redirects=False)

            def fetch(self, url: str, headers: Any = None) -> Any:
                path, mime = serve(url)
                return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

        return LockedFetcher()

    def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:  # WeasyPrint < 70
        path, mime = serve(url)
        return {"string": path.read_bytes(), "mime_type": mime, "redirected_url": url}

    return fetch


# The defaults contractgen's HTML needs from a browser: how each element writers/html.py writes is displayed,
# bold and underline, and PDF bookmarks for the titles and headings. It stands in for WeasyPrint's whole HTML5
# user-agent stylesheet, whose hundreds of rules are matched against every element and cost about a sixth of
# the render; the look itself is the template folder's print.css.
BASE_CSS = """
html, body, section, div, p, h1, h2, h3 { display: block }
head, title, meta, style, script { display: none }
table { display: table; box-sizing: border-box; text-indent: initial; border-collapse: separate; border-spacing: 0 }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row }
td, th { display: table-cell }
tr, td, th { vertical-align: inherit }
b, th { font-weight: bold }
u { text-decoration: underline }
br::before { content: "\\A"; white-space: pre-line }
h1 { bookmark-level: 1 }
h2 { bookmark-level: 2 }
h3 { bookmark-level: 3 }
h1, h2, h3 { bookmark-label: content(text); hyphens: manual; break-after: avoid; break-inside: avoid }
@page {
  @top-right { text-align: right; vertical-align: middle }
  @bottom-center { text-align: center; vertical-align: middle }
}
"""


class _Engine:
    """WeasyPrint objects that do not depend on the document, made once per process (warm renders reuse them).

    Stylesheets are kept per (file, its size and mtime, asset roots, font rules) and only once they parsed
    without a warning, so a stylesheet that warns fails every render that uses it.
    """

    def __init__(self) -> None:
        from contractgen.writers.weasyprint_loading import import_weasyprint, internals_known

        weasyprint: Any = import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self.weasyprint = weasyprint
        self.font_config = FontConfiguration()
        base = weasyprint.CSS(string=BASE_CSS, font_config=self.font_config)

        # Read the writer's own markup with a plain XML parser (it is well-formed XML) rather than WeasyPrint's
        # HTML5 parser, a twentieth of the render: this sets what WeasyPrint 70's HTML.__init__ sets. Other
        # versions parse the string as usual.
        fast_parse = internals_known()

        class ContractHTML(weasyprint.HTML):  # type: ignore[misc]
            def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
                return [base]

            @classmethod
            def from_markup(cls, markup: str, base_url: str, url_fetcher: Any) -> Any:
                if not fast_parse:
                    return cls(string=markup, base_url=base_url, url_fetcher=url_fetcher)
                import cssselect2  # type: ignore[import-untyped]

                page = cls.__new__(cls)
                page.base_url = base_url
                page.url_fetcher = url_fetcher
                page.media_type = "print"
                page.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                    ElementTree.fromstring(markup), content_language=None
                )
                page.etree_element = page.wrapper_element.etree_element
                return page

        self.html_class = ContractHTML
        self._sheets: dict[tuple[object, ...], list[Any]] = {}

    def stylesheets(self, stylesheet: Path, roots: Sequence[Path], fonts: str, fetcher: Any) -> list[Any]:
        stat = stylesheet.stat()
        key = (str(stylesheet), stat.st_size, stat.st_mtime_ns, tuple(map(str, roots)), fonts)
        cached = self._sheets.get(key)
        if cached is not None:
            return cached
        with _collect_warnings() as collector:
            sheets = [
                self.weasyprint.CSS(filename=str(stylesheet), url_fetcher=fetcher, font_config=self.font_config),
                self.weasyprint.CSS(string=fonts, url_fetcher=fetcher, font_config=self.font_config),
            ]
        if not collector.messages:  # warnings reach the render's own collector too, and fail it
            self._sheets[key] = sheets
        return sheets


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one render, then one collection of what the render left.

    WeasyPrint builds hundreds of thousands of small objects (boxes, styles, line layouts) that live until the
    PDF is written; with the collector on, each young-generation pass re-walks the ones still alive, about a
    tenth of a warm render (benchmarks/render.py: 1.04 s -> 0.96 s for the sample). The checks that read the
    written PDF back run while those objects are still alive: a full collection there walked them all (55 ms
    of a cold command), so the checks are inside too. Collecting only generation 0 afterwards frees the
    render's reference cycles at once (nothing was promoted while the collector was off), so memory stays
    where it was. Left alone when the caller has already turned the collector off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


@lru_cache(maxsize=1)
def _engine() -> _Engine:
    return _Engine()


def write_pdf(
    document: Document,
    *,
    stylesheet: Path,
    asset_roots: Sequence[Path],
    fonts: ResolvedFonts,
    when: datetime,
) -> bytes:
    """The PDF of ``document`` with ``stylesheet``; ``when`` dates the file (from the spec)."""
    return lay_out_pdf(document, stylesheet=stylesheet, asset_roots=asset_roots, fonts=fonts, when=when).data


@roomy  # the layout recurses deep: from the start of a chunk of frame stack of its own (writers/stack_room.py)
def lay_out_pdf(
    document: Document,
    *,
    stylesheet: Path,
    asset_roots: Sequence[Path],
    fonts: ResolvedFonts,
    when: datetime,
    cross_page_seal_mm: int | None = None,
    draw: bool = True,
) -> PdfFile:
    """The PDF of ``document`` and the rectangles of its seal spots, from one layout — two when the signature
    block was pushed past the end of the text: then it is laid out again on a page of its own, under its note.
    ``cross_page_seal_mm`` keeps a 骑缝章 strip for a seal of that size at every page's right edge.

    With part processes set (:func:`contractgen.writers.pdf_workers.set_part_processes`) the parts are laid
    out in runs side by side, and the result is the same bytes. Without ``draw``, only the layout's decision:
    the document, with its signature page if it needs one, and no PDF (``data`` empty, no spots) — what a DOCX
    alone needs; only the parts that decide it are laid out (:func:`_deciding_parts`)."""
    _check_coverage(document, fonts)
    html = partial(to_html, dated=when, cross_page_seal_mm=cross_page_seal_mm)
    if not draw:
        deciding = _deciding_parts(document, stylesheet)
        decided = document
        if deciding is not None:
            lead = deciding.parts[0] is not document.parts[0]
            with weasyprint_errors(), margin_boxes_left_out():
                laid_out = render_markup(html(deciding, lead_page=lead), stylesheet, asset_roots, font_css(fonts))
            decided = document.with_signing_page() if signing_pushed(laid_out) else document
        return PdfFile(b"", (), decided, ())
    lay_out = partial(_lay_out_document, html=html, stylesheet=stylesheet, asset_roots=asset_roots, fonts=fonts)
    with collector_paused():
        laid_out, pdf = lay_out(document)
        if signing_pushed(laid_out):
            document = document.with_signing_page()
            laid_out, pdf = lay_out(document)
        check_embedded(pdf, fonts)
        return PdfFile(pdf, tuple(spots(laid_out)), document, tuple(strips(laid_out)))


def _deciding_parts(document: Document, stylesheet: Path) -> Document | None:
    """What the signing page's decision needs laid out: the parts whose signature block carries a page note, or
    None when none does. Each part starts on a new page, so those parts lay out alone as they do in the whole
    document (a lead page stands in for the parts before them: :mod:`contractgen.writers.pdf_parts` joins runs
    laid out so into the one pass's bytes) — unless the stylesheet's page rules depend on a page's side or
    number: then the whole document."""
    if side_rules(stylesheet.read_text(encoding="utf-8")):
        return document
    parts = tuple(
        part
        for part in document.parts
        if any(isinstance(block, Signature) and block.page_note for block in iter_blocks(part.blocks))
    )
    return replace(document, parts=parts) if parts else None


def _lay_out_document(
    document: Document, *, html: Any, stylesheet: Path, asset_roots: Sequence[Path], fonts: ResolvedFonts
) -> tuple[Any, bytes]:
    from contractgen.writers.pdf_workers import lay_out_in_runs

    joined = lay_out_in_runs(document, html, stylesheet=stylesheet, asset_roots=asset_roots, font_rules=font_css(fonts))
    if joined is not None:
        return joined
    with weasyprint_errors():
        laid_out = render_markup(html(document), stylesheet, asset_roots, font_css(fonts))
        with real_subsets():  # a third of the size (writers/pdf_fonts.py)
            pdf: bytes = laid_out.write_pdf()
    return laid_out, pdf


def render_markup(markup: str, stylesheet: Path, asset_roots: Sequence[Path], font_rules: str) -> Any:
    """WeasyPrint's layout of ``markup`` with the stylesheet and font rules (call inside weasyprint_errors)."""
    engine = _engine()
    fetcher = _locked_fetcher(asset_roots)
    sheets = engine.stylesheets(stylesheet, asset_roots, font_rules, fetcher)
    page = engine.html_class.from_markup(markup, str(stylesheet.parent) + "/", fetcher)
    return page.render(stylesheets=sheets, font_config=engine.font_config)


#: WeasyPrint 70's work done faster inside every block of it, each the same bytes (each module says how).
_FASTER = (kept_layouts, styles_decided, lengths_planned, lines_read_in_bulk, face_data_when_read)


@contextmanager
def weasyprint_errors() -> Iterator[None]:
    """WeasyPrint's failures and logged warnings inside the block as a RenderError or FontError after it."""
    from contractgen.writers.weasyprint_loading import import_weasyprint

    import_weasyprint()  # first, before anything imports it the slow way
    from weasyprint.urls import FatalURLFetchingError

    with _collect_warnings() as collector, collector_paused(), ExitStack() as changes:
        for change in _FASTER:
            changes.enter_context(change())
        try:
            yield
        except FatalURLFetchingError as error:
            url = error.__cause__.url if isinstance(error.__cause__, _RefusedResource) else "未知"
            raise RenderError(f"PDF 渲染试图读取不允许的资源：{url}") from None
        except _RefusedResource as error:
            raise RenderError(f"PDF 渲染试图读取不允许的资源：{error.url}") from None
        except (OSError, ValueError) as error:
            raise RenderError(f"PDF 渲染失败：{error}") from None
    raise_warnings(collector.messages)


def raise_warnings(messages: Sequence[str]) -> None:
    """A FontError (a glyph is missing) or RenderError for WeasyPrint's warnings, if it logged any."""
    if messages:
        text = "；".join(dict.fromkeys(messages))
        if "glyph" in text:
            raise FontError(f"PDF 渲染时缺少字形：{text}。{INSTALL_HINT}")
        raise RenderError(f"PDF 渲染出现警告：{text}")
