"""Render commands: ``render`` (specs to DOCX and PDF) and ``doctor`` (what the machine lacks for it).

Each command maps its flags onto keyword arguments of a library function and prints what it returns; stages are
imported inside the command bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from contractgen.cli.batch_commands import batch_options, echo_summary
from contractgen.cli.group import CROSS_PAGE_SEAL_HELP, OVERWRITE_HELP, cli, output_folder
from contractgen.cli.json_output import emit, format_option, reports_errors
from contractgen.cli.process_end import collector_off_to_the_end


def _font_options(serif: str | None, sans: str | None) -> Any:
    from contractgen.writers.fonts import DEFAULT_SANS, DEFAULT_SERIF, FontSet, check_font_name

    return FontSet(check_font_name(serif or DEFAULT_SERIF), check_font_name(sans or DEFAULT_SANS))


_SERIF_HELP = "正文字体（宋体类），默认 Noto Serif CJK SC；如 FangSong_GB2312。"
_SANS_HELP = "标题字体（黑体类），默认 Noto Sans CJK SC。"


@cli.command("render")
@click.argument("specs", nargs=-1, required=True, type=click.Path(), metavar="SPEC_OR_DIR...")
@click.option(
    "-o",
    "--output",
    "out_dir",
    default=".",
    show_default=True,
    type=click.Path(),
    callback=output_folder,
    help="输出目录。",
)
@click.option("--overwrite", is_flag=True, help=OVERWRITE_HELP)
@click.option(
    "--to", "formats", default="docx,pdf", show_default=True, metavar="LIST", help="输出格式：docx、pdf，逗号分隔。"
)
@click.option("--format", "old_formats", metavar="LIST", hidden=True, help="已改名为 --to。")
@click.option("--split", is_flag=True, help="另外为正文、附件等每一部分各写一个文件。")
@click.option(
    "--docx-template",
    type=click.Path(dir_okay=False, exists=True),
    help="另用自己的 Word 模板（docxtpl 占位符）生成一份：<合同编号>-模板-<模板名>.docx。",
)
@click.option("--serif-font", metavar="FAMILY", help=_SERIF_HELP)
@click.option("--sans-font", metavar="FAMILY", help=_SANS_HELP)
@click.option("--strict", is_flag=True, help="警告也视为错误（规格中 acknowledge 已确认的警告除外）。")
@click.option("--cross-page-seal", is_flag=True, help=CROSS_PAGE_SEAL_HELP)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="并行进程数。")
@batch_options
def render_command(
    *,
    specs: tuple[str, ...],
    out_dir: str,
    formats: str,
    old_formats: str | None,
    split: bool,
    docx_template: str | None,
    serif_font: str | None,
    sans_font: str | None,
    strict: bool,
    cross_page_seal: bool,
    jobs: int,
    overwrite: bool,
    shard: Any,
    resume: bool,
    summary: bool,
    max_tasks_per_worker: int | None,
) -> None:
    """Render contract specs to DOCX and PDF: the contract and all its annexes.

    \b
    Example:
        contractgen render my-contract.yaml -o out/
        contractgen render specs/ -o out/ -j 2
        contractgen render a.yaml b.yaml -o out/ --to pdf --split
        contractgen render specs/ -o out/shard-0 --shard 0/4 --resume

    Files are named after each contract's 合同编号 (out/KF-2026-0001.docx, .pdf); folders are searched for *.yaml
    and *.yml. Each spec is rendered on its own and its files are written together or not at all; the written paths
    go to standard output. An invalid spec's problems are printed as `contractgen validate` prints them, and the
    other specs are still rendered. With several specs, progress goes to standard error (a bar on a terminal, one
    line per spec in CI). Exit code: 0 all rendered, 3 a spec is invalid, 4 a template error, 5 a render or output
    failure (a missing Chinese font, another run in the same directory), 130 interrupted. Same spec, same bytes.
    Every spec's end is a line of OUT/batch.jsonl (--resume trusts it, batch-report merges it: docs/scale.md).
    """
    # One body for the command's whole story: a click command's parameters cannot be split across functions
    # without repeating them, and the docstring is its --help.
    from contractgen.batch import choose_progress, discover_specs
    from contractgen.batch import summary as summary_line
    from contractgen.diagnostics import format_text
    from contractgen.writers.batch_rendering import render_batch

    formats = _renamed_format_option(formats, old_formats)
    paths = discover_specs(specs)
    if len(paths) == 1:
        collector_off_to_the_end()  # one render's memory, freed by the process's end (cli/process_end.py)
    report = render_batch(
        specs,  # as given: a spec's shard is its path relative to the folder named here
        out_dir,
        formats=formats.split(","),
        split=split,
        docx_template=docx_template,
        fonts=_font_options(serif_font, sans_font),
        strict=strict,
        jobs=jobs,
        progress=choose_progress(sys.stderr) if len(paths) > 1 else None,
        overwrite=overwrite,
        cross_page_seal=cross_page_seal,
        shard=shard,
        resume=resume,
        max_tasks_per_worker=max_tasks_per_worker,
    )
    if report.warnings:
        click.echo(format_text(report.warnings), err=True)
    for path in report.paths:
        click.echo(str(path))
    if summary:
        echo_summary(report.ledger)
    if len(paths) == 1 and shard is None:
        if not report.ok:
            raise report.outcomes[0].error()  # one spec: reported as any other error
        return
    click.echo(f"render：{summary_line(report.outcomes)}", err=True)
    if report.exit_code:
        sys.exit(report.exit_code)


def _renamed_format_option(formats: str, old_formats: str | None) -> str:
    """``render --format docx`` still works, with a note: ``--format`` now means the report format everywhere
    else (``validate --format json``), and the DOCX/PDF choice is ``--to``, pandoc's name for the output format."""
    if old_formats is None:
        return formats
    ctx = click.get_current_context()
    if ctx.get_parameter_source("formats") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--format 已改名为 --to：两者只能用一个（请只用 --to）", ctx=ctx)
    note = f"render 的 --format 已改名为 --to，请改用 --to {old_formats}（旧写法以后会去掉）"
    click.echo(f"contractgen: 提示：{note}", err=True)
    return old_formats


