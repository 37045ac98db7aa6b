"""The loan contract's derived values: what its templates print, computed once, never in a template.

Amounts in figures and in 大写, dates and counts in words, rates in words and figures, the repayment schedule of
:mod:`loan_plan` row by row with its totals, the statutory cap (four times the 1-year LPR the spec states) and the
names of the options. The names are the ones ``templates/zh/loan/*.xml.j2`` use.

This module provides data, never sentences: every sentence is in the templates. It must not read files, must
not look at the clock, and must never use binary floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from loan_model import Contract
from loan_plan import repayment_plan

from contractgen.numerals import to_capital, to_chinese_date, to_chinese_number, to_figures, to_rate_text

__all__ = ["LPR_MULTIPLE", "ScheduleRow", "build_context"]

#: 规定第二十五条、第二十八条、第二十九条: four times the 1-year LPR when the contract is made.
LPR_MULTIPLE = 4

METHOD_NAMES = {
    "annuity": "等额本息",
    "equal_principal": "等额本金",
    "interest_only": "按月付息、到期还本",
    "bullet": "到期一次性还本付息",
}
GUARANTEE_NAMES = {"joint": "连带责任保证", "general": "一般保证"}


@dataclass(frozen=True)
class ScheduleRow:
    """One instalment of 附件一: its number and date, and its amounts in figures (no currency sign)."""

    number: int
    number_cn: str  # 第一期
    due_cn: str  # 二〇二七年一月十日
    due_short: str  # 2027年1月10日, for the schedule's narrow column
    principal: str  # 8,613.77
    interest: str
    total: str
    balance: str  # the principal outstanding after it


def _count(n: int) -> str:
    """A count as the contract writes it: 两期, 两个月, 十二期 (a day of the month stays 二日)."""
    return to_chinese_number(n, liang=True)


def _plain(amount: Decimal) -> str:
    return to_figures(amount, symbol="")


def _money(prefix: str, amount: Decimal) -> dict[str, str]:
    return {f"{prefix}_figures": to_figures(amount), f"{prefix}_capital": to_capital(amount)}


def _rate(percent: Decimal | None) -> str | None:
    return None if percent is None else to_rate_text(percent.normalize(), unit="percent")


def build_context(contract: Contract, common: Mapping[str, Any]) -> dict[str, Any]:
    """The loan's names for its templates, merged over ``common`` by the core."""
    plan = repayment_plan(contract)
    result = plan.schedule
    interest, overdue = contract.interest, contract.overdue
    annual = interest.annual_percent
    rows = [
        ScheduleRow(
            i.number,
            f"第{to_chinese_number(i.number)}期",
            to_chinese_date(due),
            f"{due.year}年{due.month}月{due.day}日",
            _plain(i.principal),
            _plain(i.interest),
            _plain(i.total),
            _plain(i.balance),
        )
        for i, due in zip(result.entries, plan.dates, strict=True)
    ]
    first, last = result.entries[0], result.entries[-1]
    guarantee = contract.guarantee
    natural = contract.lender.kind == "person" and contract.borrower.kind == "person"
    return {
        # the seal spots' letters, in signing order: a the lender, b the borrower, c the guarantor
        "guarantor": contract.guarantor,  # None without one: the core lists only the parties present
        "seal_letters": {entry.key: "abcd"[n] for n, entry in enumerate(common["parties"])},
        **_money("principal", contract.loan.principal),
        **_money("interest_total", result.interest),
        **_money("repayment_total", result.total),
        **_money("first_total", first.total),
        **_money("last_total", last.total),
        **(_money("payment", result.payment) if result.payment is not None else {}),
        "purpose": contract.loan.purpose,
        "disbursement_date_cn": to_chinese_date(plan.start),
        "maturity_cn": to_chinese_date(plan.maturity),
        "term_months_cn": _count(contract.loan.term.months) if contract.loan.term.months else None,
        "first_due_cn": rows[0].due_cn,
        "repayment_day_cn": to_chinese_number(plan.dates[0].day) if len(plan.dates) > 1 else None,
        "first_period_short": plan.periods[0].days != 0 or plan.periods[0].months != 1,
        "instalments": rows,
        "instalments_count_cn": _count(len(rows)),
        "method": contract.repayment.method,
        "method_cn": METHOD_NAMES[contract.repayment.method],
        "interest_kind": interest.kind,
        "annual_rate_text": _rate(annual) if interest.kind != "none" else None,
        "monthly_rate_text": _rate(annual / 12) if interest.kind != "none" else None,
        "lpr_text": _rate(interest.lpr.percent),
        "spread_bp_cn": _count(abs(interest.spread_bp)) if interest.spread_bp else None,
        "spread_negative": (interest.spread_bp or 0) < 0,
        "cap_text": _rate(interest.lpr.percent * LPR_MULTIPLE),
        "overdue_rate_text": _rate(overdue.rate.percent) if overdue.rate else None,
        "penalty_rate_text": _rate(overdue.penalty_rate.percent) if overdue.penalty_rate else None,
        "fee_rate_text": _rate(overdue.fee_rate.percent) if overdue.fee_rate else None,
        "acceleration_cn": _count(overdue.acceleration_instalments),
        "early_allowed": contract.early_repayment.allowed,
        "early_notice_days_cn": _count(contract.early_repayment.notice_days),
        "fees": [
            {"name": f.name, "figures": to_figures(f.amount), "capital": to_capital(f.amount)}
            for f in contract.fees
            if not f.deducted
        ],
        "guarantee_method": guarantee.method if guarantee else None,
        "guarantee_method_cn": GUARANTEE_NAMES[guarantee.method] if guarantee else None,
        "guarantee_months_cn": _count(guarantee.period_months) if guarantee else None,
        "natural_persons": natural,
        "financial_institution": contract.financial_institution,
        "dispute_method": contract.dispute.method,
        "court_connection": contract.dispute.court_connection,
        "arbitration_commission": contract.dispute.commission,
        "electronic_service": contract.notices.electronic,
        "change_days_cn": _count(contract.notices.change_days),
    }
