"""The loan contract's cross-field checks: what must agree between the fields of one spec.

- ``loan-capital`` (``loan.capital``): the 大写 typed beside the principal is the same amount (``parse_capital``);
- ``loan-schedule-dates`` (``loan.schedule-dates``): the term ends after the money is provided, the first
  repayment date lies within the term and on the monthly repayment day (:func:`loan_plan.plan_problem`);
- ``loan-distinct-parties`` (``loan.distinct-parties``): lender, borrower and guarantor are three different
  persons (a borrower cannot guarantee its own debt; 《民法典》第六百八十一条 makes the guarantor a third party);
- ``loan-accounts`` (``loan.accounts``, warning): the lender's and the borrower's bank accounts are written, or the
  contract leaves them blank for the pen;
- ``loan-copies`` (``loan.copies``): at least one copy for each party that signs;
- ``loan-guarantee`` (``loan.guarantee``): a guarantor comes with its guarantee (method and period), a guarantee
  with its guarantor (a schema condition on a field's presence is one serve's form could not show).

This module must not repeat what the schema checks, and must never use ``float``.
"""

from __future__ import annotations

from collections.abc import Iterator

from loan_plan import Terms, plan_problem

from contractgen.diagnostics import Diagnostic
from contractgen.validation.capitals import capital_agrees
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS"]

_ROLES = {"lender": "出借人", "borrower": "借款人", "guarantor": "保证人"}


def capital(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    written, principal = ctx.text(f"{path}.capital"), ctx.decimal(f"{path}.principal")
    if written is not None and principal is not None:
        yield from capital_agrees(ctx, f"{path}.capital", written, principal, "principal", rule="loan.capital")


def schedule_dates(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    start = ctx.calendar_date(f"{path}.disbursement_date")
    months, end = ctx.integer(f"{path}.term.months"), ctx.calendar_date(f"{path}.term.end")
    method = ctx.text("repayment.method")
    if start is None or (months is None and end is None) or method is None:
        return
    if ctx.get("repayment.first_date") is not None and ctx.calendar_date("repayment.first_date") is None:
        return  # the schema reported it
    terms = Terms(start, months, end, method, ctx.calendar_date("repayment.first_date"), ctx.integer("repayment.day"))
    problem = plan_problem(terms)
    if problem is not None:
        where, message = problem
        yield ctx.report(where if ctx.get(where) is not None else f"{path}.term", message, rule="loan.schedule-dates")
    signed = ctx.calendar_date("signing.date")
    if signed is not None and start < signed:
        yield ctx.report(
            f"{path}.disbursement_date",
            f"提供借款日期（{start}）早于签订日期（{signed}）：借款期限和利息自提供借款之日起算，请核对",
            rule="loan.schedule-dates",
            severity="warning",
        )


def _identity(ctx: CheckContext, party: str) -> tuple[str | None, ...]:
    return (ctx.text(f"{party}.name"), ctx.text(f"{party}.id_number"), ctx.text(f"{party}.credit_code"))


def distinct_parties(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    present = [key for key in _ROLES if isinstance(ctx.get(key), dict)]
    for n, first in enumerate(present):
        for second in present[n + 1 :]:
            a, b = _identity(ctx, first), _identity(ctx, second)
            same = [x for x, y in zip(a, b, strict=True) if x is not None and x == y]
            if same:
                yield ctx.report(
                    f"{second}.name",
                    f"{_ROLES[second]}与{_ROLES[first]}是同一人（{same[0]}）：借款合同的各方应为不同的人",
                    rule="loan.distinct-parties",
                )


def accounts(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    for key, use in (("lender", "付款和收取还款"), ("borrower", "收取借款")):
        if isinstance(ctx.get(key), dict) and ctx.get(f"{key}.bank") is None:
            yield ctx.report(
                key,
                f"没有写{_ROLES[key]}的银行账户（{key}.bank）：合同中{use}的账户留空，由各方签署时手写",
                rule="loan.accounts",
                severity="warning",
                key=True,
            )


def copies(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    count = ctx.integer(path)
    parties = sum(1 for key in _ROLES if isinstance(ctx.get(key), dict))
    if count is not None and count < parties:
        yield ctx.report(
            path, f"本合同有 {parties} 方签署，每方至少执一份：份数至少为 {parties}，收到 {count}", rule="loan.copies"
        )


def guarantee(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    has_guarantor, has_guarantee = ctx.get("guarantor") is not None, ctx.get("guarantee") is not None
    if has_guarantor and not has_guarantee:
        yield ctx.report(
            "guarantor",
            "写了保证人（guarantor），须同时写明保证方式和保证期间（guarantee.method、guarantee.period_months）",
            rule="loan.guarantee",
            key=True,
        )
    elif has_guarantee and not has_guarantor:
        yield ctx.report("guarantee", "没有保证人（guarantor）时不写 guarantee", rule="loan.guarantee", key=True)


CHECKS: dict[str, Check] = {
    "loan-capital": capital,
    "loan-schedule-dates": schedule_dates,
    "loan-distinct-parties": distinct_parties,
    "loan-accounts": accounts,
    "loan-copies": copies,
    "loan-guarantee": guarantee,
}
