"""Positions: where each party's seal goes on each PDF of a bundle, for e-signing platforms and for the PDF's own
signature fields (``signing-positions.json``).

The rectangles come from the layout (:func:`contractgen.writers.pdf.lay_out_pdf`, WeasyPrint's box of each
``<seal/>`` spot), never from searching the text. A counterpart is the base PDF with a label stamped in its
margin, so its pages and spots are the base's; the file lists every PDF of the bundle all the same, so a platform
reads one entry per document it is given. Coordinates are PDF points with the origin at the page's lower left;
docs/signing.md says how each platform's follow from them.

The first spot of each party in the document (the main signature block's) is where that party's signature field
goes (``field``: ``PartyA``, ``PartyB`` …); later spots (annex forms) are positions only.

This module must not render, and must not read or change PDFs: it turns positions into JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["FORMAT", "POSITIONS_NAME", "FieldSpot", "field_name", "field_spots", "positions_json"]

POSITIONS_NAME = "signing-positions.json"
#: The kind of a 骑缝章 strip's entry (party ``all``), one per page.
CROSS_PAGE_SEAL = "cross-page-seal"
FORMAT = "contractgen-signing-positions/1"


@dataclass(frozen=True)
class FieldSpot:
    """A seal spot as the bundle knows it: whose, what kind, where, and the text above it."""

    party: str  # a, b, …
    kind: str  # seal, signature, cross-page-seal
    page: int  # 1-based
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1: points, origin lower left
    page_size: tuple[float, float]
    keyword: str  # 甲方（盖章）


def field_name(party: str) -> str:
    """The PDF signature field of a party: ``a`` → ``PartyA``."""
    return f"Party{party.upper()}"


def field_spots(spots: Sequence[FieldSpot]) -> dict[str, FieldSpot]:
    """Each party's first spot: where its signature field goes (never a 骑缝章 strip, which all parties share)."""
    first: dict[str, FieldSpot] = {}
    for spot in spots:
        if spot.kind != CROSS_PAGE_SEAL:
            first.setdefault(spot.party, spot)
    return first


def positions_json(documents: Iterable[str], spots: Sequence[FieldSpot]) -> bytes:
    """``signing-positions.json`` for the PDFs named in ``documents`` (all laid out alike), sorted, UTF-8."""
    fields = {id(spot) for spot in field_spots(spots).values()}
    entries = [
        {
            "document": document,
            "party": spot.party,
            "kind": spot.kind,
            "page": spot.page,
            "rect": list(spot.rect),
            "page_size": list(spot.page_size),
            "keyword": spot.keyword,
            **({"field": field_name(spot.party)} if id(spot) in fields else {}),
        }
        for document in sorted(documents)
        for spot in spots
    ]
    body = {"format": FORMAT, "units": "pt", "origin": "lower-left", "positions": entries}
    return (json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
