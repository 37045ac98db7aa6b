"""Penalties: the checks of a spec's per-period penalty rates, their caps, and rates printed as amounts.

- ``penalty-ceiling`` (warning): a 违约金 above 30% of the contract amount. The rule it speaks of
  (合同编通则解释 第六十五条) measures a penalty against the loss the breach caused, not against the contract
  amount, and contractgen cannot know that loss: it points out a penalty that is large beside the whole contract,
  says what the rule measures, and never calls a lower rate safe.
- ``overdue-basis`` (warning): an overdue penalty stated without the period it accrues per.
- ``overdue-annualised`` (warning): a penalty per day, week or month whose rate, counted over a year (365 days,
  52 weeks, 12 months), exceeds :data:`ANNUAL_THRESHOLD` of its base. The threshold is contractgen's, not the law's:
  at 0.05% a day (18.25% a year) a service contract's overdue penalty is ordinary; at 5% a day (1,825% a year) it
  costs the contract amount in twenty days, and a court asked to reduce it measures it against the loss the delay
  caused (《民法典》第五百八十五条第二款). The message gives the yearly figure and never calls a rate below it safe.
- ``overdue-cap`` (warning): a per-period penalty with no cap on its total; (error) a cap above 100%.
- ``late-payment`` (warning): no agreed remedy for 甲方's late payment — the contract then leaves the loss to be
  proved.
- ``rate-fen`` (error): a rate the contract prints as an amount of the contract amount (``即人民币……``) whose
  amount is not a whole 分; the nearest rates with as many decimals that give whole 分 are suggested, as for the
  instalment percentages (:func:`whole_fen_rates`, which both use).

A schema attaches them together, as ``"x-checks": ["penalties"]``, to the object holding the rates, whose fields
are ``overdue_rate``/``overdue_period``/``overdue_cap``, ``late_payment_rate``/``late_payment_cap`` and
``breach_rate``, the contract amount being ``fee.total``. This module must not decide what a contract says, and
never gives advice beyond what the cited rule says.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from contractgen.diagnostics import Diagnostic
from contractgen.numerals import parse_amount, to_figures
from contractgen.spec.yaml_compose import join_path
from contractgen.validation.checks import Check, CheckContext

__all__ = ["ANNUAL_THRESHOLD", "CHECKS", "CITATIONS", "PERIODS_PER_YEAR", "whole_fen_rates"]

#: A year of each period, for the yearly figure of a per-period rate.
PERIODS_PER_YEAR = {"day": 365, "week": 52, "month": 12}
_PERIOD_WORDS = {"day": "日", "week": "周", "month": "个月"}

#: Above this share of the contract amount a 违约金 is pointed out (the rule measures the loss: see the docstring).
PENALTY_CEILING = Decimal(30)
#: Above this yearly rate (percent of the base) a per-period penalty is pointed out.
ANNUAL_THRESHOLD = Decimal(24)
FEN = Decimal("0.01")

CITATIONS = {
    "penalty-ceiling": "《民法典》第五百八十五条第二款；"
    "《最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》第六十五条",
    "overdue-basis": "《民法典》第五百八十五条第一款",
    "overdue-annualised": "《民法典》第五百八十五条第二款",
    "overdue-cap": "《民法典》第五百八十五条",
    "late-payment": "《民法典》第五百七十七条、第五百八十五条",
}


def whole_fen_rates(total: Decimal, rate: Decimal, places: int = 4) -> list[Decimal]:
    """The nearest rates to ``rate`` (percent, at most ``places`` decimals, within half and twice ``rate``) whose
    share of ``total`` is a whole 分: the nearest below and the nearest above, those that exist.

    Every rate with ``places`` decimals is ``k`` steps of 10^-places; its share is whole when ``k × total`` is, so
    the rates that work are the multiples of one step, found without trying each (a total like ¥100,000.01 has
    none but 100% within four decimals).
    """
    step = Decimal(1).scaleb(-places)
    cents = total * 100 * step / 100  # the share of one step, in 分
    # k × cents is a whole number exactly when k is a multiple of the denominator of cents.
    numerator, denominator = cents.as_integer_ratio()
    period = denominator // _gcd(numerator, denominator) if numerator else 1
    unit = step * period
    down = (rate / unit).to_integral_value(ROUND_FLOOR) * unit
    up = (rate / unit).to_integral_value(ROUND_CEILING) * unit
    if up == down:
        up += unit
    return [r.normalize() for r in (down, up) if rate / 2 <= r <= min(rate * 2, Decimal(100)) and r > 0]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return abs(a)


def rate_fen(ctx: CheckContext, root: str, names: tuple[str, ...], total_path: str) -> Iterator[Diagnostic]:
    written = ctx.text(total_path)
    total = None if written is None else parse_amount(written)  # 360,000.00 too, which ctx.decimal cannot read
    if total is None:
        return
    for name in names:
        path = join_path(root, name)
        rate, text = ctx.decimal(path), ctx.text(path)
        if rate is None or text is None:
            continue
        amount = total * rate / 100
        if amount == amount.quantize(FEN):
            continue
        nearest = whole_fen_rates(total, rate)
        advice = (
            f"请改用 {' 或 '.join(f'{r:f}%' for r in nearest)} 等得出整分金额的比例"
            if nearest
            else f"在 {text} 附近（四位小数以内）没有得出整分金额的比例，请调整比例或合同金额"
        )
        yield ctx.report(
            path,
            f"{text} × 合同金额 {to_figures(total)} = {amount.normalize():f} 元，不是整分金额，"
            f"合同无法如实写出对应的人民币金额：{advice}",
            rule="cross.rate-fen",
        )


def annualised(ctx: CheckContext, rate_path: str, period: str | None, base_words: str) -> Iterator[Diagnostic]:
    rate, text = ctx.decimal(rate_path), ctx.text(rate_path)
    if rate is None or text is None or period not in PERIODS_PER_YEAR:
        return
    count = PERIODS_PER_YEAR[period]
    yearly = rate * count
    if yearly <= ANNUAL_THRESHOLD:
        return
    yield ctx.report(
        rate_path,
        f"每{_PERIOD_WORDS[period]} {text} 折合每年 {yearly.normalize():f}%（一年按 {count} "
        f"{_PERIOD_WORDS[period]}计，以{base_words}为基数）：违约方请求减少时，人民法院或者仲裁机构以违约造成的"
        "损失为基础衡量，约定的违约金过分高于造成的损失的，可以予以适当减少。此提示的界限（每年 "
        f"{ANNUAL_THRESHOLD.normalize():f}%）是 contractgen 的，不是法定标准；低于这一界限的比例同样可能被调减",
        rule="legal.overdue-annualised",
        severity="warning",
        citation=CITATIONS["overdue-annualised"],
    )


def cap(ctx: CheckContext, cap_path: str, rate_path: str, period: str | None, what: str) -> Iterator[Diagnostic]:
    limit = ctx.decimal(cap_path)
    if limit is not None and limit > 100:
        yield ctx.report(
            cap_path,
            f"{what}总额的上限 {ctx.text(cap_path)} 超过 100%：上限应不超过基数本身",
            rule="legal.overdue-cap",
            citation=CITATIONS["overdue-cap"],
        )
        return
    if limit is None and period in PERIODS_PER_YEAR and ctx.text(rate_path) is not None:
        yield ctx.report(
            rate_path,
            f"{what}按{_PERIOD_WORDS[period]}计算，但没有约定总额上限：逾期越久金额越大，没有止境，"
            "容易被请求调减，也容易引起争议；可以约定总额不超过基数的一定比例",
            rule="legal.overdue-cap",
            severity="warning",
            citation=CITATIONS["overdue-cap"],
        )


def penalty_ceiling(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    rate = ctx.decimal(path)
    if rate is None or rate <= PENALTY_CEILING:
        return
    yield ctx.report(
        path,
        f"违约金为合同金额的 {ctx.text(path)}。违约方请求减少时，人民法院以违约造成的损失为基础衡量："
        "约定的违约金超过造成损失的百分之三十的，一般可以认定为“过分高于造成的损失”，可以予以适当减少。"
        "这一标准比较的是违约造成的损失，不是合同金额：无论比例高低，损失较小时违约金都可能被调减",
        rule="legal.penalty-ceiling",
        severity="warning",
        citation=CITATIONS["penalty-ceiling"],
    )


def overdue_basis(ctx: CheckContext, penalty: str) -> Iterator[Diagnostic]:
    rate_path = f"{penalty}.overdue_rate" if penalty else "overdue_rate"
    block = ctx.get(penalty) if penalty else ctx.data
    if ctx.text(rate_path) is None or not isinstance(block, dict) or "overdue_period" in block:
        return
    yield ctx.report(
        rate_path,
        f"逾期违约金只写了比例（合同金额的 {ctx.text(rate_path)}），没有写按什么期间计算（overdue_period："
        "day 每日、week 每周、month 每月）：合同将写成一次性的逾期违约金，计算方法不明确，容易引起争议",
        rule="legal.overdue-basis",
        severity="warning",
        citation=CITATIONS["overdue-basis"],
    )


# --- the checks a schema names ----------------------------------------------------------------------------
# The field names are the penalty object's own; a type whose penalty object names them so gets the checks.


def penalties(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    period = ctx.text(join_path(root, "overdue_period"))
    yield from annualised(ctx, join_path(root, "overdue_rate"), period, "合同金额")
    yield from cap(ctx, join_path(root, "overdue_cap"), join_path(root, "overdue_rate"), period, "逾期违约金")
    yield from annualised(ctx, join_path(root, "late_payment_rate"), "day", "逾期未付金额")
    yield from cap(
        ctx, join_path(root, "late_payment_cap"), join_path(root, "late_payment_rate"), "day", "逾期付款违约金"
    )
    filled = ctx.text(join_path(root, "breach_rate")) is not None  # a form not yet filled in gets its blanks only
    if filled and "late_payment_rate" not in (ctx.get(root) or {}):
        yield ctx.report(
            root,
            "没有约定甲方逾期付款的违约金（late_payment_rate）：甲方逾期付款时，乙方只能主张并证明实际损失；"
            "可以约定每逾期一日按逾期未付金额的一定比例支付违约金，并约定总额上限",
            rule="legal.late-payment",
            severity="warning",
            citation=CITATIONS["late-payment"],
            key=True,
        )
    yield from rate_fen(ctx, root, ("breach_rate", "overdue_rate", "overdue_cap"), "fee.total")


CHECKS: dict[str, Check] = {
    "penalty-ceiling": penalty_ceiling,
    "overdue-basis": overdue_basis,
    "penalties": penalties,
}
