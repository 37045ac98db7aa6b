"""Budgets for rendering templates: a deadline, and how much output one render may produce.

A template is code: a user's Word template is untrusted, and a template author can write a loop over a loop by
mistake. Every render therefore runs within :func:`template_budget` — a deadline :data:`TIME_BUDGET` seconds
after the outermost budget opened, and :data:`MAX_OUTPUT` characters of output (macro and ``{% set %}``
buffers included). Two mechanisms enforce the deadline:

- cooperative checks (:func:`check_deadline`, :func:`spend_output`), which the sandbox
  (:mod:`contractgen.document.sandbox`) calls on every loop step, call, filter and output: they work on any
  thread;
- on the main thread, also ``SIGALRM`` from ``setitimer(ITIMER_REAL)``, whose handler raises between any two
  bytecodes — inside a long filter or a library's loop too — and again every :data:`_REPEAT` seconds, in case
  a library swallowed the first one. It is used only when no other timer is armed and no one else handles
  ``SIGALRM``; the previous handler and timer are restored when the outermost budget closes, whatever happens.

Both raise :class:`TemplateBudgetError`, a :class:`~contractgen.errors.TemplateError` (exit 4) saying which
budget ran out; the caller adds the template's name. Nested budgets share the outermost one's deadline and output.

This module must not import Jinja or anything heavy, nor leave a timer or a signal handler installed once the
outermost budget is closed.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from contractgen.errors import TemplateError

__all__ = [
    "MAX_OUTPUT",
    "TIME_BUDGET",
    "TemplateBudgetError",
    "budget_open",
    "check_deadline",
    "output_left",
    "spend_output",
    "template_budget",
]

TIME_BUDGET = 10.0  # seconds for one render (a user's Word template: all of its parts together)
MAX_OUTPUT = 128 * 1024 * 1024  # characters one render may produce; a Word template's XML is at most 64 MiB
_REPEAT = 0.25  # seconds between alarms once the deadline has passed
_GRACE = 0.1  # seconds the alarm holds off after a timeout was raised, while it unwinds


class TemplateBudgetError(TemplateError):
    """A render ran out of time or of output."""


class _Budget(threading.local):
    """This thread's open budget: its deadline (None: no budget open), its length, and the output spent."""

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.seconds = 0.0
        self.output = 0
        self.depth = 0
        self.raised = -1.0  # when a timeout was last raised (time.monotonic()); -1: not yet


class _Alarm:
    """The main thread's SIGALRM: whether our handler may raise, and what it replaced."""

    def __init__(self) -> None:
        self.live = False
        self.previous: Callable[[int, FrameType | None], Any] | int | None = None


_budget = _Budget()
_alarm = _Alarm()


def _timeout() -> TemplateBudgetError:
    _budget.raised = time.monotonic()
    return TemplateBudgetError(f"模板渲染超过时间上限（{_budget.seconds:g} 秒），可能含有过大的循环")


def check_deadline() -> None:
    """Raise :class:`TemplateBudgetError` once the open budget's deadline has passed (no budget: nothing)."""
    deadline = _budget.deadline
    if deadline is not None and time.monotonic() > deadline:
        raise _timeout()


def budget_open() -> bool:
    """Whether this thread has a budget open."""
    return _budget.deadline is not None


def output_left() -> int:
    """How many more characters of output the open budget allows."""
    return MAX_OUTPUT - _budget.output


def spend_output(size: int) -> None:
    """Count ``size`` characters of output against the open budget (loops and calls check the deadline)."""
    budget = _budget
    if budget.deadline is None:
        return
    budget.output += size
    if budget.output > MAX_OUTPUT:
        raise TemplateBudgetError(f"模板输出超过上限（{MAX_OUTPUT} 个字符），可能含有过大的循环")


# Where the alarm never raises: while a budget opens or closes. An exception there would skip the closing —
# contextlib's __exit__ can be interrupted before it resumes our generator — and leave the handler and timer
# behind. Skipping costs nothing: the alarm comes again _REPEAT seconds later, and the sandbox checks anyway.
_QUIET = frozenset({__name__, "contextlib"})


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    deadline = _budget.deadline  # the handler runs on the main thread: the main thread's budget
    if frame is not None and frame.f_globals.get("__name__") in _QUIET:
        return
    # A timeout just raised unwinds through Jinja, which rewrites its traceback to name the template line; a second
    # one raised inside that rewriting would replace it with one that names no line. So the alarm holds off for
    # _GRACE seconds after a timeout — long enough to unwind, short enough to come again if a library swallowed it.
    if _budget.raised >= 0 and time.monotonic() - _budget.raised < _GRACE:
        return
    if _alarm.live and deadline is not None and time.monotonic() >= deadline:
        raise _timeout()


def _alarm_usable() -> bool:
    # Only on the main thread (signal.signal raises elsewhere), and never over someone else's timer or handler.
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


def _arm(seconds: float) -> None:
    _alarm.previous = signal.signal(signal.SIGALRM, _on_alarm)
    _alarm.live = True
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), _REPEAT)


def _disarm() -> None:
    """Stop the timer and put the previous handler back."""
    _alarm.live = False
    signal.setitimer(signal.ITIMER_REAL, 0)
    if _alarm.previous is not None:
        signal.signal(signal.SIGALRM, _alarm.previous)
        _alarm.previous = None


@contextmanager
def template_budget() -> Iterator[None]:
    """Run the block within a budget of :data:`TIME_BUDGET` seconds and :data:`MAX_OUTPUT` characters.

    Inside an open budget (a Word template's parts inside the template's budget) it adds nothing: the outermost
    budget's deadline and output allowance hold for everything under it.
    """
    budget = _budget
    budget.depth += 1
    if budget.depth > 1:
        try:
            yield
        finally:
            budget.depth -= 1
        return
    alarm = False
    try:
        budget.seconds = TIME_BUDGET
        budget.output = 0
        budget.raised = -1.0
        budget.deadline = time.monotonic() + TIME_BUDGET
        alarm = _alarm_usable()
        if alarm:
            _arm(TIME_BUDGET)
        yield
    finally:
        if alarm:
            _disarm()
        budget.deadline = None
        budget.depth = 0
