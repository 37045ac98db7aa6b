"""Warm start: the fork server of ``serve``'s pool renders once, so every worker it forks starts warm.

The pool's workers are forked from a fork server (:func:`contractgen.batch.pool._pool_context`), which imports
the modules of :data:`contractgen.server.workers.PRELOAD` once; this module is the last of them. Importing it
renders each contract type's example spec (:func:`contractgen.server.tasks.warm_render`) and settles the fork
server's memory (:func:`contractgen.batch.warming.warm_fork_server`, shared with ``render``/``bundle``): a
worker forked afterwards has the compiled templates, parsed stylesheets and loaded fonts of that render, and
its first request — and the first of each worker that replaces one after its ``recycle`` tasks — is as fast as
the next ones.

Nothing here may fail the fork server: whatever goes wrong is left for the requests to meet and report.

This module must not be imported anywhere but in a pool's fork server (importing it renders), and must not
start threads (the fork server forks).
"""

from __future__ import annotations

from contractgen.batch.warming import warm_fork_server

__all__: list[str] = []


def _render() -> None:
    from contractgen.server import tasks  # looked up now: a test may stand in for it

    tasks.warm_render()


warm_fork_server(_render)
