"""whole_fen_rates: the nearest rates to a rate whose share of the contract amount is a whole 分.

The checks themselves are in the corpus (tests/data/specs: warning-overdue-annualised and its boundary
overdue-annualised-below, warning-overdue-cap, warning-late-payment, cross-rate-fen); here the arithmetic, against
a brute-force search over every rate with four decimals.
"""

from __future__ import annotations

from decimal import Decimal

from customer_service_penalties import ANNUAL_THRESHOLD, PERIODS_PER_YEAR, whole_fen_rates
from hypothesis import given, settings
from hypothesis import strategies as st

STEP = Decimal("0.0001")
TOTALS = st.integers(min_value=1, max_value=10_000_000_00).map(lambda fen: Decimal(fen) / 100)
RATES = st.integers(min_value=1, max_value=100_0000).map(lambda k: Decimal(k) * STEP)


def _whole(total: Decimal, rate: Decimal) -> bool:
    amount = total * rate / 100
    return amount == amount.quantize(Decimal("0.01"))


@settings(max_examples=200, deadline=None)
@given(TOTALS, RATES)
def test_every_suggestion_gives_whole_fen_and_is_the_nearest(total: Decimal, rate: Decimal) -> None:
    suggested = whole_fen_rates(total, rate)
    for r in suggested:
        assert _whole(total, r)
        assert rate / 2 <= r <= rate * 2
        assert r.as_tuple().exponent >= -4
    below = [r for r in suggested if r <= rate]
    above = [r for r in suggested if r > rate]
    # nothing that works lies between a suggestion and the rate (searched with four decimals, within the range)
    if below:
        k = below[0] / STEP + 1
        while k * STEP < rate:
            assert not _whole(total, k * STEP)
            k += 1
    if above:
        k = rate / STEP + (0 if below and below[0] == rate else 1)
        while k * STEP < above[0]:
            assert not _whole(total, k * STEP) or k * STEP <= rate
            k += 1


def test_the_issue_s_example() -> None:
    assert whole_fen_rates(Decimal("96000"), Decimal("0.0333")) == [Decimal("0.033"), Decimal("0.0335")]
    assert whole_fen_rates(Decimal("100000.01"), Decimal("20")) == []  # none near: the message says so


def test_the_yearly_threshold_sits_between_the_usual_and_the_excessive() -> None:
    assert Decimal("0.05") * PERIODS_PER_YEAR["day"] < ANNUAL_THRESHOLD  # 万分之五 a day: 18.25% a year
    assert Decimal("0.1") * PERIODS_PER_YEAR["day"] > ANNUAL_THRESHOLD  # 千分之一 a day: 36.5%
