"""lint over a corpus of broken type folders (tests/data/lint/<case>/, each with the exact messages it must give
in expected.yaml), over every real type under templates/zh/ (which must lint clean), and its documentation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from contractgen.authoring import lint
from contractgen.resources import data_dir

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted(p for p in (ROOT / "tests" / "data" / "lint").iterdir() if p.is_dir())
TYPES = sorted(p.name for p in (data_dir("templates") / "zh").iterdir() if (p / "parts.yaml").is_file())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_a_broken_folder_gives_exactly_its_expected_messages(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)  # messages name files relative to the current folder
    report = lint("templates/zh/customer-service")
    found = [
        {"file": d.file, "line": d.line, "column": d.column, "path": d.path, "rule": d.rule, "message": d.message}
        for d in report.problems
    ]
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert found == expected
    assert report.ok is (expected == [])


def test_the_corpus_exercises_every_kind_of_template_problem() -> None:
    rules = {row["rule"] for case in CASES for row in yaml.safe_load((case / "expected.yaml").read_text("utf-8"))}
    assert {
        "lint.fullwidth-open", "lint.fullwidth-close", "lint.fullwidth-in-tag", "lint.syntax", "lint.undefined-name",
        "lint.undefined-attribute", "lint.part-missing", "lint.part-unlisted", "lint.annex-missing",
        "lint.annex-title", "lint.article-missing", "lint.unused-field", "lint.unused-stale", "lint.glyph",
        "lint.form",
    } <= rules  # fmt: skip


@pytest.mark.parametrize("contract_type", TYPES)
def test_every_real_type_lints_clean(contract_type: str) -> None:
    report = lint(contract_type)
    assert [d.format() for d in report.problems] == []


def test_a_full_width_tag_is_found_at_its_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = ROOT / "tests" / "data" / "lint" / "fullwidth-open"
    monkeypatch.chdir(case)
    (problem,) = lint("templates/zh/customer-service").problems
    line = (case / problem.file).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("｛｛ party_a.name ｝｝")


def test_every_rule_is_documented() -> None:
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src" / "contractgen" / "authoring").glob("*.py"))
    rules = set(re.findall(r'"(lint\.[a-z-]+)"', source))
    doc = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert rules == set(re.findall(r"`(lint\.[a-z-]+)`", doc))
