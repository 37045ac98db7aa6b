"""Dates: body style (二〇二六年十一月二十四日), Arabic option, PBOC bill style, and the lenient reader."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from numeral_tables import read_table

from contractgen.errors import NumeralError
from contractgen.numerals import parse_bill_date, parse_chinese_date, to_bill_date, to_chinese_date


@pytest.mark.parametrize(("iso", "body", "bill"), read_table("dates.tsv", 3))
def test_date_styles(iso: str, body: str, bill: str) -> None:
    d = date.fromisoformat(iso)
    assert to_chinese_date(d) == body
    assert to_bill_date(d) == bill
    assert parse_chinese_date(body) == d
    assert parse_bill_date(bill) == d


def test_pboc_bill_examples() -> None:
    """《支付结算办法》附件一: 1月15日 → 零壹月壹拾伍日; 10月20日 → 零壹拾月零贰拾日."""
    assert to_bill_date(date(2026, 1, 15)).endswith("年零壹月壹拾伍日")
    assert to_bill_date(date(2026, 10, 20)).endswith("年零壹拾月零贰拾日")


def test_arabic() -> None:
    assert to_chinese_date(date(2026, 11, 24), arabic=True) == "2026年11月24日"
    assert to_chinese_date(date(2026, 1, 5), arabic=True) == "2026年1月5日"


def test_datetime_is_a_date() -> None:
    assert to_chinese_date(datetime(2026, 11, 24, 13, 0)) == "二〇二六年十一月二十四日"


def test_refuses_non_dates() -> None:
    with pytest.raises(NumeralError, match=r"日期必须是 datetime\.date，收到 str '2026-11-24'"):
        to_chinese_date("2026-11-24")  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "iso"), read_table("dates_parse.tsv", 2))
def test_parse_alternatives(text: str, iso: str) -> None:
    assert parse_chinese_date(text) == date.fromisoformat(iso)
    assert parse_bill_date(text) == date.fromisoformat(iso)


@pytest.mark.parametrize(("text", "position", "message"), read_table("dates_malformed.tsv", 3))
def test_parse_malformed(text: str, position: str, message: str) -> None:
    with pytest.raises(NumeralError) as caught:
        parse_chinese_date(text)
    assert caught.value.position == int(position)
    assert message in caught.value.message
    assert caught.value.value == text


def test_parse_message() -> None:
    with pytest.raises(NumeralError) as caught:
        parse_chinese_date("二〇二六年二月三十日")
    assert caught.value.message == '日期 "二〇二六年二月三十日" 第 8 个字符"三"：2026年2月没有30日'
