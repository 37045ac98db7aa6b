"""Reads a Chinese integer (壹拾万零柒佰, 一百一十, 两万, 廿五, 二〇二六) leniently but unambiguously.

What it does: :func:`parse_integer`, the one reader of integers behind ``parse_capital``,
``parse_chinese_number``, the date and the rate readers. It accepts every variant people type — capital or
lower-case digits, traditional characters, 两, 廿/卅/卌/念, 〇/零, a leading bare 拾, 万亿, every optional 零,
spaces — and rejects, with the 0-based position of the problem:

- units out of order or repeated (壹佰壹仟, 壹佰伍佰, 壹万壹万);
- two digits in a row (壹贰), a unit without a digit (壹万佰), 零 before a unit (壹仟零佰), a trailing 零;
- a bare last digit whose place is ambiguous: 壹佰伍 is 150 when spoken but 105 by digit place, so a final
  digit must follow 拾 or 零 (壹佰零伍, 壹佰伍拾) — a reader of contracts must never guess.

What it must not do: look outside ``text[start:end]``, know about 元/角/分 or dates, or return anything but
an exact ``int``.
"""

from __future__ import annotations

from contractgen.errors import NumeralError
from contractgen.numerals.characters import BIG, DIGIT, KNOWN_CHARACTERS, NUMERAL_TABLE, SPACE, TENS
from contractgen.numerals.error_messages import position_error

__all__ = ["parse_digit_sequence", "parse_integer"]

_TABLE = NUMERAL_TABLE
_WAN = 10**4
_YI = 10**8


def unexpected(char: str) -> str:
    """The reason for a character that has no place at that point."""
    if char in KNOWN_CHARACTERS:
        return f'这里不能出现"{char}"'
    return f'无法识别的字符"{char}"'


def parse_digit_sequence(
    text: str, start: int, end: int, *, error: type[NumeralError] = NumeralError, what: str = "数字"
) -> int | None:
    """``text[start:end]`` read digit by digit (二〇二六 → 2026) when it is only digits, two or more.

    None when it holds a unit: the caller then reads it as a number with units. A character that is no
    numeral at all is an error here, so that it is reported where it is, not as a digit before it."""
    value = 0
    count = 0
    for index in range(start, end):
        entry = _TABLE.get(text[index])
        if entry is None:
            raise position_error(error, what, text, index, unexpected(text[index]))
        kind, digit = entry
        if kind == SPACE:
            continue
        if kind != DIGIT:
            return None
        value = value * 10 + digit
        count += 1
    return value if count >= 2 else None


