"""Warm start of a batch: the fork server of ``render -j``/``bundle -j`` renders once, so every worker starts warm.

The batch pool (:mod:`contractgen.batch.pool`) puts this module last in its fork server's preload list when a
run renders; importing it runs :func:`contractgen.batch.warming.warm_render` there, so every worker forked
afterwards — and every fresh worker that replaces a recycled one — has its templates, stylesheets and fonts
loaded before its first spec.

This module must not be imported anywhere but in a pool's fork server (importing it renders).
"""

from __future__ import annotations

from contractgen.batch.warming import warm_fork_server, warm_render

__all__: list[str] = []

warm_fork_server(warm_render)
