"""Reads 人民币大写 back into an exact ``Decimal``, leniently: every variant people type, nothing ambiguous.

What it does: :func:`parse_capital`. Accepts the canonical form and every alternative of ``numerals.md``:
prefixes 人民币/人民幣/RMB/¥/￥/（大写）/大写：; 负/-/（负数） before or after them; 元/圆/圓/块; 整/正 or
neither (also after 角, and — leniently — after 分); 角/毛; traditional and lower-case digits, 两, 廿, 卅, 念;
〇/零 and every optional 零 (万零X仟, 元零X角, 零元…, 零角零分); a leading bare 拾; spaces; and amounts
written in (full-width) figures (￥１,６８０.３２). The integer part is read by
:func:`~contractgen.numerals.integer_parse.parse_integer`, so units out of order, repeated units, two digits
in a row and ambiguous digits are rejected with their position, as is anything after the end.

What it must not do: guess. A text that could mean two amounts, or that has anything it cannot place, is an
:class:`~contractgen.errors.AmountError` with the 0-based ``position`` of the problem. It never returns a
float.
"""

from __future__ import annotations

from decimal import Decimal

from contractgen.errors import AmountError
from contractgen.numerals.amount_input import AMOUNT_LIMIT, DECIMAL_CONTEXT, parse_amount_text
from contractgen.numerals.characters import ARABIC_DIGITS, DIGIT, NUMERAL_TABLE, SPACE, SPACES
from contractgen.numerals.error_messages import position_error
from contractgen.numerals.integer_parse import parse_integer, unexpected

__all__ = ["parse_capital"]

_WHAT = "大写金额"
_YUAN = "元圆圓块塊"
_JIAO = "角毛"
_FEN = "分"
_ZHENG = "整正"
_CENT = Decimal("0.01")

# What may stand before the amount, by first character (one dictionary miss on the common path).
# Each entry: (text, is a minus sign).
_LEADERS: dict[str, tuple[tuple[str, bool], ...]] = {}
for _text, _sign in (
    ("人民币", False),
    ("人民幣", False),
    ("¥", False),
    ("￥", False),
    ("（大写）", False),
    ("(大写)", False),
    ("（大寫）", False),
    ("(大寫)", False),
    ("大写：", False),
    ("大写:", False),
    ("大寫：", False),
    ("大寫:", False),
    ("大写", False),
    ("大寫", False),
    ("：", False),
    (":", False),
    ("负", True),
    ("負", True),
    ("-", True),
    ("－", True),
    ("（负数）", True),
    ("(负数)", True),
    ("（負數）", True),
    ("(負數)", True),
):
    _LEADERS[_text[0]] = (*_LEADERS.get(_text[0], ()), (_text, _sign))
del _text, _sign


def parse_capital(text: str) -> Decimal:
    """The amount written in ``text`` (人民币大写), with exactly two decimals.

    >>> parse_capital("人民币壹仟陆佰捌拾元零叁角贰分")
    Decimal('1680.32')
    >>> parse_capital("拾万圆正")
    Decimal('100000.00')

    Zero is ``Decimal("0.00")`` even when written 负零元整. Raises :class:`~contractgen.errors.AmountError`
    with the 0-based ``position`` of the first problem.
    """
    # A single scan that keeps each error at its exact position; its steps share the scan state, so it stays
    # one function (longer than our usual 60 lines) rather than a set of helpers passing that state around.
    if not isinstance(text, str):
        raise AmountError(f"大写金额必须是字符串，收到 {type(text).__name__} {text!r}", value=text)
    end = len(text)
    while end and (text[end - 1] in SPACES or text[end - 1].isspace()):
        end -= 1
    index = 0
    negative = False
    while index < end:
        char = text[index]
        if char in SPACES or char.isspace():
            index += 1
            continue
        if char in "Rr" and text[index : index + 3].upper() == "RMB":
            index += 3
            continue
        leaders = _LEADERS.get(char)
        if leaders is None:
            break
        for leader, is_sign in leaders:
            if text.startswith(leader, index):
                if is_sign:
                    if negative:
                        raise position_error(AmountError, _WHAT, text, index, "重复的负号")
                    negative = True
                index += len(leader)
                break
        else:
            break
    if index == end:
        raise position_error(AmountError, _WHAT, text, index, "缺少金额")
    if text[index] in ARABIC_DIGITS:
        return _parse_figures(text, index, end, negative)

    yuan = text.find("元", index, end)
    if yuan < 0:
        for char in _YUAN[1:]:
            yuan = text.find(char, index, end)
            if yuan >= 0:
                break
    if yuan >= 0:
        if yuan == index:
            raise position_error(AmountError, _WHAT, text, yuan, '"元"前缺少数字')
        yuan_value = parse_integer(text, index, yuan, error=AmountError, what=_WHAT)
        cents = _parse_fraction(text, yuan + 1, end, after_yuan=True)
    else:
        yuan_value = 0
        cents = _parse_fraction(text, index, end, after_yuan=False)
    total = yuan_value * 100 + cents
    if negative and total:
        return Decimal(f"-{total // 100}.{total % 100:02d}")
    return Decimal(f"{total // 100}.{total % 100:02d}")


