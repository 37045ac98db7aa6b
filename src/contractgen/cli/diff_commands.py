"""Diff command: ``diff`` (what changed between two versions of a contract), a thin layer over
:func:`contractgen.comparison.diff`.

The command maps its flags onto keyword arguments, prints the listing or the JSON, or writes the redline file;
stages are imported inside the command body, so ``contractgen --help`` stays instant. Exit codes are those of
``diff`` and ``git diff --exit-code``: 0 no difference, 1 differences, 3 a spec is invalid, 2 usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from contractgen.cli.group import cli
from contractgen.cli.json_output import emit, reports_errors
from contractgen.errors import EXIT_OK, SpecError

#: Differences found: the exit code of ``diff`` and ``git diff --exit-code`` (not an error).
EXIT_DIFFERENT = 1


@cli.command("diff")
@click.argument("old", type=click.Path(dir_okay=False), metavar="OLD")
@click.argument("new", type=click.Path(dir_okay=False), metavar="[NEW]", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "docx", "pdf", "html"]),
    default="text",
    show_default=True,
    help="text：字段变更与条款修订对照；json：同样的内容（docs/diff.md）；docx：带修订标记的 Word 文件；"
    "pdf/html：修订对照稿（插入下划线、删除删除线，变更清单在前）。",
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="docx/pdf/html 写入的文件（默认 <新合同编号>-修订对照.<格式>，在当前目录）。",
)
@click.option(
    "--templates-old",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="旧版本用这个模板目录渲染（合同类型的模板目录，或其上层的 templates/）；不给 NEW 时比较同一规格。",
)
@reports_errors("diff", "files", "fields", "derived", "warnings", "clauses")
def diff_command(
    *, old: str, new: str | None, output_format: str, output: str | None, templates_old: str | None
) -> None:
    """Compare two versions of a contract spec: changed fields in Chinese, then the clause redline.

    \b
    Example:
        contractgen diff v1.yaml v2.yaml
        contractgen diff v1.yaml v2.yaml --format docx -o 修订.docx
        contractgen diff spec.yaml --templates-old old-templates/

    Fields are named by the schema's titles and worded as the contract words them (人民币叁拾陆万元整（¥360,000.00）),
    each with the clauses and annexes it reaches and the derived values that follow; then every clause, row and
    paragraph whose text differs, aligned by part and clause number (a renumbered or moved clause is reported as
    such), with deletions [-marked-] and insertions {+marked+} (in colour on a terminal). --format docx writes the
    new version with Word tracked changes against the old (author contractgen, dated by the new spec's signing
    date or SOURCE_DATE_EPOCH); pdf and html write a redline with a change list first. Exit code: 0 no
    difference, 1 differences, 3 a spec is invalid (reported as validate reports it), 2 usage.
    """
    from contractgen.comparison import diff

    if new is None and templates_old is None:
        raise click.UsageError("缺少 NEW：比较两个规格，或用 --templates-old 比较同一规格的新旧模板")
    if output is not None and output_format in ("text", "json"):
        raise click.UsageError(f"-o 只用于 docx、pdf、html；--format {output_format} 输出到标准输出")
    try:
        comparison = diff(old, new if new is not None else old, templates_old=templates_old)
    except SpecError as error:
        if output_format == "json":
            _emit_invalid(error, [old, new or old])
        raise
    code = EXIT_OK if comparison.same else EXIT_DIFFERENT
    if output_format == "text":
        from contractgen.comparison.listing import listing

        for line in listing(comparison, colour=True):
            click.echo(line)
    elif output_format == "json":
        emit("diff", exit_code=code, message=comparison.message, summary=comparison.summary, **comparison.lists())
        click.echo(comparison.message, err=True)
    else:
        click.echo(str(_write(comparison, output_format, output)))
        click.echo(comparison.message, err=True)
    click.get_current_context().exit(code)


def _write(comparison: Any, output_format: str, output: str | None) -> Path:
    """The redline written to ``output`` (or beside the current folder, named after the new contract's number)."""
    from contractgen.writers.file_names import file_stem
    from contractgen.writers.output import write_files

    if output_format == "docx":
        from contractgen.comparison.tracked_docx import tracked_docx

        data = tracked_docx(comparison)
    else:
        from contractgen.comparison.redline_html import redline_html, redline_pdf

        data = redline_pdf(comparison) if output_format == "pdf" else redline_html(comparison).encode("utf-8")
    stem = file_stem(comparison.new.contract.contract_no)
    target = Path(output) if output else Path(f"{stem}-修订对照.{output_format}")
    written = write_files(target.parent, {target.name: data})
    return written[0]


def _emit_invalid(error: SpecError, names: list[str]) -> None:
    """The JSON envelope of a comparison stopped by an invalid spec: each spec with its diagnostics."""
    from contractgen.diagnostics import diagnostic_objects

    files = []
    for name in dict.fromkeys(names):
        found = [d for d in error.diagnostics if d.file == name]
        status = "invalid" if any(d.severity == "error" for d in found) else "valid"
        files.append({"file": name, "status": status, "diagnostics": diagnostic_objects(found)})
    empty: dict[str, list[Any]] = {"fields": [], "derived": [], "warnings": [], "clauses": []}
    emit("diff", exit_code=error.exit_code, message=error.message, summary=None, files=files, **empty)
