"""Context: the values the wording templates print, derived from a :class:`~contractgen.document.model.Contract`.

Templates never compute. Every amount in 大写 and in figures, every date, count and rate in words, the
instalment schedule (which adds up to the total exactly, to the fen), how the copies are shared, the annex
list and the periods of the maintenance plan are computed here, once, and handed to :mod:`contractgen.document.compose`
under exactly the names listed in ``docs/templates.md``.

This module provides data, never wording: every sentence — and every phrase chosen by an option, such as
每逾期一日 or 甲乙双方各执一份 — lives in the templates (``templates/zh/<type>/``), the one wording source. It
must not read files (the annex list comes from the template folder object it is given), must not look at the
clock (every date comes from the spec), and must never use binary floats for money.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from contractgen.document.model import Contract
from contractgen.errors import InputError
from contractgen.numerals import to_capital, to_chinese_date, to_chinese_number, to_figures, to_rate_text

if TYPE_CHECKING:
    from contractgen.document.templates import PartSpec

__all__ = [
    "AnnexEntry",
    "InstalmentLine",
    "MaintenanceRow",
    "add_months",
    "build_context",
    "instalment_amounts",
]

FEN = Decimal("0.01")


@dataclass(frozen=True)
class InstalmentLine:
    """One payment of the schedule: its number, its last day, its amount in figures and in 大写."""

    index: int  # 1, 2, …
    index_cn: str  # 第一期
    number_cn: str  # 一 (第一服务年度)
    due_cn: str  # the last day to pay, in words, or ""
    amount: Decimal
    figures: str  # ¥120,000.00
    capital: str  # 壹拾贰万元整
    text: str  # 人民币壹拾贰万元整（¥120,000.00）, for Word templates; wording templates split it
    note: str


@dataclass(frozen=True)
class AnnexEntry:
    id: str  # the part id in parts.yaml
    number: int
    number_cn: str
    title: str


@dataclass(frozen=True)
class MaintenanceRow:
    """One quarter of a service year in 附件七's plan: exact, non-overlapping start and end dates."""

    year: int  # the service year, 1…
    year_cn: str  # 一
    quarter: int  # 1…4
    quarter_cn: str  # 一
    start_cn: str  # 二〇二六年十一月二十四日
    end_cn: str  # 二〇二七年二月二十三日 (the day before the next quarter starts)


# --- calendar and money -----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; a day past the month's end becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _end_of_years(start: date, years: int) -> date:
    """The last day of a period of ``years`` years that begins on ``start``."""
    return add_months(start, 12 * years) - timedelta(days=1)


def _text(amount: Decimal) -> str:
    return f"人民币{to_capital(amount)}（{to_figures(amount)}）"


def _fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def instalment_amounts(contract: Contract) -> list[Decimal]:
    """The amount of every payment: shares rounded down to the fen, the remainder on the last one.

    The amounts always add up to the total exactly; an explicit schedule that does not is an InputError.
    """
    fee = contract.fee
    total = fee.total
    if fee.payment == "lump_sum":
        amounts = [total]
    elif fee.payment == "annual":
        years = contract.term.years
        share = (total / years).quantize(FEN, rounding=ROUND_DOWN)
        amounts = [share] * (years - 1) + [total - share * (years - 1)]
    else:
        if not fee.instalments:
            raise InputError("fee.instalments: 分期付款须列出各期金额或比例")
        amounts = []
        for item in fee.instalments[:-1]:
            if item.amount is not None:
                amounts.append(item.amount)
            elif item.percent is not None:
                amounts.append(item.percent.of(total).quantize(FEN, rounding=ROUND_DOWN))
            else:
                raise InputError("fee.instalments: 每期须写明金额（amount）或比例（percent）")
        last = total - sum(amounts, Decimal(0))
        declared = fee.instalments[-1].amount
        if declared is not None and declared != last:
            raise InputError(
                f"fee.instalments: 各期金额之和（{to_figures(sum(amounts, declared))}）与服务费用总额"
                f"（{to_figures(total)}）不一致"
            )
        amounts.append(last)
    if sum(amounts, Decimal(0)) != total or any(a <= 0 for a in amounts):
        raise InputError(f"fee: 分期金额无法与服务费用总额（{to_figures(total)}）一致，请检查各期金额或比例")
    return amounts


def _instalments(contract: Contract, start: date) -> list[InstalmentLine]:
    fee = contract.fee
    amounts = instalment_amounts(contract)
    grace = timedelta(days=fee.due_days)
    lines: list[InstalmentLine] = []
    for n, amount in enumerate(amounts, 1):
        note = ""
        if fee.payment == "annual":
            due: date | None = add_months(start, 12 * (n - 1)) + grace
        elif fee.payment == "lump_sum":
            due = start + grace
        else:
            item = fee.instalments[n - 1]
            due = item.due + grace if item.due else None
            note = item.note or ""
        lines.append(
            InstalmentLine(
                index=n,
                index_cn=f"第{to_chinese_number(n)}期",
                number_cn=to_chinese_number(n),
                due_cn=to_chinese_date(due) if due else "",
                amount=amount,
                figures=to_figures(amount),
                capital=to_capital(amount),
                text=_text(amount),
                note=note,
            )
        )
    return lines


