"""Tests that need a program ``./dev test`` installs (LibreOffice, Chromium): skipped on a developer's machine
without it, but an error under CI, where a skip would hide a missing install step."""

from __future__ import annotations

import os
import shutil

import pytest


def missing(program: str, why: str) -> bool:
    """True when ``program`` (a name on PATH or an absolute path) is absent and the tests may be skipped."""
    present = os.path.exists(program) if os.path.isabs(program) else shutil.which(program) is not None
    if not present and os.environ.get("CI"):
        pytest.fail(f"{program} is not installed under CI: {why}; ./dev test must install it", pytrace=False)
    return not present


def needs(program: str, why: str) -> pytest.MarkDecorator:
    """A skip mark for a test that runs ``program``; under CI its absence fails the test instead."""
    return pytest.mark.skipif(
        missing(program, why), reason=f"{program} is not installed ({why}; ./dev test installs it)"
    )
