"""A type's rules: what its Python module offers the core, read once and checked when it is loaded.

Required: ``build_model(data)``, ``build_context(model, common)`` and ``CHECKS``. Optional, with
their defaults: ``document_date(model)`` (``model.signing.date``), ``DOCUMENT_DATE_SOURCE``
(``"document_date"``), ``SUBSTANTIVE_FIELDS`` (no field beyond the parties), ``DERIVED_NAMES`` (no
derived value named in a change list), ``reference_tables()`` (the dated tables the checks read,
file name → SHA-256, which a bundle's manifest records; none). See :mod:`contractgen.catalog` for
what each means.

This module must not import a type (:mod:`contractgen.catalog.loader` does) nor call what it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from contractgen.errors import TemplateError

if TYPE_CHECKING:
    from contractgen.validation.checks import Check

__all__ = ["BuildContext", "BuildModel", "DocumentDate", "TypeRules", "read_rules"]

BuildModel = Callable[[Mapping[str, Any]], Any]
BuildContext = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
DocumentDate = Callable[[Any], date | None]


def _no_tables() -> dict[str, str]:
    return {}


def _signing_date(model: Any) -> date | None:
    signed: date | None = model.signing.date
    return signed


@dataclass(frozen=True)
class TypeRules:
    """The functions and tables of one type's module (``module``)."""

    module: ModuleType
    build_model: BuildModel
    build_context: BuildContext
    checks: Mapping[str, Check]
    document_date: DocumentDate = _signing_date
    substantive_fields: frozenset[str] = frozenset()
    derived_names: tuple[tuple[str, str], ...] = field(default=())
    document_date_source: str = "document_date"
    reference_tables: Callable[[], dict[str, str]] = _no_tables


def read_rules(module: ModuleType) -> TypeRules:
    """The :class:`TypeRules` of ``module``; a :class:`TemplateError` naming its file when a name is missing."""
    where = getattr(module, "__file__", module.__name__)

    def need(name: str) -> Any:
        value = getattr(module, name, None)
        if value is None:
            raise TemplateError(f"{where}: 规则模块缺少 {name}")
        return value

    build_model, build_context, checks = need("build_model"), need("build_context"), need("CHECKS")
    if not callable(build_model) or not callable(build_context):
        raise TemplateError(f"{where}: build_model 和 build_context 应为函数")
    if not isinstance(checks, Mapping) or not all(isinstance(k, str) and callable(v) for k, v in checks.items()):
        raise TemplateError(f"{where}: CHECKS 应为 检查名 → 函数 的映射")
    document_date = getattr(module, "document_date", _signing_date)
    substantive = frozenset(getattr(module, "SUBSTANTIVE_FIELDS", ()))
    derived = tuple(getattr(module, "DERIVED_NAMES", ()))
    source = str(getattr(module, "DOCUMENT_DATE_SOURCE", "document_date"))
    tables = getattr(module, "reference_tables", _no_tables)
    return TypeRules(
        module,
        cast(BuildModel, build_model),
        cast(BuildContext, build_context),
        cast("Mapping[str, Check]", checks),
        cast(DocumentDate, document_date),
        substantive,
        derived,
        source,
        cast("Callable[[], dict[str, str]]", tables),
    )
