"""Properties (hypothesis): round trips in every option combination, the shape of canonical output, and
agreement with independent, digit-by-digit restatements of the rules (the implementation works by
four-digit sections; these oracles by single positions, so they cannot share a mistake by construction)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from contractgen.numerals import (
    parse_amount,
    parse_bill_date,
    parse_capital,
    parse_chinese_date,
    parse_chinese_number,
    parse_rate_words,
    to_bill_date,
    to_capital,
    to_chinese_date,
    to_chinese_number,
    to_figures,
    to_rate_text,
    to_rate_words,
)

CAPITAL = "零壹贰叁肆伍陆柒捌玖"
LOWER = "零一二三四五六七八九"
LIMIT_CENTS = 10**18  # |amount| < 10**16 yuan


def cents_to_amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# Amounts with at most two decimals over the whole range; zero-heavy digit strings exercise the 零 rules.
zero_heavy = st.text(alphabet="00000000123456789", min_size=1, max_size=18).map(int)
cents = st.one_of(
    st.integers(-(LIMIT_CENTS - 1), LIMIT_CENTS - 1), zero_heavy, st.integers(-10_000, 10_000)
)
amounts = st.one_of(
    cents.map(cents_to_amount),
    st.integers(-(10**16 - 1), 10**16 - 1).map(Decimal),  # no decimals
    st.integers(-(10**17 - 1), 10**17 - 1).map(lambda c: Decimal(c).scaleb(-1)),  # one decimal
)


def capital_oracle(amount: Decimal, *, jiao_zheng: bool = False) -> str:
    """numerals.md's canonical style restated position by position (16 integer places, 角, 分)."""
    total = int(amount.copy_abs().scaleb(2))
    if total == 0:
        return "零元整"
    digits = [int(c) for c in f"{total:018d}"]  # places 15..0, then 角 (-1) and 分 (-2)
    place = {index: 15 - index for index in range(18)}
    digit_at = {place[i]: digits[i] for i in range(18)}
    units = {-1: "角", -2: "分"}
    words = ""
    seen = False
    run = False  # zeros since the last non-zero digit
    for p in range(15, -3, -1):
        d = digit_at[p]
        if d == 0:
            run = run or seen
        else:
            if run:
                wan_section = any(digit_at[q] for q in range(4, 8))
                exempt = p == 3 and digit_at[4] == 0 and wan_section
                if not exempt:
                    words += "零"
            words += CAPITAL[d] + (units[p] if p < 0 else ("", "拾", "佰", "仟")[p % 4])
            seen = True
            run = False
        if p == 12 and any(digit_at[q] for q in range(12, 16)):
            words += "万"
        if p == 8 and any(digit_at[q] for q in range(8, 16)):
            words += "亿"
        if p == 4 and any(digit_at[q] for q in range(4, 8)):
            words += "万"
        if p == 0 and total >= 100:
            words += "元"
    if digit_at[-2] == 0 and (digit_at[-1] == 0 or jiao_zheng):
        words += "整"  # 元整; 角整 only with the accounting option; never after 分
    return ("负" if amount < 0 else "") + words


def lower_oracle(n: int) -> str:
    """The ordinary written-number rule, position by position: a zero run gives 零 unless it only holds the
    trailing zeros of the section above a digit that opens its own section (十万七千)."""
    if n == 0:
        return "零"
    digits = [int(c) for c in str(n)]
    top = len(digits) - 1
    words = ""
    previous = None  # place of the last non-zero digit
    for index, d in enumerate(digits):
        p = top - index
        if d:
            if previous is not None and previous - p > 1:
                only_trailing = p % 4 == 3 and previous <= p + 4
                if not only_trailing:
                    words += "零"
            words += LOWER[d] + ("", "十", "百", "千")[p % 4]
            previous = p
        if p in (4, 12) and any(digits[top - q] for q in range(p, min(p + 4, top + 1))):
            words += "万"
        if p == 8 and any(digits[top - q] for q in range(8, top + 1)):
            words += "亿"
    return words[1:] if words.startswith("一十") else words