def _parse_fraction(text: str, start: int, end: int, *, after_yuan: bool) -> int:
    """角 and 分 (and the closing 整) from ``text[start:end]``, in cents."""
    jiao = fen = 0
    last = 0  # 1 after 角, 2 after 分
    digit = -1  # pending digit; 0 is a 零 that is either a separator (零伍分) or a digit (零角)
    digit_position = -1
    index = start
    while index < end:
        char = text[index]
        entry = NUMERAL_TABLE.get(char)
        if entry is not None:
            kind, value = entry
            if kind == SPACE:
                index += 1
                continue
            if kind != DIGIT:
                reason = '"元"之后只能写角、分' if after_yuan else '缺少"元"'
                raise position_error(AmountError, _WHAT, text, index, f'这里不能出现"{char}"（{reason}）')
            if digit > 0:
                raise position_error(AmountError, _WHAT, text, index, "两个数字连写，中间缺少单位")
            if digit == 0 and value == 0:
                raise position_error(AmountError, _WHAT, text, index, "多余的零（连续的零只写一个）")
            digit = value
            digit_position = index
        elif char in _JIAO or char == _FEN:
            is_jiao = char in _JIAO
            if digit < 0:
                raise position_error(AmountError, _WHAT, text, index, f'"{char}"前缺少数字')
            if last >= (1 if is_jiao else 2):
                reason = "重复的单位" if (last == 1) == is_jiao else "单位顺序颠倒（角应在分前）"
                raise position_error(AmountError, _WHAT, text, index, reason)
            if is_jiao:
                jiao = digit
                last = 1
            else:
                fen = digit
                last = 2
            digit = -1
        elif char in _ZHENG:
            if digit >= 0:
                raise position_error(AmountError, _WHAT, text, digit_position, _dangling(digit))
            if not after_yuan and last == 0:
                raise position_error(AmountError, _WHAT, text, index, '"整"前缺少金额')
            index += 1
            while index < end and (text[index] in SPACES or text[index].isspace()):
                index += 1
            if index < end:
                raise position_error(AmountError, _WHAT, text, index, f'"{char}"之后不能再有文字')
            break
        elif char in _YUAN:
            raise position_error(AmountError, _WHAT, text, index, '重复的"元"')
        else:
            raise position_error(AmountError, _WHAT, text, index, unexpected(char))
        index += 1
    if digit >= 0:
        raise position_error(AmountError, _WHAT, text, digit_position, _dangling(digit))
    if not after_yuan and last == 0:
        raise position_error(AmountError, _WHAT, text, start, "不是大写金额（缺少元、角或分）")
    return jiao * 10 + fen


def _dangling(digit: int) -> str:
    if digit == 0:
        return "末尾多余的零"
    return "数字后缺少单位（元、角或分）"


def _parse_figures(text: str, start: int, end: int, negative: bool) -> Decimal:
    """An amount typed in figures where 大写 was expected (￥１,６８０.３２, 1680.32元): read it exactly."""
    stop = end
    if stop > start and text[stop - 1] in _ZHENG:
        stop -= 1
    if stop > start and text[stop - 1] in _YUAN:
        stop -= 1
    # The sign and ¥ were taken by the leaders above, so these are plain digits: range and decimals remain.
    amount = parse_amount_text(text, start, stop)
    if amount >= AMOUNT_LIMIT:
        raise AmountError(f'金额超出范围：绝对值必须小于一亿亿（10^16），收到 "{text}"', value=text)
    exact = amount.quantize(_CENT, context=DECIMAL_CONTEXT)
    if exact != amount:
        raise AmountError(f'金额最多两位小数，收到 "{text}"', value=text)
    return exact.copy_negate() if negative and exact else exact
