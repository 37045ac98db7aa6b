"""JSON output: the one envelope every command's ``--format json`` prints (docs/json-output.md).

Every envelope is one JSON object on standard output, and nothing else goes there::

    {"command": "validate", "version": 1, "ok": false, "exit_code": 3, "message": "已检查 …",
     "files": [{"file": "a.yaml", "status": "invalid", "diagnostics": [...]}], "summary": {"files": 1, ...}}

``ok`` is ``exit_code == 0``, and ``exit_code`` is the code the command exits with (unchanged by the format);
``message`` is the line contractgen says at the end, in Chinese, also printed on standard error. The list
(``files``, ``checks`` or ``inputs``, and ``signatures`` for verify) holds one object per thing the command
looked at; the same names mean the same things in every command (``file``, ``status``, ``diagnostics``,
``message``), and diagnostics are exactly the objects of :func:`contractgen.diagnostics.diagnostic_objects`,
which ``serve`` gives too. When the command stops before looking at anything (a bundle that cannot be read, no
spec found, a bad signing key), :func:`reports_errors` still prints an envelope: the lists empty, ``summary``
null, ``message`` the error. ``docs/json-output.schema.json`` describes it all; its ``version`` changes only when
a key is removed or changes its meaning.

This module must not decide what a command found or which exit code it ends with: the commands say so.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from contractgen.errors import ContractgenError

__all__ = ["VERSION", "emit", "format_option", "reports_errors"]

#: The envelope's own version (not contractgen's): what scripts check before they read the rest.
VERSION = 1

_EMITTED = "contractgen.json_output.emitted"  # in ctx.meta: this run printed its envelope already

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*formats: str, help: str) -> Callable[[F], F]:
    """``--format``: ``text`` (the default, for people) or one of ``formats`` for machines."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", *formats]),
        default="text",
        show_default=True,
        help=help,
    )


def emit(command: str, *, exit_code: int, message: str, summary: dict[str, Any] | None, **lists: Any) -> None:
    """Print the envelope of ``command`` on standard output, with ``lists`` (``files=[…]``…) in the order given."""
    envelope = {
        "command": command,
        "version": VERSION,
        "ok": exit_code == 0,
        "exit_code": exit_code,
        "message": message,
        **lists,
        "summary": summary,
    }
    click.echo(json.dumps(envelope, ensure_ascii=False, indent=2))
    click.get_current_context().meta[_EMITTED] = True


def reports_errors(command: str, *lists: str) -> Callable[[F], F]:
    """Wrap a command's callback: under ``--format json``, an error that stops it before it printed its envelope
    prints one all the same — ``lists`` empty, ``summary`` null — then goes on to the group's handler, which
    prints the message on standard error and exits with the error's code, as without JSON."""

    def decorate(callback: F) -> F:
        @functools.wraps(callback)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except ContractgenError as error:
                if kwargs.get("output_format") == "json" and not click.get_current_context().meta.get(_EMITTED):
                    empty: dict[str, Any] = {name: [] for name in lists}
                    emit(command, exit_code=error.exit_code, message=error.message, summary=None, **empty)
                raise

        return run  # type: ignore[return-value]

    return decorate
