"""Rates in contract words: 百分之二十（20%）, 百分之零点五, 千分之三, 万分之五（0.05%）.

What it does: :func:`to_rate_words`, :func:`to_rate_text` and the reverse :func:`parse_rate_words`. Every
input and output value is a ``Decimal`` in percent (``Decimal("20")`` is 20%, ``Decimal("0.05")`` is 0.05%,
i.e. 万分之五), matching :class:`contractgen.document.model.Rate`.

The ``unit="auto"`` rule (daily rates of a sum due are usually quoted per mille or per ten thousand):

1. a rate of at least 1%, or zero, is written in percent (百分之二十, 百分之一百五十, 百分之零);
2. a rate below 1% that is a whole number of ‰ is written per mille (0.3 → 千分之三, 0.5 → 千分之五);
3. otherwise, a rate below 1% that is a whole number of ‱ is written per ten thousand (0.05 → 万分之五,
   0.25 → 万分之二十五);
4. otherwise percent (0.125 → 百分之零点一二五).

``unit="percent"`` (or "permille", "permyriad") forces the unit: 0.5 → 百分之零点五.

What it must not do: use floats, round, or accept a negative rate.
"""

from __future__ import annotations

from decimal import Decimal

from contractgen.errors import NumeralError
from contractgen.numerals.amount_input import DECIMAL_CONTEXT, parse_decimal_text
from contractgen.numerals.characters import DIGIT, LOWER_DIGITS, NUMERAL_TABLE, SPACE
from contractgen.numerals.chinese_number import read_number, to_chinese_number
from contractgen.numerals.error_messages import position_error, quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contractgen.numerals.option_types import RateUnit

__all__ = ["parse_rate_words", "to_rate_text", "to_rate_words"]

_WHAT = "比率"
_PREFIXES = {"percent": "百分之", "permille": "千分之", "permyriad": "万分之"}
# Reading: prefix -> (unit, power of ten from the written number to percent)
_READ_PREFIXES = {"百分之": 0, "千分之": -1, "万分之": -2, "萬分之": -2}
_FIGURE_SIGNS = {"%": 0, "％": 0, "‰": -1, "‱": -2}
_LIMIT = Decimal(10) ** 16
_ONE = Decimal(1)


def _percent(value: object) -> Decimal:
    """The rate ``value`` (in percent) as an exact, non-negative ``Decimal``."""
    if isinstance(value, Decimal):
        rate = value
        if not rate.is_finite():
            raise NumeralError(f"比率必须是有限的数，收到 {quote(value)}", value=value)
    elif isinstance(value, str):
        end = len(value.rstrip())
        if end and value[end - 1] in "%％":
            end -= 1  # "20%" is as clear as "20"
        rate = parse_decimal_text(value, 0, end, error=NumeralError, what=_WHAT, currency=False)
    elif isinstance(value, bool):
        raise NumeralError(f"比率不能是布尔值，收到 {value!r}", value=value)
    elif isinstance(value, int):
        rate = Decimal(value)
    elif isinstance(value, float):
        raise NumeralError(
            f"比率不接受 float（二进制浮点数无法精确表示 0.05 这样的比率），收到 {value!r}；"
            '请传入 Decimal、int 或字符串，例如 Decimal("0.05")',
            value=value,
        )
    else:
        kind = type(value).__name__
        raise NumeralError(f"比率必须是 Decimal、int 或字符串，收到 {kind} {value!r}", value=value)
    if rate < 0:
        raise NumeralError(f"比率不能为负数，收到 {quote(value)}", value=value)
    if rate >= _LIMIT:
        raise NumeralError(f"比率超出范围，收到 {quote(value)}", value=value)
    return rate


def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value(context=DECIMAL_CONTEXT)


def _choose(rate: Decimal, unit: str) -> str:
    if unit == "auto":
        if 0 < rate < _ONE:
            if _is_whole(rate.scaleb(1, DECIMAL_CONTEXT)):
                return "permille"
            if _is_whole(rate.scaleb(2, DECIMAL_CONTEXT)):
                return "permyriad"
        return "percent"
    if unit not in _PREFIXES:
        raise NumeralError(
            f'比率单位只能是 "auto"、"percent"、"permille" 或 "permyriad"，收到 {unit!r}', value=unit
        )
    return unit


def _decimal_words(value: Decimal) -> str:
    """12.5 → 十二点五, 0.05 → 零点零五, 100 → 一百: integer as a number, decimals digit by digit with 零."""
    integer, _, fraction = format(value, "f").partition(".")
    fraction = fraction.rstrip("0")
    words = to_chinese_number(int(integer))
    if fraction:
        words += "点" + "".join(LOWER_DIGITS[ord(char) - 48] for char in fraction)
    return words


