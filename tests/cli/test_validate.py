"""`contractgen validate`: output, exit codes, many specs at once, folders, stdin; JSON and annotations for CI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from contractgen.cli import cli
from contractgen.diagnostics import format_json
from contractgen.validation import validate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
SAMPLE = ROOT / "samples" / "customer-service.yaml"
SPECS = ROOT / "tests" / "data" / "specs"
DECIMALS = SPECS / "invalid" / "schema-amount-decimals.yaml"
WARNING = SPECS / "valid" / "warning-penalty-ceiling.yaml"


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args], input=stdin)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_every_sample_is_valid_even_strictly() -> None:
    code, out, err = _run("--strict", *map(str, SAMPLES))
    assert code == 0
    # The only warnings a sample may carry are ones it acknowledges, with its reason (the loan samples are
    # signed after the end of the LPR table they ship with, and say so).
    shown = out.splitlines()
    assert all("警告（已确认：" in line for line in shown), out
    assert err == f"已检查 {len(SAMPLES)} 个文件：{len(SAMPLES)} 个通过，0 个有错误（0 个错误，{len(shown)} 个警告）\n"


def test_invalid_spec_prints_its_diagnostics_and_exits_3() -> None:
    code, out, err = _run(str(DECIMALS))
    assert code == 3
    assert out == f'{DECIMALS}:26:10: fee.total: 金额最多两位小数，收到 "12.345" [schema.format]\n'
    assert err == "contractgen: 错误：已检查 1 个文件：0 个通过，1 个有错误（1 个错误，0 个警告）\n"


def test_warnings_are_printed_and_pass_unless_strict() -> None:
    code, out, _ = _run(str(WARNING))
    assert code == 0
    assert "警告：违约金为合同金额的 35%。违约方请求减少时" in out
    assert "（依据：《民法典》第五百八十五条第二款" in out
    code, out, _ = _run("--strict", str(WARNING))
    assert code == 3
    assert "警告：" not in out
    assert "违约金为合同金额的 35%" in out


def test_many_specs_every_diagnostic_and_3_if_any_fails(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    code, out, err = _run(str(SAMPLE), str(DECIMALS), str(WARNING), str(missing))
    assert code == 3
    lines = out.splitlines()
    assert len(lines) == 3
    assert any(line.startswith(f"{DECIMALS}:26:10:") for line in lines)
    assert any(line.startswith(f"{WARNING}:") for line in lines)
    assert f"{missing}: 文件不存在 [file]" in lines
    assert "已检查 4 个文件：2 个通过，2 个有错误（2 个错误，1 个警告）" in err


def test_json_output_gives_each_file_its_diagnostics_as_they_always_were(run_json: Callable[..., Any]) -> None:
    run = run_json("validate", str(SAMPLE), str(DECIMALS))
    assert run.code == 3
    assert run.envelope["files"] == [
        {"file": str(SAMPLE), "status": "valid", "diagnostics": []},
        {"file": str(DECIMALS), "status": "invalid", "diagnostics": run.envelope["files"][1]["diagnostics"]},
    ]
    assert run.envelope["files"][1]["diagnostics"] == [
        {
            "file": str(DECIMALS),
            "line": 26,
            "column": 10,
            "path": "fee.total",
            "message": '金额最多两位小数，收到 "12.345"',
            "severity": "error",
            "rule": "schema.format",
            "citation": "",
            "acknowledged": "",
        }
    ]
    # The objects serve gives too: format_json's, field for field.
    assert run.envelope["files"][1]["diagnostics"] == json.loads(format_json(validate(DECIMALS)))
    assert run.stderr == "contractgen: 错误：已检查 2 个文件：1 个通过，1 个有错误（1 个错误，0 个警告）\n"


def _unreadable(tmp_path: Path) -> dict[str, Path]:
    """Specs no spec comes out of: missing, not UTF-8, not YAML."""
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gbk", "replace"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("type: customer-service\nparties: [\n", encoding="utf-8")
    return {"missing": tmp_path / "missing.yaml", "gbk": gbk, "broken": broken}


COUNTS = ("valid", "invalid", "unreadable", "errors", "warnings")
# spec names (or options) → exit code, each file's status, and the summary's COUNTS
JSON_CASES = [
    pytest.param(["sample"], 0, ["valid"], (1, 0, 0, 0, 0), id="valid"),
    pytest.param(["warning"], 0, ["valid"], (1, 0, 0, 0, 1), id="warning"),
    pytest.param(["--strict", "warning"], 3, ["invalid"], (0, 1, 0, 1, 0), id="strict"),
    pytest.param(["decimals"], 3, ["invalid"], (0, 1, 0, 1, 0), id="invalid"),
    pytest.param(["missing"], 3, ["unreadable"], (0, 0, 1, 1, 0), id="missing"),
    pytest.param(["gbk"], 3, ["unreadable"], (0, 0, 1, 1, 0), id="not-utf-8"),
    pytest.param(["broken"], 3, ["unreadable"], (0, 0, 1, 1, 0), id="not-yaml"),
    pytest.param(["sample", "decimals", "missing"], 3, ["valid", "invalid", "unreadable"], (1, 1, 1, 2, 0), id="mixed"),
]


@pytest.mark.parametrize(("names", "code", "statuses", "counts"), JSON_CASES)
def test_json_envelope(
    run_json: Callable[..., Any],
    tmp_path: Path,
    *,
    names: list[str],
    code: int,
    statuses: list[str],
    counts: tuple[int, ...],
) -> None:
    specs = {"sample": SAMPLE, "decimals": DECIMALS, "warning": WARNING, **_unreadable(tmp_path)}
    args = [name if name.startswith("--") else str(specs[name]) for name in names]
    run = run_json("validate", *args)
    assert (run.code, run.envelope["ok"]) == (code, code == 0)
    assert [f["status"] for f in run.envelope["files"]] == statuses
    assert [f["file"] for f in run.envelope["files"]] == [a for a in args if not a.startswith("--")]
    assert run.envelope["summary"] == {"files": len(statuses), **dict(zip(COUNTS, counts, strict=True))}
    assert run.envelope["message"] in run.stderr
    for file in run.envelope["files"]:
        assert all(d["file"] == file["file"] for d in file["diagnostics"])
        assert bool(file["diagnostics"]) == (file["status"] != "valid" or "warning" in names)


def test_json_names_standard_input_as_its_diagnostics_do(run_json: Callable[..., Any]) -> None:
    run = run_json("validate", "-", stdin=DECIMALS.read_bytes())
    [file] = run.envelope["files"]
    assert (file["file"], file["status"]) == ("<stdin>", "invalid")
    assert {d["file"] for d in file["diagnostics"]} == {"<stdin>"}


def test_json_of_a_folder_without_specs_is_still_an_envelope(run_json: Callable[..., Any], tmp_path: Path) -> None:
    run = run_json("validate", str(tmp_path))
    assert run.code == 3
    assert run.envelope["files"] == []
    assert run.envelope["summary"] is None
    assert run.envelope["message"].startswith("没有找到任何合同规格文件")
    assert run.stderr == f"contractgen: 错误：{run.envelope['message']}\n"


def test_github_format_annotates_each_problem(tmp_path: Path) -> None:
    code, out, err = _run("--format", "github", str(DECIMALS), str(WARNING), str(SAMPLE))
    assert code == 3
    lines = out.splitlines()
    assert lines[0] == (
        f"::error file={DECIMALS},line=26,col=10,title=schema.format::fee.total: 金额最多两位小数，收到 \"12.345\""
    )
    assert lines[1].startswith(f"::warning file={WARNING},line=")
    assert ",title=legal.penalty-ceiling::penalty.breach_rate: 违约金为合同金额的 35%25。" in lines[1]
    assert len(lines) == 2
    assert "已检查 3 个文件：2 个通过，1 个有错误（1 个错误，1 个警告）" in err
    missing = tmp_path / "missing.yaml"
    code, out, _ = _run("--format", "github", "--strict", str(WARNING), str(missing))
    assert code == 3
    # In the order of the file names, which depends on where the test's folders are: one line each.
    missing_line, warning_line = sorted(out.splitlines(), key=lambda line: str(missing) not in line)
    assert missing_line == f"::error file={missing},title=file::文件不存在"  # the whole file: no line
    assert warning_line.startswith(f"::error file={WARNING},line=")  # --strict: a warning is an error


def test_github_format_of_a_hostile_file_name_stays_one_command(
    tmp_path: Path, workflow_command: Callable[[str], dict[str, str]]
) -> None:
    hostile = tmp_path / "a,b:c%0A::error file=x::forged\r.yaml"
    hostile.write_bytes(DECIMALS.read_bytes())
    code, out, _ = _run("--format", "github", str(hostile))
    assert code == 3
    [line] = out.splitlines()
    escaped = str(hostile).replace("%", "%25").replace("\r", "%0D").replace(":", "%3A").replace(",", "%2C")
    assert line.startswith(f"::error file={escaped},line=26,col=10,title=schema.format::")
    assert workflow_command(line)["file"] == str(hostile)


def test_folders_are_searched_for_yaml(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.yaml")
    (tmp_path / "sub").mkdir()
    shutil.copy(DECIMALS, tmp_path / "sub" / "b.yml")
    (tmp_path / "notes.txt").write_text("not a spec", encoding="utf-8")
    code, out, err = _run(str(tmp_path))
    assert code == 3
    assert out.startswith(f"{tmp_path / 'sub' / 'b.yml'}:26:10:")
    assert "已检查 2 个文件" in err


def test_standard_input() -> None:
    code, out, _ = _run("-", stdin=DECIMALS.read_bytes())
    assert code == 3
    assert out.startswith("<stdin>:26:10: fee.total:")
    code, out, _ = _run("-", stdin=SAMPLE.read_bytes())
    assert (code, out) == (0, "")


def test_usage_errors_keep_code_2_and_print_no_json() -> None:
    assert _run()[0] == 2
    assert _run("--format", "xml", str(SAMPLE))[0] == 2
    assert _run("--format", "json")[:2] == (2, "")


def test_help_starts_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Example:\n      contractgen validate my-contract.yaml" in result.output
