"""Amortisation schedules computed exactly in ``Decimal``: what each instalment of a debt pays back and costs.

Four methods, named for what they do, not for any contract:

- ``annuity`` (等额本息): every instalment the same amount — the level payment
  ``P·r·(1+r)^n / ((1+r)^n − 1)`` rounded to the 分 — of which the interest on the outstanding principal
  comes first and the rest repays principal;
- ``equal_principal`` (等额本金): the principal repaid in equal shares (principal ÷ n rounded half up to the 分,
  the last instalment taking the remainder), each instalment adding the interest on what is still outstanding;
- ``interest_only`` (按月付息、到期还本): each instalment the interest of its period, the principal with the last;
- ``bullet`` (到期一次性还本付息): one instalment at the end, the principal with the simple interest of the whole
  term (no interest on interest).

The interest convention, chosen explicitly:

- **monthly rate = annual rate ÷ 12**, and a whole month of interest is the outstanding principal × the monthly
  rate, whatever the month's number of days. This is how Chinese banks compute 等额本息 and 等额本金 loans,
  and the rule a debtor can check by hand: 年利率 6% → 月利率 0.5%.
- **a period that is not a whole month** — a first due date that is not a whole month after the day the
  money is provided, or a term in dates that does not end on a 对应日 — counts its whole months first
  (:func:`span`: to the 对应日, or the 月末日 when the month has none, as 《民法典》第二百零二条 counts months) and
  its remaining days at the **daily rate = annual rate ÷ 360**, the banks' convention (a court computing interest
  by the day sometimes uses 365; the contract says which one it uses). The days run from the day the money is
  provided (counted) to the due date (not counted) — 算头不算尾 — so a period of exactly one month has
  no days left over. Such a period changes only its own interest: an annuity keeps the level payment's principal
  part for it, so the principal still amortises as in a schedule of whole months.
- **rounding**: each instalment's interest is rounded half up to the 分 from the outstanding principal as the
  schedule shows it (so every row can be checked: balance × rate); the principal parts are whole 分 and the last
  instalment repays whatever principal is left. So the principal parts add up to the principal exactly, the
  entries' totals to principal + interest exactly, and an annuity's last instalment differs from the others by the
  rounding carried so far (a few 分). A principal part is never negative and never more than what is outstanding
  (with a tiny principal and a long, dear term the level payment's rounding could otherwise overtake it).

Standard library only, like the whole package; :mod:`typing` is imported for the record types, which is why the
package does not import this module (``from contractgen.numerals.schedules import schedule``). Every problem
with the inputs is a :class:`~contractgen.errors.NumeralError`. This module must not know any contract, party or
template, must never use ``float``, and must not round anything but the amounts it returns.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal
from typing import NamedTuple

from contractgen.errors import NumeralError
from contractgen.numerals.periods import corresponding_day, month_end

__all__ = [
    "METHODS",
    "Instalment",
    "Period",
    "Schedule",
    "level_payment",
    "monthly_due_dates",
    "schedule",
    "span",
    "whole_months",
]

METHODS = ("annuity", "equal_principal", "interest_only", "bullet")
FEN = Decimal("0.01")
_EXACT = Context(prec=50, rounding=ROUND_HALF_UP)
_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)
_MONTHS_A_YEAR = Decimal(12)
_DAYS_A_YEAR = Decimal(360)


class Period(NamedTuple):
    """The length of one interest period: whole months, then days (a whole month is ``Period(1, 0)``)."""

    months: int
    days: int = 0


class Instalment(NamedTuple):
    number: int  # 1, 2, …
    principal: Decimal  # the principal it repays
    interest: Decimal  # the interest of its period
    total: Decimal  # principal + interest: what the debtor pays
    balance: Decimal  # the principal outstanding after it


class Schedule(NamedTuple):
    method: str
    principal: Decimal
    annual_percent: Decimal
    entries: tuple[Instalment, ...]  # one per period, in order
    interest: Decimal  # the entries' interest, added up
    total: Decimal  # principal + interest, which the entries add up to exactly
    payment: Decimal | None  # the annuity's level payment (rounded to the 分); None for the other methods


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def whole_months(n: int) -> list[Period]:
    """``n`` periods of a whole month each: the periods of a term of ``n`` months repaid monthly."""
    if n < 1:
        raise NumeralError(f"还款期数至少为 1，收到 {n}", value=n)
    return [Period(1)] * n


def span(start: date, end: date) -> Period:
    """The period from ``start`` (counted) to ``end`` (not counted) as whole months and days.

    A month ends on the 对应日 of ``start``, or on the 月末日 when that month has none (《民法典》第二百零二条):
    2026-01-31 → 2026-02-28 is one month; 2026-12-01 → 2027-01-15 is one month and 14 days.
    """
    if end <= start:
        raise NumeralError(f"期间的结束日（{end}）应晚于开始日（{start}）", value=(start, end))
    months = 0
    while _month_on(start, months + 1) <= end:
        months += 1
    return Period(months, (end - _month_on(start, months)).days)


def _month_on(start: date, months: int) -> date:
    same = corresponding_day(start, months=months)
    if same is not None:
        return same
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    return month_end(year, month0 + 1)


def monthly_due_dates(first: date, count: int, *, day: int | None = None) -> list[date]:
    """``count`` due dates, monthly from ``first``, each on ``day`` of its month (``first``'s day by default),
    or on the month's last day when it is shorter: day 31 → 1月31日, 2月28日, 3月31日."""
    if count < 1:
        raise NumeralError(f"还款期数至少为 1，收到 {count}", value=count)
    wanted = first.day if day is None else day
    if not 1 <= wanted <= 31:
        raise NumeralError(f"每月还款日应为 1 至 31 日，收到 {wanted}", value=wanted)
    dates: list[date] = []
    for n in range(count):
        year, month0 = divmod(first.year * 12 + first.month - 1 + n, 12)
        last = month_end(year, month0 + 1)
        dates.append(last if wanted > last.day else date(year, month0 + 1, wanted))
    return dates


def level_payment(principal: Decimal, annual_percent: Decimal, n: int) -> Decimal:
    """The annuity's exact (unrounded) level payment for ``n`` monthly payments: P·r·(1+r)^n/((1+r)^n−1),
    with r = annual ÷ 12; P/n when the rate is 0."""
    if n < 1:
        raise NumeralError(f"还款期数至少为 1，收到 {n}", value=n)
    r = _EXACT.divide(annual_percent, _HUNDRED * _MONTHS_A_YEAR)
    if r == 0:
        return _EXACT.divide(principal, Decimal(n))
    growth = _EXACT.power(_EXACT.add(Decimal(1), r), n)
    return _EXACT.divide(_EXACT.multiply(_EXACT.multiply(principal, r), growth), _EXACT.subtract(growth, 1))


def _factor(period: Period, annual_percent: Decimal) -> Decimal:
    """The share of the principal one period's interest is: months × annual/12 + days × annual/360."""
    rate = _EXACT.divide(annual_percent, _HUNDRED)
    months = _EXACT.divide(_EXACT.multiply(rate, Decimal(period.months)), _MONTHS_A_YEAR)
    days = _EXACT.divide(_EXACT.multiply(rate, Decimal(period.days)), _DAYS_A_YEAR)
    return _EXACT.add(months, days)


def _check(principal: Decimal, annual_percent: Decimal, method: str, periods: list[Period]) -> None:
    if not isinstance(principal, Decimal) or not isinstance(annual_percent, Decimal):
        raise NumeralError("本金和利率须为 Decimal（不接受 float）", value=(principal, annual_percent))
    if not principal.is_finite() or principal <= 0 or _fen(principal) != principal:
        raise NumeralError(f"本金应为正数，最多两位小数，收到 {principal}", value=principal)
    if not annual_percent.is_finite() or annual_percent < 0:
        raise NumeralError(f"年利率不能为负数，收到 {annual_percent}%", value=annual_percent)
    if method not in METHODS:
        raise NumeralError(f"还款方式只能是 {'、'.join(METHODS)} 之一，收到 {method!r}", value=method)
    if not periods:
        raise NumeralError("至少要有一期", value=periods)
    for period in periods:
        if period.months < 0 or period.days < 0 or (period.months, period.days) == (0, 0):
            raise NumeralError(f"每期的长度应为正，收到 {period.months} 个月 {period.days} 日", value=period)
    if method == "bullet" and len(periods) != 1:
        raise NumeralError(f"到期一次性还本付息只有一期，收到 {len(periods)} 期", value=len(periods))


def schedule(principal: Decimal, annual_percent: Decimal, method: str, periods: list[Period]) -> Schedule:
    """The schedule of ``principal`` at ``annual_percent`` (6 means 6% a year) repaid by ``method`` over
    ``periods`` (one per instalment, in order; :func:`whole_months` for a plain monthly term, ``[span(start,
    end)]`` for a bullet). See the module docstring for the interest convention."""
    _check(principal, annual_percent, method, periods)
    principal = principal.quantize(FEN)  # 12000 and 12000.00 give the same schedule, every amount in 分
    n = len(periods)
    monthly = _factor(Period(1), annual_percent)
    share = _fen(principal / n)
    if share * (n - 1) > principal:  # a principal of a few 分 over many months: never overdraw the last
        share = (principal / n).quantize(FEN, rounding=ROUND_DOWN)
    payment: Decimal | None = None
    if method == "annuity":  # at 0% the level payment is the equal share, rounded the same way
        payment = share if annual_percent == 0 else _fen(level_payment(principal, annual_percent, n))
    balance = principal
    rows: list[Instalment] = []
    for number, period in enumerate(periods, 1):
        interest = _fen(balance * _factor(period, annual_percent))
        if number == n:
            repaid = balance
        elif method == "annuity" and payment is not None:
            repaid = payment - _fen(balance * monthly)
        elif method == "equal_principal":
            repaid = share
        else:
            repaid = _ZERO  # interest only, until the last instalment
        repaid = min(max(repaid, _ZERO), balance)
        balance -= repaid
        rows.append(Instalment(number, repaid, interest, repaid + interest, balance))
    interest_total = sum((row.interest for row in rows), _ZERO)
    return Schedule(method, principal, annual_percent, tuple(rows), interest_total, principal + interest_total, payment)
