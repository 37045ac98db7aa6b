"""Thousands separators: every three digits from the ones, or refused where the grouping goes wrong.

The rule (numerals/digit_grouping.py) is the one the command line and the spec's amounts share; these tests read
it through ``parse_amount``, as ``contractgen amount`` does. tests/validation/test_formats_grouping.py checks that
the spec says the same words.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractgen.errors import AmountError
from contractgen.numerals import parse_amount, to_capital
from contractgen.numerals.digit_grouping import grouping_problem


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("360,000.00", "360000.00"),
        ("1,234,567.89", "1234567.89"),
        ("12,000", "12000"),
        ("999", "999"),
        ("1,000.5", "1000.5"),
        ("-1,000", "-1000"),
        ("¥360,000.00", "360000.00"),
        ("￥ 1,409.50", "1409.50"),
        ("１，２３４，５６７．８９", "1234567.89"),  # full-width digits take the full-width comma with them
        ("1，234", "1234"),
        ("9,999,999,999,999,999", "9999999999999999"),
        ("10,000,000,000,000,000", None),  # grouped or not, 10**16 and above is out of range
    ],
)
def test_correct_grouping_reads_as_the_plain_number(text: str, plain: str | None) -> None:
    if plain is None:
        with pytest.raises(AmountError, match="金额超出范围"):
            parse_amount(text)
        return
    value = parse_amount(text)
    assert value.as_tuple() == Decimal(plain).as_tuple()  # exponent too: 360,000.00 keeps its two places
    assert to_capital(text) == to_capital(plain)


def test_no_separators_is_no_problem() -> None:
    assert grouping_problem("360000.00", 0, 9) is None
    assert grouping_problem("x1,000y", 1, 6) is None  # only text[start:end] is looked at


def test_positions_are_in_the_whole_text() -> None:
    reason = '千位分隔符的位置不对："0000" 有 4 位（应从个位起每三位一个：360,000）'
    assert grouping_problem("¥36,0000", 1, 8) == (4, reason)


def _grouped(digits: str, cuts: set[int]) -> str:
    """``digits`` with a comma before each index in ``cuts``."""
    return "".join(("," if i in cuts else "") + d for i, d in enumerate(digits))


def _correct_cuts(digits: str) -> set[int]:
    return {i for i in range(1, len(digits)) if (len(digits) - i) % 3 == 0}


# Every amount parse_amount takes, with no, one or two decimals as typed (and some with more: it keeps them all).
amounts = st.builds(
    lambda sign, whole, fraction: Decimal(f"{sign}{whole}{fraction}"),
    st.sampled_from(["", "-"]),
    st.integers(0, 10**16 - 1),
    st.sampled_from(["", ".0", ".5", ".00", ".05", ".99", ".125"]),
)


@given(amounts)
@example(Decimal("360000.00"))
@example(Decimal("1234567.89"))
def test_any_amount_grouped_correctly_reads_back_exactly(amount: Decimal) -> None:
    text = f"{amount:,f}"  # Python groups by three from the ones, as PBOC does
    assert parse_amount(text).as_tuple() == amount.as_tuple()
    assert parse_amount(text.replace(",", "，")).as_tuple() == amount.as_tuple()


@given(st.integers(10, 10**15).map(str), st.data())
@example("360000", None)
@example("12345", None)
def test_any_other_grouping_is_refused_where_it_goes_wrong(digits: str, data: st.DataObject | None) -> None:
    correct = _correct_cuts(digits)
    if data is None:  # the examples: grouped by 万, the way 36,0000 is
        cuts = {i for i in range(1, len(digits)) if (len(digits) - i) % 4 == 0}
    else:
        cuts = data.draw(st.sets(st.integers(1, len(digits) - 1), min_size=1).filter(lambda c: c != correct))
    text = _grouped(digits, cuts)
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    found = grouping_problem(text, 0, len(text))
    assert found is not None
    position, reason = found
    assert caught.value.position == position
    assert caught.value.message.endswith(f"：{reason}")
    assert reason.startswith("千位分隔符的位置不对：")
    assert f"：{_grouped(digits, correct)}" in reason  # and it shows the number grouped right
