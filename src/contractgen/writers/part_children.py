"""Standing part processes: the children that lay out a PDF's later runs (:mod:`contractgen.writers.pdf_workers`),
forked once and kept for the layouts that follow, so that a warm process pays the fork, and the copy-on-write of
the pages the fork shares, once rather than at every PDF.

A child is forked the first time a layout needs it, from this process as it is then — warm: WeasyPrint, the
fonts, the parsed stylesheets — and then waits on its pipe for runs (``("run", run)``). Each run is one
conversation of pdf_workers'; a child whose conversation ended cleanly waits for the next one. It is ended —
killed and reaped — when:

- its conversation failed in any way (an error, a warning, a hang, an answer out of turn): nothing it holds is
  trusted again;
- it has laid out :data:`RECYCLE_LAYOUTS` runs, so that a leak in a dependency never grows without bound;
- it has waited :data:`IDLE_SECONDS` for a run (it ends itself; this process forks a fresh child rather than
  give a run to one that near its end);
- :func:`end_part_processes` is called, and when this process exits;
- this process ends, however it ends: the kernel's parent-death signal, an end of file on its pipe, and a look at
  its parent's pid once a second while it waits.

A child inherits every descriptor this process has open when it is forked, and outlives most of them: one whose
holding means something — the lock on an output folder (:func:`contractgen.writers.output.locked`), which a child
holding a copy would keep after this process let it go — is named with :func:`not_inherited`, and a child closes
it first thing.

A child is only its own parent's: a process forked from this one (another child, a worker of a fork-context pool)
finds children it did not make, leaves them alone and forks its own. A child runs the code and the settings this
process had when it was forked; whoever changes them later in the same process (a test patching the layout) ends
the children first.

This module must not lay anything out, nor write files, nor decide how a document is split.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["IDLE_SECONDS", "RECYCLE_LAYOUTS", "Child", "children_for", "end_part_processes", "not_inherited"]
__all__ += ["release", "standing_pids"]

#: Runs a child lays out before it is replaced by a fresh fork.
RECYCLE_LAYOUTS = 50
#: A child that has waited this long for a run ends itself; this process reuses none that has waited longer
#: than this less :data:`IDLE_MARGIN` (a run sent to a child as it ends would only be laid out again in one pass).
IDLE_SECONDS = 120.0
IDLE_MARGIN = 15.0
#: How often a waiting child looks whether its parent still lives (where the parent-death signal is missing).
WATCH_SECONDS = 1.0

#: Signals whose handlers this process may have set (the CLI's SIGTERM, output.py's deferral, the budget's
#: alarm): a child must not run them — it is a copy of this process for layouts, and dies as it comes.
_RESET_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGALRM", "SIGUSR1") if hasattr(signal, name)
)

#: What a child does with a run: lay it out and talk it through over the pipe; True when its pages went back.
Work = Callable[[Connection, Any], bool]


@dataclass
class Child:
    """One standing child, as its parent sees it."""

    pid: int
    conn: Connection
    layouts: int = 0  # conversations it has been given
    idle_since: float = 0.0  # time.monotonic() when it was last released
    reaped: bool = False  # its pid may be another process's now: never signalled again


class _Standing:
    def __init__(self) -> None:
        self.owner = os.getpid()  # the process that forked the children below
        self.children: dict[int, Child] = {}  # every live child of ``owner``, by pid
        self.idle: list[Child] = []  # those waiting for a run, oldest first
        self.registered = False  # end_part_processes is an exit handler
        self.private: set[int] = set()  # descriptors a child closes at once (not_inherited)


_standing = _Standing()


@contextlib.contextmanager
def not_inherited(fd: int) -> Iterator[None]:
    """A child forked while the block runs closes ``fd`` before anything else (call it before ``fd`` is closed
    here, so that the number is never another descriptor's)."""
    _standing.private.add(fd)
    try:
        yield
    finally:
        _standing.private.discard(fd)


def _mine() -> None:
    """Forget children this process did not fork (it is a fork of their parent): their pipes closed here only."""
    if _standing.owner == os.getpid():
        return
    for child in _standing.children.values():
        with contextlib.suppress(OSError):
            child.conn.close()
    _standing.owner, _standing.children, _standing.idle = os.getpid(), {}, []


def children_for(count: int, work: Work) -> list[Child]:
    """``count`` children, each ready for one run: standing ones that are alive and fresh, the rest forked now.
    Raises OSError when a fork fails (what was taken is released unused)."""
    _mine()
    ready: list[Child] = []
    while _standing.idle and len(ready) < count:
        child = _standing.idle.pop()  # the most recent: the warmest
        if _usable(child):
            ready.append(child)
        else:
            _end(child)
    try:
        while len(ready) < count:
            ready.append(_fork(work))
    except OSError:
        release(ready, ok=True)
        raise
    for child in ready:
        child.layouts += 1
    return ready


def _usable(child: Child) -> bool:
    # One that has laid out its share is never idle: release ended it.
    if time.monotonic() - child.idle_since > IDLE_SECONDS - IDLE_MARGIN:
        return False
    try:
        if os.waitpid(child.pid, os.WNOHANG) != (0, 0):  # it ended, and is reaped now
            child.reaped = True
            return False
        return not child.conn.poll(0)  # an idle child says nothing: anything readable is an end of file or stale
    except ChildProcessError:  # not this process's child any more (reaped elsewhere)
        child.reaped = True
        return False
    except (OSError, EOFError):
        return False


def release(children: list[Child], *, ok: bool) -> None:
    """The children of a conversation back to wait for the next one (``ok``) or ended (it failed)."""
    now = time.monotonic()
    for child in children:
        if ok and child.layouts < RECYCLE_LAYOUTS and child.pid in _standing.children:
            child.idle_since = now
            _standing.idle.append(child)
        else:
            _end(child)


def end_part_processes() -> None:
    """Every standing child of this process killed and reaped, now (idle or not)."""
    _mine()
    for child in list(_standing.children.values()):
        _end(child)
    _standing.idle.clear()


def standing_pids() -> list[int]:
    """The pids of this process's standing children (for tests and diagnostics)."""
    _mine()
    return sorted(_standing.children)


def _end(child: Child) -> None:
    _standing.children.pop(child.pid, None)
    with contextlib.suppress(ValueError):
        _standing.idle.remove(child)
    with contextlib.suppress(OSError):
        child.conn.close()
    if child.reaped:
        return
    child.reaped = True
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child.pid, 0)


