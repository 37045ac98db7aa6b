"""Key commands: ``test-key`` (a self-signed key for trying out signatures, with its certificate beside it).

The command is named for what it gives — a key for tests — so that nobody takes it for the way to make the key
a company signs its contracts with; the certificate says so too, in its common name. It maps its flags onto
:func:`contractgen.bundling.self_signed.make_test_key` and prints what was written and how to use it. The
password comes from an environment variable, never from the command line (where ``ps`` and shell histories
would show it).
"""

from __future__ import annotations

import shlex
from datetime import UTC, datetime

import click

from contractgen.cli.group import cli, password_from_env


def _now() -> datetime:
    # The clock, on purpose: a test key is made today, and its certificate's validity dates are real dates
    # around today. Bundles never read the clock (they sign at their epoch), so the library is handed this.
    return datetime.now(UTC)


@cli.command("test-key")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.p12",
    type=click.Path(dir_okay=False),
    help="写出的 PKCS#12 密钥（.p12/.pfx）；证书另存为同名 .pem。已有的文件不会被覆盖。",
)
@click.option("--password-env", metavar="VAR", help="存放密钥密码的环境变量名；不给则密钥不加密码。")
@click.option("--name", metavar="TEXT", help="证书的组织名（O），如 上海明远科技有限公司；通用名总是写明仅供测试。")
def test_key_command(*, output: str, password_env: str | None, name: str | None) -> None:
    """Make a self-signed test key for bundle --sign-key, and its certificate for verify --trust.

    \b
    Example:
        contractgen test-key -o test-key.p12
        SIGN_PW=secret contractgen test-key -o test-key.p12 --password-env SIGN_PW --name 上海明远科技有限公司

    Writes FILE.p12 (an EC P-256 key and its self-signed certificate) and FILE.pem (the certificate). The
    certificate's common name is "contractgen 测试密钥 — 仅供测试，不具法律效力"; it is valid for a year before
    and after today. Signatures made with it have no legal force. Exit code: 0 written, 3 a file exists or an
    option is wrong, 5 the files cannot be written.
    """
    from contractgen.bundling.self_signed import make_test_key

    password = password_from_env(password_env, "测试密钥") if password_env is not None else None
    made = make_test_key(output, now=_now(), password=password, name=name)
    protection = "有密码" if made.encrypted else "无密码"
    click.echo(f"{made.p12}：测试签名密钥（PKCS#12，EC P-256，{protection}）")
    click.echo(f"{made.pem}：它的证书，供 contractgen verify --trust 使用")
    click.echo(f"证书：{made.subject}")
    click.echo(f"有效期：{made.not_before:%Y-%m-%d %H:%M:%S} 至 {made.not_after:%Y-%m-%d %H:%M:%S} UTC")
    click.echo(f"证书 SHA-256：{made.certificate_sha256}")
    sign = f"contractgen bundle SPEC -o OUT --sign-key {shlex.quote(str(made.p12))}"
    if made.encrypted:
        click.echo(f"签署：{sign} --sign-password-env {password_env}（{password_env} 存放同一密码）")
    else:
        click.echo(f"签署：{sign}（密钥无密码：不给 --sign-password-env）")
    click.echo(f"校验：contractgen verify OUT/<合同编号> --trust {shlex.quote(str(made.pem))}")
