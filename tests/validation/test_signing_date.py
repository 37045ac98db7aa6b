"""``cross.signing-date-far``: a signing date more than 30 days before, or more than a year after, today.

Today is ``SOURCE_DATE_EPOCH``'s date when it is set, else the clock's (``conftest.py`` pins the clock to
2026-12-01). The boundaries: 30 days before passes, 31 warns; a year after (the 对应日 a year on, 365 or 366
days by the calendar) passes, a day more warns. The other date rules without a signing date are in the corpus
(``tests/data/specs``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from contractgen.diagnostics import Diagnostic
from contractgen.validation import check_spec, signing_dates
from contractgen.validation.signing_dates import reference_today

BASE = (Path(__file__).resolve().parents[1] / "data" / "specs" / "valid" / "base.yaml").read_text(encoding="utf-8")
RULE = "cross.signing-date-far"


def diagnostics(signed: date | None, *, strict: bool = False) -> list[Diagnostic]:
    line = f"  date: {signed.isoformat()}\n" if signed else ""
    text = BASE.replace("  date: 2026-11-24\n", line)
    return list(check_spec("spec.yaml", text=text, strict=strict).diagnostics)


def far(signed: date | None) -> list[Diagnostic]:
    return [d for d in diagnostics(signed) if d.rule == RULE]


def pin(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


@pytest.mark.parametrize(("days", "warned"), [(0, False), (29, False), (30, False), (31, True), (400, True)])
def test_days_before_today(fixed_today: date, days: int, warned: bool) -> None:
    found = far(fixed_today - timedelta(days=days))
    assert bool(found) == warned
    if warned:
        (d,) = found
        assert (d.path, d.severity, d.line, d.column) == ("signing.date", "warning", 39, 9)
        assert f"早 {days} 日，超过 30 日" in d.message
        assert "（2026-12-01，按系统时钟）" in d.message


@pytest.mark.parametrize(
    ("today", "days", "warned"),
    [
        (date(2026, 12, 1), 365, False),  # 2027-12-01: a year on, to the day
        (date(2026, 12, 1), 366, True),
        (date(2027, 3, 1), 366, False),  # across 2028-02-29 a year is 366 days
        (date(2027, 3, 1), 367, True),
        (date(2028, 2, 29), 365, False),  # no 2029-02-29: the year ends on the 月末日, 2029-02-28
        (date(2028, 2, 29), 366, True),
    ],
)
def test_days_after_today(monkeypatch: pytest.MonkeyPatch, today: date, days: int, warned: bool) -> None:
    pin(monkeypatch, today)
    found = far(today + timedelta(days=days))
    assert bool(found) == warned
    if warned:
        assert f"晚一年以上（{days} 日）" in found[0].message
        assert f"（{today}，按 SOURCE_DATE_EPOCH）" in found[0].message


def test_source_date_epoch_wins_over_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    pin(monkeypatch, date(2026, 11, 25))
    monkeypatch.setattr(signing_dates, "_clock_today", lambda: date(2030, 1, 1))
    assert reference_today() == (date(2026, 11, 25), "SOURCE_DATE_EPOCH")
    assert far(date(2026, 11, 24)) == []  # by the clock it would be years ago


@pytest.mark.parametrize("raw", ["", "  ", "abc", "-5", "1.5", "99999999999999999999"])
def test_an_unusable_source_date_epoch_falls_back_to_the_clock(
    monkeypatch: pytest.MonkeyPatch, fixed_today: date, raw: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    assert reference_today() == (fixed_today, "系统时钟")


def test_the_clock_is_read_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real clock, for once
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert reference_today()[0] == datetime.now(UTC).date()


def test_strict_makes_it_an_error(fixed_today: date) -> None:
    (d,) = [d for d in diagnostics(fixed_today - timedelta(days=45), strict=True) if d.rule == RULE]
    assert d.severity == "error"


def test_no_signing_date_no_warning() -> None:
    assert diagnostics(None) == []


def test_the_sample_dates_pass_on_the_fixed_day() -> None:
    for signed in (date(2026, 11, 24), date(2026, 12, 1), date(2026, 12, 28), date(2027, 12, 1)):
        assert far(signed) == [], signed
