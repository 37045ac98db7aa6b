"""Warming: a worker process made ready to render before its first task, so no spec pays for the start.

- :func:`warm_up` imports the renderers (WeasyPrint with them) and resolves the fonts: what every worker does
  at its start;
- :func:`warm_render` renders each contract type's example once, to DOCX and PDF, the files thrown away: the
  templates compiled, the stylesheets parsed, the fonts loaded, shaped and subset — a process's first render is
  otherwise about half a second slower than its next ones (benchmarks/serve.py);
- :func:`warm_fork_server` runs such a render in a pool's fork server, then hands what it freed back to the
  system (glibc keeps it otherwise: about 90 MiB that every worker would inherit) and freezes the objects made
  so far out of the garbage collector, so that collections in the workers do not write to (and so copy) the
  pages they share with the fork server. Every worker forked afterwards — a recycled one's replacement too —
  starts warm.

``render`` and ``bundle`` (:mod:`contractgen.batch.warm_start`) and ``serve``
(:mod:`contractgen.server.warm_start`) warm their fork servers with these.

Nothing here may fail a worker or a fork server: whatever goes wrong is left for the tasks to meet and report.
This module must not start threads (a fork server forks) and must not write anything.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import Callable

__all__ = ["warm_fork_server", "warm_render", "warm_up"]


def warm_up() -> None:
    """Import the renderers and resolve the fonts once, at a worker's start, not at its first task."""
    import contractgen.validation.validator
    import contractgen.writers.docx
    import contractgen.writers.pdf  # noqa: F401
    from contractgen.writers.fonts import FontSet, resolve

    resolve(FontSet())


def warm_render() -> None:
    """Each contract type's example spec rendered to DOCX and PDF, the files thrown away. A type that cannot
    render here (a missing font) is left for its specs to report."""
    from contractgen.document import load_contract
    from contractgen.errors import ContractgenError
    from contractgen.validation.schemas import known_types
    from contractgen.validation.spec_form import render_form
    from contractgen.writers.rendering import render_documents

    for contract_type in known_types():
        with contextlib.suppress(ContractgenError):
            contract, _warnings = load_contract("warm-up.yaml", text=render_form(contract_type, example=True))
            render_documents(contract, formats=("docx", "pdf"))


def warm_fork_server(render: Callable[[], None]) -> None:
    """``render`` once in this process (a fork server), then memory handed back and the heap frozen."""
    with contextlib.suppress(Exception):  # e.g. no fonts at all: the workers' own start-up reports it per task
        render()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc: nothing to hand back this way
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
    gc.freeze()
