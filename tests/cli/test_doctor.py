"""`contractgen doctor`: one line per check, or with --format json each check's status and advice; exit 0 or 5."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

import contractgen.writers.environment
from contractgen.cli import cli
from contractgen.writers.environment import Finding

FOUND = Finding("WeasyPrint / Pango", True, "WeasyPrint 66.0，Pango 1.50.12")
NO_FONT = Finding("字体 FangSong_GB2312", False, "未找到", "复制有授权的字体文件到 ~/.local/share/fonts")
NO_TOOL = Finding("poppler-utils", False, "未找到 pdftoppm", "apt-get install poppler-utils", required=False)

SUMMARY = ("found", "missing", "blocking")
# the machine's findings → exit code, each check's status, the summary's (found, missing, blocking)
CASES = {
    "all-found": ([FOUND], 0, ["found"], (1, 0, 0)),
    "optional-missing": ([FOUND, NO_TOOL], 0, ["found", "missing"], (1, 1, 0)),
    "font-missing": ([FOUND, NO_FONT, NO_TOOL], 5, ["found", "missing", "missing"], (1, 2, 1)),
}


@pytest.mark.parametrize("case", CASES)
def test_json_checks(run_json: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    findings, code, statuses, counts = CASES[case]
    monkeypatch.setattr(contractgen.writers.environment, "check_environment", lambda fonts: findings)
    run = run_json("doctor")
    assert (run.code, run.envelope["ok"]) == (code, code == 0)
    assert [c["status"] for c in run.envelope["checks"]] == statuses
    assert run.envelope["summary"] == {"checks": len(findings), **dict(zip(SUMMARY, counts, strict=True))}
    for check, finding in zip(run.envelope["checks"], findings, strict=True):
        assert (check["name"], check["required"], check["detail"]) == (finding.name, finding.required, finding.detail)
        assert check["advice"] == (finding.hint or None)
    if code:
        assert run.envelope["message"] == "无法渲染，缺少：字体 FangSong_GB2312"
        assert run.stderr == "contractgen: 错误：无法渲染，缺少：字体 FangSong_GB2312\n"
    else:
        assert run.stderr == ""


def test_json_on_this_machine(run_json: Callable[..., Any]) -> None:
    run = run_json("doctor")  # the schema holds whatever this machine has
    assert run.envelope["summary"]["checks"] == len(run.envelope["checks"]) >= 4


def test_json_of_a_font_name_doctor_refuses(run_json: Callable[..., Any]) -> None:
    run = run_json("doctor", "--serif-font", "a;b")
    assert (run.code, run.envelope["checks"], run.envelope["summary"]) == (3, [], None)


def test_text_output_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contractgen.writers.environment, "check_environment", lambda fonts: [FOUND, NO_FONT])
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 5
    assert result.stdout == f"{FOUND.format()}\n{NO_FONT.format()}\n"
