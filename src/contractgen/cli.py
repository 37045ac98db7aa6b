"""The ``contractgen`` command line: a thin layer over the public API.

Each command maps its flags onto keyword arguments of a library function and prints what it returns. Errors are
turned into messages and exit codes in exactly one place, :meth:`ContractgenGroup.invoke`: a
:class:`~contractgen.errors.ContractgenError` becomes its Chinese message on stderr and its ``exit_code``; Ctrl-C
becomes 130. Click's own usage errors keep click's code 2. No user error ends in a traceback or in exit code 1.

Commands import the stages they use inside their bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from contractgen import __version__
from contractgen.errors import EXIT_INTERRUPTED, ContractgenError, SpecError

__all__ = ["ContractgenGroup", "main"]

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def report_error(error: ContractgenError) -> None:
    """Print ``error`` for a person: its diagnostics one per line when it has them, else its message."""
    if isinstance(error, SpecError) and error.diagnostics:
        from contractgen.diagnostics import format_text

        click.echo(format_text(error.diagnostics), err=True)
        if error.message:
            click.echo(error.message, err=True)
        return
    click.echo(f"contractgen: 错误：{error.message}", err=True)


class ContractgenGroup(click.Group):
    """The command group; its ``invoke`` is the one place where errors become messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ContractgenError as error:
            report_error(error)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("contractgen: 已中断", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=ContractgenGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="contractgen", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn YAML contract specs into complete Chinese contracts (DOCX and PDF).

    \b
    Example:
        contractgen render samples/customer-service.yaml -o out/
    """


# --- numerals commands (amount) ---------------------------------------------------------------------------


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
    from contractgen.errors import EXIT_INPUT, InputError, NumeralError
    from contractgen.numerals import parse_capital, to_capital

    if parse and (prefix or jiao_zheng or traditional or rounding):
        raise click.UsageError("--parse does not combine with --prefix, --jiao-zheng, --traditional, --round")
    if values:
        lines: list[str] = list(values)
    else:
        data = sys.stdin.buffer.read()
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


# --- spec commands (validate, schema, init) ---------------------------------------------------------------


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
    return list(dict.fromkeys(names))


@cli.command("validate")
@click.argument("specs", nargs=-1, required=True, metavar="SPEC...")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COL: FIELD: MESSAGE lines; json: a list of diagnostics for CI.",
)
def validate_command(*, specs: tuple[str, ...], strict: bool, output_format: str) -> None:
    """Check specs: schema, cross-field rules and legal checks, every problem at once.

    \b
    Example:
        contractgen validate samples/customer-service.yaml
        contractgen validate --strict --format json specs/ > diagnostics.json

    Prints every problem of every spec, sorted by line, warnings included (to standard output); a summary
    goes to standard error. Folders are searched for *.yaml and *.yml; "-" reads a spec from standard input.
    Exit code: 0 when every spec is valid (warnings allowed unless --strict), 3 when any has an error.
    """
    from contractgen.diagnostics import Diagnostic, format_json, format_text
    from contractgen.spec import LIMITS
    from contractgen.validation import check_spec

    diagnostics: list[Diagnostic] = []
    failed = 0
    files = _spec_files(specs)
    for name in files:
        if name == "-":
            report = check_spec("<stdin>", strict=strict, text=sys.stdin.buffer.read(LIMITS.max_bytes + 1))
        else:
            report = check_spec(name, strict=strict)
        diagnostics += report.diagnostics
        failed += not report.ok
    if output_format == "json":
        click.echo(format_json(diagnostics))
    elif diagnostics:
        click.echo(format_text(diagnostics))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    summary = (
        f"已检查 {len(files)} 个文件：{len(files) - failed} 个通过，{failed} 个有错误"
        f"（{errors} 个错误，{warnings} 个警告）"
    )
    if failed:
        raise SpecError(summary)
    click.echo(summary, err=True)


@cli.command("schema")
@click.argument("contract_type", metavar="[TYPE]", required=False)
def schema_command(*, contract_type: str | None) -> None:
    """Print the JSON Schema of a contract type, or list the types.

    \b
    Example:
        contractgen schema customer-service > customer-service.schema.json
        contractgen schema

    The schema is what editors use for completion and hover help (every field has a Chinese title and
    description); it is printed exactly as shipped.
    """
    from contractgen.schemas import known_types, spec_schema

    if contract_type is None:
        click.echo("\n".join(known_types()))
        return
    click.echo(spec_schema(contract_type).text, nl=False)


@cli.command("init")
@click.argument("contract_type", metavar="TYPE")
@click.option("--example", is_flag=True, help="Fill the form with sample values that validate.")
@click.option(
    "--schema-ref",
    metavar="PATH|URL",
    help="Where the form's yaml-language-server line points (default: the installed schema, as a file URL).",
)
def init_command(*, contract_type: str, example: bool, schema_ref: str | None) -> None:
    """Print a spec form: every field, with a Chinese comment from the schema.

    \b
    Example:
        contractgen init customer-service > my.yaml
        contractgen init customer-service --example --schema-ref ../schemas/customer-service.schema.json

    Required fields are blank for you to fill; optional ones are commented out ("# "), or filled with their
    default. With --example every field holds a sample value, and the form validates as it is.
    """
    from contractgen.init_form import render_form

    click.echo(render_form(contract_type, example=example, schema_ref=schema_ref), nl=False)


# --- render commands (render, doctor) ---------------------------------------------------------------------


def _font_options(serif: str | None, sans: str | None) -> Any:
    from contractgen.fonts import DEFAULT_SANS, DEFAULT_SERIF, FontSet, check_font_name

    return FontSet(check_font_name(serif or DEFAULT_SERIF), check_font_name(sans or DEFAULT_SANS))


_SERIF_HELP = "正文字体（宋体类），默认 Noto Serif CJK SC；如 FangSong_GB2312。"
_SANS_HELP = "标题字体（黑体类），默认 Noto Sans CJK SC。"


@cli.command("render")
@click.argument("specs", nargs=-1, required=True, type=click.Path(), metavar="SPEC_OR_DIR...")
@click.option("-o", "--output", "out_dir", default=".", show_default=True, type=click.Path(), help="输出目录。")
@click.option(
    "--format", "formats", default="docx,pdf", show_default=True, metavar="LIST", help="输出格式：docx、pdf，逗号分隔。"
)
@click.option("--split", is_flag=True, help="另外为正文、附件等每一部分各写一个文件。")
@click.option(
    "--docx-template",
    type=click.Path(dir_okay=False, exists=True),
    help="另用自己的 Word 模板（docxtpl 占位符）生成一份：<合同编号>-<模板名>.docx。",
)
@click.option("--serif-font", metavar="FAMILY", help=_SERIF_HELP)
@click.option("--sans-font", metavar="FAMILY", help=_SANS_HELP)
@click.option("--strict", is_flag=True, help="警告也视为错误。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="并行进程数。")
def render_command(
    *,
    specs: tuple[str, ...],
    out_dir: str,
    formats: str,
    split: bool,
    docx_template: str | None,
    serif_font: str | None,
    sans_font: str | None,
    strict: bool,
    jobs: int,
) -> None:
    """Render contract specs to DOCX and PDF: the contract and all its annexes.

    \b
    Example:
        contractgen render samples/customer-service.yaml -o out/
        contractgen render specs/ -o out/ -j 2
        contractgen render a.yaml b.yaml -o out/ --format pdf --split

    Files are named after each contract's 合同编号 (out/KF-2026-0001.docx, .pdf); folders are searched for
    *.yaml and *.yml. Each spec is rendered on its own and its files are written together or not at all;
    the written paths go to standard output. An invalid spec's problems are printed as `contractgen
    validate` prints them, and the other specs are still rendered. With several specs, progress goes to
    standard error (a bar on a terminal, one line per spec in CI). Exit code: 0 all rendered, 3 a spec is
    invalid, 4 a template error, 5 a render or output failure (e.g. a missing Chinese font, or another run
    writing to the same directory), 130 interrupted. The same spec gives the same bytes every time.
    """
    from contractgen.batch import choose_progress, discover_specs, summary
    from contractgen.diagnostics import format_text
    from contractgen.rendering import render_batch

    paths = discover_specs(specs)
    report = render_batch(
        paths,
        out_dir,
        formats=formats.split(","),
        split=split,
        docx_template=docx_template,
        fonts=_font_options(serif_font, sans_font),
        strict=strict,
        jobs=jobs,
        progress=choose_progress(sys.stderr) if len(paths) > 1 else None,
    )
    if report.warnings:
        click.echo(format_text(report.warnings), err=True)
    for path in report.paths:
        click.echo(str(path))
    if len(paths) == 1:
        if not report.ok:
            raise report.outcomes[0].error()  # one spec: reported as any other error
        return
    click.echo(f"render：{summary(report.outcomes)}", err=True)
    if report.exit_code:
        sys.exit(report.exit_code)


@cli.command("doctor")
@click.option("--serif-font", metavar="FAMILY", help=_SERIF_HELP)
@click.option("--sans-font", metavar="FAMILY", help=_SANS_HELP)
def doctor_command(*, serif_font: str | None, sans_font: str | None) -> None:
    """Check that this machine can render: WeasyPrint and Pango, harfbuzz-subset, the Chinese fonts.

    \b
    Example:
        contractgen doctor
        contractgen doctor --serif-font FangSong_GB2312

    Prints one line per check with what is missing and the command that installs it. Exit code 0 when
    rendering will work, 5 when something it needs is missing (optional tools never fail the check).
    """
    from contractgen.doctor import check_environment
    from contractgen.errors import RenderError

    findings = check_environment(_font_options(serif_font, sans_font))
    for finding in findings:
        click.echo(finding.format())
    missing = [f.name for f in findings if f.required and not f.ok]
    if missing:
        raise RenderError(f"无法渲染，缺少：{'、'.join(missing)}")

# --- bundle commands (bundle, verify) ---------------------------------------------------------------------


@cli.command("bundle")
@click.argument("specs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(), help="输出目录。")
@click.option("--zip", "make_zip", is_flag=True, help="另存一个可复现的 <合同编号>.zip。")
@click.option("--pdfa", is_flag=True, help="另存 PDF/A-3b 版本（pdfa/），内嵌规格文件与清单。")
@click.option("--sign-key", type=click.Path(), help="PKCS#12 签名密钥（.p12/.pfx）。")
@click.option("--sign-password-env", metavar="VAR", help="存放签名密钥密码的环境变量名。")
@click.option(
    "--sign-as",
    type=click.Choice(["a", "b"]),
    default="a",
    show_default=True,
    help="密钥属于甲方 a 或乙方 b。",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="并行进程数。")
def bundle_command(
    *,
    specs: tuple[str, ...],
    out_dir: str,
    make_zip: bool,
    pdfa: bool,
    sign_key: str | None,
    sign_password_env: str | None,
    sign_as: str,
    jobs: int,
) -> None:
    """Bundle specs into signable copies with a manifest (folders of specs are searched).

    \b
    Example:
        contractgen bundle samples/ -o bundles/ --zip -j 2
        contractgen bundle spec.yaml -o out/ --sign-key co.p12 --sign-password-env SIGN_PW

    Each bundle holds the contract (DOCX, PDF), one PDF per copy marked 正本 · 甲方执 / 乙方执, the spec,
    manifest.json and SHA256SUMS. Dates come from SOURCE_DATE_EPOCH or the spec's signing date, so the
    same inputs give the same bytes. Exit code: 0 all bundled, 3 a spec is invalid, 5 a render failed.
    """
    import os

    from contractgen.batch import choose_progress, summary
    from contractgen.bundling import bundle
    from contractgen.errors import InputError

    password = None
    if sign_password_env is not None:
        if sign_key is None:
            raise InputError("--sign-password-env 需要与 --sign-key 一起使用")
        password = os.environ.get(sign_password_env)
        if password is None:
            raise InputError(f"环境变量 {sign_password_env} 未设置（应存放签名密钥的密码）")
    report = bundle(
        specs,
        out_dir,
        zip=make_zip,
        pdfa=pdfa,
        sign_key=sign_key,
        sign_password=password,
        sign_as=sign_as,
        jobs=jobs,
        progress=choose_progress(sys.stderr),
    )
    click.echo(f"bundle：{summary(report.outcomes)}", err=True)
    if report.exit_code:
        sys.exit(report.exit_code)


@cli.command("verify")
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path())
@click.option("--trust", type=click.Path(), help="签名须链接到的信任证书（PEM 或 DER）。")
def verify_command(*, bundle_path: str, trust: str | None) -> None:
    """Check a bundle (directory or .zip): every file's hash, the file list, and its signatures.

    \b
    Example:
        contractgen verify bundles/KF-2026-0001 --trust company-ca.pem

    Prints one line per problem (missing, extra or changed file, broken or partial signature).
    Exit code: 0 when everything holds, 6 otherwise.
    """
    from contractgen.errors import VerificationError
    from contractgen.verification import verify_report

    report = verify_report(bundle_path, trust=trust)
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        raise VerificationError(f"{bundle_path} 校验未通过：{len(report.problems)} 个问题")
    click.echo(f"{bundle_path}: 校验通过（{report.files} 个文件，{report.signatures} 个签名）")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="contractgen")


if __name__ == "__main__":  # pragma: no cover
    main()
