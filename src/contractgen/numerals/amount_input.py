"""Reads an amount given as ``Decimal``, ``int`` or decimal text into an exact ``Decimal``.

What it does: the one input gate of every amount converter. Text may carry a sign, a ¥/￥ sign, thousands
separators (``,`` or ``，``, placed by :mod:`.digit_grouping`'s rule, the one the spec's amounts follow too) and
full-width digits; the result keeps exactly the digits that were given.
With ``max_decimals`` it also enforces (or, when asked, rounds to) a number of decimal places.

What it must not do: accept a ``float`` (a binary float cannot hold 0.1: 0.1 + 0.2 != 0.3), accept anything
it cannot read exactly, depend on the caller's decimal context, or write anything.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from contractgen.errors import AmountError, NumeralError
from contractgen.numerals.characters import ARABIC_DIGITS, SPACES
from contractgen.numerals.digit_grouping import SEPARATORS, grouping_problem
from contractgen.numerals.error_messages import position_error, quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contractgen.numerals.option_types import AmountInput, Rounding

__all__ = ["AMOUNT_LIMIT", "DECIMAL_CONTEXT", "parse_amount", "parse_amount_text", "parse_decimal_text"]

#: Amounts must stay strictly below this (壹亿亿): 大写 has no unit above 万亿 that PBOC accepts (no 兆).
AMOUNT_LIMIT = Decimal(10) ** 16

# A private context: a caller's thread-local context (precision 6, say, or traps off) must never change an
# amount. 40 digits hold any accepted amount with room to spare; InvalidOperation is trapped so nothing
# silently becomes NaN.
DECIMAL_CONTEXT = Context(prec=40, rounding=ROUND_HALF_UP, traps=[InvalidOperation])

_SIGNS = {"-": True, "－": True, "+": False, "＋": False}
_CURRENCY = "¥￥"
_POINTS = ".．"
_WHAT = "金额"


def parse_decimal_text(
    text: str, start: int, end: int, *, error: type[NumeralError], what: str, currency: bool
) -> Decimal:
    """Reads ``text[start:end]`` as a decimal number; error positions are indices into the whole ``text``.

    Accepts an optional sign, (with ``currency``) one ¥/￥ before or after the sign, ASCII or full-width
    digits, thousands separators where :func:`~.digit_grouping.grouping_problem` puts them (every three digits
    from the ones, ``1,234,567.89``), and a decimal point followed by at least one digit.
    """
    origin = start
    while start < end and (text[start] in SPACES or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in SPACES or text[end - 1].isspace()):
        end -= 1
    if start == end:
        raise position_error(error, what, text, origin, "没有数字")
    negative = False
    signed = False
    has_currency = False
    index = start
    while index < end:
        char = text[index]
        if char in _SIGNS and not signed:
            signed = True
            negative = _SIGNS[char]
        elif currency and char in _CURRENCY and not has_currency:
            has_currency = True
            # "¥ 1,000": a space after the sign is common in typed figures and harmless
            while index + 1 < end and text[index + 1] in SPACES:
                index += 1
        else:
            break
        index += 1
    body = index
    point = -1
    while index < end:
        char = text[index]
        if char in _POINTS and point < 0:
            point = index
        elif char not in ARABIC_DIGITS and char not in SEPARATORS:
            raise position_error(error, what, text, index, _unexpected(char))
        index += 1
    integer_end = end if point < 0 else point
    if not any(text[i] in ARABIC_DIGITS for i in range(body, integer_end)):
        at = integer_end if point >= 0 else body
        raise position_error(error, what, text, at, "小数点前缺少数字" if point >= 0 else "没有数字")
    problem = grouping_problem(text, body, end)
    if problem is not None:
        raise position_error(error, what, text, *problem)
    if point == end - 1:
        raise position_error(error, what, text, point, "小数点后缺少数字")
    # The digits exactly as typed, less the separators: "360,000.00" and "360000.00" are the same Decimal,
    # exponent included, so nothing downstream can tell how the amount was written.
    number = "".join(
        str(ARABIC_DIGITS[c]) if c in ARABIC_DIGITS else "." for c in text[body:end] if c not in SEPARATORS
    )
    return Decimal("-" + number if negative else number)


def _unexpected(char: str) -> str:
    if char in _CURRENCY:
        return "货币符号的位置不对（只能有一个，写在数字之前）"
    if char in _SIGNS:
        return "符号的位置不对"
    return f'不能包含"{char}"（只允许数字、千位分隔符、小数点、正负号和 ¥）'


def parse_amount_text(text: str, start: int, end: int) -> Decimal:
    """``parse_decimal_text`` for amounts: ¥/￥ allowed, errors are :class:`AmountError`."""
    return parse_decimal_text(text, start, end, error=AmountError, what=_WHAT, currency=True)


def parse_amount(
    value: AmountInput, *, max_decimals: int | None = None, rounding: Rounding | None = None
) -> Decimal:
    """``value`` as an exact ``Decimal`` amount.

    - ``Decimal`` (finite), ``int`` or text: ``"1,680.32"``, ``"￥1680.32"``, ``"-¥100"``,
      ``"１６８０．３２"``.
      ``float`` and ``bool`` are refused: a float cannot hold most cents exactly, a bool is not an amount.
    - ``|value|`` must be below 10**16 (before and after rounding).
    - ``max_decimals=None`` (the default) keeps the digits exactly as given
      (``"1680.3"`` → ``Decimal("1680.3")``).
      ``max_decimals=n`` returns the value with exactly ``n`` decimal places; a value that needs more (a
      non-zero digit beyond the n-th place — ``"1.000"`` is fine, ``"1.005"`` is not) is refused unless
      ``rounding="half-up"`` (四舍五入) is given.

    Raises :class:`~contractgen.errors.AmountError` with a Chinese message naming the input; errors in text
    carry the 0-based ``position`` of the problem.
    """
    given: object = value  # callers without type checking send anything: check it all at run time
    if isinstance(given, Decimal):
        amount = given
        if not amount.is_finite():
            raise AmountError(f"金额必须是有限的数，收到 {quote(value)}", value=value)
    elif isinstance(given, str):
        amount = parse_amount_text(given, 0, len(given))
    elif isinstance(given, bool):
        raise AmountError(f"金额不能是布尔值，收到 {value!r}", value=value)
    elif isinstance(given, int):
        amount = Decimal(given)
    elif isinstance(given, float):
        raise AmountError(
            f"金额不接受 float（二进制浮点数无法精确表示 0.1 这样的金额），收到 {value!r}；"
            '请传入 Decimal、int 或字符串，例如 Decimal("1680.32") 或 "1680.32"',
            value=value,
        )
    else:
        raise AmountError(
            f"金额必须是 Decimal、int 或字符串，收到 {type(value).__name__} {value!r}", value=value
        )
    _check_range(amount, value)
    if max_decimals is None:
        if rounding is not None:
            _check_rounding(rounding, value)
        return amount
    if rounding is not None:
        _check_rounding(rounding, value)
    if not 0 <= max_decimals <= 20:
        raise ValueError(f"max_decimals must be between 0 and 20, not {max_decimals!r}")
    quantum = Decimal(1).scaleb(-max_decimals)
    exact = amount.quantize(quantum, context=DECIMAL_CONTEXT)  # ROUND_HALF_UP, but only compared below
    if exact != amount:
        if rounding is None:
            places = "两" if max_decimals == 2 else str(max_decimals)
            raise AmountError(
                f"金额最多{places}位小数，收到 {quote(value)}（需要四舍五入时请明确指定 half-up）",
                value=value,
            )
        _check_range(exact, value)  # 9999999999999999.995 rounds up to the limit
    return exact


def _check_range(amount: Decimal, value: object) -> None:
    if amount.copy_abs() >= AMOUNT_LIMIT:
        raise AmountError(f"金额超出范围：绝对值必须小于一亿亿（10^16），收到 {quote(value)}", value=value)


def _check_rounding(rounding: object, value: object) -> None:
    if rounding != "half-up":
        raise AmountError(f'不支持的舍入方式 {rounding!r}（只支持 "half-up"，即四舍五入）', value=value)
