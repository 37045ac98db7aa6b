"""The loan's repayment plan: maturity, due dates on the repayment day or the month's end, the interest period each
instalment closes, and the schedule they give — checked against dates and amounts worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from loan_plan import Terms, due_dates, plan_problem

from contractgen.numerals.schedules import Period


def _terms(**changes: object) -> Terms:
    base: dict[str, object] = {
        "start": date(2026, 12, 10), "months": 24, "end": None, "method": "annuity", "first_date": None, "day": None,
    }  # fmt: skip
    base.update(changes)
    return Terms(**base)  # type: ignore[arg-type]


def test_a_term_in_months_ends_on_the_corresponding_day() -> None:
    terms = _terms()
    assert terms.maturity == date(2028, 12, 10)
    dates, periods = due_dates(terms)
    assert (dates[0], dates[-1], len(dates)) == (date(2027, 1, 10), date(2028, 12, 10), 24)
    assert periods == [Period(1)] * 24


def test_month_end_start_repays_on_each_months_last_day() -> None:
    terms = _terms(start=date(2027, 1, 31), months=3)
    dates, periods = due_dates(terms)
    assert dates == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert periods == [Period(1)] * 3


def test_a_first_date_more_than_a_month_away_makes_a_long_first_period() -> None:
    terms = _terms(start=date(2026, 12, 15), months=None, end=date(2027, 12, 20), first_date=date(2027, 1, 20), day=20)
    dates, periods = due_dates(terms)
    assert len(dates) == 12
    assert periods[0] == Period(1, 5)
    assert periods[1:] == [Period(1)] * 11


def test_a_maturity_off_the_repayment_day_makes_a_short_last_period() -> None:
    terms = _terms(start=date(2026, 12, 15), months=12, first_date=date(2027, 1, 20), day=20)
    dates, periods = due_dates(terms)
    assert dates[-2:] == [date(2027, 11, 20), date(2027, 12, 15)]
    assert periods[-1] == Period(0, 25)


def test_bullet_is_one_period_over_the_whole_term() -> None:
    dates, periods = due_dates(_terms(method="bullet", months=6, start=date(2026, 12, 10)))
    assert (dates, periods) == ([date(2027, 6, 10)], [Period(6)])


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"first_date": date(2026, 12, 10)}, "repayment.first_date"),
        ({"first_date": date(2029, 1, 10)}, "repayment.first_date"),
        ({"first_date": date(2027, 1, 12), "day": 10}, "repayment.first_date"),
        ({"months": None, "end": date(2026, 11, 1)}, "loan.term.end"),
    ],
)
def test_impossible_dates_are_named(changes: dict[str, object], where: str) -> None:
    problem = plan_problem(_terms(**changes))
    assert problem is not None
    assert problem[0] == where


def test_day_31_in_a_short_month_is_the_month_end() -> None:
    assert plan_problem(_terms(start=date(2027, 1, 15), first_date=date(2027, 2, 28), day=31)) is None


def test_the_samples_schedules_add_up(loan_contexts: dict[str, dict[str, object]]) -> None:
    for context in loan_contexts.values():
        rows = context["instalments"]
        principal = sum((Decimal(r.principal.replace(",", "")) for r in rows), Decimal(0))  # type: ignore[attr-defined]
        interest = sum((Decimal(r.interest.replace(",", "")) for r in rows), Decimal(0))  # type: ignore[attr-defined]
        total = sum((Decimal(r.total.replace(",", "")) for r in rows), Decimal(0))  # type: ignore[attr-defined]
        assert f"¥{principal:,.2f}" == context["principal_figures"]
        assert f"¥{interest:,.2f}" == context["interest_total_figures"]
        assert f"¥{total:,.2f}" == context["repayment_total_figures"]
        assert total == principal + interest


def test_the_annuity_sample_against_a_hand_check(loan_contexts: dict[str, dict[str, object]]) -> None:
    context = loan_contexts["loan.yaml"]
    # 200,000 at 6% over 24 months: 200,000 × 0.005 × 1.005^24 / (1.005^24 − 1) = 8,864.12; first interest 1,000.00
    assert context["payment_figures"] == "¥8,864.12"
    first = context["instalments"][0]  # type: ignore[index]
    assert (first.interest, first.principal, first.due_cn) == ("1,000.00", "7,864.12", "二〇二七年一月十日")
