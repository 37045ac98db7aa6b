"""The loader: a contract type's Python, imported from its folder under names no other type can take.

A type folder (``templates/zh/<type>/``) is no Python package — its name may hold a hyphen — so its modules are
top-level modules whose file names all start with the type's name in snake case (``lease_rules.py``,
``lease_rent.py``): unique across types, they can import one another by plain absolute imports
(``from lease_rent import rent_table``), and mypy checks every type folder in one run without two modules of the
same name. :class:`TypeFolderFinder` — put on ``sys.meta_path`` once a type is loaded — serves exactly those names
from exactly those folders, so a type's module is found in a source checkout and in an installed wheel alike,
and no other import is touched. Each module is imported once per process (``sys.modules`` caches it).

This module must not read ``parts.yaml`` (:mod:`contractgen.catalog.declaration` does), nor check what a module
defines (:mod:`contractgen.catalog.rules` does).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from contractgen.errors import TemplateError

__all__ = ["TypeFolderFinder", "import_type_module"]

_LOCK = threading.Lock()


class TypeFolderFinder(importlib.abc.MetaPathFinder):
    """Finds ``<prefix>*.py`` in the folder registered for ``prefix``, and nothing else."""

    def __init__(self) -> None:
        self.folders: dict[str, Path] = {}

    def register(self, prefix: str, folder: Path) -> None:
        known = self.folders.get(prefix)
        if known is not None and known != folder:
            raise TemplateError(f"{folder}: 模块名前缀 {prefix} 已被 {known} 使用")
        self.folders[prefix] = folder

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if "." in fullname:
            return None
        for prefix, folder in self.folders.items():
            if fullname == prefix or fullname.startswith(prefix + "_"):
                candidate = folder / f"{fullname}.py"
                if candidate.is_file():
                    return importlib.util.spec_from_file_location(fullname, candidate)
        return None


_FINDER = TypeFolderFinder()


def import_type_module(prefix: str, folder: Path, file_name: str) -> ModuleType:
    """The module ``folder/file_name`` (whose name starts with ``prefix``), imported once.

    Any exception while importing it is a :class:`TemplateError` naming the file: a type's Python is part of its
    templates, and its mistakes are the template author's.
    """
    name = file_name.removesuffix(".py")
    path = folder / file_name
    if not path.is_file():
        raise TemplateError(f"{path}: 找不到合同类型的规则模块")
    with _LOCK:
        if _FINDER not in sys.meta_path:
            sys.meta_path.append(_FINDER)
        _FINDER.register(prefix, folder)
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "") or "").resolve() != path.resolve():
            raise TemplateError(f"{path}: 模块名 {name} 已被 {loaded.__file__} 使用")
        return loaded
    try:
        return importlib.import_module(name)
    except TemplateError:
        raise
    except Exception as error:
        raise TemplateError(f"{path}: 无法载入合同类型的规则模块：{type(error).__name__}: {error}") from error