def _fork(work: Work) -> Child:
    if not _standing.registered:
        atexit.register(end_part_processes)
        _standing.registered = True
    ours, theirs = Pipe()
    parent = os.getpid()
    # Signals wait while the child is made, so none runs this process's handler in the child before the child
    # has put the default back.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _RESET_SIGNALS)
    try:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child_main(theirs, ours, parent, blocked, work)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    theirs.close()
    child = _standing.children[pid] = Child(pid, ours)
    return child


def _child_main(
    conn: Connection, parent_end: Connection, parent: int, mask: set[int | signal.Signals], work: Work
) -> None:
    """A child's whole life: runs laid out one after another until one fails or it is told, by an end of file,
    its parent's end or its own idleness, to stop; then ``os._exit``, whatever happened (nothing raised here
    may reach the parent's code, which this process is a copy of)."""
    try:
        # The collector stays off: a layout's objects are freed by one young collection after its pages went
        # back, while the parent writes the PDF — not in the middle of the layout.
        gc.disable()
        # Its parent's ends of the pipes (an end of file must reach the children), and what not_inherited named.
        for other in (parent_end, *(child.conn for child in _standing.children.values())):
            other.close()
        for fd in _standing.private:
            with contextlib.suppress(OSError):
                os.close(fd)
        for signum in _RESET_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:  # what the parent ignores, the child ignores
                signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        watched = False
        while (run := _next_run(conn, parent)) is not None and work(conn, run):
            gc.collect(0)
            if not watched:  # after the first run's pages: ctypes is not loaded on the first layout's path
                _die_with(parent)
                watched = True
    finally:
        os._exit(0)


def _next_run(conn: Connection, parent: int) -> Any:
    waiting = time.monotonic()
    try:
        while not conn.poll(WATCH_SECONDS):
            if os.getppid() != parent or time.monotonic() - waiting > IDLE_SECONDS:
                return None
        message = conn.recv()
    except (EOFError, OSError):
        return None
    return message[1] if isinstance(message, tuple) and message[0] == "run" else None


def _die_with(parent: int) -> None:
    """The kernel kills this process when its parent ends (Linux's PR_SET_PDEATHSIG); elsewhere the watch in
    :func:`_next_run` and the pipe's end of file do."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(0)
