"""Bundle commands: ``bundle`` (the copies to be signed, with a manifest) and ``verify`` (a bundle re-checked).

Each command maps its flags onto keyword arguments of a library function and prints what it returns; stages are
imported inside the command bodies, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

import sys

import click

from contractgen.cli.group import CROSS_PAGE_SEAL_HELP, OVERWRITE_HELP, cli, output_folder
from contractgen.errors import InputError, VerificationError


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
        overwrite=overwrite,
        cross_page_seal=cross_page_seal,
    )
    click.echo(f"bundle：{summary(report.outcomes)}", err=True)
    if report.exit_code:
        sys.exit(report.exit_code)


@cli.command("verify")
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path())
@click.option("--trust", type=click.Path(), help="签名须链接到的信任证书（PEM 或 DER）；每个 PDF 都须有可信签名。")
def verify_command(*, bundle_path: str, trust: str | None) -> None:
    """Check a bundle (directory or .zip): every file's hash, the file list, and its signatures.

    \b
    Example:
        contractgen verify bundles/KF-2026-0001 --trust company-ca.pem

    Prints one line per problem (missing, extra or changed file, broken or partial signature) and one line
    per signature that holds. With --trust, every PDF must carry a signature that chains to the certificate.
    Exit code: 0 when everything holds, 3 when BUNDLE or the certificate cannot be read, 6 otherwise.
    """
    from contractgen.bundling.verification import verify_report

    report = verify_report(bundle_path, trust=trust)
    for problem in report.problems:
        click.echo(str(problem))
    for note in report.notes:
        click.echo(note)
    if report.notes and not report.trusted:
        click.echo("提示：签名者的证书链未校验；用 --trust <CA 证书> 校验签名是否来自可信的签署方。")
    if report.problems:
        raise VerificationError(f"{bundle_path} 校验未通过：{len(report.problems)} 个问题")
    click.echo(f"{bundle_path}: 校验通过（SHA256SUMS 所列 {report.files} 个文件，{report.signatures} 个签名）")
