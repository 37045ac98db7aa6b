"""to_capital: PBOC's worked examples verbatim, then the case tables in tests/data/numerals/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from numeral_tables import read_table

from contractgen.errors import AmountError, ContractgenError, NumeralError
from contractgen.numerals import to_capital


def amount_input(text: str) -> str | int:
    return int(text[4:]) if text.startswith("int:") else text


def option_keywords(text: str) -> dict[str, object]:
    keywords: dict[str, object] = {}
    for option in filter(None, text.split(",")):
        if option == "-":
            continue
        if option == "half-up":
            keywords["rounding"] = "half-up"
        else:
            assert option in {"prefix", "jiao_zheng", "traditional"}, option
            keywords[option] = True
    return keywords


# PBOC 《支付结算办法》附件一, rule 4: the six worked examples, exactly as the rules print them.
PBOC_EXAMPLES = [
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
]


@pytest.mark.parametrize(("figures", "expected"), PBOC_EXAMPLES)
def test_pboc_examples(figures: str, expected: str) -> None:
    assert to_capital(figures, prefix=True) == expected
    assert to_capital(Decimal(figures), prefix=True) == expected
    assert to_capital("￥" + f"{Decimal(figures):,}", prefix=True) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("100001000", "壹亿零壹仟元整"),
        ("0.05", "伍分"),
        ("-0.00", "零元整"),
    ],
)
def test_issue_examples(amount: str, expected: str) -> None:
    assert to_capital(amount) == expected


CASES = read_table("capital.tsv", 3)


def test_case_table_is_large() -> None:
    assert len(CASES) >= 150


CASE_IDS = [f"{row[0]}|{row[1]}" for row in CASES]


@pytest.mark.parametrize(("given", "options", "expected", "why"), CASES, ids=CASE_IDS)
def test_case_table(given: str, options: str, expected: str, why: str) -> None:
    assert to_capital(amount_input(given), **option_keywords(options)) == expected  # type: ignore[arg-type]


DECIMAL_CASES = [row for row in CASES if "," not in row[0] and not row[0].startswith(("int:", " ", "+"))]


@pytest.mark.parametrize(("given", "options", "expected", "why"), DECIMAL_CASES)
def test_case_table_as_decimal(given: str, options: str, expected: str, why: str) -> None:
    """The same amounts as Decimal objects (the fast path for text must agree with the Decimal path)."""
    plain = given.translate(str.maketrans("０１２３４５６７８９．", "0123456789.", "¥￥ "))
    value = Decimal(plain)
    assert to_capital(value, **option_keywords(options)) == expected  # type: ignore[arg-type]


ERRORS = read_table("capital_errors.tsv", 4)


@pytest.mark.parametrize(("given", "options", "position", "message"), ERRORS)
def test_refused(given: str, options: str, position: str, message: str) -> None:
    with pytest.raises(AmountError) as caught:
        to_capital(given, **option_keywords(options))  # type: ignore[arg-type]
    assert message in caught.value.message
    assert caught.value.value == given
    assert caught.value.position == (None if position == "-" else int(position))


def test_errors_are_input_errors() -> None:
    with pytest.raises(ContractgenError) as caught:
        to_capital("1.234")
    assert isinstance(caught.value, NumeralError)
    assert caught.value.exit_code == 3
    assert str(caught.value) == '金额最多两位小数，收到 "1.234"（需要四舍五入时请明确指定 half-up）'


def test_float_is_refused_with_an_explanation() -> None:
    with pytest.raises(AmountError) as caught:
        to_capital(0.1)  # type: ignore[arg-type]
    assert caught.value.message.startswith(
        "金额不接受 float（二进制浮点数无法精确表示 0.1 这样的金额），收到 0.1"
    )
    assert 'Decimal("1680.32")' in caught.value.message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "金额不能是布尔值，收到 True"),
        (None, "金额必须是 Decimal、int 或字符串，收到 NoneType None"),
        (Decimal("NaN"), '金额必须是有限的数，收到 "NaN"'),
        (Decimal("-Infinity"), '金额必须是有限的数，收到 "-Infinity"'),
        (Decimal("1E+16"), '金额超出范围：绝对值必须小于一亿亿（10^16），收到 "1E+16"'),
        (10**16, "金额超出范围：绝对值必须小于一亿亿（10^16），收到 10000000000000000"),
        (10**5000, "金额超出范围：绝对值必须小于一亿亿（10^16），收到 一个约 5001 位的整数"),
        (Decimal("1.005"), '金额最多两位小数，收到 "1.005"'),
    ],
    ids=["bool", "none", "nan", "-inf", "1E+16", "10**16", "10**5000", "three-decimals"],
)
def test_refused_values(value: object, message: str) -> None:
    with pytest.raises(AmountError) as caught:
        to_capital(value)  # type: ignore[arg-type]
    assert message in caught.value.message
    assert caught.value.position is None


def test_unknown_rounding_is_refused_even_when_not_needed() -> None:
    with pytest.raises(AmountError, match="不支持的舍入方式 'half-even'"):
        to_capital("1.00", rounding="half-even")  # type: ignore[arg-type]


def test_decimal_forms_of_the_same_amount() -> None:
    for value in (Decimal("1E+2"), Decimal("100.000"), Decimal("0.1E+3"), 100, "100", "100.0"):
        assert to_capital(value) == "壹佰元整"


def test_caller_decimal_context_does_not_matter() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        assert to_capital("1234567.895", rounding="half-up") == "壹佰贰拾叁万肆仟伍佰陆拾柒元玖角"
