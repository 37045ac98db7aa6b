"""Fixtures for the bundle tests (defined in tests/bundle/bundle_fixtures.py)."""

from __future__ import annotations

import sys
from pathlib import Path

# pki.py, bundle_fixtures.py and batch_tasks.py are importable here and in worker processes.
sys.path.insert(0, str(Path(__file__).parents[1] / "bundle"))

from bundle_fixtures import (
    pdfa_bundle,
    pdfa_files,
    pki,
    signed_bundle,
    signed_files,
    small_bundle,
    small_files,
    small_pdf,
)

__all__ = [
    "pdfa_bundle",
    "pdfa_files",
    "pki",
    "signed_bundle",
    "signed_files",
    "small_bundle",
    "small_files",
    "small_pdf",
]
