"""The command group: version, help, and the one place where errors become exit codes."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from contractgen import __version__, errors
from contractgen.cli import cli
from contractgen.diagnostics import Diagnostic


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"contractgen {__version__}\n"


def test_help_lists_commands_and_starts_with_example() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_every_command_is_documented_with_an_example() -> None:
    for name, command in cli.commands.items():
        help_text = command.help or ""
        assert help_text.strip(), f"{name} has no help"
        assert "Example" in help_text or "例" in help_text, f"{name}'s help does not start with an example"


def test_unknown_command_is_usage_error() -> None:
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == errors.EXIT_USAGE


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InputError("输入有误"), 3),
        (errors.AmountError("金额有误", value="x"), 3),
        (errors.TemplateError("模板有误"), 4),
        (errors.RenderError("渲染失败"), 5),
        (errors.FontError("缺少字体"), 5),
        (errors.OutputError("无法写入"), 5),
        (errors.VerificationError("校验失败"), 6),
    ],
)
def test_errors_map_to_exit_codes_without_traceback(error: errors.ContractgenError, code: int) -> None:
    @cli.command("_raise", hidden=True)
    def _raise() -> None:
        raise error

    try:
        result = CliRunner().invoke(cli, ["_raise"])
    finally:
        del cli.commands["_raise"]
    assert result.exit_code == code
    assert result.output == f"contractgen: 错误：{error.message}\n"
    assert "Traceback" not in result.output


def test_spec_error_prints_every_diagnostic_sorted() -> None:
    diagnostics = [
        Diagnostic("s.yaml", 14, 9, "fee.total", '金额最多两位小数，收到 "12.345"'),
        Diagnostic("s.yaml", 3, 1, "contract_no", "缺少必填字段"),
    ]

    @cli.command("_raise", hidden=True)
    def _raise() -> None:
        raise errors.SpecError("", diagnostics)

    try:
        result = CliRunner().invoke(cli, ["_raise"])
    finally:
        del cli.commands["_raise"]
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "s.yaml:3:1: contract_no: 缺少必填字段",
        's.yaml:14:9: fee.total: 金额最多两位小数，收到 "12.345"',
    ]


def test_interrupt_exits_130() -> None:
    @cli.command("_raise", hidden=True)
    def _raise() -> None:
        raise KeyboardInterrupt

    try:
        result = CliRunner().invoke(cli, ["_raise"])
    finally:
        del cli.commands["_raise"]
    assert result.exit_code == 130


def test_click_exceptions_keep_their_codes() -> None:
    @cli.command("_raise", hidden=True)
    def _raise() -> None:
        raise click.UsageError("bad")

    try:
        result = CliRunner().invoke(cli, ["_raise"])
    finally:
        del cli.commands["_raise"]
    assert result.exit_code == 2


def test_the_command_line_ending_the_usual_way_ends_with_the_heap_frozen() -> None:
    # With another thread still at work the process ends the usual way (cli/process_end.py), and main() freezes
    # what is alive first, so the interpreter's last collections skip it (a tenth of a cold render); the
    # command's output and exit code are its own.
    code = (
        "import gc, sys, threading, time\n"
        "from contractgen.cli import main\n"
        "threading.Thread(target=time.sleep, args=(0.2,)).start()\n"
        "sys.argv = ['contractgen', 'amount', '1.5']\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print(gc.get_freeze_count() > 10000, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout == "壹元伍角\n"
    assert done.stderr == "True\n"
