"""Compiled templates: the shipped contract types' Jinja templates compiled once, at install, not in every command.

Jinja compiles a template (lexing, parsing, contractgen's sandbox instrumentation, code generation, Python's
``compile``) the first time a process loads it: 110 ms for the 13 templates of the sample contract's type, a fifteenth
of a cold ``contractgen render`` (7 December), paid before the layout can start. Jinja's own bytecode cache
(:class:`jinja2.BytecodeCache`) keeps the compiled code instead; a process then loads it (17–32 ms).

A compiled template is code that runs outside the sandbox's reach — the sandbox is in the code it was compiled
to — so the cache is trusted exactly as the package is, and only as far:

- It holds only the shipped templates (``templates/<language>/<type>/``, :func:`contractgen.resources.data_dir`),
  compiled by :func:`build` — ``./dev`` runs it after installing, ``python -m contractgen.document.template_cache``
  does it by hand — into the installation's own prefix (``sys.prefix/share/contractgen``), beside the installed
  code. A user's template folder never reads it, and no command writes it: a render only reads.
- Jinja serves an entry only for the same source (its SHA-1 is checked on every load) and the same Python; the
  folder's name carries a fingerprint of the Python and Jinja versions, contractgen's and the source of the
  modules that generate the code (the sandbox), so code compiled by other instrumentation is never loaded. A
  template changed since the cache was built is compiled as before, until the next :func:`build`.

This module must not change what a template renders, only where its compiled code comes from.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path
from typing import Any

import jinja2

__all__ = ["CACHE_ROOT", "build", "cache_folder", "shipped_cache", "shipped_folders"]

#: Where the installation keeps its compiled templates, one folder per fingerprint.
CACHE_ROOT = Path(sys.prefix) / "share" / "contractgen"


def _fingerprint() -> str:
    """What the compiled code depends on beyond each template's own source (see the module's docstring)."""
    import contractgen
    from contractgen.document import sandbox, templates

    digest = hashlib.sha256()
    for part in (sys.version, jinja2.__version__, contractgen.__version__):
        digest.update(part.encode() + b"\0")
    for module in (sandbox, templates):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def cache_folder(root: Path | None = None) -> Path:
    """The folder of compiled templates for this Python, Jinja and contractgen."""
    return (CACHE_ROOT if root is None else root) / f"templates-{_fingerprint()}"


def shipped_folders() -> list[Path]:
    """Every shipped contract type's template folder (those with a ``parts.yaml``), sorted."""
    from contractgen.resources import data_dir

    return sorted(parts.parent.resolve() for parts in data_dir("templates").glob("*/*/parts.yaml"))


class _ReadOnly(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache that loads entries and never writes one (a render must not write outside its output)."""

    def dump_bytecode(self, bucket: Any) -> None:
        return None


def shipped_cache(folder: Path, root: Path | None = None) -> jinja2.BytecodeCache | None:
    """The read-only cache for ``folder`` when it is a shipped template folder and the cache was built, else
    None (the templates are then compiled as Jinja does)."""
    directory = cache_folder(root)
    if not directory.is_dir() or folder.resolve() not in shipped_folders():
        return None
    return _ReadOnly(str(directory))


def build(root: Path | None = None) -> Path:
    """Compile every shipped template into the cache (any older fingerprint's folder removed) and return it."""
    from contractgen.document.templates import sandboxed_environment

    directory = cache_folder(root)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.parent.glob("templates-*"):
        if stale != directory:
            shutil.rmtree(stale, ignore_errors=True)
    for folder in shipped_folders():
        environment = sandboxed_environment(jinja2.FileSystemLoader(str(folder)))
        environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(directory))  # writes each entry whole
        for template in sorted(path.name for path in folder.glob("*.j2")):
            environment.get_template(template)
    return directory


if __name__ == "__main__":  # pragma: no cover - run by ./dev
    print(f"compiled templates: {build()}")
