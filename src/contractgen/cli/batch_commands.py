"""Batch commands: ``batch-report`` (the ledgers of every shard merged), and the batch flags ``render`` and
``bundle`` share (``--shard``, ``--resume``, ``--summary``, ``--max-tasks-per-worker``).

Each maps flags onto keyword arguments of the library (:func:`contractgen.batch.batch_report`,
:class:`contractgen.batch.Shard`) and prints what it returns; stages are imported inside the command bodies, so
``contractgen --help`` stays instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from contractgen.cli.group import cli
from contractgen.cli.json_output import emit, format_option, reports_errors

__all__ = ["batch_options", "echo_summary"]

F = TypeVar("F", bound=Callable[..., Any])


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from contractgen.batch.shards import Shard
    from contractgen.errors import InputError

    try:
        return Shard.parse(value)
    except InputError as error:
        raise click.BadParameter(error.message, ctx=ctx, param=param) from None


def batch_options(command: F) -> F:
    """The flags of a batch across machines and in time, for ``render`` and ``bundle``."""
    options = [
        click.option(
            "--shard",
            metavar="K/N",
            callback=_shard,
            help="只处理 N 个分片中的第 K 个（K 从 0 起：0/4 … 3/4）；按规格相对所给目录的路径稳定划分。",
        ),
        click.option(
            "--resume",
            is_flag=True,
            help="跳过输出已在、且账本所记哈希（规格、模板、字体、版本、选项、输出）都一致的规格。",
        ),
        click.option(
            "--summary", is_flag=True, help="结束时在标准错误上打印输出目录账本 batch.jsonl 的汇总（同 batch-report）。"
        ),
        click.option(
            "--max-tasks-per-worker",
            type=click.IntRange(min=1),
            default=None,
            metavar="N",
            help="每个工作进程处理 N 份后换新进程，防止依赖库的内存泄漏无限增长（默认 100）。",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def echo_summary(ledger: Path | None) -> None:
    """``--summary``: the report of the output folder's ledger, as ``batch-report`` prints it, on standard error."""
    if ledger is None:
        return
    from contractgen.batch.report import batch_report

    _echo_text(batch_report([ledger]), err=True)


def _echo_text(report: Any, *, err: bool) -> None:
    from contractgen.diagnostics import Diagnostic, format_text

    for spec in report.specs:
        if spec["status"] in ("rendered", "skipped"):
            continue
        click.echo(f"{spec['spec']}: {spec['status']}（退出码 {spec['exit_code']}）", err=err)
        diagnostics = [Diagnostic(**d) for d in spec.get("diagnostics") or [] if isinstance(d, dict)]
        if diagnostics:
            click.echo(format_text(diagnostics), err=err)
        if spec.get("message"):
            click.echo(f"    {spec['message']}", err=err)
    for path in report.torn:
        click.echo(f"{path}: 最后一行不完整（运行被强行终止时写了一半），已略去", err=err)
    click.echo(report.message, err=err)


@cli.command("batch-report")
@click.argument("ledgers", nargs=-1, required=True, type=click.Path(), metavar="LEDGER...")
@format_option("json", help="text：未成功的规格与汇总；json：每个规格的最后一行记录与汇总（docs/json-output.md）。")
@reports_errors("batch-report", "files")
def batch_report_command(*, ledgers: tuple[str, ...], output_format: str) -> None:
    """Merge the ledgers (batch.jsonl) of every shard into one report of what was made from what.

    \b
    Example:
        contractgen batch-report out/shard-*/batch.jsonl
        contractgen batch-report bundles/ --format json > report.json

    A LEDGER is a batch.jsonl or an output folder holding one. For each spec the last line that settled it
    counts (a resumed run's skipped line after the run it resumed); a torn last line left by a kill is left
    out. Exit code: 0 when every spec was rendered or skipped; else the one the single unsharded run would
    have given — 3 a spec is invalid, 4 a template error, 5 a render or output failure, and 5 too when a shard
    of the N has no ledger or its last run did not finish (its outputs were never made); 3 when a ledger cannot
    be read.
    """
    from contractgen.batch.report import batch_report

    report = batch_report(ledgers)
    if output_format == "json":
        files = [_spec_result(spec) for spec in report.specs]
        summary = {
            **report.counts,
            "ledgers": [str(path) for path in report.ledgers],
            "torn": [str(path) for path in report.torn],
            "shards": list(report.shards),
            "missing_shards": list(report.missing_shards),
            "unsettled": report.unsettled,
            "timing": report.timing,
        }
        emit("batch-report", exit_code=report.exit_code, message=report.message, files=files, summary=summary)
        click.echo(report.message, err=True)
    else:
        _echo_text(report, err=False)
    if report.exit_code:
        sys.exit(report.exit_code)


def _spec_result(spec: dict[str, Any]) -> dict[str, Any]:
    """One spec of batch-report's JSON: its ledger line's keys, ``spec`` as ``file`` (the envelope's name)."""
    result = {"file": spec["spec"], **{k: v for k, v in spec.items() if k != "spec"}}
    result["diagnostics"] = result.get("diagnostics") or []
    return result
