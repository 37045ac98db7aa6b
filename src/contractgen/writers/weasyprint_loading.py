"""Loading WeasyPrint: its first import, without the 214 subprocesses it starts on Linux.

WeasyPrint opens its C libraries through cffi by a list of names per library, Windows and macOS spellings first
(``libgobject-2.0-0``, ``gobject-2.0-0`` … ``libgobject-2.0.so.0``). For each name that does not load, cffi asks
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and then ``gcc`` and ``ld`` to look for it: 214
processes (``strace -f -e trace=execve``) and about a third of ``import weasyprint``, in every cold command.
While WeasyPrint is first imported, ``find_library`` answers None at once: the Linux sonames in the same lists
(``libgobject-2.0.so.0``, ``libharfbuzz-subset.so.0`` …) then load directly — the same libraries as before, found
by the dynamic loader. A library none of whose names loads fails as it did (WeasyPrint's own message), and
``contractgen doctor`` still looks libraries up the usual way.

WeasyPrint's PDF writer also imports fontTools' subsetter and variable-font instancer when it is imported, a
sixth of the import (50 ms), for fonts it subsets with fontTools instead of HarfBuzz and for variable fonts;
contractgen's faces are neither (:mod:`contractgen.writers.pdf_fonts` embeds them as HarfBuzz's CFF subsets).
Those two modules are imported lazily (the standard library's ``importlib.util.LazyLoader``): the same modules,
run in full on their first use, if there is one.

Python's cyclic garbage collector is paused during that import (and put back as it was): an import makes no
garbage worth collecting — its modules live as long as the process — yet the 38,000 objects it keeps trigger
about 130 collections, one of them of every object in the process: 30 ms of the import's 230 (7 December).

It also holds the one switch through which other modules' changes to WeasyPrint's internals take effect
(:func:`patched_for_block`): installed only with WeasyPrint 70, whose code they were written against, and
active only inside a block, so any other use of WeasyPrint in the process is left as it is.

This module must not change which libraries are loaded, nor patch anything beyond that one import.
"""

from __future__ import annotations

import ctypes.util
import gc
import importlib
import importlib.util
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["LAZY_MODULES", "WRITTEN_FOR", "import_weasyprint", "internals_known", "patched_for_block"]

_lock = threading.Lock()

#: The WeasyPrint major version whose internals contractgen's changes to them were written against.
WRITTEN_FOR = "70"

#: Modules WeasyPrint imports that a contract's PDF never uses: loaded on first use, not at import.
LAZY_MODULES = ("fontTools.subset", "fontTools.varLib.instancer")


def _import_lazily(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)  # imports the parent packages (small) as usual
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


def import_weasyprint() -> Any:
    """``weasyprint``, imported now (quickly) if it was not yet."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    with _lock:
        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        collecting = gc.isenabled()
        gc.disable()
        try:
            for name in LAZY_MODULES:
                _import_lazily(name)
            import weasyprint
        finally:
            ctypes.util.find_library = original
            if collecting:
                gc.enable()
    return weasyprint


def internals_known() -> bool:
    """Whether the WeasyPrint this process imports is :data:`WRITTEN_FOR`: only then does contractgen reach into
    its internals (the fast markup parse, the bare CFF subsets, the kept layouts, the joined parts)."""
    return str(import_weasyprint().__version__).split(".")[0] == WRITTEN_FOR


@contextmanager
def patched_for_block(active: ContextVar[bool], install: Callable[[Any], None], module: str) -> Iterator[None]:
    """The block with ``active`` set, once ``install`` has patched WeasyPrint's ``module`` (WeasyPrint 70 only;
    ``install`` must leave a module it has already patched alone)."""
    if internals_known():
        install(importlib.import_module(module))
    token = active.set(True)
    try:
        yield
    finally:
        active.reset(token)
