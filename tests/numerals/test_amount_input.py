"""parse_amount (the input gate of every amount converter) and to_figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contractgen.errors import AmountError
from contractgen.numerals import parse_amount, to_figures


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1680.32", "1680.32"),
        ("1,680.32", "1680.32"),
        ("¥1,680.32", "1680.32"),
        ("￥1680.32", "1680.32"),
        ("１６８０．３２", "1680.32"),
        ("１，６８０．３２", "1680.32"),
        ("-¥100", "-100"),
        ("¥-100", "-100"),
        ("－100", "-100"),
        ("+100", "100"),
        ("  12  ", "12"),
        ("1680.3", "1680.3"),  # the exact scale is kept
        ("1680.325", "1680.325"),  # more than two decimals is not parse_amount's business by default
        ("0012", "12"),
        ("-0.00", "-0.00"),
        (Decimal("1E+3"), "1E+3"),
        (12, "12"),
        (-5, "-5"),
    ],
)
def test_parse_amount_keeps_exact_digits(value: object, expected: str) -> None:
    result = parse_amount(value)  # type: ignore[arg-type]
    assert type(result) is Decimal
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [
        ("1", None, "1.00"),
        ("1.5", None, "1.50"),
        ("1.000", None, "1.00"),
        ("2.675", "half-up", "2.68"),
        ("1.005", "half-up", "1.01"),
        ("-1.005", "half-up", "-1.01"),
        ("0.004", "half-up", "0.00"),
    ],
)
def test_parse_amount_with_max_decimals(value: str, rounding: str | None, expected: str) -> None:
    assert str(parse_amount(value, max_decimals=2, rounding=rounding)) == expected  # type: ignore[arg-type]


def test_parse_amount_refuses_three_decimals_without_rounding() -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount("12.345", max_decimals=2)
    assert caught.value.message == '金额最多两位小数，收到 "12.345"（需要四舍五入时请明确指定 half-up）'
    assert caught.value.value == "12.345"


def test_parse_amount_refuses_float() -> None:
    with pytest.raises(AmountError, match="金额不接受 float"):
        parse_amount(1234567.89)  # type: ignore[arg-type]


def test_parse_amount_limit() -> None:
    assert parse_amount("9999999999999999.99") == Decimal("9999999999999999.99")
    with pytest.raises(AmountError, match="金额超出范围"):
        parse_amount("10,000,000,000,000,000")
    with pytest.raises(AmountError, match="金额超出范围"):
        parse_amount("-10000000000000000")


def test_parse_amount_max_decimals_must_be_sane() -> None:
    with pytest.raises(ValueError, match="max_decimals"):
        parse_amount("1", max_decimals=-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("360000", "¥360,000.00"),
        (Decimal("360000.00"), "¥360,000.00"),
        ("-100", "-¥100.00"),
        ("-0.00", "¥0.00"),
        ("0.5", "¥0.50"),
        (1680, "¥1,680.00"),
        ("9999999999999999.99", "¥9,999,999,999,999,999.99"),
        ("1.000", "¥1.00"),
    ],
)
def test_to_figures(value: object, expected: str) -> None:
    assert to_figures(value) == expected  # type: ignore[arg-type]


def test_to_figures_symbol() -> None:
    assert to_figures("1680.32", symbol="￥") == "￥1,680.32"
    assert to_figures("-1680.32", symbol="RMB ") == "-RMB 1,680.32"


def test_to_figures_refuses_three_decimals() -> None:
    with pytest.raises(AmountError, match="金额最多两位小数"):
        to_figures("1.005")
