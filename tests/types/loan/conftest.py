"""The loan samples' contexts, built once for the tests of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.document.context import build_context
from contractgen.document.loading import load_contract
from contractgen.document.templates import TemplateFolder

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def loan_contexts() -> dict[str, dict[str, object]]:
    folder = TemplateFolder.open(ROOT / "templates" / "zh" / "loan")
    contexts = {}
    for name in ("loan.yaml", "loan-guaranteed.yaml"):
        contract, _ = load_contract(ROOT / "samples" / name)
        contexts[name] = build_context(contract, folder.parts, folder.title)
    return contexts
