"""The contract types: which exist, and each one's declaration and rules, found once per process.

A contract type is the folder ``templates/zh/<type>/`` (through :func:`contractgen.resources.template_dir`, so a
wheel's package data and a checkout's folder alike). :func:`contract_type` reads its declaration and, on first
use of :attr:`ContractType.rules`, imports its module.

This module must not name any type, nor validate or render anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from contractgen.catalog.declaration import PartyDeclaration, TypeDeclaration, module_prefix, read_declaration
from contractgen.catalog.loader import import_type_module
from contractgen.catalog.rules import TypeRules, read_rules
from contractgen.errors import TemplateError
from contractgen.resources import data_dir, template_dir

__all__ = ["ContractType", "contract_type", "type_names"]


@dataclass(frozen=True)
class ContractType:
    """One type: its declaration (``parts.yaml``) and, loaded on first use, its rules."""

    declaration: TypeDeclaration
    _rules: list[TypeRules] = field(default_factory=list, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.declaration.name

    @property
    def parties(self) -> tuple[PartyDeclaration, ...]:
        return self.declaration.parties

    @property
    def rules(self) -> TypeRules:
        if not self._rules:
            declared = self.declaration
            module = import_type_module(module_prefix(declared.name), declared.folder, declared.rules)
            self._rules.append(read_rules(module))
        return self._rules[0]

    def present_parties(self, data: Any) -> tuple[PartyDeclaration, ...]:
        """The declared parties a spec's data (or a model, by attribute) has, in signing order."""
        if isinstance(data, dict):
            return tuple(p for p in self.parties if data.get(p.key) is not None)
        return tuple(p for p in self.parties if getattr(data, p.key, None) is not None)


@cache
def contract_type(name: str) -> ContractType:
    """The type ``name``; a :class:`TemplateError` when there is no such folder or its declaration is wrong."""
    if name not in type_names():
        raise TemplateError(f"没有合同类型 {name!r} 的模板（{template_dir(name)}）")
    return ContractType(read_declaration(template_dir(name).resolve()))


@cache
def type_names() -> tuple[str, ...]:
    """Every type folder's name (a folder with a ``parts.yaml``), sorted."""
    root = data_dir("templates") / "zh"
    return tuple(sorted(p.name for p in root.iterdir() if (p / "parts.yaml").is_file()))
