"""Chinese numbers for counts and ordinals in contract text: 十一, 一百一十, 一式两份, 第十一条, （一）.

What it does: :func:`to_chinese_number` / :func:`parse_chinese_number`, :func:`to_ordinal` /
:func:`parse_ordinal`, and :func:`to_outline_label` for the outline levels 一、 → （一） → 1. → （1）.

Style (``numerals.md``, "Related numerals"): lower-case digits; 十 for a leading 一十 only at the very start
(十, 十一, 十万), 一十 kept inside a number (一百一十); 零 by the ordinary written-number rule (一百零五,
十万零一十, 十万七千). ``liang=True`` writes 两 for the bare count 2 only (一式两份, 两年): 20, 200, 2000
and 20000 keep 二 (二十, 二百, 二千, 二万), which is always correct in writing, while 两百/两千 is a spoken
habit that a contract does not need.

What it must not do: write amounts (that is :mod:`contractgen.numerals.capital`) or accept negative counts.
"""

from __future__ import annotations

from contractgen.errors import NumeralError
from contractgen.numerals.characters import ARABIC_DIGITS, LOWER_DIGITS, LOWER_SMALL_UNITS, NUMERAL_TABLE
from contractgen.numerals.error_messages import position_error
from contractgen.numerals.integer_parse import parse_digit_sequence, parse_integer
from contractgen.numerals.integer_words import IntegerWriter

__all__ = [
    "parse_chinese_number",
    "parse_ordinal",
    "read_number",
    "to_chinese_number",
    "to_ordinal",
    "to_outline_label",
]

_WRITER_LIMIT = 10**16
_WHAT = "数字"

_WRITER = IntegerWriter(LOWER_DIGITS, LOWER_SMALL_UNITS, capital_zeros=False)


def _check_count(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise NumeralError(f"{what}必须是整数，收到 {type(n).__name__} {n!r}", value=n)
    if not 0 <= n < _WRITER_LIMIT:
        raise NumeralError(f"{what}必须在 0 到 10^16 之间，收到 {n}", value=n)
    return n


def to_chinese_number(n: int, *, liang: bool = False) -> str:
    """``n`` (0 ≤ n < 10**16) in lower-case Chinese: 0→零, 10→十, 11→十一, 110→一百一十, 105→一百零五.

    ``liang=True``: the bare count 2 is 两 (一式两份); nothing else changes.
    """
    _check_count(n, "数")
    if n == 0:
        return "零"
    if n == 2 and liang:
        return "两"
    words = _WRITER.write(str(n))
    # 十一, 十万: a leading 一十 drops its 一; inside a number it stays (一百一十).
    return words[1:] if words.startswith("一十") else words


def parse_chinese_number(text: str) -> int:
    """The non-negative integer written in ``text``: 十一, 一十一, 两, 廿五, 一百零五, 三万, 二〇二六, 壹拾.

    Accepts lower-case, capital and traditional digits, 两/兩, 〇/零, 廿/卅/卌/念, a leading bare 十, a
    digit-by-digit form without units (二〇二六 → 2026) and plain (full-width) Arabic digits. Raises
    :class:`~contractgen.errors.NumeralError` with the 0-based ``position`` of the problem.
    """
    if not isinstance(text, str):
        raise NumeralError(f"数字必须是字符串，收到 {type(text).__name__} {text!r}", value=text)
    start, end = _strip(text)
    return read_number(text, start, end, what=_WHAT)


def read_number(
    text: str, start: int, end: int, *, what: str, leading_zero: bool = False, sequence: bool = True
) -> int:
    """The number in ``text[start:end]`` as :func:`parse_chinese_number` reads it; positions index ``text``.

    ``sequence=False`` refuses the digit-by-digit form (a month of 一二 is a typo, not 12);
    ``leading_zero`` accepts an anti-alteration 零 in front (零壹拾).
    """
    if start == end:
        raise position_error(NumeralError, what, text, start, "缺少数字")
    if text[start] in ARABIC_DIGITS:
        value = 0
        for index in range(start, end):
            digit = ARABIC_DIGITS.get(text[index])
            if digit is None:
                raise position_error(NumeralError, what, text, index, f'阿拉伯数字中不能出现"{text[index]}"')
            value = value * 10 + digit
        return value
    if sequence:
        value_or_none = parse_digit_sequence(text, start, end, what=what)
        if value_or_none is not None:
            return value_or_none
    return parse_integer(text, start, end, what=what, leading_zero=leading_zero)


def to_ordinal(n: int, unit: str = "条") -> str:
    """第 + ``n`` in Chinese + ``unit``: 第十一条, 第一百一十条; ``unit=""`` gives 第十一. ``n`` ≥ 1."""
    _check_count(n, "序号")
    if n == 0:
        raise NumeralError("序号从 1 开始，收到 0", value=n)
    return f"第{to_chinese_number(n)}{unit}"


def parse_ordinal(text: str) -> int:
    """The number of an ordinal: 第十一条, 第一百一十条, 第三期, 第十一 (any unit after the number)."""
    if not isinstance(text, str):
        raise NumeralError(f"序号必须是字符串，收到 {type(text).__name__} {text!r}", value=text)
    start, end = _strip(text)
    if not text.startswith("第", start):
        raise position_error(NumeralError, "序号", text, start, '序号应以"第"开头')
    stop = start + 1
    while stop < end and (text[stop] in NUMERAL_TABLE or text[stop] in ARABIC_DIGITS):
        stop += 1
    if stop == start + 1:
        raise position_error(NumeralError, "序号", text, stop, '"第"之后缺少数字')
    n = read_number(text, start + 1, stop, what="序号")
    if n == 0:
        raise position_error(NumeralError, "序号", text, start + 1, "序号从 1 开始")
    return n


_OUTLINE = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}


def to_outline_label(n: int, level: int = 1) -> str:
    """The label of item ``n`` at outline ``level``: 1 → 一、, 2 → （一）, 3 → 1., 4 → （1）."""
    _check_count(n, "序号")
    pattern = _OUTLINE.get(level)
    if pattern is None:
        raise NumeralError(f"大纲层级只能是 1 到 4，收到 {level!r}", value=level)
    return pattern.format(to_chinese_number(n) if level <= 2 else n)


def _strip(text: str) -> tuple[int, int]:
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
