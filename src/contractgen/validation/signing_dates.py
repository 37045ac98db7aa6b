"""The signing date's check: a date the parties cannot mean, against today.

- ``signing-date-near`` (warning ``cross.signing-date-far``): a signing date more than 30 days before, or more
  than a year after, today — ``SOURCE_DATE_EPOCH``'s date when set, else the clock's (:func:`reference_today`);
  the only rule that looks at the clock, and it never changes a rendered file.

Every type's schema may attach it to its ``signing.date`` (the common envelope). This module must not judge
anything but that date, and must never change what is rendered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime

from contractgen.diagnostics import Diagnostic
from contractgen.numerals.periods import days_after, period_last_day
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS", "SIGNING_PAST_DAYS", "reference_today"]

SIGNING_PAST_DAYS = 30  # a signing date further back than this is questioned (cross.signing-date-far)


def reference_today() -> tuple[date, str]:
    """The day :func:`signing_date_near` compares with, and where it comes from.

    ``SOURCE_DATE_EPOCH``'s date (UTC) when it is set — so a pinned build judges the same way on every run —
    else the clock's date (UTC). This warning is the only thing in validation that looks at the clock; nothing
    it decides reaches a rendered file, whose dates come from the spec or ``SOURCE_DATE_EPOCH`` alone.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isascii() and raw.isdigit():
        try:
            return datetime.fromtimestamp(int(raw), UTC).date(), "SOURCE_DATE_EPOCH"
        except (OverflowError, OSError, ValueError):
            pass  # out of range: rendering reports it; the warning falls back to the clock
    return _clock_today(), "系统时钟"


def _clock_today() -> date:
    return datetime.now(UTC).date()


def signing_date_near(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    """A signing date more than 30 days before today, or more than a year after it: a typo, a template
    copied from an old contract, or a date the parties cannot mean (a warning, never an error)."""
    signed = ctx.calendar_date(path)
    if signed is None:
        return
    today, source = reference_today()
    shown = f"今天（{today}，按{' ' if source.isascii() else ''}{source}）"
    if days_after(signed, SIGNING_PAST_DAYS) < today:
        yield ctx.report(
            path,
            f"签订日期 {signed} 比{shown}早 {(today - signed).days} 日，超过 {SIGNING_PAST_DAYS} 日："
            "请确认不是笔误或沿用了旧合同的日期；补签旧日期的（倒签），请确认这是双方的真实约定",
            rule="cross.signing-date-far",
            severity="warning",
        )
    elif signed > period_last_day(today, years=1):
        yield ctx.report(
            path,
            f"签订日期 {signed} 比{shown}晚一年以上（{(signed - today).days} 日）：请确认年份没有写错；"
            "签订日期尚未确定的，可以不写 signing.date，由双方签字时手写",
            rule="cross.signing-date-far",
            severity="warning",
        )


CHECKS: dict[str, Check] = {"signing-date-near": signing_date_near}
