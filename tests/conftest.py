"""Test set-up shared across folders.

The test folders mirror ``src/contractgen`` (spec, validation, document, writers, bundling, batch, cli,
numerals). Their shared helpers — the rendered sample, a test PKI, small and signed bundles, batch tasks,
numeral case tables — live in ``tests/support/``, which is on ``pythonpath`` (pyproject.toml), so worker processes
started by the batch tests import them too. The fixture modules among them are registered once here, and every
contract type is loaded, so that the tests of a type's own Python (``tests/types/<type>/``) import its modules by
name.

Every test runs on one fixed "today", 2026-12-01, with ``SOURCE_DATE_EPOCH`` unset: ``cross.signing-date-far``
compares a signing date with today (:func:`contractgen.validation.signing_dates.reference_today`), and the samples
and the corpus are signed in late 2026 — on the real clock they would start warning weeks later. A test that
wants another day sets ``SOURCE_DATE_EPOCH`` (a corpus case: ``today:`` in its ``.expect.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from type_modules import load_every_type

from contractgen.validation import signing_dates
from contractgen.writers.pdf_workers import end_part_processes

# The types' own modules (customer_service_model …) become importable by name before any test module imports them.
load_every_type()

pytest_plugins = ["bundle_fixtures", "part_fixtures", "render_fixtures"]

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(signing_dates, "_clock_today", lambda: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def no_standing_part_processes() -> Iterator[None]:
    """A part process left standing by a test is ended after it: it runs the code and settings of the moment it
    was forked (writers/part_children.py), which a later test on the same worker may patch."""
    yield
    end_part_processes()
