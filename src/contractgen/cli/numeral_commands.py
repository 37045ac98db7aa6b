"""Numeral commands: ``amount`` — amounts to 大写 and back, one per argument or line of standard input.

Each command maps its flags onto keyword arguments of a library function and prints what it returns; stages are
imported inside the command bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

import click

from contractgen.cli.group import cli, read_stdin
from contractgen.errors import InputError


@cli.command("amount")
@click.argument("values", nargs=-1)
@click.option("--parse", "parse", is_flag=True, help="Read 大写 and print the amount with two decimals.")
@click.option("--prefix", is_flag=True, help="Write 人民币 before the amount.")
@click.option("--jiao-zheng", is_flag=True, help="Write 整 after a final 角 too (accounting vouchers).")
@click.option("--traditional", is_flag=True, help="Traditional characters: 壹貳參…萬億圓.")
@click.option(
    "--round",
    "rounding",
    type=click.Choice(["half-up"]),
    help="Round more than two decimals half-up (四舍五入) instead of refusing them.",
)
@click.pass_context
def amount_command(
    ctx: click.Context,
    *,
    values: tuple[str, ...],
    parse: bool,
    prefix: bool,
    jiao_zheng: bool,
    traditional: bool,
    rounding: str | None,
) -> None:
    """Convert amounts to 人民币大写, or back with --parse.

    \b
    Example:
        contractgen amount 1680.32 325.04
        contractgen amount --parse 壹仟陆佰捌拾元零叁角贰分
        pbpaste | contractgen amount --prefix > capital.txt

    With no VALUES, reads one value per line from standard input, so a spreadsheet column converts in one
    call. Every value gives exactly one output line (empty for a blank or bad value), so the output column
    stays aligned with the input. A bad value prints "line N: <value>: <reason>" to stderr; the others are
    still converted, and the exit code is 3. Negative values as arguments go after "--":
    contractgen amount -- -100.
    """
    from contractgen.errors import EXIT_INPUT, NumeralError
    from contractgen.numerals import parse_capital, to_capital

    if parse and (prefix or jiao_zheng or traditional or rounding):
        raise click.UsageError("--parse does not combine with --prefix, --jiao-zheng, --traditional, --round")
    if values:
        lines: list[str] = list(values)
    else:
        lines = _stdin_lines()
    failed = False
    for number, line in enumerate(lines, start=1):
        value = line.strip()
        if not value and not values:
            click.echo("")  # a blank cell stays a blank line: the output column keeps its rows
            continue
        try:
            if parse:
                result = format(parse_capital(value), ".2f")
            else:
                result = to_capital(
                    value,
                    prefix=prefix,
                    jiao_zheng=jiao_zheng,
                    traditional=traditional,
                    rounding="half-up" if rounding else None,
                )
        except NumeralError as error:
            click.echo(f"line {number}: {value}: {error.message}", err=True)
            click.echo("")
            failed = True
            continue
        click.echo(result)
    if failed:
        ctx.exit(EXIT_INPUT)


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
