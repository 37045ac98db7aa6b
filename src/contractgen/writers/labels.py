"""How wide a list item's label is, so both writers hang the item's text at the same place.

This module must not know any file format.
"""

from __future__ import annotations

import math
import unicodedata

__all__ = ["label_width_em"]


def label_width_em(label: str) -> float:
    """The width of ``label`` in em, rounded up to a tenth: full-width characters 1 em, others 0.6 em.

    A label that ends in a narrow character (``1.``) gets a little air before the text; full-width ones
    (``（1）``, ``一、``) carry their own.
    """
    width = sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.6 for c in label)
    if label and unicodedata.east_asian_width(label[-1]) not in ("W", "F"):
        width += 0.3
    return math.ceil(round(width * 10, 6)) / 10
