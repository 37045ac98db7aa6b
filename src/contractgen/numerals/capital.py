"""Writes an amount as canonical 人民币大写 (壹仟陆佰捌拾元零叁角贰分).

What it does: :func:`to_capital`, the canonical form of ``numerals.md`` — PBOC's rules
(《支付结算办法》附件一), and PBOC's first-listed form wherever two are allowed — with the options of that
document (人民币 prefix, 整 after 角 for accounting vouchers, traditional characters, 四舍五入 on request).

What it must not do: compute with floats, round unless asked, or accept an amount it cannot write exactly.
Input checking is :mod:`contractgen.numerals.amount_input`'s; this module only adds a fast path for the plain
text every caller sends ("1680.32") that takes the same decisions without building a ``Decimal``.
"""

from __future__ import annotations

from decimal import Decimal

from contractgen.numerals.amount_input import parse_amount
from contractgen.numerals.characters import CAPITAL_DIGITS, CAPITAL_SMALL_UNITS, TRADITIONAL
from contractgen.numerals.integer_words import IntegerWriter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contractgen.numerals.option_types import AmountInput, Rounding

__all__ = ["to_capital"]

_WRITER = IntegerWriter(CAPITAL_DIGITS, CAPITAL_SMALL_UNITS, capital_zeros=True)
_JIAO = tuple(CAPITAL_DIGITS[d] + "角" for d in range(10))
_FEN = tuple(CAPITAL_DIGITS[d] + "分" for d in range(10))
_INT_LIMIT = 10**16


def _split_plain(text: str) -> tuple[bool, str, int, int] | None:
    """(negative, integer digits without leading zeros, 角, 分) for "-123.45"-shaped ASCII text, else None.

    None sends the value through :func:`parse_amount`, which accepts or rejects it with a proper message;
    this function only recognises the common shape quickly (no regular expression, no ``Decimal``).
    """
    if not text.isascii():
        return None
    negative = text[:1] == "-"
    integer, point, fraction = (text[1:] if negative else text).partition(".")
    if not integer.isdigit():  # for ASCII text, isdigit() means 0-9 only
        return None
    integer = integer.lstrip("0")
    if len(integer) > 16:
        return None
    if not point:
        return negative, integer, 0, 0
    size = len(fraction)
    if size == 2 and fraction.isdigit():
        return negative, integer, ord(fraction[0]) - 48, ord(fraction[1]) - 48
    if size == 1 and fraction.isdigit():
        return negative, integer, ord(fraction) - 48, 0
    return None


def _split(amount: AmountInput, rounding: Rounding | None) -> tuple[bool, str, int, int]:
    parts: tuple[bool, str, int, int] | None = None
    if isinstance(amount, str):
        parts = _split_plain(amount)
    elif isinstance(amount, Decimal):
        # str() of a finite Decimal with at most two decimals and < 10**16 is plain "-123.45"; anything
        # else (exponents, NaN, three decimals) takes the slow path and gets its own message there.
        parts = _split_plain(str(amount))
    elif isinstance(amount, int) and not isinstance(amount, bool) and -_INT_LIMIT < amount < _INT_LIMIT:
        parts = _split_plain(str(amount))
    if parts is None or (rounding is not None and rounding != "half-up"):
        exact = parse_amount(amount, max_decimals=2, rounding=rounding)
        parts = _split_plain(str(exact))
        assert parts is not None  # two decimals and below 10**16: always the plain shape
    return parts


def to_capital(
    amount: AmountInput,
    *,
    prefix: bool = False,
    jiao_zheng: bool = False,
    traditional: bool = False,
    rounding: Rounding | None = None,
) -> str:
    """``amount`` in canonical 人民币大写.

    >>> to_capital("1680.32")
    '壹仟陆佰捌拾元零叁角贰分'
    >>> to_capital(100001000)
    '壹亿零壹仟元整'

    ``amount``: ``Decimal``, ``int`` or text as :func:`~contractgen.numerals.parse_amount` reads it (``float``
    is refused). At most two decimals (trailing zeros beyond them are fine) unless ``rounding="half-up"``;
    ``|amount|`` below 10**16.

    ``prefix``: 人民币 immediately before the amount (人民币负壹佰元整 for negatives).
    ``jiao_zheng``: 整 after a final 角 as well (…伍角整), as 《会计基础工作规范》 asks of vouchers.
    ``traditional``: 壹貳參肆伍陸柒捌玖拾佰仟萬億圓 (and 負, 人民幣).

    Raises :class:`~contractgen.errors.AmountError` for anything it cannot write exactly.
    """
    negative, integer, jiao, fen = _split(amount, rounding)
    if integer:
        words = _WRITER.write(integer) + "元"
        if jiao or fen:
            # One 零 for the zero run between the 元 digits and the first non-zero 角/分 digit: the 元位
            # is 0 (壹仟元零伍角), or the 角位 is 0 (壹元零伍分, mandatory under rule 4(四)).
            if jiao == 0 or integer[-1] == "0":
                words += "零"
            if jiao:
                words += _JIAO[jiao]
            if fen:
                words += _FEN[fen]
            elif jiao_zheng:
                words += "整"
        else:
            words += "整"
    elif jiao or fen:
        # Below one yuan there is no 元 to write, and a leading zero run is not "internal": 伍分, 伍角.
        words = (_JIAO[jiao] if jiao else "") + (_FEN[fen] if fen else ("整" if jiao_zheng else ""))
    else:
        words = "零元整"
        negative = False  # -0 and -0.00 are zero: never 负零元整
    if negative:
        words = "负" + words
    if prefix:
        words = "人民币" + words
    if traditional:
        words = words.translate(TRADITIONAL)
    return words
