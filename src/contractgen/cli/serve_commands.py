"""The ``serve`` command: the spec form and the JSON API on this machine (:mod:`contractgen.server`).

Maps its flags onto :func:`contractgen.server.serve`; the server package (and aiohttp) is imported inside the
command body, so ``contractgen --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.cli.group import cli
from contractgen.errors import InputError, Terminated

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@cli.command("serve")
@click.argument("spec", required=False, type=click.Path(dir_okay=False), metavar="[SPEC]")
@click.option("--type", "contract_type", metavar="TYPE", help="没有 SPEC 时表单的合同类型。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；非本机地址会让局域网内的人也能访问。")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="端口；0 为任选空闲端口。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="生成文件的工作进程数。")
@click.option(
    "--docx-template",
    type=click.Path(dir_okay=False, exists=True),
    help="服务端的自定义 Word 模板（render?format=template 用它生成）；请求不能指定路径。",
)
def serve_command(
    *,
    spec: str | None,
    contract_type: str | None,
    host: str,
    port: int,
    no_browser: bool,
    jobs: int,
    docx_template: str | None,
) -> None:
    """Serve the spec as a form in your browser, and the same as a JSON API, on this machine.

    \b
    Example:
        contractgen serve specs/my.yaml
        contractgen serve --type TYPE --no-browser --port 8765

    Prints one line first: the URL to open, with its access token (every request needs it). With SPEC,
    saving writes back to that file (atomically) and to no other. Listens on 127.0.0.1 unless --host says
    otherwise (with a warning). SIGTERM stops it (exit code 0), Ctrl-C interrupts it (130). API: see
    docs/serve.md.
    """
    from contractgen.server import serve
    from contractgen.validation.schemas import spec_schema

    if contract_type is not None:
        spec_schema(contract_type)  # an unknown type fails now, naming the known ones
    path = Path(spec) if spec is not None else None
    if path is not None and not path.is_file():
        raise InputError(f"找不到合同规格文件：{path}")
    if host not in _LOOPBACK:
        click.echo(
            f"contractgen: 警告：监听 {host}，本机以外能连到这个地址的人只要拿到网址中的令牌就能使用本服务",
            err=True,
        )
    try:
        serve(
            path,
            contract_type=contract_type,
            host=host,
            port=port,
            jobs=jobs,
            browser=not no_browser,
            docx_template=Path(docx_template) if docx_template is not None else None,
        )
    except Terminated:
        # SIGTERM is how a service manager or a script stops a server: a normal stop, exit 0 (the workers were
        # stopped on the way out). Ctrl-C is an interrupt and stays 130, as everywhere else.
        click.echo("contractgen: 服务已停止", err=True)
