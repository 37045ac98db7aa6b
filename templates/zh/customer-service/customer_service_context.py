"""The customer-service contract's derived values: what its templates print, computed from its :class:`Contract`.

Templates never compute. Every amount in 大写 and in figures, every date, count and rate in words, the
instalment schedule (which adds up to the total exactly, to the fen), the periods of the maintenance plan and the
values of the clauses added beside the reference's are computed here, once, and merged over the core's common
values (:func:`contractgen.document.context.common_context`: the parties, the copies each holds, the signing, the
annex list) under exactly the names listed in ``docs/templates.md``.

Periods are counted by :mod:`contractgen.numerals.periods` (《民法典》第二百零一条至第二百零四条; the term's first
day counted, as the contract prints it). A spec without ``signing.date`` gives ``None`` (or ``""`` in a row) for
every date that would count from it — a term from signing, its service years, quarters and due dates — so the
templates word those relative to signing; a date is never invented.

This module provides data, never wording: every sentence — and every phrase chosen by an option, such as
每逾期一日 — lives in the templates, the one wording source. It must not read files, must not look at the clock
(every date comes from the spec), and must never use binary floats for money.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from customer_service_model import Contract, Penalty

from contractgen.document.model import Party
from contractgen.errors import InputError
from contractgen.numerals import to_capital, to_chinese_date, to_chinese_number, to_figures, to_rate_text
from contractgen.numerals.periods import days_after, quarters, term_last_day, term_periods

__all__ = ["InstalmentLine", "MaintenanceRow", "build_context", "instalment_amounts"]

FEN = Decimal("0.01")


@dataclass(frozen=True)
class InstalmentLine:
    """One payment of the schedule: its number, its last day, its amount in figures and in 大写."""

    index: int  # 1, 2, …
    index_cn: str  # 第一期
    number_cn: str  # 一 (第一服务年度)
    due_cn: str  # the last day to pay, in words, or "" (no date in the spec to count from)
    amount: Decimal
    figures: str  # ¥120,000.00
    capital: str  # 壹拾贰万元整
    text: str  # 人民币壹拾贰万元整（¥120,000.00）, for Word templates; wording templates split it
    note: str


@dataclass(frozen=True)
class MaintenanceRow:
    """One quarter of a service year in 附件七's plan: exact, non-overlapping start and end dates."""

    year: int  # the service year, 1…
    year_cn: str  # 一
    quarter: int  # 1…4
    quarter_cn: str  # 一
    start_cn: str  # 二〇二六年十一月二十四日, or "" when the term's first day is the signing date left to the pen
    end_cn: str  # 二〇二七年二月二十三日 (the day before the next quarter starts), or ""


# --- money ------------------------------------------------------------------------------------------------


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


def _due(contract: Contract, n: int, years: list[tuple[date, date]]) -> date | None:
    """The last day to pay instalment ``n``: N days counted from the day it falls due (第二百零一条), where a
    day is known — the first day of its service year (annual), of the term (lump sum), or the spec's own date."""
    fee = contract.fee
    if fee.payment == "instalments":
        due = fee.instalments[n - 1].due
        return days_after(due, fee.due_days) if due else None
    if not years:
        return None  # the term starts on a signing date the spec leaves to the pen: worded, never computed
    return days_after(years[n - 1 if fee.payment == "annual" else 0][0], fee.due_days)


def _instalments(contract: Contract, start: date | None) -> list[InstalmentLine]:
    fee = contract.fee
    amounts = instalment_amounts(contract)
    years = term_periods(start, years=contract.term.years, months_each=12) if start else []
    lines: list[InstalmentLine] = []
    for n, amount in enumerate(amounts, 1):
        due = _due(contract, n, years)
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
                note=(fee.instalments[n - 1].note or "") if fee.payment == "instalments" else "",
            )
        )
    return lines


def _maintenance_plan(start: date | None, years: int) -> list[MaintenanceRow]:
    """A row per quarter of every service year; each ends the day before the next begins. Without a first day
    (the signing date is left to the pen) the rows name their year and quarter only."""
    spans: list[tuple[date | None, date | None]] = [(None, None)] * (4 * years)
    if start:
        spans = list(quarters(start, years))
    rows: list[MaintenanceRow] = []
    for index, (begin, end) in enumerate(spans):
        year, quarter = divmod(index, 4)
        rows.append(
            MaintenanceRow(
                year=year + 1,
                year_cn=to_chinese_number(year + 1),
                quarter=quarter + 1,
                quarter_cn=to_chinese_number(quarter + 1),
                start_cn=to_chinese_date(begin) if begin else "",
                end_cn=to_chinese_date(end) if end else "",
            )
        )
    return rows


# --- the context ------------------------------------------------------------------------------------------


