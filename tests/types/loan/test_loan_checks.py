"""The loan type's checks, case by case from tests/data/types/loan/checks.yaml: each rule passes and fails at its
boundary (exactly four times the LPR passes), with its rule id, field, severity and words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from contractgen.validation import check_spec

ROOT = Path(__file__).resolve().parents[3]
CASES = yaml.safe_load((ROOT / "tests" / "data" / "types" / "loan" / "checks.yaml").read_text(encoding="utf-8"))


def _edit(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _spec_text(sample: str, edits: dict[str, Any]) -> str:
    data = yaml.safe_load((ROOT / "samples" / sample).read_text(encoding="utf-8"))
    for path, value in edits.items():
        _edit(data, path, value)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_loan_check(case: dict[str, Any]) -> None:
    report = check_spec(f"{case['name']}.yaml", text=_spec_text(case["sample"], case["edits"]))
    found = [d for d in report.diagnostics if d.rule.startswith("loan.")]
    assert len(found) == len(case["expect"]), [d.format() for d in found]
    for got, want in zip(
        sorted(found, key=lambda d: (d.rule, d.path)),
        sorted(case["expect"], key=lambda w: (w["rule"], w["path"])),
        strict=True,
    ):
        assert (got.rule, got.path, got.severity) == (want["rule"], want["path"], want.get("severity", "error"))
        assert want.get("message", "") in got.message, got.message
        if got.rule.startswith(("loan.rate", "loan.overdue", "loan.advance", "loan.interest", "loan.financial-inst")):
            assert got.citation, got  # every legal check says which article it applies
    others = [d for d in report.diagnostics if d.severity == "error" and not d.rule.startswith("loan.")]
    assert not others, [d.format() for d in others]


def test_every_loan_rule_has_a_case() -> None:
    rules = {want["rule"] for case in CASES for want in case["expect"]}
    assert rules == {
        "loan.rate-cap",
        "loan.overdue-cap",
        "loan.overdue-total-cap",
        "loan.advance-deduction",
        "loan.interest-free",
        "loan.financial-institution",
        "loan.lpr-table",
        "loan.lpr-table-gap",
        "loan.schedule-dates",
        "loan.capital",
        "loan.distinct-parties",
        "loan.guarantee",
        "loan.copies",
        "loan.accounts",
    }


def test_the_samples_have_no_error() -> None:
    for sample in ("loan.yaml", "loan-guaranteed.yaml"):
        report = check_spec(ROOT / "samples" / sample)
        assert report.ok, [d.format() for d in report.diagnostics]
        assert {d.rule for d in report.diagnostics} == {"loan.lpr-table-gap"}  # signed after the table ends