def to_rate_words(percent: Decimal | int | str, *, unit: RateUnit = "auto") -> str:
    """The rate ``percent`` (in percent: 20 means 20%) in words: 百分之二十, 千分之三, 万分之五.

    See the module documentation for the ``unit="auto"`` rule.
    Raises :class:`~contractgen.errors.NumeralError`.
    """
    rate = _percent(percent)
    chosen = _choose(rate, unit)
    shift = {"percent": 0, "permille": 1, "permyriad": 2}[chosen]
    return _PREFIXES[chosen] + _decimal_words(rate.scaleb(shift, DECIMAL_CONTEXT))


def to_rate_text(percent: Decimal | int | str, *, unit: RateUnit = "auto") -> str:
    """Words and figures: 百分之二十（20%）, 万分之五（0.05%）.

    The figures are always in percent, with trailing zeros dropped."""
    rate = _percent(percent)
    figures = format(rate.normalize(DECIMAL_CONTEXT), "f")
    return f"{to_rate_words(rate, unit=unit)}（{figures}%）"


def parse_rate_words(text: str) -> Decimal:
    """The rate in ``text``, in percent: 百分之二十 → 20, 百分之零点五 → 0.5, 千分之三 → 0.3, 万分之五 → 0.05.

    Accepts 百分之/千分之/万分之 (萬分之), 点/點, 〇/零, capital digits, and figures in brackets after the
    words (百分之二十（20%）, also ‰ and ‱), which must agree with the words. Raises
    :class:`~contractgen.errors.NumeralError` with the 0-based ``position`` of the problem.
    """
    if not isinstance(text, str):
        raise NumeralError(f"比率必须是字符串，收到 {type(text).__name__} {text!r}", value=text)
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    shift = _READ_PREFIXES.get(text[start : start + 3])
    if shift is None:
        raise position_error(NumeralError, _WHAT, text, start, '应以"百分之"、"千分之"或"万分之"开头')
    begin = start + 3
    words_end = end
    for bracket in "（(":
        found = text.find(bracket, begin, end)
        if found >= 0:
            words_end = min(words_end, found)
    point = words_end
    for mark in "点點":
        found = text.find(mark, begin, words_end)
        if found >= 0:
            point = min(point, found)
    if point == begin:
        raise position_error(NumeralError, _WHAT, text, begin, "缺少数字")
    integer = read_number(text, begin, point, what=_WHAT, sequence=False)
    digits = [str(integer)]
    if point < words_end:
        digits.append(".")
        if point + 1 == words_end:
            raise position_error(NumeralError, _WHAT, text, point, '"点"之后缺少数字')
        for index in range(point + 1, words_end):
            entry = NUMERAL_TABLE.get(text[index])
            if entry is None or entry[0] not in (DIGIT, SPACE):
                reason = '"点"之后只能逐位写数字（如 零点零五）'
                raise position_error(NumeralError, _WHAT, text, index, reason)
            if entry[0] == DIGIT:
                digits.append(chr(48 + entry[1]))
    rate = Decimal("".join(digits)).scaleb(shift, DECIMAL_CONTEXT)
    if words_end < end:
        _check_figures(text, words_end, end, rate)
    return rate


def _check_figures(text: str, start: int, end: int, rate: Decimal) -> None:
    """The bracketed figures after the words (（20%）) must close the text and agree with the words."""
    closing = "）" if text[start] == "（" else ")"
    if text[end - 1] != closing:
        reason = f'括号应以"{closing}"结束，且其后不能再有文字'
        raise position_error(NumeralError, _WHAT, text, end - 1, reason)
    inner_end = end - 1
    while inner_end > start + 1 and text[inner_end - 1].isspace():
        inner_end -= 1
    sign_shift = _FIGURE_SIGNS.get(text[inner_end - 1]) if inner_end > start + 1 else None
    if sign_shift is None:
        raise position_error(NumeralError, _WHAT, text, inner_end, "括号中的数字应以 %、‰ 或 ‱ 结尾")
    figures = parse_decimal_text(
        text, start + 1, inner_end - 1, error=NumeralError, what=_WHAT, currency=False
    )
    if figures.scaleb(sign_shift, DECIMAL_CONTEXT) != rate:
        raise position_error(
            NumeralError,
            _WHAT,
            text,
            start,
            f"文字（{format(rate.normalize(DECIMAL_CONTEXT), 'f')}%）与括号中的数字不一致",
        )