def _penalty_values(penalty: Penalty, total: Decimal) -> dict[str, str | None]:
    """第五条's rates in words and the amounts they come to: 5.1's penalty, 5.2's per period and its cap (shares
    of the contract amount), 5.3's late-payment rate and cap (shares of the amount overdue: words only); ``None``
    for each the spec leaves out. Validation has refused any rate whose amount is not a whole fen."""
    breach_amount = _fen(penalty.breach_rate.of(total))
    overdue_amount = _fen(penalty.overdue_rate.of(total))
    cap = penalty.overdue_cap
    cap_amount = _fen(cap.of(total)) if cap else None
    late, late_cap = penalty.late_payment_rate, penalty.late_payment_cap
    return {
        "breach_rate_words": to_rate_text(penalty.breach_rate.percent),
        "breach_amount_figures": to_figures(breach_amount),
        "breach_amount_capital": to_capital(breach_amount),
        "breach_amount_text": _text(breach_amount),
        "overdue_rate_words": to_rate_text(penalty.overdue_rate.percent),
        "overdue_period": penalty.overdue_period,
        "overdue_amount_figures": to_figures(overdue_amount),
        "overdue_amount_capital": to_capital(overdue_amount),
        "overdue_amount_text": _text(overdue_amount),
        "overdue_cap_words": to_rate_text(cap.percent) if cap else None,
        "overdue_cap_figures": to_figures(cap_amount) if cap_amount is not None else None,
        "overdue_cap_capital": to_capital(cap_amount) if cap_amount is not None else None,
        "late_payment_rate_words": to_rate_text(late.percent) if late else None,
        "late_payment_cap_words": to_rate_text(late_cap.percent) if late_cap else None,
    }


def _service_email(party: Party, electronic: bool | None) -> str | None:
    """The e-mail a party is served at electronically (第十条), or ``None``: no consent, or no e-mail to serve at."""
    if electronic is False or party.contact is None:
        return None
    return party.contact.email


def _clause_values(contract: Contract) -> dict[str, Any]:
    """The values of the clauses added beside the reference's: options as enums and booleans, counts in words,
    never a sentence."""
    ended, dispute, notices = contract.termination, contract.dispute, contract.notices
    rate = ended.compensation_rate
    amount = _fen(rate.of(contract.fee.total)) if rate else None
    return {
        "cure_days_cn": to_chinese_number(ended.cure_days, liang=True),
        "any_time": ended.any_time,
        "any_time_notice_days_cn": to_chinese_number(ended.notice_days, liang=True),
        "compensation_rate_words": to_rate_text(rate.percent) if rate else None,
        "compensation_figures": to_figures(amount) if amount is not None else None,
        "compensation_capital": to_capital(amount) if amount is not None else None,
        "refund_days_cn": to_chinese_number(ended.refund_days, liang=True),
        "handover_days_cn": to_chinese_number(ended.handover_days, liang=True),
        "dispute_method": dispute.method,
        "court_connection": dispute.court_connection,
        "arbitration_commission": dispute.commission,
        "service_email_a": _service_email(contract.party_a, notices.electronic),
        "service_email_b": _service_email(contract.party_b, notices.electronic),
        "address_change_days_cn": to_chinese_number(notices.change_days, liang=True),
        "pi_kinds": contract.personal_information.kinds,
        "pi_retention_months_cn": to_chinese_number(contract.personal_information.retention_months, liang=True),
        "standard_terms": contract.standard_terms,
    }


def build_context(contract: Contract, common: Mapping[str, Any]) -> dict[str, Any]:
    """This type's names of ``docs/templates.md``, computed from ``contract``; ``common`` is the core's
    (:func:`contractgen.document.context.common_context`), whose ``parties`` give the copies each one holds."""
    fee, penalty, service, signed = contract.fee, contract.penalty, contract.service, contract.signing.date
    start = contract.term.start or signed  # the term's first day; None: the signing date is left to the pen
    lines = _instalments(contract, start)
    total_paid = sum((line.amount for line in lines), Decimal(0))
    assert total_paid == fee.total, (total_paid, fee.total)  # instalment_amounts guarantees it
    held_a, held_b = common["parties"]

    return {
        "term_years": contract.term.years,
        "term_years_cn": to_chinese_number(contract.term.years, liang=True),
        "term_starts_at_signing": contract.term.start is None,
        "service_start_cn": to_chinese_date(start) if start else None,
        "service_end_cn": to_chinese_date(term_last_day(start, years=contract.term.years)) if start else None,
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
        **_penalty_values(penalty, fee.total),
        "validity_years_cn": to_chinese_number(contract.validity_years, liang=True),
        # 甲方 holds the odd copy (counterparts are numbered 甲方执, 乙方执, 甲方执 …): the core's share.
        "copies_a_cn": held_a.copies_cn,
        "copies_b_cn": held_b.copies_cn,
        "service": service,
        "response_hours_cn": to_chinese_number(service.response_hours, liang=True),
        "complaint_days_cn": to_chinese_number(service.complaint_days, liang=True),
        "satisfaction_target_words": to_rate_text(service.satisfaction_target.percent),
        "maintenance_plan": _maintenance_plan(start, contract.term.years),
        **_clause_values(contract),
    }
