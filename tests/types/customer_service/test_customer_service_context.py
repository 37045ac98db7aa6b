"""context: the data templates print (never sentences), for the sample and for every payment mode.

The sentences made from this data are tested in test_wording.py, through the real templates.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from customer_service_context import instalment_amounts
from customer_service_model import Contract, Fee, Instalment, Term
from render_helpers import ROOT, sample_contract

from contractgen.document.context import build_context
from contractgen.document.model import Rate, Signing
from contractgen.document.templates import PartSpec
from contractgen.errors import InputError
from contractgen.numerals import parse_chinese_date, to_capital

PARTS = (
    PartSpec("contract", "contract.xml.j2", "contract"),
    PartSpec("annex-01", "a.xml.j2", "annex", "客户服务管理制度"),
    PartSpec("annex-02", "b.xml.j2", "annex", "客户服务管理流程"),
)


def context_of(contract: Contract) -> dict[str, Any]:
    return build_context(contract, PARTS, "客户服务管理合同")


def with_fee(contract: Contract, **changes: Any) -> Contract:
    return dataclasses.replace(contract, fee=dataclasses.replace(contract.fee, **changes))


# The examples of docs/templates.md, for samples/customer-service.yaml.
DOCUMENTED = {
    "contract_no": "KF-2026-0001",
    "title": "客户服务管理合同",
    "term_years_cn": "三",
    "term_years": 3,
    "term_starts_at_signing": True,
    "service_start_cn": "二〇二六年十一月二十四日",
    "service_end_cn": "二〇二九年十一月二十三日",
    "fee_figures": "¥360,000.00",
    "fee_capital": "叁拾陆万元整",
    "fee_text": "人民币叁拾陆万元整（¥360,000.00）",
    "payment": "annual",
    "annual_equal": True,
    "due_days_cn": "十五",
    "instalments_count_cn": "三",
    "instalments_total_figures": "¥360,000.00",
    "instalments_total_capital": "叁拾陆万元整",
    "breach_rate_words": "百分之二十（20%）",
    "breach_amount_figures": "¥72,000.00",
    "breach_amount_capital": "柒万贰仟元整",
    "breach_amount_text": "人民币柒万贰仟元整（¥72,000.00）",
    "overdue_rate_words": "万分之五（0.05%）",
    "overdue_period": "day",
    "overdue_amount_figures": "¥180.00",
    "overdue_amount_capital": "壹佰捌拾元整",
    "overdue_amount_text": "人民币壹佰捌拾元整（¥180.00）",
    "overdue_cap_words": "百分之十（10%）",
    "overdue_cap_figures": "¥36,000.00",
    "overdue_cap_capital": "叁万陆仟元整",
    "late_payment_rate_words": "万分之五（0.05%）",
    "late_payment_cap_words": "百分之十（10%）",
    "validity_years_cn": "三",
    "copies_cn": "两",
    "copies_a_cn": "一",
    "copies_b_cn": "一",
    "signing_date_cn": "二〇二六年十一月二十四日",
    "signing_place": "上海市浦东新区",
    "seal_mm": 42,
    "signature_mm": 45,
    "response_hours_cn": "两",
    "complaint_days_cn": "三",
    "satisfaction_target_words": "百分之九十（90%）",
    # The clauses after the reference's: 第六条's forum, 第八条, 第九条 and 附件五's notice, 第十条, 格式条款.
    "dispute_method": "court",
    "court_connection": None,
    "arbitration_commission": None,
    "cure_days_cn": "十五",
    "any_time": "statutory",
    "any_time_notice_days_cn": "三十",
    "compensation_rate_words": None,
    "compensation_figures": None,
    "compensation_capital": None,
    "refund_days_cn": "十五",
    "handover_days_cn": "十五",
    "pi_kinds": "姓名、联系电话、电子邮箱、通信地址、咨询和投诉记录、满意度评价",
    "pi_retention_months_cn": "十二",
    "service_email_a": "lijing@mingyuan-tech.cn",
    "service_email_b": "zhaomin@hengxin-service.cn",
    "address_change_days_cn": "三",
    "standard_terms": False,
}

# Names whose values would read as wording: they belong in the templates (design.md, "One wording source").
MOVED_TO_TEMPLATES = (
    "payment_text",
    "copies_clause",
    "term_start_text",
    "overdue_period_text",
    "report_cycle_cn",
)


@pytest.mark.parametrize(("name", "value"), DOCUMENTED.items())
def test_sample_values_match_the_documented_examples(name: str, value: object) -> None:
    assert context_of(sample_contract())[name] == value


def test_context_has_exactly_the_documented_names() -> None:
    names = set(context_of(sample_contract()))
    documented = set(DOCUMENTED) | {
        "party_a",
        "party_b",
        "parties",
        "instalments",
        "service",
        "annexes",
        "maintenance_plan",
        "cn_number",
        "cn_date",
    }
    assert names == documented
    assert not names & set(MOVED_TO_TEMPLATES)


def test_docs_templates_md_lists_exactly_the_context_names() -> None:
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    table = docs[docs.index("## The context") :]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {re.sub(r"\(.*\)", "", name) for cell in first_cells for name in re.findall(r"`([^`]+)`", cell)}
    # `annex` is added by compose for annex templates only.
    assert documented == set(context_of(sample_contract())) | {"annex"}


def test_no_context_value_is_a_sentence() -> None:
    # Data only: an amount, a date, a rate or a count in words, never a clause (。，：； would betray one).
    context = context_of(sample_contract())
    texts = [v for v in context.values() if isinstance(v, str)]
    texts += [value for line in context["instalments"] for value in (line.index_cn, line.number_cn, line.due_cn)]
    texts += [value for row in context["maintenance_plan"] for value in (row.start_cn, row.end_cn)]
    assert not [text for text in texts if any(mark in text for mark in "。，：；")]


def test_the_fee_in_words_is_to_capital_of_the_total() -> None:
    contract = sample_contract()
    assert context_of(contract)["fee_capital"] == to_capital(contract.fee.total)


def test_annual_instalments_of_the_sample() -> None:
    lines = context_of(sample_contract())["instalments"]
    assert [(i.index, i.index_cn, i.number_cn, i.due_cn, i.figures, i.capital) for i in lines] == [
        (1, "第一期", "一", "二〇二六年十二月九日", "¥120,000.00", "壹拾贰万元整"),
        (2, "第二期", "二", "二〇二七年十二月九日", "¥120,000.00", "壹拾贰万元整"),
        (3, "第三期", "三", "二〇二八年十二月九日", "¥120,000.00", "壹拾贰万元整"),
    ]
    assert lines[0].text == "人民币壹拾贰万元整（¥120,000.00）"


@pytest.mark.parametrize(
    ("total", "years", "expected"),
    [
        ("100000.00", 3, ["33333.33", "33333.33", "33333.34"]),
        ("0.05", 3, ["0.01", "0.01", "0.03"]),
        ("0.02", 3, None),  # cannot be split into three non-zero payments
        ("1000.01", 2, ["500.00", "500.01"]),
        ("99999.99", 1, ["99999.99"]),
    ],
)
def test_annual_shares_round_down_with_the_remainder_last(total: str, years: int, expected: list[str] | None) -> None:
    contract = dataclasses.replace(with_fee(sample_contract(), total=Decimal(total)), term=Term(years))
    if expected is None:
        with pytest.raises(InputError):
            instalment_amounts(contract)
        return
    amounts = instalment_amounts(contract)
    assert amounts == [Decimal(x) for x in expected]
    assert sum(amounts) == Decimal(total)


def test_uneven_annual_payment_is_not_equal_and_the_last_year_takes_the_remainder() -> None:
    context = context_of(with_fee(sample_contract(), total=Decimal("100000.00")))
    assert context["annual_equal"] is False
    assert [(i.capital, i.figures) for i in context["instalments"]] == [
        ("叁万叁仟叁佰叁拾叁元叁角叁分", "¥33,333.33"),
        ("叁万叁仟叁佰叁拾叁元叁角叁分", "¥33,333.33"),
        ("叁万叁仟叁佰叁拾叁元叁角肆分", "¥33,333.34"),
    ]


def test_lump_sum_is_one_payment() -> None:
    context = context_of(with_fee(sample_contract(), payment="lump_sum"))
    (line,) = context["instalments"]
    assert line.amount == Decimal("360000.00")
    assert line.due_cn == "二〇二六年十二月九日"
    assert (context["payment"], context["annual_equal"], context["instalments_count_cn"]) == ("lump_sum", False, "一")


def test_percent_instalments_add_up_to_the_fen() -> None:
    fee = Fee(
        total=Decimal("100000.00"),
        payment="instalments",
        due_days=10,
        instalments=(
            Instalment(due=date(2026, 12, 1), percent=Rate("33.33%", Decimal("33.33"))),
            Instalment(due=date(2027, 6, 1), percent=Rate("33.333%", Decimal("33.333"))),
            Instalment(percent=Rate("33.337%", Decimal("33.337")), note="验收后支付"),
        ),
    )
    context = context_of(dataclasses.replace(sample_contract(), fee=fee))
    lines = context["instalments"]
    assert [line.amount for line in lines] == [Decimal("33330.00"), Decimal("33333.00"), Decimal("33337.00")]
    assert [line.due_cn for line in lines] == ["二〇二六年十二月十一日", "二〇二七年六月十一日", ""]
    assert lines[2].note == "验收后支付"
    assert context["instalments_total_figures"] == "¥100,000.00"
    assert (context["instalments_count_cn"], context["annual_equal"]) == ("三", False)


def test_explicit_instalments_that_do_not_add_up_are_refused() -> None:
    fee = Fee(
        total=Decimal("1000.00"),
        payment="instalments",
        instalments=(Instalment(amount=Decimal("400.00")), Instalment(amount=Decimal("500.00"))),
    )
    with pytest.raises(InputError, match="不一致"):
        context_of(dataclasses.replace(sample_contract(), fee=fee))


@pytest.mark.parametrize(
    ("copies", "counts"),
    [(2, ("两", "一", "一")), (4, ("四", "两", "两")), (3, ("三", "两", "一")), (5, ("五", "三", "两"))],
)
def test_copies_are_shared_with_party_a_holding_the_odd_one(copies: int, counts: tuple[str, str, str]) -> None:
    context = context_of(dataclasses.replace(sample_contract(), copies=copies))
    assert (context["copies_cn"], context["copies_a_cn"], context["copies_b_cn"]) == counts


def test_a_start_date_is_written_and_moves_the_service_period() -> None:
    contract = dataclasses.replace(sample_contract(), term=Term(2, date(2027, 1, 1)))
    context = context_of(contract)
    assert context["term_starts_at_signing"] is False
    assert context["term_years_cn"] == "两"
    assert (context["service_start_cn"], context["service_end_cn"]) == (
        "二〇二七年一月一日",
        "二〇二八年十二月三十一日",
    )


def test_one_off_overdue_penalty_has_no_period() -> None:
    contract = dataclasses.replace(
        sample_contract(), penalty=dataclasses.replace(sample_contract().penalty, overdue_period=None)
    )
    assert context_of(contract)["overdue_period"] is None


def test_annexes_come_from_parts_in_order() -> None:
    annexes = context_of(sample_contract())["annexes"]
    assert [(a.id, a.number, a.number_cn, a.title) for a in annexes] == [
        ("annex-01", 1, "一", "客户服务管理制度"),
        ("annex-02", 2, "二", "客户服务管理流程"),
    ]


def test_maintenance_plan_has_a_row_per_quarter_of_the_term() -> None:
    rows = context_of(sample_contract())["maintenance_plan"]
    assert len(rows) == 12
    first, last = rows[0], rows[-1]
    assert (first.year, first.year_cn, first.quarter, first.quarter_cn) == (1, "一", 1, "一")
    assert (first.start_cn, first.end_cn) == ("二〇二六年十一月二十四日", "二〇二七年二月二十三日")
    assert (rows[1].start_cn, rows[1].end_cn) == ("二〇二七年二月二十四日", "二〇二七年五月二十三日")
    assert (last.year_cn, last.quarter_cn) == ("三", "四")
    assert (last.start_cn, last.end_cn) == ("二〇二九年八月二十四日", "二〇二九年十一月二十三日")


@pytest.mark.parametrize(
    ("start", "years"),
    [(date(2026, 11, 24), 3), (date(2026, 1, 31), 2), (date(2028, 2, 29), 4), (date(2026, 1, 1), 1)],
)
def test_maintenance_quarters_meet_end_to_end_and_cover_the_term(start: date, years: int) -> None:
    contract = dataclasses.replace(sample_contract(), term=Term(years, start))
    context = context_of(contract)
    rows = context["maintenance_plan"]
    days = [(parse_chinese_date(row.start_cn), parse_chinese_date(row.end_cn)) for row in rows]
    assert days[0][0] == start
    assert rows[-1].end_cn == context["service_end_cn"]
    for (_, end), (next_start, _) in itertools.pairwise(days):
        assert next_start - end == timedelta(days=1)
    assert all(begin < end for begin, end in days)


# --- 《民法典》第二百零二条 and a signing date left to the pen ---------------------------------------------------


def test_a_term_from_29_february_ends_on_the_month_end_a_year_later() -> None:
    # 第二百零二条: 2029 has no 2月29日, so the 月末日 is the last day (it used to print 2029-02-27).
    contract = dataclasses.replace(sample_contract(), term=Term(1), signing=Signing(date(2028, 2, 29)))
    context = context_of(contract)
    period = (context["service_start_cn"], context["service_end_cn"])
    assert period == ("二〇二八年二月二十九日", "二〇二九年二月二十八日")
    rows = context["maintenance_plan"]
    assert (rows[0].start_cn, rows[0].end_cn) == ("二〇二八年二月二十九日", "二〇二八年五月二十八日")
    assert rows[-1].end_cn == "二〇二九年二月二十八日"


def test_the_second_service_year_after_29_february_begins_on_1_march() -> None:
    contract = dataclasses.replace(sample_contract(), term=Term(2), signing=Signing(date(2028, 2, 29)))
    context = context_of(contract)
    # 第一服务年度 ends 2029-02-28; the second begins the next day, and its payment is due 15 days after that.
    assert [line.due_cn for line in context["instalments"]] == ["二〇二八年三月十五日", "二〇二九年三月十六日"]
    assert context["maintenance_plan"][4].start_cn == "二〇二九年三月一日"


def unsigned(contract: Contract) -> Contract:
    return dataclasses.replace(contract, signing=Signing(None, contract.signing.place))


@pytest.mark.parametrize("payment", ["annual", "lump_sum"])
def test_without_a_signing_date_nothing_that_counts_from_it_is_computed(payment: str) -> None:
    context = context_of(unsigned(with_fee(sample_contract(), payment=payment)))
    assert context["signing_date_cn"] is None
    assert (context["service_start_cn"], context["service_end_cn"]) == (None, None)
    assert context["term_starts_at_signing"] is True
    assert [line.due_cn for line in context["instalments"]] == [""] * len(context["instalments"])
    rows = context["maintenance_plan"]
    assert [(row.year, row.quarter) for row in rows] == [(y, q) for y in (1, 2, 3) for q in (1, 2, 3, 4)]
    assert {(row.start_cn, row.end_cn) for row in rows} == {("", "")}
    assert context["signing_place"] == "上海市浦东新区"


def test_without_a_signing_date_a_fixed_start_still_dates_the_term() -> None:
    contract = unsigned(dataclasses.replace(sample_contract(), term=Term(2, date(2027, 1, 1))))
    context = context_of(contract)
    assert context["signing_date_cn"] is None
    period = (context["service_start_cn"], context["service_end_cn"])
    assert period == ("二〇二七年一月一日", "二〇二八年十二月三十一日")
    assert [line.due_cn for line in context["instalments"]] == ["二〇二七年一月十六日", "二〇二八年一月十六日"]
    assert context["maintenance_plan"][-1].end_cn == "二〇二八年十二月三十一日"


def test_without_a_signing_date_explicit_instalment_dates_stay() -> None:
    fee = Fee(
        total=Decimal("1000.00"),
        payment="instalments",
        due_days=10,
        instalments=(Instalment(due=date(2027, 1, 10), amount=Decimal("400.00")), Instalment(amount=Decimal("600.00"))),
    )
    context = context_of(unsigned(dataclasses.replace(sample_contract(), fee=fee)))
    assert [line.due_cn for line in context["instalments"]] == ["二〇二七年一月二十日", ""]


def test_helpers_write_numbers_and_dates() -> None:
    context = context_of(sample_contract())
    assert context["cn_number"](11) == "十一"
    assert context["cn_date"](date(2027, 10, 20)) == "二〇二七年十月二十日"
