"""The command group: the one place where errors become messages and exit codes.

:meth:`ContractgenGroup.invoke` turns a :class:`~contractgen.errors.ContractgenError` into its Chinese message on
stderr and its ``exit_code``, Ctrl-C into 130 and SIGTERM (handled like Ctrl-C: everything is cleaned up) into
143. Click's own usage errors keep click's code 2. The command
modules beside this one register their commands on :func:`cli`.

This module must not import a pipeline stage: ``contractgen --help`` stays instant.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from contractgen import __version__
from contractgen.errors import EXIT_INTERRUPTED, EXIT_RENDER, EXIT_TERMINATED, ContractgenError, SpecError, Terminated

__all__ = [
    "CONTEXT_SETTINGS",
    "CROSS_PAGE_SEAL_HELP",
    "OVERWRITE_HELP",
    "ContractgenGroup",
    "cli",
    "output_folder",
    "password_from_env",
    "read_stdin",
    "report_error",
]
#: render and bundle: the 骑缝章 strip on every page, whatever the spec says.
CROSS_PAGE_SEAL_HELP = "每页右边缘留出骑缝章位置（同规格中 signing.cross_page_seal: true）。"

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
        previous = _terminate_like_ctrl_c()
        try:
            return super().invoke(ctx)
        except ContractgenError as error:
            report_error(error)
            ctx.exit(error.exit_code)
        except OSError as error:  # the machine, not the input: a full disk or no file handles left, say
            click.echo(f"contractgen: 错误：系统错误：{error.strerror or error}（{error.filename or ''}）", err=True)
            ctx.exit(EXIT_RENDER)
        except MemoryError:
            click.echo("contractgen: 错误：内存不足", err=True)
            ctx.exit(EXIT_RENDER)
        except KeyboardInterrupt as interrupt:
            terminated = isinstance(interrupt, Terminated)
            click.echo("contractgen: 已终止" if terminated else "contractgen: 已中断", err=True)
            ctx.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _terminate_like_ctrl_c() -> Any:
    """SIGTERM (CI's cancel) raises :class:`Terminated`, so a run cleans up as after Ctrl-C; the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_terminated)


@click.group(cls=ContractgenGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="contractgen", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn YAML contract specs into complete Chinese contracts (DOCX and PDF).

    \b
    Example:
        contractgen init            # the contract types
        contractgen render my-contract.yaml -o out/
    """


def output_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-o``: an empty folder name is a usage error (``Path("")`` would silently mean the current folder)."""
    if value is not None and value.strip() == "":
        raise click.BadParameter("输出目录不能为空（当前目录写作 -o .）", ctx=ctx, param=param)
    return value


#: ``--overwrite``: the flag both render and bundle take, with one wording.
OVERWRITE_HELP = "允许替换由其他规格文件生成（或没有生成记录）的同名输出。"


def read_stdin(limit: int | None = None) -> bytes:
    """Standard input's bytes (at most ``limit``); closed or unreadable standard input is an InputError."""
    import errno
    import sys

    from contractgen.errors import InputError

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("标准输入已关闭，没有可读的内容（用文件名代替 -，或用管道输入）")
    try:
        data: bytes = stream.read() if limit is None else stream.read(limit)
    except (OSError, ValueError) as error:
        if isinstance(error, OSError) and error.errno == errno.EBADF:
            raise InputError("标准输入已关闭，没有可读的内容（用文件名代替 -，或用管道输入）") from None
        raise InputError(f"无法读取标准输入：{getattr(error, 'strerror', None) or error}") from None
    return data


def password_from_env(variable: str, what: str) -> str:
    """The password held in the environment variable ``variable`` — never on the command line, where ``ps`` and
    shell histories would show it; an InputError naming the variable and ``what`` it is for when it is unset."""
    import os

    from contractgen.errors import InputError

    password = os.environ.get(variable)
    if password is None:
        raise InputError(f"环境变量 {variable} 未设置（应存放{what}的密码）")
    return password


# The serve command registers itself on the group (imported last: it needs ``cli`` above; aiohttp loads only
# when the command runs).
from contractgen.cli import serve_commands  # noqa: E402,F401
