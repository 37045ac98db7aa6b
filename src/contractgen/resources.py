"""Where contractgen finds its templates and schemas.

In a wheel they are package data under ``contractgen/_data/`` (hatch ``force-include``); in a source checkout
(editable install, tests) they are the top-level ``templates/`` and ``schemas/`` folders, where template authors
and editors work on them. Every stage asks this module, so the two layouts cannot diverge.

This module must not read or parse the files it locates.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["data_dir", "schema_path", "template_dir"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``name`` (``"templates"`` or ``"schemas"``), from the wheel or from the source checkout."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent.parent / name  # src/contractgen -> repository root
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"contractgen data folder {name!r} not found (looked in {installed} and {checkout})")


def schema_path(contract_type: str) -> Path:
    return data_dir("schemas") / f"{contract_type}.schema.json"


def template_dir(contract_type: str, language: str = "zh") -> Path:
    return data_dir("templates") / language / contract_type
