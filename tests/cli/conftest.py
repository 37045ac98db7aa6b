"""What the command tests share: a command run with ``--format json``, its envelope checked against the schema
that ships in docs/json-output.schema.json — every run of every command, so the schema cannot drift."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from contractgen.cli import cli

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "json-output.schema.json").read_text("utf-8"))


@dataclass(frozen=True)
class JsonRun:
    """A command run with ``--format json``: its exit code, the envelope, and what went to standard error."""

    code: int
    envelope: dict[str, Any]
    stderr: str


def check_envelope(text: str) -> dict[str, Any]:
    """``text`` is exactly one JSON object (nothing else on standard output), valid against the schema."""
    envelope = json.loads(text)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(envelope)
    return envelope  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def run_json() -> Callable[..., JsonRun]:
    def run(*args: str, stdin: bytes | str | None = None) -> JsonRun:
        result = CliRunner().invoke(cli, [args[0], "--format", "json", *args[1:]], input=stdin)
        assert "Traceback" not in result.output
        envelope = check_envelope(result.stdout)
        assert envelope["command"] == args[0]
        assert envelope["exit_code"] == result.exit_code, result.stderr
        # Exactly the object, as contractgen writes it: Chinese as Chinese (ensure_ascii=False), no other line.
        assert result.stdout == json.dumps(envelope, ensure_ascii=False, indent=2) + "\n"
        return JsonRun(result.exit_code, envelope, result.stderr)

    return run



def parse_workflow_command(line: str) -> dict[str, str]:
    """``line`` read as the GitHub Actions runner reads a workflow command (actions/runner,
    src/Runner.Common/ActionCommand.cs, TryParseV2): the command, its properties unescaped, and its message
    (``data``). What a forged line would need — a second ``::`` or a line break — must not survive escaping."""
    assert line.startswith("::")
    end = line.index("::", 2)
    name, _, properties = line[2:end].partition(" ")
    parsed = {"command": name}
    for pair in filter(None, properties.strip().split(",")):
        key, _, value = pair.partition("=")
        for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            value = value.replace(escaped, char)
        parsed[key.lower()] = value
    data = line[end + 2 :]
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        data = data.replace(escaped, char)
    parsed["data"] = data
    return parsed


@pytest.fixture(scope="session")
def workflow_command() -> Callable[[str], dict[str, str]]:
    return parse_workflow_command
