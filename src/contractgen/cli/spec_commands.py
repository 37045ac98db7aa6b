"""Spec commands: ``validate``, ``schema``, ``init`` — checking specs and handing out forms and schemas.

Each command maps its flags onto keyword arguments of a library function and prints what it returns; stages are
imported inside the command bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from contractgen.cli.group import cli, read_stdin
from contractgen.cli.json_output import emit, format_option, reports_errors
from contractgen.errors import EXIT_INPUT, EXIT_OK, InputError, SpecError


def _spec_files(args: tuple[str, ...]) -> list[str]:
    """The specs named on the command line: files as given (a missing one is reported by validation, with the
    others still checked), folders searched for *.yaml/*.yml, "-" for standard input."""
    from pathlib import Path

    names: list[str] = []
    for arg in args:
        path = Path(arg)
        if arg != "-" and path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
            names += sorted(str(p) for p in found)
        else:
            names.append(arg)
    if not names:  # as render and bundle do: "all passed" over nothing would pass a CI job that checked nothing
        raise InputError(f"没有找到任何合同规格文件（*.yaml / *.yml）：{'、'.join(args)}")
    return list(dict.fromkeys(names))


@cli.command("validate")
@click.argument("specs", nargs=-1, required=True, metavar="SPEC...")
@click.option("--strict", is_flag=True, help="Treat warnings as errors, except those the spec acknowledges.")
@format_option(
    "json",
    "github",
    help="text: FILE:LINE:COL: FIELD: MESSAGE lines; json: every file, its status and diagnostics, and a summary "
    "(docs/json-output.md); github: GitHub Actions annotations, one per problem.",
)
@reports_errors("validate", "files")
def validate_command(*, specs: tuple[str, ...], strict: bool, output_format: str) -> None:
    """Check specs: schema, cross-field rules and legal checks, every problem at once.

    \b
    Example:
        contractgen validate my-contract.yaml
        contractgen validate --strict --format json specs/ > validation.json
        contractgen validate --format github specs/

    Prints every problem of every spec, sorted by line, warnings included (to standard output); a summary
    goes to standard error. With --format json, standard output is one JSON object instead (every file with
    its status and diagnostics, and the summary: docs/json-output.md); with --format github, one GitHub
    Actions annotation per problem. Folders are searched for *.yaml and *.yml; "-" reads a spec from standard input.
    Exit code: 0 when every spec is valid (warnings allowed unless --strict), 3 when any has an error.
    """
    from contractgen.diagnostics import format_github, format_text
    from contractgen.spec.loading import LIMITS
    from contractgen.validation import check_spec

    names = _spec_files(specs)
    reports = []
    for name in names:
        if name == "-":
            reports.append(check_spec("<stdin>", strict=strict, text=read_stdin(LIMITS.max_bytes + 1)))
        else:
            reports.append(check_spec(name, strict=strict))
    diagnostics = [d for report in reports for d in report.diagnostics]
    failed = sum(not report.ok for report in reports)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    passed = len(names) - failed
    line = f"已检查 {len(names)} 个文件：{passed} 个通过，{failed} 个有错误（{errors} 个错误，{warnings} 个警告）"
    if output_format == "json":
        files = [_file_result("<stdin>" if n == "-" else n, r) for n, r in zip(names, reports, strict=True)]
        counts = {status: sum(f["status"] == status for f in files) for status in ("valid", "invalid", "unreadable")}
        summary = {"files": len(files), **counts, "errors": errors, "warnings": warnings}
        emit("validate", exit_code=EXIT_INPUT if failed else EXIT_OK, message=line, files=files, summary=summary)
    elif diagnostics:
        click.echo(format_github(diagnostics) if output_format == "github" else format_text(diagnostics))
    if failed:
        raise SpecError(line)
    click.echo(line, err=True)


def _file_result(name: str, report: Any) -> dict[str, Any]:
    """One file of validate's JSON: unreadable (no spec came out of it at all), invalid, or valid."""
    from contractgen.diagnostics import diagnostic_objects

    status = "unreadable" if report.spec is None else "valid" if report.ok else "invalid"
    return {"file": name, "status": status, "diagnostics": diagnostic_objects(report.diagnostics)}


@cli.command("schema")
@click.argument("contract_type", metavar="[TYPE]", required=False)
@click.option(
    "--export",
    "export_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write every type's <type>.schema.json into DIR (beside your specs: editors find them relatively).",
)
def schema_command(*, contract_type: str | None, export_dir: str | None) -> None:
    """Print the JSON Schema of a contract type, list the types, or export the schemas beside your specs.

    \b
    Example:
        contractgen schema TYPE > TYPE.schema.json
        contractgen schema --export specs/
        contractgen schema

    The schema is what editors use for completion and hover help (every field has a Chinese title and
    description); it is printed exactly as shipped. A form from `contractgen init` points at
    <type>.schema.json beside itself, so exporting into the folder of your specs makes that work anywhere.
    """
    from contractgen.validation.schemas import known_types, spec_schema

    if export_dir is not None:
        for path in export_schemas(Path(export_dir), [contract_type] if contract_type else known_types()):
            click.echo(str(path))
        return
    if contract_type is None:
        click.echo("\n".join(known_types()))
        return
    click.echo(spec_schema(contract_type).text, nl=False)


def export_schemas(directory: Path, types: Sequence[str]) -> list[Path]:
    """Write ``<type>.schema.json`` of each type into ``directory`` (created), atomically; return the paths."""
    import os
    import tempfile

    from contractgen.errors import OutputError
    from contractgen.validation.schemas import spec_schema

    written = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for contract_type in types:
            target = directory / f"{contract_type}.schema.json"
            fd, temporary = tempfile.mkstemp(prefix=".contractgen-", dir=directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(spec_schema(contract_type).text)
            os.replace(temporary, target)
            written.append(target)
    except OSError as error:
        raise OutputError(f"无法写入 {directory}：{error.strerror or error}") from None
    return written


@cli.command("init")
@click.argument("contract_type", metavar="[TYPE]", required=False)
@click.option("--example", is_flag=True, help="Fill the form with sample values that validate.")
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write the form to FILE (never over an existing one) and the type's schema beside it.",
)
@click.option(
    "--schema-ref",
    metavar="PATH|URL",
    help="Where the form's yaml-language-server line points (default: <type>.schema.json beside the form).",
)
def init_command(*, contract_type: str | None, example: bool, output: str | None, schema_ref: str | None) -> None:
    """Print a spec form: every field, with a Chinese comment from the schema; without TYPE, list the types.

    \b
    Example:
        contractgen init             # the types: TYPE is one of them
        contractgen init TYPE -o specs/my.yaml
        contractgen init TYPE > my.yaml
        contractgen init TYPE --example --schema-ref ../schemas/TYPE.schema.json

    Required fields are blank for you to fill; optional ones (and optional groups such as contact and bank)
    are commented out ("# "), or filled with their default: filled in at its required fields, the form
    validates. With --example every field holds a sample value, and the form validates as it is. With -o the
    schema is written beside the form, so an editor's completion works wherever the folder goes.
    """
    from contractgen.validation.schemas import known_types
    from contractgen.validation.spec_form import render_form

    if contract_type is None:
        click.echo("合同类型（contractgen init <类型>）：", err=True)
        click.echo("\n".join(known_types()))
        return
    form = render_form(contract_type, example=example, schema_ref=schema_ref)
    if output is None:
        click.echo(form, nl=False)
        return
    target = Path(output)
    if target.exists() or target.is_symlink():
        raise InputError(f"{target} 已存在，未覆盖：请换一个文件名")
    export_schemas(target.parent, [contract_type])
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(form)
    except OSError as error:
        raise InputError(f"无法写入 {target}：{error.strerror or error}") from None
    click.echo(str(target))