def _maintenance_plan(start: date, years: int) -> list[MaintenanceRow]:
    """A row per quarter of every service year; each ends the day before the next begins."""
    rows: list[MaintenanceRow] = []
    for year in range(1, years + 1):
        for quarter in range(1, 5):
            months = 12 * (year - 1) + 3 * (quarter - 1)
            begin = add_months(start, months)
            end = add_months(start, months + 3) - timedelta(days=1)
            rows.append(
                MaintenanceRow(
                    year=year,
                    year_cn=to_chinese_number(year),
                    quarter=quarter,
                    quarter_cn=to_chinese_number(quarter),
                    start_cn=to_chinese_date(begin),
                    end_cn=to_chinese_date(end),
                )
            )
    return rows


def annex_entries(parts: Sequence[PartSpec]) -> list[AnnexEntry]:
    """The annexes of a template folder, numbered in the order parts.yaml lists them."""
    annexes = [p for p in parts if p.kind == "annex"]
    return [AnnexEntry(p.id, n, to_chinese_number(n), p.title or "") for n, p in enumerate(annexes, 1)]


# --- the context ------------------------------------------------------------------------------------------


def build_context(contract: Contract, parts: Sequence[PartSpec], default_title: str) -> dict[str, Any]:
    """Every name the templates may use (``docs/templates.md``), computed from ``contract``.

    ``parts`` and ``default_title`` come from the contract type's ``parts.yaml`` (the template folder).
    """
    fee, penalty, service = contract.fee, contract.penalty, contract.service
    start = contract.term.start or contract.signing.date
    lines = _instalments(contract, start)
    total_paid = sum((line.amount for line in lines), Decimal(0))
    assert total_paid == fee.total, (total_paid, fee.total)  # instalment_amounts guarantees it
    breach_amount = _fen(penalty.breach_rate.of(fee.total))
    overdue_amount = _fen(penalty.overdue_rate.of(fee.total))
    cn_number: Callable[[int], str] = to_chinese_number
    cn_date: Callable[[date], str] = to_chinese_date

    return {
        "contract_no": contract.contract_no,
        "title": contract.title or default_title,
        "party_a": contract.party_a,
        "party_b": contract.party_b,
        "term_years": contract.term.years,
        "term_years_cn": to_chinese_number(contract.term.years, liang=True),
        "term_starts_at_signing": contract.term.start is None,
        "service_start_cn": to_chinese_date(start),
        "service_end_cn": to_chinese_date(_end_of_years(start, contract.term.years)),
        "fee_figures": to_figures(fee.total),
        "fee_capital": to_capital(fee.total),
        "fee_text": _text(fee.total),
        "payment": fee.payment,
        "annual_equal": fee.payment == "annual" and len({line.amount for line in lines}) == 1,
        "due_days_cn": to_chinese_number(fee.due_days),
        "instalments": lines,
        "instalments_count_cn": to_chinese_number(len(lines), liang=True),
        "instalments_total_figures": to_figures(total_paid),
        "instalments_total_capital": to_capital(total_paid),
        "breach_rate_words": to_rate_text(penalty.breach_rate.percent),
        "breach_amount_figures": to_figures(breach_amount),
        "breach_amount_capital": to_capital(breach_amount),
        "breach_amount_text": _text(breach_amount),
        "overdue_rate_words": to_rate_text(penalty.overdue_rate.percent),
        "overdue_period": penalty.overdue_period,
        "overdue_amount_figures": to_figures(overdue_amount),
        "overdue_amount_capital": to_capital(overdue_amount),
        "overdue_amount_text": _text(overdue_amount),
        "validity_years_cn": to_chinese_number(contract.validity_years, liang=True),
        "copies_cn": to_chinese_number(contract.copies, liang=True),
        # 甲方 holds the odd copy (counterparts are numbered 甲方执, 乙方执, 甲方执 …).
        "copies_a_cn": to_chinese_number((contract.copies + 1) // 2, liang=True),
        "copies_b_cn": to_chinese_number(contract.copies // 2, liang=True),
        "signing_date_cn": to_chinese_date(contract.signing.date),
        "signing_place": contract.signing.place,
        "service": service,
        "response_hours_cn": to_chinese_number(service.response_hours, liang=True),
        "complaint_days_cn": to_chinese_number(service.complaint_days, liang=True),
        "satisfaction_target_words": to_rate_text(service.satisfaction_target.percent),
        "annexes": annex_entries(parts),
        "maintenance_plan": _maintenance_plan(start, contract.term.years),
        "cn_number": cn_number,
        "cn_date": cn_date,
    }
