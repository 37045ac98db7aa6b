"""The field level, case by case (tests/data/diff/edits.yaml): a spec edit → the fields reported, the places each
reaches, the derived values that follow, the warnings that appear or disappear."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from contractgen.comparison import diff

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CASES = ROOT / "tests" / "data" / "diff"

EDITS: list[dict[str, Any]] = yaml.safe_load((CASES / "edits.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", EDITS, ids=[case["name"] for case in EDITS])
def test_an_edit_is_reported_with_the_places_it_reaches(case: dict[str, Any], edit_spec: Any) -> None:
    new = edit_spec(case["spec"], case["edit"])
    comparison = diff(SAMPLES / case["spec"], new)
    assert {change.path: list(change.places) for change in comparison.fields} == {
        path: [str(place) for place in places] for path, places in case["fields"].items()
    }
    assert [change.path for change in comparison.fields] == list(case["fields"])
    if "derived" in case:
        assert sorted(d.label for d in comparison.derived) == sorted(case["derived"])
    signs = {"appeared": "+", "disappeared": "-"}
    assert [signs[w.change] + w.diagnostic.rule for w in comparison.warnings] == case.get("warnings", [])
    assert not comparison.same
    # Every place a field reaches is a place whose text changed.
    assert {p for c in comparison.fields for p in c.places} <= {c.place for c in comparison.clauses}


def test_the_words_are_the_contracts(edit_spec: Any) -> None:
    new = edit_spec("customer-service.yaml", {"fee.total": "600000.00", "fee.capital": "陆拾万元整"})
    total = diff(SAMPLES / "customer-service.yaml", new).fields[0]
    assert (total.title, total.old_words, total.new_words) == (
        "服务费用总额",
        "人民币叁拾陆万元整（¥360,000.00）",
        "人民币陆拾万元整（¥600,000.00）",
    )
    assert total.substantive


@pytest.mark.parametrize(
    ("edit", "title", "old", "new"),
    [
        ({"party_a.name": "明远智能有限公司"}, "甲方名称或姓名", "上海明远科技有限公司", "明远智能有限公司"),
        ({"fee.payment": "lump_sum"}, "支付方式", "按年度支付", "一次性支付"),
        ({"fee.due_days": "30"}, "付款期限", "15日", "30日"),
        (
            {"signing.date": "2026-12-01"},
            "签订日期",
            "二〇二六年十一月二十四日（2026-11-24）",
            "二〇二六年十二月一日（2026-12-01）",
        ),
        ({"penalty.overdue_rate": "0.03%"}, "逾期违约金比例", "万分之五（0.05%）", "万分之三（0.03%）"),
    ],
)
def test_each_kind_of_value_is_worded(edit: dict[str, Any], title: str, old: str, new: str, edit_spec: Any) -> None:
    comparison = diff(SAMPLES / "customer-service.yaml", edit_spec("customer-service.yaml", edit))
    (change,) = comparison.fields
    assert (change.title, change.old_words, change.new_words) == (title, old, new)


def test_amounts_are_compared_as_values_and_a_default_left_out_is_no_change(edit_spec: Any) -> None:
    new = edit_spec("customer-service.yaml", {"fee.total": "360,000", "fee.due_days": None, "fee.payment": None})
    assert diff(SAMPLES / "customer-service.yaml", new).same
    later = edit_spec("customer-service.yaml", {"fee.due_days": None, "copies": "4"}, name="later.yaml")
    assert [c.path for c in diff(new, later).fields] == ["copies"]
