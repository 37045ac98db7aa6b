"""Worker start-up: the fork server ignores Ctrl-C, and a worker the run stopped wanting dies quietly.

Workers are forked by multiprocessing's fork server, which imports this module first (the pool puts it at the
head of the fork server's preload list). When a run is interrupted while a worker is still being started, the
run exits and its queues' semaphores are gone; the half-started worker then fails to unpickle them and the fork
server prints that traceback on the user's terminal — after the run has already said 已中断. That failure
belongs to no spec and changes nothing (the run is over, or sees a broken pool and reports it per spec), so the
hook below drops exceptions raised while a worker is being set up, before it runs anything of ours. Every other
exception is printed as before.

Ctrl-C reaches the whole process group, the fork server too; the fork server ignores SIGINT only once it has
imported its preload list (WeasyPrint: a second or more), so a Ctrl-C during that import printed a
KeyboardInterrupt traceback. Importing this module first makes it ignore SIGINT from the start: the run handles
Ctrl-C and stops the workers itself.

This module must not change how a started worker runs or reports.
"""

from __future__ import annotations

import signal
import sys
import traceback
from types import TracebackType

__all__ = ["install"]

_SETUP = ("multiprocessing/spawn.py", "_main")


def _during_setup(tb: TracebackType | None) -> bool:
    """True if the innermost multiprocessing/spawn.py frame is ``_main`` (unpickling), not ``_bootstrap``."""
    frames = [(frame.filename.replace("\\", "/"), frame.name) for frame in traceback.extract_tb(tb)]
    spawn = [frame for frame in frames if frame[0].endswith(_SETUP[0])]
    return bool(spawn) and spawn[-1][1] == _SETUP[1]


def _hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if _during_setup(tb):
        return
    sys.__excepthook__(kind, value, tb)


def install() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.excepthook = _hook


install()
