"""Counts and ordinals: to_/parse_chinese_number, to_/parse_ordinal, outline labels."""

from __future__ import annotations

import pytest
from numeral_tables import read_table

from contractgen.errors import NumeralError
from contractgen.numerals import (
    parse_chinese_number,
    parse_ordinal,
    to_chinese_number,
    to_ordinal,
    to_outline_label,
)


@pytest.mark.parametrize(("n", "words", "liang"), read_table("chinese_number.tsv", 3))
def test_to_chinese_number(n: str, words: str, liang: str) -> None:
    assert to_chinese_number(int(n)) == words
    assert to_chinese_number(int(n), liang=True) == liang
    assert parse_chinese_number(words) == int(n)


@pytest.mark.parametrize(("text", "value"), read_table("chinese_number_parse.tsv", 2))
def test_parse_alternatives(text: str, value: str) -> None:
    assert parse_chinese_number(text) == int(value)


@pytest.mark.parametrize(("text", "position", "message"), read_table("chinese_number_malformed.tsv", 3))
def test_parse_malformed(text: str, position: str, message: str) -> None:
    with pytest.raises(NumeralError) as caught:
        parse_chinese_number(text)
    assert caught.value.position == int(position)
    assert message in caught.value.message
    assert caught.value.value == text


def test_parse_message() -> None:
    with pytest.raises(NumeralError) as caught:
        parse_chinese_number("一百一")
    assert caught.value.message == (
        '数字 "一百一" 第 3 个字符"一"："一"的数位不明确：'
        '个位数字前要写"零"（如 壹佰零伍），否则请写出单位（如 壹佰伍拾）'
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "数必须在 0 到 10^16 之间，收到 -1"),
        (10**16, "数必须在 0 到 10^16 之间，收到 10000000000000000"),
        (True, "数必须是整数，收到 bool True"),
        ("3", "数必须是整数，收到 str '3'"),
    ],
)
def test_to_chinese_number_refuses(value: object, message: str) -> None:
    with pytest.raises(NumeralError) as caught:
        to_chinese_number(value)  # type: ignore[arg-type]
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (1, "条", "第一条"),
        (10, "条", "第十条"),
        (11, "条", "第十一条"),
        (20, "条", "第二十条"),
        (110, "条", "第一百一十条"),
        (2, "期", "第二期"),
        (3, "", "第三"),
    ],
)
def test_ordinal(n: int, unit: str, expected: str) -> None:
    assert to_ordinal(n, unit) == expected
    assert parse_ordinal(expected) == n


def test_ordinal_default_unit() -> None:
    assert to_ordinal(11) == "第十一条"


def test_ordinal_refuses_zero() -> None:
    with pytest.raises(NumeralError, match="序号从 1 开始，收到 0"):
        to_ordinal(0)


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("十一条", 0, '序号应以"第"开头'),
        ("第条", 1, '"第"之后缺少数字'),
        ("第零条", 1, "序号从 1 开始"),
        ("第一百一条", 3, "数位不明确"),
    ],
)
def test_parse_ordinal_malformed(text: str, position: int, message: str) -> None:
    with pytest.raises(NumeralError) as caught:
        parse_ordinal(text)
    assert caught.value.position == position
    assert message in caught.value.message


def test_parse_ordinal_variants() -> None:
    assert parse_ordinal("第一十一条") == 11
    assert parse_ordinal("第11条") == 11
    assert parse_ordinal("第廿条") == 20


@pytest.mark.parametrize(
    ("n", "level", "expected"),
    [(1, 1, "一、"), (11, 1, "十一、"), (3, 2, "（三）"), (3, 3, "3."), (12, 4, "（12）")],
)
def test_outline_label(n: int, level: int, expected: str) -> None:
    assert to_outline_label(n, level) == expected


def test_outline_label_refuses_unknown_level() -> None:
    with pytest.raises(NumeralError, match="大纲层级只能是 1 到 4，收到 5"):
        to_outline_label(1, 5)


def test_copies_clause_count() -> None:
    assert f"本合同一式{to_chinese_number(2, liang=True)}份" == "本合同一式两份"
    assert f"本合同一式{to_chinese_number(4, liang=True)}份" == "本合同一式四份"
