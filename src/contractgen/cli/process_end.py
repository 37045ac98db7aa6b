"""The command line's end: its process exits as its command returns, so work that only tidies memory is skipped.

:func:`contractgen.cli.main` marks its process as one that ends with its command (:func:`mark_ending`); a test's
``CliRunner`` never does, so in-process callers keep the usual behaviour. In a process so marked:

- a command that renders one spec leaves Python's cyclic collector off (:func:`collector_off_to_the_end`): the
  render's own collection of what it left (:func:`contractgen.writers.pdf.collector_paused`) would free memory the
  exit frees anyway — 15–25 ms of a cold ``render`` (7 December, this host);
- the process exits without the interpreter's teardown (:func:`end_now`): every atexit handler runs and standard
  output and error are flushed, then ``os._exit`` with the command's code. Tearing WeasyPrint's modules, caches
  and fonts down object by object took 30 ms against 13 ms (same host, five of each in turn).

A process with another thread still running (a server, an executor's workers) ends the usual way: the
interpreter joins it, and runs what the threading module registered for its end.

This module must not change a command's output or exit code, skip an atexit handler, or drop buffered output.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

__all__ = ["collector_off_to_the_end", "end_now", "ending", "mark_ending", "may_end_now"]

#: What Python exits with when it cannot flush standard output at its end.
EXIT_UNFLUSHED = 120


class _Process:
    ends_with_command = False


def mark_ending() -> None:
    """This process ends when its command returns (the console script, ``python -m contractgen``)."""
    _Process.ends_with_command = True


def ending() -> bool:
    """Whether this process ends when its command returns."""
    return _Process.ends_with_command


def collector_off_to_the_end() -> None:
    """The cyclic collector off for the rest of a process that ends with its command (else nothing): for a command
    whose work is bounded, one spec's render."""
    if ending():
        gc.disable()


def may_end_now(code: object) -> bool:
    """Whether the process can end at once with ``code``: marked as ending, no other thread alive but daemons,
    and a numeric code (a message as the code is printed by the interpreter's own exit)."""
    main = threading.main_thread()
    alone = all(thread is main or thread.daemon for thread in threading.enumerate())
    return ending() and alone and (code is None or isinstance(code, int))


def end_now(code: int) -> NoReturn:
    """Exit with ``code`` without tearing the interpreter down, once atexit handlers have run and standard output
    and error are flushed (:data:`EXIT_UNFLUSHED` when standard output cannot be, as Python itself does)."""
    atexit._run_exitfuncs()  # logging's shutdown, multiprocessing's, tempfile's and any command's own
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = code or EXIT_UNFLUSHED
    os._exit(code)
