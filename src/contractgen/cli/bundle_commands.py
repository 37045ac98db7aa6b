"""Bundle commands: ``bundle`` (the copies to be signed, with a manifest) and ``verify`` (a bundle re-checked).

Each command maps its flags onto keyword arguments of a library function and prints what it returns; stages are
imported inside the command bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from contractgen.cli.batch_commands import batch_options, echo_summary
from contractgen.cli.group import CROSS_PAGE_SEAL_HELP, OVERWRITE_HELP, cli, output_folder, password_from_env
from contractgen.cli.json_output import emit, format_option, reports_errors
from contractgen.errors import EXIT_OK, InputError, VerificationError


@cli.command("bundle")
@click.argument("specs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(), callback=output_folder, help="输出目录。")
@click.option("--overwrite", is_flag=True, help=OVERWRITE_HELP)
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
@click.option("--cross-page-seal", is_flag=True, help=CROSS_PAGE_SEAL_HELP)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="并行进程数。")
@click.option("--strict", is_flag=True, help="警告也视为错误（规格中 acknowledge 已确认的警告除外）。")
@batch_options
@format_option("json", help="json：每个规格的结果、bundle 路径与每个文件的哈希（docs/json-output.md）。")
@reports_errors("bundle", "files")
def bundle_command(
    *,
    specs: tuple[str, ...],
    out_dir: str,
    make_zip: bool,
    pdfa: bool,
    sign_key: str | None,
    sign_password_env: str | None,
    sign_as: str,
    cross_page_seal: bool,
    jobs: int,
    overwrite: bool,
    strict: bool,
    output_format: str,
    shard: Any,
    resume: bool,
    summary: bool,
    max_tasks_per_worker: int | None,
) -> None:
    """Bundle specs into signable copies with a manifest (folders of specs are searched).

    \b
    Example:
        contractgen bundle samples/ -o bundles/ --zip -j 2
        contractgen bundle spec.yaml -o out/ --sign-key co.p12 --sign-password-env SIGN_PW
        contractgen bundle specs/ -o bundles/ --format json > bundles.json
        contractgen bundle specs/ -o bundles/ --shard "$JOB_COMPLETION_INDEX/8" --resume

    Each bundle holds the contract (DOCX, PDF), one PDF per copy marked 正本 · 甲方执 / 乙方执, the spec,
    manifest.json and SHA256SUMS. Dates come from SOURCE_DATE_EPOCH or the spec's signing date, so the
    same inputs give the same bytes. A spec's warnings are printed as render prints them; with --strict, a
    warning the spec does not acknowledge fails that spec. With --format json, standard output is one JSON
    object: each spec's status, its bundle and the SHA-256 of every file in it (docs/json-output.md).
    Every spec's end is a line of OUT/batch.jsonl: --shard K/N bundles one shard of N, --resume skips what
    the ledger and the files prove made, batch-report merges the ledgers of all shards (docs/scale.md).
    Exit code: 0 all bundled, 3 a spec is invalid, 5 a render failed.
    """
    # One body for the command's whole story (its options, the password, the report): a click command's
    # parameters cannot be split across functions without repeating them, and the docstring is its --help.
    from contractgen.batch import choose_progress
    from contractgen.batch import summary as summary_line
    from contractgen.bundling import bundle

    password = None
    if sign_password_env is not None:
        if sign_key is None:
            raise InputError("--sign-password-env 需要与 --sign-key 一起使用")
        password = password_from_env(sign_password_env, "签名密钥")
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
        overwrite=overwrite,
        cross_page_seal=cross_page_seal,
        strict=strict,
        shard=shard,
        resume=resume,
        max_tasks_per_worker=max_tasks_per_worker,
    )
    warnings = [w for outcome in report.outcomes if outcome.value is not None for w in outcome.value.warnings]
    if warnings:  # as render shows them: a bundle made despite a warning says so
        from contractgen.diagnostics import format_text

        click.echo(format_text(warnings), err=True)
    line = f"bundle：{summary_line(report.outcomes)}"
    if output_format == "json":
        _bundle_envelope(report, line)
    if summary:
        echo_summary(report.ledger)
    click.echo(line, err=True)
    if report.exit_code:
        sys.exit(report.exit_code)


def _bundle_envelope(report: Any, line: str) -> None:
    files = [_bundle_result(outcome) for outcome in report.outcomes]
    counts = {
        status: sum(f["status"] == status for f in files) for status in ("bundled", "skipped", "invalid", "failed")
    }
    emit("bundle", exit_code=report.exit_code, message=line, files=files, summary={"files": len(files), **counts})


def _bundle_result(outcome: Any) -> dict[str, Any]:
    """One spec of bundle's JSON: bundled (where, every file's SHA-256 and size, the spec's warnings), invalid
    (its diagnostics), or failed."""
    from contractgen.diagnostics import diagnostic_objects

    status = {"rendered": "bundled"}.get(outcome.status, outcome.status)
    built = outcome.value if outcome.ok else None
    return {
        "file": str(outcome.spec),
        "status": status,
        "exit_code": outcome.code,
        "message": outcome.message or None,
        "diagnostics": diagnostic_objects(outcome.diagnostics if built is None else built.warnings),
        "bundle": None if built is None else _bundle_contents(built),
    }


def _bundle_contents(built: Any) -> dict[str, Any]:
    """A bundle in place: its folder, its zip, and the files its SHA256SUMS lists (the manifest included)."""
    from contractgen.bundling.manifest import SUMS_NAME, parse_sums

    sums, _ = parse_sums((built.path / SUMS_NAME).read_bytes())
    files = [{"file": name, "sha256": sums[name], "size": (built.path / name).stat().st_size} for name in sorted(sums)]
    archive = str(built.archive) if built.archive else None
    return {"path": str(built.path), "archive": archive, "contract_no": built.contract_no, "files": files}


@cli.command("verify")
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path())
@click.option("--trust", type=click.Path(), help="签名须链接到的信任证书（PEM 或 DER）；每个 PDF 都须有可信签名。")
@format_option("json", help="text：每个问题、每个签名一行；json：有问题的文件、每个签名与汇总（docs/json-output.md）。")
@reports_errors("verify", "files", "signatures")
def verify_command(*, bundle_path: str, trust: str | None, output_format: str) -> None:
    """Check a bundle (directory or .zip): every file's hash, the file list, and its signatures.

    \b
    Example:
        contractgen verify bundles/KF-2026-0001 --trust company-ca.pem

    Prints one line per problem (missing, extra or changed file, broken or partial signature) and one line
    per signature that holds. With --trust, every PDF must carry a signature that chains to the certificate.
    With --format json, standard output is one JSON object instead (docs/json-output.md).
    Exit code: 0 when everything holds, 3 when BUNDLE or the certificate cannot be read, 6 otherwise.
    """
    from contractgen.bundling.verification import verify_report

    report = verify_report(bundle_path, trust=trust)
    if output_format == "text":
        for problem in report.problems:
            click.echo(str(problem))
        for note in report.notes:
            click.echo(note)
        if report.notes and not report.trusted:
            click.echo("提示：签名者的证书链未校验；用 --trust <CA 证书> 校验签名是否来自可信的签署方。")
    if report.problems:
        line = f"{bundle_path} 校验未通过：{len(report.problems)} 个问题"
    else:
        line = f"{bundle_path}: 校验通过（SHA256SUMS 所列 {report.files} 个文件，{report.signatures} 个签名）"
    if output_format == "json":
        _verify_envelope(bundle_path, report, line)
    if report.problems:
        raise VerificationError(line)
    click.echo(line, err=output_format == "json")


def _verify_envelope(bundle_path: str, report: Any, line: str) -> None:
    """verify's JSON: each file with a problem (its status the kind of its first one, the hash check's when
    there is one), each signature as contractgen words it, and the counts."""
    problems: dict[str, list[dict[str, str]]] = {}
    for problem in report.problems:
        problems.setdefault(problem.path, []).append({"kind": problem.kind, "message": problem.message})
    files = [{"file": name, "status": found[0]["kind"], "problems": found} for name, found in problems.items()]
    signatures = [_held_signature(note) for note in report.notes] + [
        {"file": p.path, "state": "invalid", "message": p.message} for p in report.problems if p.kind == "signature"
    ]
    signatures.sort(key=lambda signature: signature["file"])
    summary = {
        "bundle": bundle_path,
        "files": report.files,
        "signatures": report.signatures,
        "problems": len(report.problems),
        "trusted": report.trusted,
    }
    code = VerificationError.exit_code if report.problems else EXIT_OK
    emit("verify", exit_code=code, message=line, files=files, signatures=signatures, summary=summary)


def _held_signature(note: str) -> dict[str, str]:
    """A signature that holds, from verify's note ``FILE: 签名…``: the note's words start at its first 签名."""
    name, _, words = note.partition(": 签名")
    return {"file": name, "state": "valid", "message": f"签名{words}"}
