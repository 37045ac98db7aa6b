"""Load a contract type's own Python for the tests: its rules module, and through it every module of its folder.

A type folder's modules are top-level modules named ``<type>_*.py`` that :mod:`contractgen.catalog` serves once the
type is loaded; :func:`load_type` loads it, so the tests can import them by name (``from customer_service_model
import Contract``) — ``tests/conftest.py`` loads every type before any test module is imported.
"""

from __future__ import annotations

from types import ModuleType

from contractgen.catalog import contract_type, type_names


def load_type(name: str) -> ModuleType:
    """The rules module of type ``name`` (loaded once; its folder's modules importable from then on)."""
    return contract_type(name).rules.module


def load_every_type() -> None:
    for name in type_names():
        load_type(name)
