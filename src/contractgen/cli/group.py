"""The command group: the one place where errors become messages and exit codes.

:meth:`ContractgenGroup.invoke` turns a :class:`~contractgen.errors.ContractgenError` into its Chinese message on
stderr and its ``exit_code``, and Ctrl-C into 130. Click's own usage errors keep click's code 2. The command
modules beside this one register their commands on :func:`cli`.

This module must not import a pipeline stage: ``contractgen --help`` stays instant.
"""

from __future__ import annotations

from typing import Any

import click

from contractgen import __version__
from contractgen.errors import EXIT_INTERRUPTED, ContractgenError, SpecError

__all__ = ["CONTEXT_SETTINGS", "ContractgenGroup", "cli", "report_error"]

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
