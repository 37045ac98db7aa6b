"""Typing slips: the twenty commonest YAML mistakes of people typing with a Chinese IME, each reported at the
line and column of the slip itself, naming the character — not where the parser gave up.

Each ``tests/data/slips/NAME.yaml`` (the minimal sample with one slip) has a ``NAME.expect.txt``: what the slip
is, then ``LINE:COL fragment`` — where the diagnostic must point and a fragment of its message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.spec.slips import find_slip
from contractgen.validation import validate

DATA = Path(__file__).resolve().parents[1] / "data" / "slips"
CASES = sorted(DATA.glob("*.yaml"))


def _expected(case: Path) -> tuple[str, int, int, str]:
    what, where = case.with_suffix(".expect.txt").read_text(encoding="utf-8").splitlines()[:2]
    location, fragment = where.split(" ", 1)
    line, column = location.split(":")
    return what, int(line), int(column), fragment


def test_the_corpus_holds_twenty_slips() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_a_slip_is_reported_where_it_is(case: Path) -> None:
    what, line, column, fragment = _expected(case)
    diagnostics = validate(case)
    assert diagnostics, what
    found = [(d.line, d.column) for d in diagnostics if fragment in d.message]
    assert (line, column) in found, f"{what}: {[(d.line, d.column, d.message) for d in diagnostics]}"
    # The slip is the first thing the user reads about that line.
    first = next(d for d in diagnostics if d.line == line)
    assert fragment in first.message or first.rule == "text"


def test_a_correct_file_has_no_slip_to_report() -> None:
    sample = (Path(__file__).resolve().parents[2] / "samples" / "customer-service.yaml").read_text(encoding="utf-8")
    assert find_slip(sample, len(sample.splitlines())) is None
