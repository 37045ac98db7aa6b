"""Repayment schedules against tables computed apart from the module, the closed formula, and properties.

The tables under ``tests/data/schedules/`` were computed in exact fractions by ``schedule_oracle`` (tests/support)
and their first rows checked by hand (12,000 at 1% a month: 1,066.19; 60,000 at 6% with a first period of a
month and 14 days: 300 + 60,000 × 6% ÷ 360 × 14 = 440.00 of interest; 50,000 at 8% for 6 months and 10 days:
2,000 + 111.11). Two figures Chinese banks publish for 1,000,000 over 30 years at 4.9% are checked too:
等额本息 5,307.27 a month, 等额本金 6,861.11 in the first month falling by 11.34.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import schedule_oracle
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.errors import NumeralError
from contractgen.numerals.schedules import (
    METHODS,
    Period,
    level_payment,
    monthly_due_dates,
    schedule,
    span,
    whole_months,
)

TABLES = sorted((Path(__file__).parents[1] / "data" / "schedules").glob("*.csv"))
_HEAD = re.compile(r"# principal=(\S+) annual_percent=(\S+) method=(\S+) periods=(.+)")


def _table(path: Path) -> tuple[Decimal, Decimal, str, list[Period], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = _HEAD.fullmatch(lines[0])
    assert found, lines[0]
    periods = [Period(int(m), int(d)) for m, d in re.findall(r"(\d+)m(\d+)d", found[4])]
    rows = list(csv.reader(lines[2:]))
    return Decimal(found[1]), Decimal(found[2]), found[3], periods, rows


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_schedule_matches_the_table(path: Path) -> None:
    principal, annual, method, periods, rows = _table(path)
    result = schedule(principal, annual, method, periods)
    got = [[str(i.number), str(i.principal), str(i.interest), str(i.total), str(i.balance)] for i in result.entries]
    assert got == rows
    assert result.total == sum((Decimal(r[3]) for r in rows), Decimal(0))


def test_the_tables_cover_every_method() -> None:
    assert {_table(p)[2] for p in TABLES} == set(METHODS)


def test_36_month_annuity_against_the_closed_formula() -> None:
    principal, annual, n = Decimal("200000.00"), Decimal("6"), 36
    r = annual / 1200
    closed = principal * r * (1 + r) ** n / ((1 + r) ** n - 1)
    payment = closed.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert payment == Decimal("6084.39")  # 200,000 at 6% over three years, as any loan calculator gives it
    result = schedule(principal, annual, "annuity", whole_months(n))
    assert result.payment == payment
    assert all(i.total == payment for i in result.entries[:-1])
    # the last instalment carries the rounding of the others' interest: at most half a 分 each
    assert abs(result.entries[-1].total - payment) <= Decimal("0.005") * n
    assert sum((i.principal for i in result.entries), Decimal(0)) == principal
    assert abs(result.interest - (n * closed - principal)) <= Decimal("0.10")


def test_published_bank_figures() -> None:
    annuity = schedule(Decimal("1000000.00"), Decimal("4.9"), "annuity", whole_months(360))
    assert annuity.payment == Decimal("5307.27")
    equal = schedule(Decimal("1000000.00"), Decimal("4.9"), "equal_principal", whole_months(360))
    first, second = equal.entries[:2]
    assert (first.principal, first.interest, first.total) == (
        Decimal("2777.78"),
        Decimal("4083.33"),
        Decimal("6861.11"),
    )
    assert first.total - second.total == Decimal("11.34")


def test_one_month() -> None:
    for method in ("annuity", "equal_principal", "interest_only"):
        (only,) = schedule(Decimal("5000.00"), Decimal("12"), method, whole_months(1)).entries
        assert (only.principal, only.interest, only.total) == (Decimal("5000.00"), Decimal("50.00"), Decimal("5050.00"))
    (bullet,) = schedule(Decimal("5000.00"), Decimal("12"), "bullet", [Period(1)]).entries
    assert bullet.total == Decimal("5050.00")


def test_rate_zero_repays_the_principal_only() -> None:
    for method in METHODS:
        periods = [Period(7)] if method == "bullet" else whole_months(7)
        result = schedule(Decimal("1000.00"), Decimal("0"), method, periods)
        assert result.interest == 0
        assert result.total == Decimal("1000.00")


def test_span_counts_months_by_the_corresponding_day() -> None:
    assert span(date(2026, 12, 1), date(2027, 1, 1)) == Period(1, 0)
    assert span(date(2026, 12, 1), date(2027, 1, 15)) == Period(1, 14)
    assert span(date(2026, 1, 31), date(2026, 2, 28)) == Period(1, 0)  # 第二百零二条: the 月末日
    assert span(date(2026, 12, 10), date(2027, 1, 1)) == Period(0, 22)
    assert span(date(2026, 12, 1), date(2028, 12, 1)) == Period(24, 0)
    with pytest.raises(NumeralError):
        span(date(2026, 12, 1), date(2026, 12, 1))


def test_monthly_due_dates_keep_the_day_or_the_month_end() -> None:
    assert monthly_due_dates(date(2027, 1, 31), 4) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert monthly_due_dates(date(2027, 1, 15), 2, day=20) == [date(2027, 1, 20), date(2027, 2, 20)]


@pytest.mark.parametrize(
    ("principal", "annual", "method", "periods"),
    [
        (Decimal("0"), Decimal("6"), "annuity", whole_months(3)),
        (Decimal("100.001"), Decimal("6"), "annuity", whole_months(3)),
        (Decimal("100"), Decimal("-1"), "annuity", whole_months(3)),
        (Decimal("100"), Decimal("6"), "balloon", whole_months(3)),
        (Decimal("100"), Decimal("6"), "bullet", whole_months(3)),
        (Decimal("100"), Decimal("6"), "annuity", []),
        (Decimal("100"), Decimal("6"), "annuity", [Period(0, 0)]),
        (100.0, Decimal("6"), "annuity", whole_months(3)),
    ],
)
def test_bad_inputs_are_numeral_errors(principal: Decimal, annual: Decimal, method: str, periods: list[Period]) -> None:
    with pytest.raises(NumeralError):
        schedule(principal, annual, method, periods)


amounts = st.integers(min_value=1, max_value=10**11).map(lambda cents: Decimal(cents).scaleb(-2))
rates = st.integers(min_value=0, max_value=3600).map(lambda bp: Decimal(bp).scaleb(-2))


@st.composite
def plans(draw: st.DrawFn) -> tuple[Decimal, Decimal, str, list[Period]]:
    method = draw(st.sampled_from(METHODS))
    if method == "bullet":
        periods = [Period(draw(st.integers(0, 120)), draw(st.integers(0, 30)))]
    else:
        first = Period(draw(st.integers(0, 1)), draw(st.integers(0, 30)))
        periods = [first] + [Period(1)] * draw(st.integers(0, 120))
    if periods[0] == Period(0, 0):
        periods[0] = Period(1)
    return draw(amounts), draw(rates), method, periods


@settings(max_examples=300, deadline=None)
@given(plans())
def test_sums_are_exact_and_match_the_oracle(plan: tuple[Decimal, Decimal, str, list[Period]]) -> None:
    principal, annual, method, periods = plan
    result = schedule(principal, annual, method, periods)
    parts = result.entries
    assert sum((i.principal for i in parts), Decimal(0)) == principal
    assert sum((i.total for i in parts), Decimal(0)) == principal + result.interest == result.total
    assert all(i.principal >= 0 and i.interest >= 0 and i.total == i.principal + i.interest for i in parts)
    assert all(i.principal.as_tuple().exponent == -2 and i.interest.as_tuple().exponent == -2 for i in parts)
    assert parts[-1].balance == 0
    expected = schedule_oracle.rows(principal, annual, method, [(p.months, p.days) for p in periods])
    assert [(i.principal, i.interest, i.total, i.balance) for i in parts] == expected


@settings(max_examples=200, deadline=None)
@given(amounts, rates, st.integers(min_value=1, max_value=360))
def test_level_payment_is_the_closed_formula(principal: Decimal, annual: Decimal, n: int) -> None:
    exact = schedule_oracle.level_payment(Fraction(principal), Fraction(annual), n)
    assert abs(level_payment(principal, annual, n) - Decimal(exact.numerator) / Decimal(exact.denominator)) < Decimal(
        "1e-12"
    )
