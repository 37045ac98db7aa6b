"""Page positions: where the layout put what a signer needs — each seal spot's page and rectangle, and whether
the signature block was pushed past the end of the text — read from WeasyPrint's anchors (the boxes of elements
carrying the ids :mod:`contractgen.writers.html` gives them), never from searching the text.

This module must not lay out or change anything: it reads a finished layout.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from contractgen.document.tree import Document
from contractgen.errors import TemplateError
from contractgen.writers.html import CROSS_PAGE_SEAL_ID, SIGNING_ID, SPOT_ID, TEXT_END_ID

__all__ = ["CROSS_PAGE_SEAL", "PdfFile", "Spot", "check_keywords", "pdf_reader", "signing_pushed", "spots", "strips"]

#: The kind and party of a 骑缝章 strip: every party presses its seal there.
CROSS_PAGE_SEAL, ALL_PARTIES = "cross-page-seal", "all"


@dataclass(frozen=True)
class Spot:
    """Where a seal spot landed: its id (``cg-seal-a-1``), page (1-based) and rectangle in PDF points, origin at
    the page's lower left, as WeasyPrint laid it out — never found by searching the text."""

    id: str
    kind: str  # seal, signature
    party: str  # a, b, …
    page: int
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1
    page_size: tuple[float, float]  # width, height


@dataclass(frozen=True)
class PdfFile:
    """A rendered PDF, where its seal spots are, and the document as laid out: the one given, or — when its
    signature block would have stood on a page without the text — that document with the block on a page of
    its own under its page note (:meth:`Document.with_signing_page`), which the DOCX is then written from too."""

    data: bytes
    spots: tuple[Spot, ...]
    document: Document
    strips: tuple[Spot, ...] = ()  # the 骑缝章 strip of each page, when there is one


def spots(laid_out: Any) -> Iterator[Spot]:
    """Every seal spot of a WeasyPrint layout, page by page."""
    for number, page in enumerate(laid_out.pages, 1):
        found = [(m, box) for anchor, box in page.anchors.items() if (m := SPOT_ID.fullmatch(anchor))]
        for match, box in sorted(found, key=lambda item: int(item[0][3])):  # in document order
            yield _spot((match[0], match[1], match[2]), number, page, box)


def strips(laid_out: Any) -> Iterator[Spot]:
    """The 骑缝章 strip of every page of a WeasyPrint layout (none without one)."""
    for number, page in enumerate(laid_out.pages, 1):
        if CROSS_PAGE_SEAL_ID in page.anchors:
            box = page.anchors[CROSS_PAGE_SEAL_ID]
            yield _spot((CROSS_PAGE_SEAL_ID, CROSS_PAGE_SEAL, ALL_PARTIES), number, page, box)


def _spot(what: tuple[str, str, str], number: int, page: Any, box: tuple[float, ...]) -> Spot:
    """The spot ``what`` (id, kind, party) on page ``number`` of the layout, its box turned into PDF points."""
    anchor, kind, party = what
    px = 0.75  # WeasyPrint lays out in CSS pixels, 96 to the inch; a PDF point is 1/72 inch
    x0, y0, x1, y1 = box
    height = page.height
    rect = (round(x0 * px, 2), round((height - y1) * px, 2), round(x1 * px, 2), round((height - y0) * px, 2))
    return Spot(anchor, kind, party, number, rect, (round(page.width * px, 2), round(height * px, 2)))


def signing_pushed(laid_out: Any) -> bool:
    """Whether the signature block starts on a later page than the one where the text before it ends."""
    # The agreed text ends on one page and the signature block starts on a later one: without a note, that page
    # would hold signatures under nothing, which a reader cannot tie to the contract.
    pages = {a: n for n, page in enumerate(laid_out.pages) for a in page.anchors if a in (TEXT_END_ID, SIGNING_ID)}
    return len(pages) == 2 and pages[SIGNING_ID] > pages[TEXT_END_ID]


_last_read: list[tuple[bytes, Any]] = []


def pdf_reader(pdf: bytes) -> Any:
    """A pypdf reader of ``pdf``, shared by the checks of one rendered file: the writer's check of its fonts and
    the keyword check read the same bytes, and parsing them takes 30–40 ms each time (the sample, warm)."""
    from pypdf import PdfReader

    if _last_read and _last_read[0][0] is pdf:
        return _last_read[0][1]
    import io

    reader = PdfReader(io.BytesIO(pdf))
    _last_read[:] = [(pdf, reader)]
    return reader


def check_keywords(pdf: bytes, laid: Sequence[Spot], keywords: Sequence[str], source: str) -> None:
    """Raise a TemplateError naming ``source`` unless each party's first spot's keyword (甲方（盖章）, the text an
    e-signing platform searches for to place that party's stamp) appears exactly once on that spot's page."""
    reader = pdf_reader(pdf)
    seen: set[str] = set()
    texts: dict[int, str] = {}  # the parties' spots share a page: its text is extracted once
    for spot, keyword in zip(laid, keywords, strict=True):
        if spot.party in seen:
            continue
        seen.add(spot.party)
        if spot.page not in texts:
            # pypdf may break a line inside the keyword; the platforms read the text run by run, as written.
            texts[spot.page] = "".join(reader.pages[spot.page - 1].extract_text().split())
        text = texts[spot.page]
        count = text.count("".join(keyword.split()))
        if count != 1:
            raise TemplateError(
                f"{source}: 签署页（第 {spot.page} 页）上“{keyword}”出现 {count} 次：电子签约平台按关键字定位"
                "各方的印章，每一方的关键字在签署页上须恰好出现一次"
            )
