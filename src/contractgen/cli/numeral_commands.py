"""Numeral commands: ``amount`` — amounts to 大写 and back, one per argument or line of standard input.

Each command maps its flags onto keyword arguments of a library function and prints what it returns; stages are
imported inside the command bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

from typing import Any

import click

from contractgen.cli.group import cli, read_stdin
from contractgen.cli.json_output import emit, format_option, reports_errors
from contractgen.errors import InputError


@cli.command("amount")
@click.argument("values", nargs=-1)
@click.option(
    "--parse",
    "parse",
    is_flag=True,
    help="Read 大写 and print the amount with two decimals (on stderr: the canonical 大写 of one typed otherwise).",
)
@click.option("--prefix", is_flag=True, help="Write 人民币 before the amount.")
@click.option("--jiao-zheng", is_flag=True, help="Write 整 after a final 角 too (accounting vouchers).")
@click.option("--traditional", is_flag=True, help="Traditional characters: 壹貳參…萬億圓.")
@click.option(
    "--round",
    "rounding",
    type=click.Choice(["half-up"]),
    help="Round more than two decimals half-up (四舍五入) instead of refusing them.",
)
@format_option(
    "json", help="text: one line per value; json: each value's figures and 大写, or its error (docs/json-output.md)."
)
@click.pass_context
@reports_errors("amount", "inputs")
def amount_command(
    ctx: click.Context,
    *,
    values: tuple[str, ...],
    parse: bool,
    prefix: bool,
    jiao_zheng: bool,
    traditional: bool,
    rounding: str | None,
    output_format: str,
) -> None:
    """Convert amounts to 人民币大写, or back with --parse.

    \b
    Example:
        contractgen amount 1680.32 325.04
        contractgen amount --parse 壹仟陆佰捌拾元零叁角贰分
        pbpaste | contractgen amount --prefix > capital.txt
        contractgen amount --format json 1680.32 325.04

    With no VALUES, reads one value per line from standard input, so a spreadsheet column converts in one
    call. Every value gives exactly one output line (empty for a blank or bad value), so the output column
    stays aligned with the input. A bad value prints "line N: <value>: <reason>" to stderr; the others are
    still converted, and the exit code is 3. Negative values as arguments go after "--":
    contractgen amount -- -100. With --format json, standard output is one JSON object instead: every value
    with its figures and 大写, or its error (docs/json-output.md). With --parse, a 大写 typed in another
    accepted form (一十二万, 拾元, 圆, 毛) is read, and its canonical form is shown beside it on stderr
    ("line N: 拾元: 规范写法为 壹拾元整") and is the "capital" of its JSON.
    """
    from contractgen.errors import EXIT_INPUT, EXIT_OK

    if parse and (prefix or jiao_zheng or traditional or rounding):
        raise click.UsageError("--parse does not combine with --prefix, --jiao-zheng, --traditional, --round")
    lines: list[str] = list(values) if values else _stdin_lines()
    options = {
        "prefix": prefix,
        "jiao_zheng": jiao_zheng,
        "traditional": traditional,
        "rounding": "half-up" if rounding else None,
    }
    inputs: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        item = _convert(number, line.strip(), parse=parse, options=options, blank_ok=not values)
        _say_on_stderr(item, parse=parse)
        if output_format == "text":  # one line per value, empty for a blank or bad one: the column stays aligned
            click.echo((item["figures"] if parse else item["capital"]) or "")
        inputs.append(item)
    invalid = sum(item["status"] == "invalid" for item in inputs)
    code = EXIT_INPUT if invalid else EXIT_OK
    if output_format == "json":
        converted = sum(item["status"] == "converted" for item in inputs)
        blank = len(inputs) - converted - invalid
        summary = {"inputs": len(inputs), "converted": converted, "invalid": invalid, "blank": blank}
        message = f"已转换 {converted} 个，{invalid} 个有误"
        emit("amount", exit_code=code, message=message, inputs=inputs, summary=summary)
    if code:
        ctx.exit(code)


def _say_on_stderr(item: dict[str, Any], *, parse: bool) -> None:
    """Why a value could not be converted; with --parse, also the canonical form of a 大写 typed otherwise
    (numerals.md: parse, re-generate the canonical form, and show both) — on stderr, so that the column on
    stdout stays aligned with the input."""
    if item["status"] == "invalid":
        click.echo(f"line {item['line']}: {item['input']}: {item['message']}", err=True)
    elif parse and item["status"] == "converted" and item["capital"] != item["input"]:
        click.echo(f"line {item['line']}: {item['input']}: 规范写法为 {item['capital']}", err=True)


def _convert(number: int, value: str, *, parse: bool, options: dict[str, Any], blank_ok: bool) -> dict[str, Any]:
    """One value, converted: its figures and 大写 (either way round), or why it could not be; a blank cell of
    standard input is neither."""
    from contractgen.errors import NumeralError
    from contractgen.numerals import parse_amount, parse_capital, to_capital

    if not value and blank_ok:
        return _amount_result(number, value, "blank")
    try:
        if parse:
            figures = parse_capital(value)
            capital = to_capital(figures, prefix=value.startswith(_PREFIXES))  # the canonical form of what was typed
        else:
            capital = to_capital(value, **options)
            figures = parse_amount(value, max_decimals=2, rounding=options["rounding"])
    except NumeralError as error:
        return _amount_result(number, value, "invalid", message=error.message)
    figures = abs(figures) if figures == 0 else figures  # 零元整 is 0.00, never -0.00
    return _amount_result(number, value, "converted", figures=format(figures, ".2f"), capital=capital)


#: The prefixes a typed 大写 may start with (numerals.md "Reverse parsing"); any of them → 人民币 in the canonical form.
_PREFIXES = ("人民币", "RMB", "¥", "￥", "（大写）", "大写：", "大写:")


def _amount_result(
    line: int, value: str, status: str, *, figures: str | None = None, capital: str | None = None, message: str = ""
) -> dict[str, Any]:
    """One value of amount's JSON: converted (figures and 大写), invalid (the reason), or a blank line."""
    return {
        "input": value,
        "line": line,
        "status": status,
        "figures": figures,
        "capital": capital,
        "message": message or None,
    }


def _stdin_lines() -> list[str]:
    """Standard input as lines: strict UTF-8 (BOM allowed), split on newlines only."""
    data = read_stdin()
    try:
        # Strict UTF-8, BOM allowed: spreadsheets export "UTF-8 with BOM"; GBK must not become mojibake.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"标准输入第 {bad_line} 行不是 UTF-8 编码：请另存为 UTF-8 后重试") from None
    # Split on newlines only (not splitlines()): a stray form feed must not shift the line numbers.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines
