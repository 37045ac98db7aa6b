"""Loading WeasyPrint: its first import, without the 214 subprocesses it starts on Linux.

WeasyPrint opens its C libraries through cffi by a list of names per library, Windows and macOS spellings first
(``libgobject-2.0-0``, ``gobject-2.0-0`` … ``libgobject-2.0.so.0``). For each name that does not load, cffi asks
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and then ``gcc`` and ``ld`` to look for it: 214
processes (``strace -f -e trace=execve``) and about a third of ``import weasyprint``, in every cold command.
While WeasyPrint is first imported, ``find_library`` answers None at once: the Linux sonames in the same lists
(``libgobject-2.0.so.0``, ``libharfbuzz-subset.so.0`` …) then load directly — the same libraries as before, found
by the dynamic loader. A library none of whose names loads fails as it did (WeasyPrint's own message), and
``contractgen doctor`` still looks libraries up the usual way.

WeasyPrint's PDF writer also imports fontTools' subsetter and variable-font instancer when it is imported, for
fonts it subsets with fontTools instead of HarfBuzz and for variable fonts;
contractgen's faces are neither (:mod:`contractgen.writers.pdf_fonts` embeds them as HarfBuzz's CFF subsets).
The subsetter is imported lazily (the standard library's ``importlib.util.LazyLoader``): the same module, run in
full on its first use, if there is one (50 ms saved). The instancer cannot be: WeasyPrint imports a function from
it (``from fontTools.varLib.instancer import instantiateVariableFont``), and taking a name from a lazy module
runs it, with ``fontTools.varLib``, the package it sits in: 60 ms of the 0.3 s the import then took (7 December,
this 2-core host, 12 runs of each in turn). While WeasyPrint is imported, a stand-in module
answers that import with a function that imports the instancer when it is first called and calls the real
function with the same arguments; the stand-in is gone from ``sys.modules`` afterwards, so any other import of
the instancer gets the real module.

WeasyPrint's html module parses its own stylesheets as it is imported: the HTML user-agent stylesheet, the
presentational hints and the form stylesheet, 70 ms of a cold command (7 December, this host). contractgen's
documents use none of them (:mod:`contractgen.writers.pdf` gives WeasyPrint a user-agent stylesheet of its own
elements), so while that module is imported each of them is made a stylesheet parsed on its first use
(:class:`_DeferredStylesheet`, a ``weasyprint.CSS``): the same stylesheet for any other use of WeasyPrint in the
process, parsed when that use first reads it. One thing the user-agent stylesheet's parse does at once is kept
at once: its ``@counter-style`` rules (``decimal`` for page numbers, ``cjk-decimal`` …) are read into WeasyPrint's
counter styles, which every layout copies before it reads a stylesheet.

Python's cyclic garbage collector is paused during that import (and put back as it was): an import makes no
garbage worth collecting — its modules live as long as the process — yet the 38,000 objects it keeps trigger
about 130 collections, one of them of every object in the process: 30 ms of the import's 230 (7 December).

It also holds the one switch through which other modules' changes to WeasyPrint's internals take effect
(:func:`patched_for_block`): installed only with WeasyPrint 70, whose code they were written against, and
active only inside a block, so any other use of WeasyPrint in the process is left as it is.

This module must not change which libraries are loaded, nor patch anything itself beyond that one import: the
changes :func:`patched_for_block` installs are the calling modules' own.
"""

from __future__ import annotations

import ctypes.util
import gc
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = [
    "DEFERRED_FUNCTIONS",
    "DEFERRED_STYLESHEETS_IN",
    "LAZY_MODULES",
    "WRITTEN_FOR",
    "import_weasyprint",
    "internals_known",
    "patched_for_block",
]

_lock = threading.Lock()
#: One deferred stylesheet parsed at a time (its own lock: a read during the import must not wait on _lock).
_parsing = threading.Lock()

#: The WeasyPrint major version whose internals contractgen's changes to them were written against.
WRITTEN_FOR = "70"

#: Modules WeasyPrint imports that a contract's PDF never uses: loaded on first use, not at import.
LAZY_MODULES = ("fontTools.subset",)

#: Functions WeasyPrint imports by name from modules a contract's PDF never uses: the module, and the names.
DEFERRED_FUNCTIONS = {"fontTools.varLib.instancer": ("instantiateVariableFont",)}


#: The WeasyPrint module whose stylesheets, parsed as it is imported, are parsed on first use instead.
DEFERRED_STYLESHEETS_IN = "weasyprint.html"

#: An ``@counter-style`` rule: a name and one block of descriptors (the rule has no nested block).
_COUNTER_STYLE_RULE = re.compile(r"@counter-style\s[^{]*\{[^}]*\}")


def _deferring(css: Any) -> Any:
    """A ``weasyprint.CSS`` whose parse waits for the first read of one of its attributes."""

    class _DeferredStylesheet(css):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.__dict__["_contractgen_deferred"] = (args, kwargs)
            counter_style = kwargs.get("counter_style")
            if counter_style is not None:  # read at once, as the whole parse would have read them
                rules = _COUNTER_STYLE_RULE.findall(kwargs.get("string", ""))
                css(string="\n".join(rules), counter_style=counter_style)

        def __getattr__(self, name: str) -> Any:  # only for an attribute not set yet: parse, then read it
            with _parsing:
                deferred = self.__dict__.pop("_contractgen_deferred", None)
                if deferred is not None:
                    css.__init__(self, *deferred[0], **deferred[1])
            return object.__getattribute__(self, name)

    return _DeferredStylesheet


class _StylesheetsDeferred(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports :data:`DEFERRED_STYLESHEETS_IN` with ``weasyprint.CSS`` deferring, while its code runs."""

    def __init__(self) -> None:
        self.loader: Any = None

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != DEFERRED_STYLESHEETS_IN or self.loader is not None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        package: Any = sys.modules["weasyprint"]
        css = package.CSS
        package.CSS = _deferring(css)  # what the module's ``from . import CSS`` takes
        try:
            self.loader.exec_module(module)
        finally:
            package.CSS = css
            setattr(module, "CSS", css)  # noqa: B010 (a module attribute mypy cannot know)

    def __getattr__(self, name: str) -> Any:  # the source, for tracebacks and inspect
        return getattr(self.loader, name)


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


def _deferred(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def _stand_ins() -> dict[str, types.ModuleType]:
    """A stand-in for each module of DEFERRED_FUNCTIONS not imported yet, holding its deferred functions."""
    stand_ins = {}
    for module, names in DEFERRED_FUNCTIONS.items():
        if module not in sys.modules:
            stand_ins[module] = types.ModuleType(module, "stands in while WeasyPrint is imported (contractgen)")
            for name in names:
                setattr(stand_ins[module], name, _deferred(module, name))
    return stand_ins


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
        stand_ins = _stand_ins()
        deferring = _StylesheetsDeferred()
        sys.meta_path.insert(0, deferring)
        try:
            for name in LAZY_MODULES:
                _import_lazily(name)
            sys.modules.update(stand_ins)  # found there, the stand-in is taken without importing its package
            import weasyprint
        finally:
            sys.meta_path.remove(deferring)
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
            ctypes.util.find_library = original
            if collecting:
                gc.enable()
    return weasyprint


def internals_known() -> bool:
    """Whether the WeasyPrint this process imports is :data:`WRITTEN_FOR`: only then does contractgen reach into
    its internals (the fast markup parse, the bare CFF subsets, the kept layouts, the joined parts)."""
    return str(import_weasyprint().__version__).split(".")[0] == WRITTEN_FOR


@contextmanager
def patched_for_block(
    active: ContextVar[bool], install: Callable[[Any], None], module: str, *, record: ContextVar[Any] | None = None
) -> Iterator[None]:
    """The block with ``active`` set, once ``install`` has patched WeasyPrint's ``module`` (WeasyPrint 70 only;
    ``install`` must leave a module it has already patched alone); with ``record``, that set to a new dict for
    the block (what the patched code remembers while the block lasts)."""
    if internals_known():
        install(importlib.import_module(module))
    remembered = record.set({}) if record is not None else None
    token = active.set(True)
    try:
        yield
    finally:
        active.reset(token)
        if record is not None and remembered is not None:
            record.reset(remembered)
