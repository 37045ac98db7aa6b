"""`contractgen validate`: output, exit codes, many specs at once, folders, stdin, JSON for CI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from contractgen.cli import cli

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
    assert (code, out) == (0, "")
    assert err == f"已检查 {len(SAMPLES)} 个文件：{len(SAMPLES)} 个通过，0 个有错误（0 个错误，0 个警告）\n"


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


def test_json_output_is_a_list_of_diagnostics() -> None:
    code, out, _ = _run("--format", "json", str(SAMPLE), str(DECIMALS))
    assert code == 3
    assert json.loads(out) == [
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
    code, out, _ = _run("--format", "json", str(SAMPLE))
    assert (code, json.loads(out)) == (0, [])


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


def test_usage_errors_keep_code_2() -> None:
    assert _run()[0] == 2
    assert _run("--format", "xml", str(SAMPLE))[0] == 2


def test_help_starts_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Example:\n      contractgen validate samples/customer-service.yaml" in result.output
