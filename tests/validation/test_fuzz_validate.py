"""Fuzzing: whatever bytes or YAML-ish text reach `validate`, the answer is 0 or 3 — no traceback, never slow.

Three kinds of input: random bytes; random YAML-ish text built from the characters and tokens YAML gives
meaning to (indicators, anchors, tags, quotes, the schema's own keys, bad characters); and the sample spec
with random edits, which reaches the schema, cross-field and legal checks rather than stopping at the parser.
"""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractgen.cli import cli
from contractgen.validation import check_spec

SAMPLE = (Path(__file__).resolve().parents[2] / "samples" / "customer-service.yaml").read_text(
    encoding="utf-8"
)
BUDGET = 1.0  # seconds per input; a typical one takes a few milliseconds

KEYS = [
    "type",
    "contract_no",
    "party_a",
    "party_b",
    "kind",
    "name",
    "credit_code",
    "id_number",
    "term",
    "years",
    "start",
    "fee",
    "total",
    "capital",
    "payment",
    "instalments",
    "due",
    "amount",
    "percent",
    "penalty",
    "breach_rate",
    "signing",
    "date",
    "<<",
]
TOKENS = [
    *KEYS,
    ": ",
    ":",
    "- ",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "? ",
    "|",
    ">",
    "'",
    '"',
    "\\",
    "%",
    "@",
    "---\n",
    "...\n",
    "customer-service",
    "signing",
    "instalments",
    "person",
    "360000.00",
    "12.345",
    "20%",
    "0.05%",
    "2026-02-30",
    "2026-11-24",
    "0755",
    "true",
    "null",
    "叁拾陆万元整",
    "91310115MA1H8K3X2A",
    "\u202e",
    "\u200b",
    "\x07",
    "\x85",
    "\ufeff",
    "\ud800",
    "\\u202e",
    "\\x07",
    "\\ud800",
]

yamlish = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=80).map("".join)


@st.composite
def edited_sample(draw: st.DrawFn) -> str:
    lines = SAMPLE.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "swap"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "replace" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + draw(st.sampled_from(TOKENS) | st.text(max_size=3)) + lines[i][j + 1 :]
        elif action == "insert":
            lines.insert(i, draw(yamlish))
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return "\n".join(lines) + "\n"


def _cli(data: bytes, *options: str) -> None:
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["validate", *options, "-"], input=data)
    assert time.perf_counter() - started < BUDGET
    assert result.exit_code in (0, 3), (result.exit_code, result.exception, result.output)
    assert "Traceback" not in result.output


def _api(text: str) -> None:
    started = time.perf_counter()
    report = check_spec("fuzz.yaml", text=text)
    assert time.perf_counter() - started < BUDGET
    for diagnostic in report.diagnostics:
        assert diagnostic.message
        assert diagnostic.line >= 0
        assert diagnostic.column >= 0


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    _cli(data)


@FUZZ
@given(yamlish)
def test_random_yamlish_text(text: str) -> None:
    _api(text)
    _cli(text.encode("utf-8", "surrogatepass"), "--format", "json")


@FUZZ
@given(edited_sample())
def test_edited_sample(text: str) -> None:
    _api(text)
    _cli(text.encode("utf-8", "surrogatepass"), "--strict")
