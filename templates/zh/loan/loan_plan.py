"""The loan's repayment plan: its maturity, the due date of every instalment, and the schedule they give.

The term runs from the day the money is provided (``loan.disbursement_date``, counted) to its end: ``term.end``,
or the 对应日 ``term.months`` months on (the 月末日 when that month has none: 《民法典》第二百零二条), which is
also the last repayment date. Monthly methods repay on ``repayment.day`` of every month from
``repayment.first_date`` (by default a month after the money is provided, on the same day of the month); the
last instalment falls on the maturity, so a maturity off the monthly series makes the last period short or long,
and a first date that is not a whole month after the provision makes the first one so. Those periods' interest is
counted as :mod:`contractgen.numerals.schedules` says (whole months, then days at annual ÷ 360). A bullet loan
has one instalment, on the maturity, with the simple interest of the whole term.

This module must not word anything and must not validate: the checks (:mod:`loan_consistency`) call
:func:`plan_problem` on the spec's :class:`Terms` and report what it says; :func:`repayment_plan` assumes it said
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loan_model import Contract

from contractgen.numerals.periods import month_end, period_last_day
from contractgen.numerals.schedules import Period, Schedule, monthly_due_dates, schedule, span

__all__ = ["Plan", "Terms", "plan_problem", "repayment_plan"]


@dataclass(frozen=True)
class Terms:
    """The dates the plan is made of, as the spec gives them."""

    start: date  # the day the money is provided: the first day of the term and of interest
    months: int | None  # the term in months, or
    end: date | None  # its last day
    method: str
    first_date: date | None  # the first monthly instalment; None: a month after ``start``
    day: int | None  # the repayment day of the month; None: the first date's (or ``start``'s)

    @property
    def maturity(self) -> date:
        """The last day of the term and the last repayment date."""
        if self.end is not None:
            return self.end
        return period_last_day(self.start, months=self.months or 0)

    @property
    def first(self) -> date:
        return self.first_date or period_last_day(self.start, months=1)

    @property
    def repayment_day(self) -> int:
        if self.day is not None:
            return self.day
        if self.first_date is not None:
            return self.first_date.day
        return self.start.day  # 1月31日 provided: 2月28日, 3月31日 … as 第二百零二条 counts months


@dataclass(frozen=True)
class Plan:
    start: date
    maturity: date
    dates: tuple[date, ...]  # every instalment's due date
    periods: tuple[Period, ...]  # the interest period each instalment closes
    schedule: Schedule


def terms_of(contract: Contract) -> Terms:
    loan, repayment = contract.loan, contract.repayment
    return Terms(
        loan.disbursement_date, loan.term.months, loan.term.end, repayment.method, repayment.first_date, repayment.day
    )


def plan_problem(terms: Terms) -> tuple[str, str] | None:
    """What makes the dates impossible, as (field path, Chinese message); ``None`` when they work."""
    start, end = terms.start, terms.maturity
    if end <= start:
        return "loan.term.end", f"到期日（{end}）应晚于提供借款日期（{start}）"
    if terms.method == "bullet":
        return None
    first = terms.first
    if first <= start:
        return "repayment.first_date", f"首期还款日（{first}）应晚于提供借款日期（{start}）"
    if first > end:
        return "repayment.first_date", f"首期还款日（{first}）晚于到期日（{end}）"
    day = terms.repayment_day
    if first.day != min(day, month_end(first.year, first.month).day):
        return "repayment.first_date", f"首期还款日（{first}）不在每月还款日（每月{day}日）"
    return None


def due_dates(terms: Terms) -> tuple[list[date], list[Period]]:
    """Every instalment's due date and the interest period it closes."""
    start, end = terms.start, terms.maturity
    if terms.method == "bullet":
        return [end], [span(start, end)]
    first = terms.first
    months = (end.year - first.year) * 12 + end.month - first.month + 2
    series = monthly_due_dates(first, months, day=terms.repayment_day)
    before = [d for d in series if d < end]
    dates = [*before, end]
    periods = [span(start, dates[0])]
    for n in range(1, len(dates)):
        # a date of the monthly series is a whole month after the one before it; the maturity only if it is one
        whole = dates[n] == series[n]
        periods.append(Period(1) if whole else span(dates[n - 1], dates[n]))
    return dates, periods


def repayment_plan(contract: Contract) -> Plan:
    """The plan and schedule of ``contract``'s loan (its dates must pass :func:`plan_problem`)."""
    terms = terms_of(contract)
    dates, periods = due_dates(terms)
    result = schedule(contract.loan.principal, contract.interest.annual_percent, terms.method, periods)
    return Plan(terms.start, terms.maturity, tuple(dates), tuple(periods), result)
