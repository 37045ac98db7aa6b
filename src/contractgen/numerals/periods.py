"""Periods (期间) as 《中华人民共和国民法典》第一编第十章「期间计算」counts them: terms, due dates, quarters.

The articles, word for word (checked against several independent reprints of the Code's official text, among
them the 全国人大常委会法制工作委员会 edition; the article numbers are those of the Code, 2020, which took them
unchanged from the 民法总则):

- 第二百条：民法所称的期间按照公历年、月、日、小时计算。
- 第二百零一条：按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
  按照小时计算期间的，自法律规定或者当事人约定的时间开始计算。
- 第二百零二条：按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。
- 第二百零三条：期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
  期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。
- 第二百零四条：期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。

Two readings, one function family each:

- **A period counted from an event** — 自收到之日起十五日内, 自生效之日起十五日内, a year from today: the day of
  the event is not counted (第二百零一条), so N days end N days later, and N months or years end on the
  到期月's 对应日 of the event's day, or on that month's 月末日 when it has none (第二百零二条).
  :func:`days_after` and :func:`period_last_day`.
- **A contract term that begins on a day** — 服务期限为三年，自双方签字之日起计算，即自二〇二六年十一月二十四日
  起至二〇二九年十一月二十三日止. The contract names its first day and its last day; the first day is a whole
  day of the term (the contract is in force from that day: 7.2 本合同自甲乙双方签字（或盖章）之日起生效), so it
  counts. This is the reading of Chinese contract practice (劳动合同 and 租赁合同 of one year run 自一月一日
  起至十二月三十一日止) and an agreement the parties may make (第二百零四条: 当事人另有约定的除外); it is the
  reading contractgen has always printed. With the first day counted, 第二百零二条 becomes: the term ends on
  the day before the 到期月's 对应日 of its first day; when the 到期月 has no 对应日, on its 月末日. So
  three years from 2026-11-24 end on 2029-11-23, one year from 2028-02-29 ends on 2029-02-28 (2029 has no
  2月29日: the 月末日, not the day before it), and one month from 2026-01-31 ends on 2026-02-28.
  :func:`term_last_day`, and :func:`term_periods` / :func:`quarters` for the term's years and quarters,
  which meet end to end: each begins the day after the one before ends.

What this module does not do: 第二百零三条's move past a 法定休假日 — the holidays are set each year by the
State Council, and a date the contract prints is a 期日 the parties agree on, not a period left to be counted;
where the contract words a period instead (…之日起十五日内), the article applies by law when it is performed.
Hours (第二百零一条第二款) are not counted here: no contract clause runs by the hour from a day.

Standard library only (:mod:`datetime`), no clock, no :mod:`calendar` (cheap to import, like the whole package);
a nonsensical length (negative, or a term under a month) is a :class:`~contractgen.errors.NumeralError`.
"""

from __future__ import annotations

from datetime import date, timedelta

from contractgen.errors import NumeralError

__all__ = [
    "corresponding_day",
    "days_after",
    "month_end",
    "period_last_day",
    "quarters",
    "term_last_day",
    "term_periods",
]

_ONE_DAY = timedelta(days=1)


def _month_index(day: date, months: int) -> tuple[int, int]:
    """(year, month) of the month ``months`` after ``day``'s month."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return year, month0 + 1


def month_end(year: int, month: int) -> date:
    """月末日: the last day of ``month`` of ``year`` (2028-02-29, 2100-02-28)."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - _ONE_DAY


def corresponding_day(day: date, *, years: int = 0, months: int = 0) -> date | None:
    """对应日: the day with ``day``'s number, ``years`` years and ``months`` months on; ``None`` if that month
    has no such day (2月29日 of a common year, 4月31日)."""
    year, month = _month_index(day, 12 * years + months)
    if day.day > month_end(year, month).day:
        return None
    return date(year, month, day.day)


def period_last_day(start: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """The last day of a period counted from ``start`` (the day of the event, not counted: 第二百零一条).

    Years and months end on the 到期月's 对应日 of ``start``, or on its 月末日 when it has none (第二百零二条);
    days are then added one by one. 2026-11-24 + 1 year → 2027-11-24; 2028-02-29 + 1 year → 2029-02-28.
    """
    if years < 0 or months < 0 or days < 0:
        raise NumeralError(f"期间不能为负：{years} 年 {months} 个月 {days} 日", value=(years, months, days))
    end = start
    if years or months:
        year, month = _month_index(start, 12 * years + months)
        end = corresponding_day(start, years=years, months=months) or month_end(year, month)
    return end + timedelta(days=days)


def days_after(day: date, days: int) -> date:
    """The last day of ``days`` days counted from ``day``: 自 ``day`` 起 N 日内 (``day`` itself not counted,
    第二百零一条), e.g. 2026-11-24 and 15 days → 2026-12-09."""
    return period_last_day(day, days=days)


def term_last_day(first_day: date, *, years: int = 0, months: int = 0) -> date:
    """The last day of a term of ``years`` years and ``months`` months whose first day is ``first_day``.

    The day before the 到期月's 对应日 of ``first_day``; the 到期月's 月末日 when it has no 对应日 (see the module
    docstring). 2026-11-24 + 3 years → 2029-11-23; 2028-02-29 + 1 year → 2029-02-28.
    """
    total = 12 * years + months
    if total < 1:
        raise NumeralError(f"期限至少为一个月，收到 {years} 年 {months} 个月", value=(years, months))
    same = corresponding_day(first_day, months=total)
    if same is None:
        return month_end(*_month_index(first_day, total))
    return same - _ONE_DAY


def term_periods(first_day: date, *, years: int, months_each: int) -> list[tuple[date, date]]:
    """A term of ``years`` years from ``first_day`` cut into periods of ``months_each`` months: (first, last)
    of each, in order; each begins the day after the one before ends, the last ends with the term."""
    total = 12 * years
    if years < 1 or months_each < 1 or total % months_each:
        raise NumeralError(f"{years} 年的期限不能分成每段 {months_each} 个月", value=(years, months_each))
    periods: list[tuple[date, date]] = []
    begin = first_day
    for n in range(1, total // months_each + 1):
        last = term_last_day(first_day, months=n * months_each)
        periods.append((begin, last))
        begin = last + _ONE_DAY
    return periods


def quarters(first_day: date, years: int) -> list[tuple[date, date]]:
    """The quarters of every year of a ``years``-year term from ``first_day`` (a yearly plan by quarter)."""
    return term_periods(first_day, years=years, months_each=3)
