"""CLI: the ``contractgen`` command line, a thin layer over the public API.

Each command maps its flags onto keyword arguments of a library function and prints what it returns. Errors are
turned into messages and exit codes in exactly one place, :meth:`ContractgenGroup.invoke`: a
:class:`~contractgen.errors.ContractgenError` becomes its Chinese message on stderr and its ``exit_code``; Ctrl-C
becomes 130. Click's own usage errors keep click's code 2. No user error ends in a traceback or in exit code 1.

Commands import the stages they use inside their bodies, so ``contractgen --help`` stays instant.

Modules: :mod:`.group` (the group, errors → codes), and one module per command group — :mod:`.numeral_commands`,
:mod:`.spec_commands`, :mod:`.render_commands`, :mod:`.bundle_commands`, :mod:`.batch_commands`. This package
must not hold pipeline logic: what a command does is a library function.
"""

from __future__ import annotations

import gc

# Importing the command modules registers their commands on the group.
import contractgen.cli.diff_commands  # noqa: F401  (registers diff)
from contractgen.cli import (
    batch_commands,
    bundle_commands,
    key_commands,
    lint_commands,
    numeral_commands,
    process_end,
    render_commands,
    spec_commands,
)
from contractgen.cli.group import ContractgenGroup, cli

__all__ = ["ContractgenGroup", "cli", "main"]

_COMMAND_MODULES = (
    numeral_commands,
    spec_commands,
    render_commands,
    bundle_commands,
    batch_commands,
    key_commands,
    lint_commands,
)


def main() -> None:
    """Console-script entry point: the command, then the process's end (:mod:`.process_end`)."""
    process_end.mark_ending()
    try:
        cli(prog_name="contractgen")
    except SystemExit as done:
        if process_end.may_end_now(done.code):
            process_end.end_now(int(done.code or 0))
        raise
    finally:
        # Reached when the process ends the usual way (another thread still runs, or an error escaped). The
        # interpreter's last cyclic collections would walk every object still alive (WeasyPrint's modules and
        # caches, the fonts): 0.13 s of a cold ``render``, a tenth of it. Frozen objects are skipped by those
        # collections and freed all the same as the modules are torn down; atexit handlers, threads and open
        # files end as they would.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
