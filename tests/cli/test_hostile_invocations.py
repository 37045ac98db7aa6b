"""Hostile or unlucky invocations: each ends in its exit code and a Chinese message, never a traceback.

The cases a hostile user found (an exotic SOURCE_DATE_EPOCH, closed standard input, a FIFO, a full disk, an
empty output folder, a folder with no specs) and the classes they stand for.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_listing import entries

from contractgen.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"


def _contractgen(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "contractgen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "内部错误" not in result.stderr, result.stderr
    return result.returncode, result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("²", "只用 0-9"),  # "²".isdigit() is true, int("²") raises
        ("١٢٣", "只用 0-9"),  # Arabic-Indic digits
        ("-1", "非负整数"),
        ("1.5", "非负整数"),
        ("253402300800", "超出范围"),  # 10000-01-01
        ("99999999999999999999999", "超出范围"),
    ],
)
@pytest.mark.parametrize("command", ["render", "bundle"])
def test_a_bad_source_date_epoch_is_exit_3_naming_the_variable(
    tmp_path: Path, command: str, value: str, message: str
) -> None:
    code, stderr = _contractgen(command, str(SAMPLE), "-o", str(tmp_path / "out"), env={"SOURCE_DATE_EPOCH": value})
    assert code == 3
    assert "SOURCE_DATE_EPOCH" in stderr
    assert message in stderr
    assert not (tmp_path / "out").exists()  # a failed run leaves no folder it made


@pytest.mark.parametrize("args", [["validate", "-"], ["amount"], ["amount", "--parse"]])
def test_closed_standard_input_is_exit_3(args: list[str]) -> None:
    # `<&-` in a shell: file descriptor 0 is closed, and Python's sys.stdin is None.
    code = subprocess.run(
        ["sh", "-c", 'exec "$0" -m contractgen "$@" <&-', sys.executable, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert "Traceback" not in code.stderr, code.stderr
    assert (code.returncode, "标准输入已关闭" in code.stderr) == (3, True), code.stderr


def test_validate_of_a_folder_without_specs_is_exit_3(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a spec")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert "没有找到任何合同规格文件" in result.stderr


def test_a_fifo_nobody_writes_to_is_reported_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from contractgen.spec import loading

    monkeypatch.setattr(loading, "PIPE_SECONDS", 0.3)
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["validate", str(fifo)])
    assert result.exit_code == 3
    assert "不是普通文件（管道或设备）" in result.stdout


def test_a_spec_from_a_pipe_is_read() -> None:
    # validate <(generate-spec): a pipe that delivers its text is read, within the time limit.
    read, write = os.pipe()
    os.write(write, SAMPLE.read_bytes())
    os.close(write)
    result = subprocess.run(
        [sys.executable, "-m", "contractgen", "validate", f"/dev/fd/{read}"],
        capture_output=True,
        text=True,
        pass_fds=(read,),
        check=False,
        timeout=60,
    )
    os.close(read)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", ["render", "bundle"])
def test_an_empty_output_folder_is_a_usage_error(tmp_path: Path, command: str) -> None:
    result = CliRunner().invoke(cli, [command, str(SAMPLE), "-o", ""])
    assert result.exit_code == 2
    assert "输出目录不能为空" in result.stderr


@pytest.mark.slow
def test_a_full_disk_is_exit_5_naming_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from contractgen.writers import output

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(output, "_write_new", full)
    out = tmp_path / "out"
    (out).mkdir()
    (out / "keep.txt").write_text("keep")
    result = CliRunner().invoke(cli, ["render", str(SAMPLE), "-o", str(out), "--to", "docx"])
    assert result.exit_code == 5
    assert f"磁盘空间不足：无法写入输出目录 {out}" in result.stderr
    assert [p.name for p in entries(out)] == ["keep.txt"]


@pytest.mark.slow
def test_a_character_the_fonts_lack_names_its_field(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("name: 上海明远科技有限公司", "name: 上海明远ཀ科技有限公司")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "ཀ" in row)
    code, stderr = _contractgen("render", str(spec), "-o", str(tmp_path / "out"))
    assert code == 5
    assert f"{spec}:{line}:9: party_a.name: 字体「Noto Serif CJK SC」没有 “ཀ”(U+0F40) 的字形" in stderr
    assert not (tmp_path / "out").exists()
