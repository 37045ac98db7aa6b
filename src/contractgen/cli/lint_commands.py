"""Lint command: ``lint`` — a type folder checked before anyone renders it.

Maps its flags onto :func:`contractgen.authoring.lint` and prints what it returns: the problems as
``FILE:LINE:COL: NAME: MESSAGE`` lines, as the JSON envelope (docs/json-output.md) or as GitHub Actions
annotations. Exit 0 when clean, 4 (a template error) when any problem is found. The stage is imported inside
the command, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

from typing import Any

import click

from contractgen.cli.group import cli
from contractgen.cli.json_output import emit, format_option, reports_errors
from contractgen.errors import EXIT_OK, EXIT_TEMPLATE, TemplateError


@cli.command("lint")
@click.argument("target", metavar="[TYPE|DIR]", required=False)
@click.option(
    "--serif-font", metavar="FAMILY", help="The body face to check glyphs against (default: Noto Serif CJK SC)."
)
@click.option(
    "--sans-font", metavar="FAMILY", help="The title face to check glyphs against (default: Noto Sans CJK SC)."
)
@format_option(
    "json",
    "github",
    help="text: FILE:LINE:COL: NAME: MESSAGE lines; json: every type, its status and problems (docs/json-output.md); "
    "github: GitHub Actions annotations, one per problem.",
)
@reports_errors("lint", "types")
def lint_command(*, target: str | None, serif_font: str | None, sans_font: str | None, output_format: str) -> None:
    """Check a contract type's templates, schema and samples before anyone renders them.

    \b
    Example:
        contractgen lint
        contractgen lint TYPE
        contractgen lint templates/zh/my-type --format json

    Without TYPE|DIR every type under templates/zh/ is checked. Reports templates that do not parse, full-width
    punctuation in tags, names the context lacks, schema fields nothing uses, parts missing or unlisted,
    references to annexes and articles that point at nothing, characters the fonts cannot draw, and schema
    constructs the form of `serve` would not understand — every message is in docs/lint.md.
    Exit code: 0 when clean, 4 when any problem is found.
    """
    from contractgen.authoring import lint
    from contractgen.diagnostics import format_github, format_text

    report = lint(target, serif_font=serif_font, sans_font=sans_font)
    problems = report.problems
    dirty = sum(not t.ok for t in report.types)
    checked = len(report.types)
    line = f"已检查 {checked} 个合同类型：{checked - dirty} 个没有问题，{dirty} 个共有 {len(problems)} 个问题"
    if output_format == "json":
        emit(
            "lint",
            exit_code=EXIT_TEMPLATE if problems else EXIT_OK,
            message=line,
            types=[_type_result(t) for t in report.types],
            summary={"types": len(report.types), "clean": len(report.types) - dirty, "problems": len(problems)},
        )
    elif problems:
        click.echo(format_github(problems) if output_format == "github" else format_text(problems))
    if problems:
        raise TemplateError(line)
    click.echo(line, err=True)


def _type_result(result: Any) -> dict[str, Any]:
    from contractgen.diagnostics import diagnostic_objects

    status = "clean" if result.ok else "problems"
    return {
        "type": result.name,
        "folder": result.folder,
        "status": status,
        "diagnostics": diagnostic_objects(result.problems),
    }
