"""The day validation tests call today: a fixed one, not the clock.

``cross.signing-date-far`` compares a signing date with today — ``SOURCE_DATE_EPOCH``'s date when set, else the
clock's (:func:`contractgen.validation.consistency.reference_today`). The corpus and the samples are signed in
late 2026, so every test here runs on 2026-12-01 with ``SOURCE_DATE_EPOCH`` unset; a test that wants another
day sets ``SOURCE_DATE_EPOCH`` (a corpus case: ``today:`` in its ``.expect.yaml``).
"""

from __future__ import annotations

from datetime import date

import pytest

from contractgen.validation import consistency

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(consistency, "_clock_today", lambda: TODAY)
    return TODAY
