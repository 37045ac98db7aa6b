"""The spec corpus: every file in tests/data/specs/{invalid,valid} against the diagnostics written beside it.

Each ``NAME.yaml`` has a ``NAME.expect.yaml``: what the case is about, whether it runs with ``--strict``, the
exit code, and every diagnostic expected, in order (line, column, field path, severity, rule id, a fragment of
the message, and the citation of legal checks). ``today:`` (a date) runs the case with ``SOURCE_DATE_EPOCH`` at
that day; without it the case runs on the fixed day of ``conftest.py``, never on the clock's. Each case runs
through the API (``validate``, ``load_contract``) and through the command line (text and JSON output).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from customer_service_model import Contract

from contractgen.cli import cli
from contractgen.diagnostics import Diagnostic
from contractgen.document import load_contract
from contractgen.errors import SpecError
from contractgen.validation import validate

DATA = Path(__file__).resolve().parents[1] / "data" / "specs"
CASES = sorted(p for p in DATA.glob("*/*.yaml") if not p.name.endswith(".expect.yaml"))
INVALID = [p for p in CASES if p.parent.name == "invalid"]

# Every rule the loader, the schema and the checks can report, each of which the invalid corpus must show.
# (``const`` and the numeric ``exclusiveMinimum`` only guard editors: contractgen checks the type first and
# sees amounts as text.)
RULES = {
    "encoding",
    "text",
    *(
        f"yaml.{r}"
        for r in ("alias", "anchor", "tag", "merge", "duplicate", "key", "syntax", "empty", "documents")
    ),
    "yaml.limit",
    *(
        f"schema.{k}"
        for k in (
            "required",
            "additionalProperties",
            "type",
            "enum",
            "pattern",
            "format",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "minItems",
            "maxItems",
            "not",
            "oneOf",
            "anyOf",
        )
    ),
    *(
        f"cross.{r}"
        for r in (
            "fee-capital",
            "fee-capital-form",
            "instalments-mixed",
            "instalments-sum",
            "instalments-fen",
            "instalments-order",
            "annual-split",
            "validity-term",
            "start-before-signing",
            "due-before-signing",
            "due-after-term",
            "signing-date-far",
            "same-party",
        )
    ),
    *(f"legal.{r}" for r in ("uscc", "resident-id", "adult-person", "penalty-ceiling", "overdue-basis", "seal-size")),
    # The clauses after the reference's (contractgen.validation.clauses).
    *(
        f"legal.{r}"
        for r in (
            "cure-days",
            "handover-days",
            "sensitive-information",
            "court-connection",
            "arbitration-commission",
            "service-email",
        )
    ),
    "cross.rate-fen",
    "acknowledge.unused",
    "acknowledge.error",
}


def _expect(spec: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        spec.with_name(f"{spec.stem}.expect.yaml").read_text(encoding="utf-8")
    )
    return data


def _check(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(actual) == len(expected), "\n".join(
        f"{d['line']}:{d['column']} {d['path']}: {d['message']}" for d in actual
    )
    for got, want in zip(actual, expected, strict=True):
        for key, value in want.items():
            if key == "message":
                assert value in got["message"], (got, want)
            else:
                assert got[key] == value, (key, got, want)
        if got["rule"].startswith("legal."):
            assert got["citation"], got


def _today(expect: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    day = expect.get("today")
    if day is not None:
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_corpus_size() -> None:
    assert len(INVALID) >= 40
    assert len(CASES) - len(INVALID) >= 10
    for spec in CASES:
        assert spec.with_name(f"{spec.stem}.expect.yaml").is_file(), spec


def test_invalid_corpus_covers_every_rule() -> None:
    seen = {d["rule"] for spec in INVALID for d in _expect(spec)["diagnostics"]}
    assert not RULES - seen, sorted(RULES - seen)
    assert not seen - RULES, sorted(seen - RULES)


@pytest.mark.parametrize("spec", CASES, ids=_ids)
def test_api(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = _expect(spec)
    _today(expect, monkeypatch)
    strict = bool(expect.get("strict"))
    diagnostics = validate(spec, strict=strict)
    _check([asdict(d) for d in diagnostics], expect["diagnostics"])
    assert all(d.file == str(spec) for d in diagnostics)
    assert (3 if any(d.severity == "error" for d in diagnostics) else 0) == expect["exit"]
    if expect["exit"]:
        with pytest.raises(SpecError) as caught:
            load_contract(spec, strict=strict)
        assert list(caught.value.diagnostics) == diagnostics
    else:
        contract, warnings = load_contract(spec, strict=strict)
        assert isinstance(contract, Contract)
        assert warnings == diagnostics


@pytest.mark.parametrize("spec", CASES, ids=_ids)
def test_cli(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = _expect(spec)
    _today(expect, monkeypatch)
    strict = ["--strict"] if expect.get("strict") else []
    runner = CliRunner()

    result = runner.invoke(cli, ["validate", "--format", "json", *strict, str(spec)])
    assert result.exit_code == expect["exit"], result.output
    _check(json.loads(result.stdout)["files"][0]["diagnostics"], expect["diagnostics"])

    result = runner.invoke(cli, ["validate", *strict, str(spec)])
    assert result.exit_code == expect["exit"]
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(expect["diagnostics"])
    for line, want in zip(lines, expect["diagnostics"], strict=True):
        where = f"{spec}:{want['line']}:{want['column']}:" if want["line"] else f"{spec}:"
        assert line.startswith(where), (line, want)
        assert want["message"] in line
        assert line.endswith(f"[{want['rule']}]")
        warned = "警告：" in line or f"警告（已确认：{want.get('acknowledged')}）：" in line
        assert warned == (want["severity"] == "warning")
    assert result.stderr.startswith("contractgen: 错误：已检查 1 个文件") == bool(expect["exit"])


def test_the_design_example_reads_as_designed() -> None:
    spec = DATA / "invalid" / "schema-amount-decimals.yaml"
    [diagnostic] = validate(spec)
    assert diagnostic == Diagnostic(
        str(spec), 26, 10, "fee.total", '金额最多两位小数，收到 "12.345"', rule="schema.format"
    )
    assert diagnostic.format() == f'{spec}:26:10: fee.total: 金额最多两位小数，收到 "12.345" [schema.format]'
