"""An amount written with thousands separators is the same contract as without: same model, context and tree.

``total: 360,000.00`` and ``total: 360000.00`` (and instalment amounts likewise) build equal contracts, and so the
same context and the same document tree — what the DOCX and PDF writers print, word for word: the contract shows
the canonical figures (¥360,000.00) and 大写 whatever was typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.document import TemplateFolder, build_context, compose, load_contract

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "data" / "specs" / "valid"
FOLDER = TemplateFolder.open(ROOT / "templates" / "zh" / "customer-service")


def _grouped_base() -> str:
    text = (VALID / "base.yaml").read_text(encoding="utf-8")
    assert "  total: 360000.00\n" in text
    return text.replace("  total: 360000.00\n", "  total: 360,000.00\n")


@pytest.mark.parametrize(
    ("plain", "grouped"),
    [
        ((VALID / "base.yaml").read_text(encoding="utf-8"), _grouped_base()),
        (
            (VALID / "instalments-amount.yaml").read_text(encoding="utf-8"),
            (VALID / "amount-grouped.yaml").read_text(encoding="utf-8"),
        ),
    ],
    ids=["annual", "instalments"],
)
def test_grouped_amounts_make_the_same_document(plain: str, grouped: str) -> None:
    assert plain != grouped
    assert "360,000.00" in grouped
    contract, warnings = load_contract("spec.yaml", text=plain)
    same, same_warnings = load_contract("spec.yaml", text=grouped)
    assert same == contract
    assert same_warnings == warnings
    assert str(same.fee.total) == "360000.00"  # the digits as typed, less the commas: no float, no rounding
    context = build_context(contract, FOLDER.parts, FOLDER.title)
    assert build_context(same, FOLDER.parts, FOLDER.title) == context
    assert context["fee_text"] == "人民币叁拾陆万元整（¥360,000.00）"
    assert compose(FOLDER, build_context(same, FOLDER.parts, FOLDER.title)) == compose(FOLDER, context)