@settings(max_examples=2000)
@given(amounts, st.booleans(), st.booleans(), st.booleans())
@example(Decimal("-0.00"), False, False, False)
@example(Decimal("9999999999999999.99"), True, True, True)
@example(Decimal("107000.53"), False, False, False)
def test_round_trip_in_every_option_combination(
    amount: Decimal, prefix: bool, jiao_zheng: bool, traditional: bool
) -> None:
    written = to_capital(amount, prefix=prefix, jiao_zheng=jiao_zheng, traditional=traditional)
    assert parse_capital(written) == amount
    assert parse_capital(to_capital(str(amount), prefix=prefix)) == amount


@settings(max_examples=2000)
@given(amounts, st.booleans())
@example(Decimal("10100000000000"), False)
@example(Decimal("1009000"), False)
def test_matches_the_rules_position_by_position(amount: Decimal, jiao_zheng: bool) -> None:
    assert to_capital(amount, jiao_zheng=jiao_zheng) == capital_oracle(amount, jiao_zheng=jiao_zheng)


ALLOWED = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负")


@settings(max_examples=1500)
@given(amounts)
def test_canonical_shape(amount: Decimal) -> None:
    written = to_capital(amount)
    assert set(written) <= ALLOWED
    assert "零零" not in written
    assert not written.endswith("零")
    assert "负零" not in written
    cents = int(amount.copy_abs().scaleb(2)) % 100
    if cents == 0:
        assert written.endswith("元整")
    elif cents % 10 == 0:
        assert written.endswith("角")
    else:
        assert written.endswith("分")
    assert ("元" in written) == (amount.copy_abs() >= 1 or amount == 0)
    assert written.startswith("零") == (amount == 0)
    assert written.startswith("负") == (amount < 0 and amount != 0)
    assert "兆" not in written
    # always 壹拾, never a bare 拾 at the start of a number or after a unit
    for index, char in enumerate(written):
        if char == "拾":
            assert index > 0
            assert written[index - 1] in CAPITAL[1:]


@settings(max_examples=500)
@given(amounts)
def test_options_only_change_what_they_say(amount: Decimal) -> None:
    plain = to_capital(amount)
    assert to_capital(amount, prefix=True) == "人民币" + plain
    traditional = str.maketrans("贰叁陆万亿元负", "貳參陸萬億圓負")
    assert to_capital(amount, traditional=True) == plain.translate(traditional)
    with_zheng = to_capital(amount, jiao_zheng=True)
    assert with_zheng == (plain + "整" if plain.endswith("角") else plain)


@settings(max_examples=500)
@given(amounts)
def test_input_forms_agree(amount: Decimal) -> None:
    expected = to_capital(amount)
    assert to_capital(str(amount)) == expected
    assert to_capital(to_figures(amount)) == expected
    assert to_capital(f"{amount:,}") == expected
    if amount == amount.to_integral_value():
        assert to_capital(int(amount)) == expected


@settings(max_examples=500)
@given(cents.map(cents_to_amount))
def test_figures_round_trip(amount: Decimal) -> None:
    figures = to_figures(amount)
    assert parse_amount(figures) == amount
    assert figures.startswith("-¥") == (amount < 0)
    cents_part = figures.split(".")[1]
    assert cents_part.isdigit()
    assert len(cents_part) == 2


@settings(max_examples=1500)
@given(st.one_of(st.integers(0, 10**16 - 1), zero_heavy.filter(lambda n: n < 10**16), st.integers(0, 10**5)))
@example(100010)
@example(1010000000)
def test_chinese_number(n: int) -> None:
    words = to_chinese_number(n)
    assert words == lower_oracle(n)
    assert parse_chinese_number(words) == n
    assert parse_chinese_number(to_chinese_number(n, liang=True)) == n
    assert "零零" not in words


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_round_trip(d: date) -> None:
    assert parse_chinese_date(to_chinese_date(d)) == d
    assert parse_chinese_date(to_chinese_date(d, arabic=True)) == d
    assert parse_bill_date(to_bill_date(d)) == d
    assert "零" not in to_chinese_date(d)


rates = st.one_of(
    st.integers(0, 10**8).map(lambda n: Decimal(n).scaleb(-4)),
    st.integers(0, 10**6).map(Decimal),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=1000)
@given(rates, st.sampled_from(["auto", "percent", "permille", "permyriad"]))
def test_rates_round_trip(percent: Decimal, unit: str) -> None:
    words = to_rate_words(percent, unit=unit)  # type: ignore[arg-type]
    assert parse_rate_words(words) == percent
    assert parse_rate_words(to_rate_text(percent, unit=unit)) == percent  # type: ignore[arg-type]
