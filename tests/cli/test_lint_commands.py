"""contractgen lint: exit codes, the text lines, the JSON envelope (checked against docs/json-output.schema.json by
``run_json``) and the GitHub annotations, on a clean folder and a broken one of tests/data/lint/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from contractgen.cli import cli

LINT = Path(__file__).resolve().parents[1] / "data" / "lint"
FOLDER = "templates/zh/customer-service"


def test_a_clean_folder_exits_0_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT / "clean")
    result = CliRunner().invoke(cli, ["lint", FOLDER])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "已检查 1 个合同类型：1 个没有问题，0 个共有 0 个问题\n"


def test_problems_exit_4_one_line_each_with_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT / "parts")
    result = CliRunner().invoke(cli, ["lint", FOLDER])
    assert result.exit_code == 4
    assert result.stdout.splitlines() == [
        f"{FOLDER}/old-annex.xml.j2: 模板 old-annex.xml.j2 不在 parts.yaml 中，也没有被列出的模板导入："
        "请在 parts.yaml 中列出它，或删除它 [lint.part-unlisted]",
        f"{FOLDER}/parts.yaml:6:0: annex-02: parts.yaml 列出的部分 annex-02 的模板 annex-02.xml.j2 不存在"
        " [lint.part-missing]",
    ]
    assert result.stderr == "contractgen: 错误：已检查 1 个合同类型：0 个没有问题，1 个共有 2 个问题\n"


def test_json_gives_every_type_its_status_and_diagnostics(
    run_json: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(LINT / "fullwidth-open")
    run = run_json("lint", FOLDER)
    assert run.code == 4
    envelope = run.envelope
    assert envelope["summary"] == {"types": 1, "clean": 0, "problems": 1}
    ((only),) = envelope["types"]
    assert (only["type"], only["folder"], only["status"]) == ("customer-service", FOLDER, "problems")
    (diagnostic,) = only["diagnostics"]
    assert (diagnostic["file"], diagnostic["line"], diagnostic["column"], diagnostic["rule"]) == (
        f"{FOLDER}/contract.xml.j2",
        6,
        127,
        "lint.fullwidth-open",
    )


def test_json_of_a_clean_folder_is_ok(run_json: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT / "clean")
    envelope = run_json("lint", FOLDER).envelope
    assert (envelope["ok"], envelope["exit_code"], envelope["types"][0]["status"]) == (True, 0, "clean")


def test_a_folder_that_is_not_there_is_an_input_error_with_an_envelope(run_json: Callable[..., Any]) -> None:
    run = run_json("lint", "no/such/folder")
    assert run.code == 3
    assert run.envelope["types"] == []
    assert run.envelope["summary"] is None


def test_github_annotations_name_file_and_line(
    monkeypatch: pytest.MonkeyPatch, workflow_command: Callable[[str], dict[str, str]]
) -> None:
    monkeypatch.chdir(LINT / "glyphs")
    result = CliRunner().invoke(cli, ["lint", FOLDER, "--format", "github"])
    assert result.exit_code == 4
    (line,) = result.stdout.splitlines()
    parsed = workflow_command(line)
    assert (parsed["command"], parsed["file"], parsed["line"], parsed["title"]) == (
        "error",
        f"{FOLDER}/annex-01.xml.j2",
        "2",
        "lint.glyph",
    )
    assert "U+1F600" in parsed["data"]
