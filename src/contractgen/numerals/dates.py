"""Dates in contract words: 二〇二六年十一月二十四日 in the body, 贰零贰陆年壹拾壹月贰拾肆日 on bills.

What it does:

- :func:`to_chinese_date`: the year digit by digit with 〇 (never 零), month and day as numbers (十月, 十一月,
  二十日, 三十一日); ``arabic=True`` gives 2026年11月24日.
- :func:`to_bill_date`: PBOC's 票据出票日期 style (《支付结算办法》附件一 第七条): capital digits, the year
  digit by digit with 零, and the anti-alteration prefixes — 零 before the months 壹, 贰 and 壹拾 and before
  the days 壹–玖, 壹拾, 贰拾 and 叁拾; 壹 before the days 拾壹–拾玖 (written 壹拾壹…). These are exactly the
  values a forger could extend (壹月 → 壹拾壹月); 叁月 or 贰拾壹日 cannot be extended into another valid
  date, so they take no prefix.
- :func:`parse_chinese_date` / :func:`parse_bill_date`: one lenient reader for both styles (and Arabic or
  full-width figures, 〇/零/○, 号 for 日, optional anti-alteration 零), which rejects impossible dates.

What it must not do: read the clock, or accept a date that does not exist (2月30日).
"""

from __future__ import annotations

from datetime import date

from contractgen.errors import NumeralError
from contractgen.numerals.characters import CAPITAL_DIGITS, YEAR_DIGITS
from contractgen.numerals.chinese_number import read_number, to_chinese_number
from contractgen.numerals.error_messages import position_error

__all__ = ["parse_bill_date", "parse_chinese_date", "to_bill_date", "to_chinese_date"]

_WHAT = "日期"
# PBOC bill style, indexed by month (1–12) and day (1–31); index 0 unused.
_BILL_MONTHS = ("", "零壹", "零贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖", "零壹拾", "壹拾壹", "壹拾贰")
_BILL_DAYS = ("", *(f"零{CAPITAL_DIGITS[d]}" for d in range(1, 10)), "零壹拾",
              *(f"壹拾{CAPITAL_DIGITS[d]}" for d in range(1, 10)), "零贰拾",
              *(f"贰拾{CAPITAL_DIGITS[d]}" for d in range(1, 10)), "零叁拾", "叁拾壹")  # fmt: skip
_YEAR_TABLE = str.maketrans("0123456789", YEAR_DIGITS)
_BILL_YEAR_TABLE = str.maketrans("0123456789", CAPITAL_DIGITS)


def _check_date(d: object) -> date:
    if not isinstance(d, date):
        raise NumeralError(f"日期必须是 datetime.date，收到 {type(d).__name__} {d!r}", value=d)
    return d


def to_chinese_date(d: date, *, arabic: bool = False) -> str:
    """二〇二六年十一月二十四日 (``arabic=True``: 2026年11月24日, no leading zeros)."""
    _check_date(d)
    if arabic:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{str(d.year).translate(_YEAR_TABLE)}年{to_chinese_number(d.month)}月{to_chinese_number(d.day)}日"


def to_bill_date(d: date) -> str:
    """PBOC bill date: 2026-11-24 → 贰零贰陆年壹拾壹月贰拾肆日;
    01-15 → 零壹月壹拾伍日; 10-20 → 零壹拾月零贰拾日."""
    _check_date(d)
    return f"{str(d.year).translate(_BILL_YEAR_TABLE)}年{_BILL_MONTHS[d.month]}月{_BILL_DAYS[d.day]}日"


def parse_chinese_date(text: str) -> date:
    """The date in ``text``: 二〇二六年十一月二十四日, 二零二六年十一月廿四日, 2026年11月24日,
    贰零贰陆年零壹拾月零贰拾日 (bill style).

    Raises :class:`~contractgen.errors.NumeralError` with the 0-based ``position`` of the problem.
    """
    return _parse_date(text)


def parse_bill_date(text: str) -> date:
    """The date in a bill-style ``text`` (贰零贰陆年零壹拾月零贰拾日); reads every form
    :func:`parse_chinese_date` reads, since the anti-alteration 零/壹 change nothing in the value."""
    return _parse_date(text)


def _parse_date(text: str) -> date:
    if not isinstance(text, str):
        raise NumeralError(f"日期必须是字符串，收到 {type(text).__name__} {text!r}", value=text)
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    year_mark = text.find("年", start, end)
    if year_mark < 0:
        raise position_error(NumeralError, _WHAT, text, end, '缺少"年"')
    month_mark = text.find("月", year_mark + 1, end)
    if month_mark < 0:
        raise position_error(NumeralError, _WHAT, text, end, '缺少"月"')
    day_mark = month_mark + 1
    while day_mark < end and text[day_mark] not in "日号號":
        day_mark += 1
    if day_mark == end:
        raise position_error(NumeralError, _WHAT, text, end, '缺少"日"')
    if day_mark + 1 < end:
        raise position_error(NumeralError, _WHAT, text, day_mark + 1, '"日"之后不能再有文字')
    year = read_number(text, start, year_mark, what=_WHAT)
    month = read_number(text, year_mark + 1, month_mark, what=_WHAT, leading_zero=True, sequence=False)
    day = read_number(text, month_mark + 1, day_mark, what=_WHAT, leading_zero=True, sequence=False)
    if not 1 <= year <= 9999:
        raise position_error(NumeralError, _WHAT, text, start, f"年份必须在 1 到 9999 之间，收到 {year}")
    if not 1 <= month <= 12:
        reason = f"月份必须在 1 到 12 之间，收到 {month}"
        raise position_error(NumeralError, _WHAT, text, year_mark + 1, reason)
    try:
        return date(year, month, day)
    except ValueError:
        raise position_error(
            NumeralError, _WHAT, text, month_mark + 1, f"{year}年{month}月没有{day}日"
        ) from None
