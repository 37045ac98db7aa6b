"""Stack room: a call made from the start of a large chunk of CPython's frame stack, so that deep recursion
below it does not map and unmap memory at every turn.

CPython 3.11 keeps the locals of its Python frames on a stack of chunks per thread, 16 KB each: a call that
does not fit in the current chunk gets a new one from ``mmap``, and the chunk is unmapped as soon as that call
returns (cpython gh-142183: "alloc/dealloc thrashing when repeatedly hitting the same call depth at exactly
the wrong boundary", fixed in 2026 by keeping one chunk). WeasyPrint lays a contract out by recursion, down
and back across such a boundary thousands of times: 7,500 page faults and 60–120 ms of system time in every
warm render of the sample (8 December, ``getrusage``; ``strace`` counts a 16 KB ``mmap`` and ``munmap`` for
each crossing).

:func:`with_room` (and a function decorated :func:`roomy`) runs a call from a frame holding
:data:`ROOM_SLOTS` unused locals (57 KB). CPython sizes a new chunk as the first power of two of 16 KB that
holds the frame and 1,000 slots more, so that frame opens a chunk of 128 KB and leaves the next 71 KB of it to
the call and everything the call calls: the layout's recursion stays inside one chunk, mapped once. The
sample's warm render: 7,500 page faults → 400, and 1.39 → 1.26 s in one pass (medians of 7 in turn). A call
already inside the room is made directly.

This module must not change what a call does or returns; only where its frames' locals are kept.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable
from functools import lru_cache, partial, wraps
from typing import ParamSpec, TypeVar

__all__ = ["ROOM_SLOTS", "roomy", "with_room"]

_T = TypeVar("_T")
_P = ParamSpec("_P")

#: The unused locals of the roomy frame: its 7,300 slots and CPython's 1,000 of overhead pass 64 KB (8 bytes a
#: slot), so its chunk is 128 KB, of which 9,000 slots are left for the frames below it.
ROOM_SLOTS = 7300

_inside = threading.local()  # each thread has its own frame stack


def _call(function: Callable[[], _T]) -> _T:
    return function()


@lru_cache(maxsize=1)
def _roomy() -> Callable[[Callable[[], _T]], _T]:
    """:func:`_call` with :data:`ROOM_SLOTS` more locals, which its code never touches."""
    code = _call.__code__
    names = tuple(f"_room{n}" for n in range(ROOM_SLOTS))
    roomy = code.replace(co_varnames=code.co_varnames + names, co_nlocals=code.co_nlocals + ROOM_SLOTS)
    return types.FunctionType(roomy, _call.__globals__, "_roomy_call")


def with_room(function: Callable[[], _T]) -> _T:
    """``function()``, called from the start of a chunk of frame stack large enough for deep recursion."""
    if sys.implementation.name != "cpython" or getattr(_inside, "yes", False):
        return function()
    _inside.yes = True
    try:
        return _roomy()(function)
    finally:
        _inside.yes = False


def roomy(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """``function``, always called :func:`with_room`."""

    @wraps(function)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        return with_room(partial(function, *args, **kwargs))

    return call
