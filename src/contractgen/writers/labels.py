"""How wide text is: where both writers hang a list item's text, and which words and no-break items may be
too long for their box (a line, a table column), so that they can break instead of running out of the page.

This module must not know any file format.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator

from contractgen.document.tree import Blank, Bold, Box, Inline, NoBreak, Text, Underline, inline_text

__all__ = ["TEXT_WIDTH_PT", "has_long_word", "label_width_em", "long_words", "runs_width_em", "text_width_em"]

#: The text column of the A4 page: 210 mm less the 28 mm and 26 mm margins of the print stylesheet and of the
#: Word house template, in points.
TEXT_WIDTH_PT = (210 - 28 - 26) * 72 / 25.4

# Characters no wider than 0.6 em in any face contractgen sets (Noto CJK's widest digit, a bold 9, is 0.596 em).
_NARROW = frozenset("0123456789 .,:;'-")

# A run of characters with no line break opportunity in it (no space, no CJK character), with the opening and
# closing punctuation that must stay on a line with it.
_WORD = re.compile(
    r"[（《「『“‘]*[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+[）》」』”’，。、；：！？]*"
)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def label_width_em(label: str) -> float:
    """The width of ``label`` in em, rounded up to a tenth: full-width characters 1 em, others 0.6 em.

    A label that ends in a narrow character (``1.``) gets a little air before the text; full-width ones
    (``（1）``, ``一、``) carry their own.
    """
    width = sum(1.0 if _wide(c) else 0.6 for c in label)
    if label and not _wide(label[-1]):
        width += 0.3
    return math.ceil(round(width * 10, 6)) / 10


def text_width_em(text: str) -> float:
    """An upper bound of the width of ``text`` in em: never less than the text takes, often more.

    Full-width characters are 1 em; digits, spaces and narrow punctuation 0.6 em; every other character
    1.1 em — Latin capitals reach 1.09 em (W in Noto Serif CJK Bold), @ and % nearly 1 em.
    """
    return sum(1.0 if _wide(c) else 0.6 if c in _NARROW else 1.1 for c in text)


def runs_width_em(runs: tuple[Inline, ...]) -> float:
    """An upper bound of the width of ``runs`` in em, blanks and boxes included."""
    width = 0.0
    for run in runs:
        if isinstance(run, Text):
            width += text_width_em(run.text)
        elif isinstance(run, Bold | Underline | NoBreak):
            width += runs_width_em(run.children)
        elif isinstance(run, Blank):
            width += run.width
        elif isinstance(run, Box):
            width += 1.0
    return width


def long_words(text: str, room: float) -> Iterator[tuple[int, int]]:
    """Where ``text`` holds a word that may be wider than ``room`` em: (start, end) of each."""
    for word in _WORD.finditer(text):
        if text_width_em(word.group()) > room:
            yield word.span()


def has_long_word(runs: tuple[Inline, ...], room: float) -> bool:
    """Whether the text of ``runs`` holds a word that may be wider than ``room`` em."""
    return any(long_words(inline_text(runs), room))
