"""Rates: to_rate_words (and its auto rule), to_rate_text, parse_rate_words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from numeral_tables import read_table

from contractgen.errors import NumeralError
from contractgen.numerals import parse_rate_words, to_rate_text, to_rate_words


@pytest.mark.parametrize(("percent", "unit", "words"), read_table("rates.tsv", 3))
def test_rate_words(percent: str, unit: str, words: str) -> None:
    assert to_rate_words(percent, unit=unit) == words  # type: ignore[arg-type]
    expected = Decimal(percent.rstrip("%").translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    assert parse_rate_words(words) == expected


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        (Decimal("20"), "百分之二十（20%）"),
        (Decimal("0.05"), "万分之五（0.05%）"),
        (Decimal("0.3"), "千分之三（0.3%）"),
        (Decimal("12.50"), "百分之十二点五（12.5%）"),
        (Decimal("2E+1"), "百分之二十（20%）"),
        (Decimal("100"), "百分之一百（100%）"),
        (Decimal("90"), "百分之九十（90%）"),
        (20, "百分之二十（20%）"),
        ("0.050", "万分之五（0.05%）"),
    ],
)
def test_rate_text(percent: Decimal | int | str, text: str) -> None:
    assert to_rate_text(percent) == text


def test_rate_text_with_unit() -> None:
    assert to_rate_text(Decimal("0.5"), unit="percent") == "百分之零点五（0.5%）"


def test_rate_words_values_are_exact() -> None:
    assert to_rate_words(Decimal("0.5"), unit="percent") == "百分之零点五"
    assert parse_rate_words("万分之五") == Decimal("0.05")
    assert str(parse_rate_words("万分之五")) == "0.05"
    assert str(parse_rate_words("百分之二十")) == "20"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.05, "比率不接受 float"),
        (Decimal("-1"), '比率不能为负数，收到 "-1"'),
        (Decimal("NaN"), '比率必须是有限的数，收到 "NaN"'),
        ("20%%", '比率 "20%%" 第 3 个字符"%"'),
        ("abc", '比率 "abc" 第 1 个字符"a"'),
        (True, "比率不能是布尔值"),
    ],
)
def test_rate_refuses(value: object, message: str) -> None:
    with pytest.raises(NumeralError) as caught:
        to_rate_words(value)  # type: ignore[arg-type]
    assert message in caught.value.message


def test_unknown_unit() -> None:
    with pytest.raises(NumeralError, match="比率单位只能是"):
        to_rate_words(Decimal("1"), unit="basis-points")  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "value"), read_table("rates_parse.tsv", 2))
def test_parse_alternatives(text: str, value: str) -> None:
    assert parse_rate_words(text) == Decimal(value)


@pytest.mark.parametrize(("text", "position", "message"), read_table("rates_malformed.tsv", 3))
def test_parse_malformed(text: str, position: str, message: str) -> None:
    with pytest.raises(NumeralError) as caught:
        parse_rate_words(text)
    assert caught.value.position == int(position)
    assert message in caught.value.message
