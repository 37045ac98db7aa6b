"""A contract type's declaration: the keys of its ``parts.yaml`` that say what the type is and what it needs.

``type`` (the folder's own name), ``samples`` (example specs under ``samples/``, the first one the example),
``rules`` (the type's Python module in the folder) and ``parties`` (the parties in signing order: the top-level spec
field each one is, its role in the contract, whether it may be left out). The parts themselves (``title``,
``parts``) are read by :class:`contractgen.document.templates.TemplateFolder`.

This module must not import the type's Python (that is :mod:`contractgen.catalog.loader`), nor read the templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import yaml

from contractgen.errors import TemplateError

__all__ = ["DECLARATION_KEYS", "PartyDeclaration", "TypeDeclaration", "module_prefix", "read_declaration"]

#: The keys of parts.yaml this module reads (TemplateFolder reads ``title`` and ``parts``).
DECLARATION_KEYS = frozenset({"type", "samples", "rules", "parties"})

_KEY = re.compile(r"[a-z][a-z0-9_]{0,40}")
_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}")
_PARTY_KEYS = frozenset({"key", "role", "optional"})


@dataclass(frozen=True)
class PartyDeclaration:
    """One party of a type: the spec field holding it (``key``), its role in the contract's text (``role``)."""

    key: str
    role: str
    optional: bool = False  # present only when the spec has it


@dataclass(frozen=True)
class TypeDeclaration:
    name: str
    folder: Path
    samples: tuple[str, ...]
    rules: str  # the file name of the type's module, in ``folder``
    parties: tuple[PartyDeclaration, ...]


def module_prefix(name: str) -> str:
    """What every Python file of type ``name`` starts with: its name in snake case (``a-b`` → ``a_b``)."""
    return name.replace("-", "_")


def read_declaration(folder: Path) -> TypeDeclaration:
    """The declaration in ``folder/parts.yaml``; a :class:`TemplateError` naming the file for anything wrong."""
    where = folder / "parts.yaml"
    try:
        data = yaml.safe_load(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{where}: 找不到模板目录的 parts.yaml") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TemplateError(f"{where}: 无法读取：{error}") from None

    def fail(message: str) -> NoReturn:
        raise TemplateError(f"{where}: {message}")

    if not isinstance(data, dict):
        fail("应为一个映射，含 type、title、parties 和 parts")
    name = data.get("type", folder.name)
    if name != folder.name:
        fail(f"type 应与目录名相同（{folder.name}），收到 {name!r}")
    samples = data.get("samples", [])
    if not isinstance(samples, list) or not all(isinstance(s, str) and _FILE.fullmatch(s) for s in samples):
        fail("samples 应为 samples/ 目录中的文件名列表")
    prefix = module_prefix(folder.name)
    rules = data.get("rules", f"{prefix}_rules.py")
    if not isinstance(rules, str) or not _FILE.fullmatch(rules) or not rules.endswith(".py"):
        fail(f"rules 应为本目录中的 .py 文件名，收到 {rules!r}")
    if not rules.startswith(prefix):
        fail(f"rules 的文件名应以 {prefix} 开头（各合同类型的模块名不能重复），收到 {rules!r}")
    return TypeDeclaration(folder.name, folder, tuple(samples), rules, _parties(data.get("parties"), fail))


def _parties(entries: object, fail: Callable[[str], NoReturn]) -> tuple[PartyDeclaration, ...]:
    if not isinstance(entries, list) or not entries:
        fail("parties 应为非空列表：各方的规格字段（key）和合同中的称谓（role），按签署顺序")
    parties: list[PartyDeclaration] = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) - _PARTY_KEYS:
            fail(f"parties 第 {n} 项应为映射，只含 key、role、optional")
        key, role, optional = entry.get("key"), entry.get("role"), entry.get("optional", False)
        if not isinstance(key, str) or not _KEY.fullmatch(key) or any(p.key == key for p in parties):
            fail(f"parties 第 {n} 项的 key 无效或重复：{key!r}")
        if not isinstance(role, str) or not role.strip() or any(p.role == role for p in parties):
            fail(f"parties 第 {n} 项的 role 应为非空且不重复的文字，收到 {role!r}")
        if not isinstance(optional, bool):
            fail(f"parties 第 {n} 项的 optional 应为 true 或 false，收到 {optional!r}")
        parties.append(PartyDeclaration(key, role, optional))
    return tuple(parties)