def parse_integer(
    text: str,
    start: int,
    end: int,
    *,
    error: type[NumeralError] = NumeralError,
    what: str = "数字",
    leading_zero: bool = False,
) -> int:
    """The integer written in ``text[start:end]`` (below 10**16); every error names a position in ``text``.

    ``leading_zero``: accept an anti-alteration 零 in front (零壹拾, bill dates). A lone 零 is always 0.
    """
    # One pass over the characters with the parser state in locals: splitting it would pass these dozen
    # variables around for every character, and each error must name the exact position where it arises.
    total = 0  # value of the completed 亿 group, already multiplied by 10**8
    group = 0  # completed 万 section of the current 亿 group (to be multiplied by 10**4)
    section = 0  # the section being read (below 10**4)
    digit = -1  # pending digit, not yet given a unit
    digit_position = -1
    digit_after_zero = False
    smallest = 10**4  # the last 拾/佰/仟 of this section: the next one must be smaller
    had_wan = False
    had_yi = False
    zero_position = -1  # a 零 read after something, waiting for its digit
    first_zero = -1  # a 零 read before anything
    seen = False  # a digit or unit has been read
    units_seen = False  # a unit (拾…亿) has been read: from then on a bare last digit is ambiguous

    for position in range(start, end):
        char = text[position]
        entry = _TABLE.get(char)
        if entry is None:
            raise position_error(error, what, text, position, unexpected(char))
        kind, value = entry
        if kind == DIGIT:
            if value == 0:
                if digit >= 0:
                    raise position_error(error, what, text, position, "两个数字连写，中间缺少单位")
                if zero_position >= 0 or first_zero >= 0:
                    raise position_error(error, what, text, position, "多余的零（连续的零只写一个）")
                if seen:
                    zero_position = position
                else:
                    first_zero = position
                continue
            if digit >= 0:
                raise position_error(error, what, text, position, "两个数字连写，中间缺少单位")
            if not seen and first_zero >= 0 and not leading_zero:
                raise position_error(error, what, text, first_zero, "数字前多余的零")
            digit = value
            digit_position = position
            digit_after_zero = zero_position >= 0
            zero_position = -1
            seen = True
        elif kind == TENS:  # 廿 = 贰拾: a digit and its 拾 at once
            if digit >= 0:
                raise position_error(error, what, text, position, "两个数字连写，中间缺少单位")
            if not seen and first_zero >= 0 and not leading_zero:
                raise position_error(error, what, text, first_zero, "数字前多余的零")
            if smallest <= 10:
                raise position_error(error, what, text, position, _order(smallest, 10))
            section += value
            smallest = 10
            zero_position = -1
            seen = units_seen = True
        elif kind == SPACE:
            continue
        elif kind == BIG:
            if zero_position >= 0:
                raise position_error(error, what, text, position, "零后面不能直接跟单位")
            if had_wan if value == _WAN else had_yi:
                raise position_error(error, what, text, position, f'重复的"{char}"')
            if digit >= 0:
                # 壹仟伍万 (1005万 or 1500万?) and 壹万伍亿 (10005亿 or 15000亿?) are ambiguous, 壹亿伍万
                # is not: a digit that opens its section right before 万 can only mean that many 万.
                opened = smallest == 10**4 and (value == _WAN or not had_wan)
                if not (opened or digit_after_zero or smallest == 10):
                    raise position_error(error, what, text, digit_position, _ambiguous(text, digit_position))
                section += digit
                digit = -1
            if value == _WAN:
                if section == 0:
                    raise position_error(error, what, text, position, '"万"前缺少数字')
                group = section
                had_wan = True
            else:
                number = group * _WAN + section
                if number == 0:
                    raise position_error(error, what, text, position, '"亿"前缺少数字')
                total = number * _YI
                had_yi = True
                had_wan = False
                group = 0
            section = 0
            smallest = 10**4
            seen = units_seen = True
        else:  # UNIT: 拾 佰 仟
            if digit < 0:
                if zero_position >= 0:
                    raise position_error(error, what, text, position, "零后面不能直接跟单位")
                if value == 10 and not seen:
                    if first_zero >= 0 and not leading_zero:
                        raise position_error(error, what, text, first_zero, "数字前多余的零")
                    digit = 1  # a leading bare 拾: 拾万 is 壹拾万
                else:
                    raise position_error(error, what, text, position, f'"{char}"前缺少数字')
            if value >= smallest:
                raise position_error(error, what, text, position, _order(smallest, value))
            section += digit * value
            smallest = value
            digit = -1
            seen = units_seen = True

    if not seen:
        if first_zero >= 0:
            return 0
        raise position_error(error, what, text, start, "缺少数字")
    if zero_position >= 0:
        raise position_error(error, what, text, zero_position, "末尾多余的零")
    if digit >= 0:
        if units_seen and not digit_after_zero and smallest != 10:
            raise position_error(error, what, text, digit_position, _ambiguous(text, digit_position))
        section += digit
    return total + group * _WAN + section


def _order(previous: int, unit: int) -> str:
    return "重复的单位" if unit == previous else "单位顺序颠倒（大的单位应在前）"


def _ambiguous(text: str, position: int) -> str:
    return f'"{text[position]}"的数位不明确：个位数字前要写"零"（如 壹佰零伍），否则请写出单位（如 壹佰伍拾）'
