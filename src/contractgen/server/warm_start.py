"""Warm start: the fork server of ``serve``'s pool renders once, so every worker it forks starts warm.

The pool's workers are forked from a fork server (:func:`contractgen.batch.pool._pool_context`), which imports
the modules of :data:`contractgen.server.workers.PRELOAD` once; this module is the last of them. Importing it
renders each contract type's example spec (:func:`contractgen.server.tasks.warm_render`): a worker forked
afterwards has the compiled templates, parsed stylesheets and loaded fonts of that render, and its first
request — and the first of each worker that replaces one after its ``recycle`` tasks — is as fast as the
next ones, not half a second slower. Then what the render freed goes back to the system (glibc keeps it
otherwise: about 90 MiB, which every worker would inherit), and the objects made so far are frozen out of the
garbage collector, so that collections in the workers do not write to (and so copy) the pages they share with
the fork server.

Nothing here may fail the fork server: whatever goes wrong is left for the requests to meet and report.

This module must not be imported anywhere but in a pool's fork server (importing it renders), and must not
start threads (the fork server forks).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc

__all__: list[str] = []

with contextlib.suppress(Exception):  # e.g. no fonts at all: the workers' own start-up reports it per request
    from contractgen.server.tasks import warm_render

    warm_render()
gc.collect()
with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc: nothing to hand back this way
    ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
gc.freeze()
