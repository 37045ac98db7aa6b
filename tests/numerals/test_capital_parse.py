"""parse_capital: every form to_capital writes, every alternative numerals.md allows, malformed text rejected
with the position of the problem. Tables in tests/data/numerals/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from numeral_tables import read_table

from contractgen.errors import AmountError
from contractgen.numerals import parse_capital, to_capital

CANONICAL = read_table("capital.tsv", 3)


@pytest.mark.parametrize(("given", "options", "written", "why"), CANONICAL)
def test_reads_every_table_output(given: str, options: str, written: str, why: str) -> None:
    """Each output of the to_capital table reads back as the amount it was written from."""
    expected = Decimal(
        given.removeprefix("int:").translate(str.maketrans("０１２３４５６７８９．", "0123456789.", "¥￥ ,"))
    )
    if "half-up" in options:
        expected = expected.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert parse_capital(written) == expected


ALTERNATIVES = read_table("capital_parse.tsv", 2)


@pytest.mark.parametrize(("text", "expected", "why"), ALTERNATIVES)
def test_alternative_forms(text: str, expected: str, why: str) -> None:
    result = parse_capital(text)
    assert result == Decimal(expected)
    assert str(result) == expected  # always exactly two decimals


MALFORMED = read_table("capital_malformed.tsv", 3)


@pytest.mark.parametrize(("text", "position", "message"), MALFORMED)
def test_malformed(text: str, position: str, message: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_capital(text)
    assert caught.value.position == int(position)
    assert caught.value.value == text
    assert message in caught.value.message


def test_message_names_input_and_character() -> None:
    with pytest.raises(AmountError) as caught:
        parse_capital("壹佰壹仟元")
    assert caught.value.message == '大写金额 "壹佰壹仟元" 第 4 个字符"仟"：单位顺序颠倒（大的单位应在前）'


def test_message_at_the_end() -> None:
    with pytest.raises(AmountError) as caught:
        parse_capital("人民币")
    assert caught.value.message == '大写金额 "人民币" 结尾：缺少金额'


def test_figures_with_three_decimals_are_refused() -> None:
    with pytest.raises(AmountError, match=r'金额最多两位小数，收到 "1680\.325"'):
        parse_capital("1680.325")


def test_not_text_is_refused() -> None:
    with pytest.raises(AmountError, match="大写金额必须是字符串，收到 Decimal"):
        parse_capital(Decimal("1"))  # type: ignore[arg-type]


def test_result_is_decimal_never_float() -> None:
    result = parse_capital("壹角")
    assert type(result) is Decimal
    assert result == Decimal("0.1")


def test_check_typed_capital_against_figures() -> None:
    """The use the rules recommend: parse what was typed, regenerate, show both."""
    typed = "人民币壹拾万零柒仟元伍角叁分"
    amount = parse_capital(typed)
    assert amount == Decimal("107000.53")
    assert to_capital(amount, prefix=True) == "人民币壹拾万柒仟元零伍角叁分"
