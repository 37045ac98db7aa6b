"""Periods by 《民法典》第二百零一条至第二百零四条, against an independent restatement of the rules.

The module counts months by a month index and finds a month's end by stepping back from the next month's first
day; the oracle here steps month by month with :func:`calendar.monthrange` and moves by day ordinals, so the two
cannot share a mistake by construction. Every start day of several years is tried — month ends, 2月29日 of 2000
(a leap year), 2024 and 2028, and 2100 (not one) — then hypothesis looks further afield.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractgen.errors import NumeralError
from contractgen.numerals.periods import (
    corresponding_day,
    days_after,
    month_end,
    period_last_day,
    quarters,
    term_last_day,
    term_periods,
)

YEARS = (1999, 2000, 2001, 2023, 2024, 2025, 2027, 2028, 2029, 2099, 2100, 2101)
EVERY_DAY = [
    date.fromordinal(n) for y in YEARS for n in range(date(y, 1, 1).toordinal(), date(y + 1, 1, 1).toordinal())
]
MONTHS = (1, 2, 3, 6, 11, 12, 24, 36, 48)


# --- the oracle -------------------------------------------------------------------------------------------


def _step(year: int, month: int, months: int) -> tuple[int, int, int]:
    """(year, month, days in it) ``months`` calendar months after ``year``-``month``, one month at a time."""
    for _ in range(months):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return year, month, calendar.monthrange(year, month)[1]


def oracle_statutory(event: date, months: int) -> date:
    """第二百零一条/第二百零二条: the event's day not counted; the 到期月's 对应日, else its 月末日."""
    year, month, length = _step(event.year, event.month, months)
    return date(year, month, min(event.day, length))


def oracle_term(first: date, months: int) -> date:
    """The first day counted: the day before the 到期月's 对应日 of the first day, else the 到期月's 月末日."""
    year, month, length = _step(first.year, first.month, months)
    if first.day > length:
        return date(year, month, length)
    return date.fromordinal(date(year, month, first.day).toordinal() - 1)


def _contains_29_february(first: date, last: date) -> bool:
    return any(
        calendar.isleap(y) and first <= date(y, 2, 29) <= last for y in range(first.year, last.year + 1)
    )


# --- the cases the issue names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "years", "last"),
    [
        (date(2028, 2, 29), 1, date(2029, 2, 28)),  # today's bug: 2029-02-27
        (date(2026, 11, 24), 3, date(2029, 11, 23)),  # the sample, as printed before
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 28)),  # 2028-02-29 exists: the day before it
        (date(2000, 2, 29), 100, date(2100, 2, 28)),
        (date(2027, 3, 1), 1, date(2028, 2, 29)),  # a leap year's 2月29日 stays inside the term
        (date(2099, 3, 1), 1, date(2100, 2, 28)),  # 2100 is no leap year
        (date(2026, 1, 1), 1, date(2026, 12, 31)),
    ],
)
def test_terms_the_issue_names(first: date, years: int, last: date) -> None:
    assert term_last_day(first, years=years) == last


@pytest.mark.parametrize(
    ("first", "months", "last"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # 2月 has no 31日: its 月末日
        (date(2028, 1, 30), 1, date(2028, 2, 29)),
        (date(2028, 1, 29), 1, date(2028, 2, 28)),  # 2028-02-29 exists: the day before it
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 5, 1), 1, date(2026, 5, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_months_end_on_the_day_before_or_the_month_end(first: date, months: int, last: date) -> None:
    assert term_last_day(first, months=months) == last


@pytest.mark.parametrize(
    ("event", "years", "months", "days", "last"),
    [
        (date(2026, 11, 24), 0, 0, 15, date(2026, 12, 9)),  # 自签订之日起十五日内
        (date(2026, 12, 20), 0, 0, 15, date(2027, 1, 4)),
        (date(2026, 11, 24), 1, 0, 0, date(2027, 11, 24)),  # 第二百零二条: the 对应日 itself
        (date(2028, 2, 29), 1, 0, 0, date(2029, 2, 28)),  # no 对应日: the 月末日
        (date(2026, 1, 31), 0, 1, 0, date(2026, 2, 28)),
        (date(2026, 1, 31), 0, 1, 3, date(2026, 3, 3)),
    ],
)
def test_periods_counted_from_an_event(event: date, years: int, months: int, days: int, last: date) -> None:
    assert period_last_day(event, years=years, months=months, days=days) == last


def test_days_after_does_not_count_the_day_itself() -> None:
    assert days_after(date(2026, 11, 24), 15) == date(2026, 12, 9)
    assert days_after(date(2028, 2, 28), 1) == date(2028, 2, 29)
    assert days_after(date(2026, 12, 31), 0) == date(2026, 12, 31)


def test_month_ends_and_corresponding_days() -> None:
    assert [month_end(y, 2).day for y in (1900, 2000, 2024, 2026, 2028, 2100)] == [28, 29, 29, 28, 29, 28]
    assert month_end(2026, 12) == date(2026, 12, 31)
    assert corresponding_day(date(2028, 2, 29), years=1) is None
    assert corresponding_day(date(2028, 2, 29), years=4) == date(2032, 2, 29)
    assert corresponding_day(date(2026, 3, 31), months=-1) is None
    assert corresponding_day(date(2026, 12, 15), months=1) == date(2027, 1, 15)


def test_the_sample_quarters() -> None:
    got = quarters(date(2026, 11, 24), 1)
    assert got == [
        (date(2026, 11, 24), date(2027, 2, 23)),
        (date(2027, 2, 24), date(2027, 5, 23)),
        (date(2027, 5, 24), date(2027, 8, 23)),
        (date(2027, 8, 24), date(2027, 11, 23)),
    ]
    # A first day past 28: a quarter may end on a 月末日, and the next begins on the 1st.
    assert quarters(date(2026, 11, 30), 1)[:2] == [
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 5, 29)),
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: term_last_day(date(2026, 1, 1)), "至少为一个月"),
        (lambda: term_last_day(date(2026, 1, 1), years=1, months=-12), "至少为一个月"),
        (lambda: period_last_day(date(2026, 1, 1), days=-1), "不能为负"),
        (lambda: term_periods(date(2026, 1, 1), years=1, months_each=5), "不能分成"),
        (lambda: quarters(date(2026, 1, 1), 0), "不能分成"),
    ],
)
def test_a_nonsensical_length_is_a_numeral_error(call: object, message: str) -> None:
    with pytest.raises(NumeralError, match=message):
        call()  # type: ignore[operator]


# --- every start day of the chosen years ------------------------------------------------------------------


@pytest.mark.parametrize("months", MONTHS)
def test_every_start_day_agrees_with_the_oracle(months: int) -> None:
    for day in EVERY_DAY:
        assert term_last_day(day, months=months) == oracle_term(day, months), (day, months)
        assert period_last_day(day, months=months) == oracle_statutory(day, months), (day, months)
    for day in EVERY_DAY:
        assert days_after(day, months) == date.fromordinal(day.toordinal() + months)


def test_every_one_year_term_is_a_year_of_days() -> None:
    for day in EVERY_DAY:
        last = term_last_day(day, years=1)
        length = last.toordinal() - day.toordinal() + 1
        assert length == (366 if _contains_29_february(day, last) else 365), (day, last)


def test_later_first_days_never_end_earlier() -> None:
    for months in MONTHS:
        ends = [term_last_day(day, months=months) for day in EVERY_DAY]
        assert all(a <= b for a, b in itertools.pairwise(ends)), months


def test_quarters_and_years_meet_end_to_end_and_cover_the_term() -> None:
    for first in EVERY_DAY:
        for years, spans in ((3, quarters(first, 3)), (2, term_periods(first, years=2, months_each=12))):
            assert len(spans) == (12 if years == 3 else 2)
            assert spans[0][0] == first
            assert spans[-1][1] == term_last_day(first, years=years)
            assert all(begin <= end for begin, end in spans), first
            assert all(b[0] - a[1] == timedelta(days=1) for a, b in itertools.pairwise(spans)), first
            # each period ends where a term of that many months from the first day would end
            step = 36 // len(spans) if years == 3 else 12
            assert [end for _, end in spans] == [oracle_term(first, step * n) for n in range(1, len(spans) + 1)]


# --- hypothesis, further afield ---------------------------------------------------------------------------


@given(
    first=st.dates(min_value=date(1601, 1, 1), max_value=date(9000, 12, 31)),
    months=st.integers(min_value=1, max_value=12 * 50),
)
@example(first=date(2028, 2, 29), months=12)
@example(first=date(2000, 2, 29), months=1200)
@example(first=date(2099, 12, 31), months=2)
def test_any_term_agrees_with_the_oracle(first: date, months: int) -> None:
    last = term_last_day(first, months=months)
    assert last == oracle_term(first, months)
    nxt = last + timedelta(days=1)
    if first.day <= 28:
        # The next term would begin on the same day of the month, exactly ``months`` months on.
        assert nxt.day == first.day
        assert (nxt.year * 12 + nxt.month) - (first.year * 12 + first.month) == months
    else:
        assert last.day == first.day - 1 or nxt.day == 1  # the day before the 对应日, or a 月末日


@given(
    event=st.dates(min_value=date(1601, 1, 1), max_value=date(9000, 12, 31)),
    years=st.integers(min_value=0, max_value=50),
    months=st.integers(min_value=0, max_value=11),
    days=st.integers(min_value=0, max_value=400),
)
def test_any_statutory_period_agrees_with_the_oracle(event: date, years: int, months: int, days: int) -> None:
    last = period_last_day(event, years=years, months=months, days=days)
    assert last == date.fromordinal(oracle_statutory(event, 12 * years + months).toordinal() + days)
