"""capital_form_notes: what a typed 大写 of the right amount does otherwise than the canonical form.

The table is tests/data/numerals/capital_form.tsv; the properties check that whatever contractgen writes has no
note, and that the same amount in lower-case numerals always has one naming the characters.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numeral_tables import read_table

from contractgen.numerals import parse_capital, to_capital
from contractgen.numerals.capital_form import capital_form_notes

FORMS = read_table("capital_form.tsv", 3)


@pytest.mark.parametrize(("text", "notes", "why"), FORMS)
def test_notes(text: str, notes: str, why: str) -> None:
    canonical = to_capital(parse_capital(text))
    expected = None if notes == "-" else [n for n in notes.split(" | ") if n]
    assert capital_form_notes(text, canonical) == expected


def test_every_alternative_the_parser_reads_is_canonical_or_noted() -> None:
    """Every form of capital_parse.tsv: exactly the canonical ones (with 人民币 or spaces around) pass."""
    for text, *_ in read_table("capital_parse.tsv", 2):
        canonical = to_capital(parse_capital(text))
        bare = text.strip().removeprefix("人民币")
        assert (capital_form_notes(text, canonical) is None) == (bare == canonical), text


cents = st.integers(1, 10**18 - 1).map(lambda c: Decimal(c).scaleb(-2))
_LOWER = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")


@given(cents)
def test_what_contractgen_writes_has_no_note(amount: Decimal) -> None:
    canonical = to_capital(amount)
    assert capital_form_notes(canonical, canonical) is None
    assert capital_form_notes(to_capital(amount, prefix=True), canonical) is None


@given(cents)
def test_lower_case_numerals_are_always_named(amount: Decimal) -> None:
    canonical = to_capital(amount)
    lower = canonical.translate(_LOWER)
    if lower == canonical:  # 零元整 alone has no digit to lower
        return
    assert parse_capital(lower) == amount
    notes = capital_form_notes(lower, canonical)
    assert notes is not None
    assert "应写作" in notes[0]
    assert len(notes) == 1  # nothing else differs, so nothing else is said