@cli.command("doctor")
@click.option("--serif-font", metavar="FAMILY", help=_SERIF_HELP)
@click.option("--sans-font", metavar="FAMILY", help=_SANS_HELP)
@format_option("json", help="text：每项检查一行；json：每项检查及其状态、建议，见 docs/json-output.md。")
@reports_errors("doctor", "checks")
def doctor_command(*, serif_font: str | None, sans_font: str | None, output_format: str) -> None:
    """Check that this machine can render: WeasyPrint and Pango, harfbuzz-subset, the Chinese fonts.

    \b
    Example:
        contractgen doctor
        contractgen doctor --serif-font FangSong_GB2312
        contractgen doctor --format json

    Prints one line per check with what is missing and the command that installs it (with --format json,
    one JSON object: docs/json-output.md). Exit code 0 when rendering will work, 5 when something it needs
    is missing (optional tools never fail the check).
    """
    from contractgen.errors import EXIT_OK, RenderError
    from contractgen.writers.environment import check_environment

    findings = check_environment(_font_options(serif_font, sans_font))
    missing = [f.name for f in findings if f.required and not f.ok]
    message = f"无法渲染，缺少：{'、'.join(missing)}" if missing else "可以渲染：所需的组件和字体都在"
    if output_format == "json":
        checks = [_check_result(finding) for finding in findings]
        found = sum(f.ok for f in findings)
        summary = {"checks": len(checks), "found": found, "missing": len(checks) - found, "blocking": len(missing)}
        code = RenderError.exit_code if missing else EXIT_OK
        emit("doctor", exit_code=code, message=message, checks=checks, summary=summary)
    else:
        for finding in findings:
            click.echo(finding.format())
    if missing:
        raise RenderError(message)


def _check_result(finding: Any) -> dict[str, Any]:
    """One check of doctor's JSON: found or missing; ``required`` says whether missing it blocks rendering."""
    return {
        "name": finding.name,
        "status": "found" if finding.ok else "missing",
        "required": finding.required,
        "detail": finding.detail,
        "advice": finding.hint or None,
    }
