"""The validator: a spec → every problem in it, sorted by line; for a valid spec, its typed data.

The stages, each reporting everything it finds before the next one runs on what is still sound:

1. loading (:mod:`contractgen.spec.loading`): encoding, characters, YAML traps — fatal problems stop here; 2. the
contract type: the ``type`` field picks ``schemas/<type>.schema.json``; 3. the JSON Schema (draft 2020-12,
formats always checked), its errors in Chinese    (:mod:`contractgen.validation.schema_messages`), each at the line and
column of its field — a missing field at its    parent's key, an unknown key at the key itself; 4. the named
checks the schema attaches with ``x-checks``: the core's (the parties' codes and ages in
:mod:`contractgen.validation.legal`, the seal size, the signing date, the writing style) and the type's own
(``CHECKS`` of its rules, :mod:`contractgen.catalog`), which never judge a value already reported.

Warnings the spec acknowledges are marked with the reason given (:mod:`contractgen.validation.acknowledgements`).
With ``strict``, the other warnings become errors. This module must not print, must not render, and must never turn a
problem in the user's input into an exception other than :class:`~contractgen.errors.SpecError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from contractgen.diagnostics import Diagnostic, sort_key
from contractgen.spec.loading import Spec, read_spec
from contractgen.validation.acknowledgements import acknowledge
from contractgen.validation.checks import Check, CheckContext
from contractgen.validation.legal import CHECKS as LEGAL_CHECKS
from contractgen.validation.schema_index import typed_view
from contractgen.validation.schema_messages import SchemaProblem, explain, show_value
from contractgen.validation.schemas import SpecSchema, known_types, spec_schema, unknown_type_message
from contractgen.validation.seals import CHECKS as SEAL_CHECKS
from contractgen.validation.signing_dates import CHECKS as SIGNING_CHECKS
from contractgen.validation.writing_style import CHECKS as STYLE_CHECKS

__all__ = ["CHECKS", "Report", "Source", "check_spec", "type_checks", "validate"]

#: The core's checks, which every type's schema may name; a type's own come from its rules (type_checks).
CHECKS: dict[str, Check] = {
    **LEGAL_CHECKS,
    **SEAL_CHECKS,
    **SIGNING_CHECKS,
    **STYLE_CHECKS,
}

Source = Spec | str | os.PathLike[str]

# Keywords saying "this field should not be here": what lies below such a field is not worth judging.
_UNWANTED = frozenset({"additionalProperties", "not"})


@dataclass(frozen=True)
class Report:
    """Everything validation found. ``data`` is the typed view (integers as ``int``) once the schema ran."""

    spec: Spec | None
    diagnostics: tuple[Diagnostic, ...]
    data: Any = None

    @property
    def ok(self) -> bool:
        return self.spec is not None and self.data is not None and not self.errors

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


def validate(spec: Source, *, strict: bool = False) -> list[Diagnostic]:
    """Every problem in ``spec`` (a loaded :class:`Spec` or a path), warnings included, sorted by position."""
    return list(check_spec(spec, strict=strict).diagnostics)


def check_spec(source: Source, *, strict: bool = False, text: str | bytes | None = None) -> Report:
    """Run every stage on ``source`` (or on ``text``, named ``source``) and return what they found."""
    if isinstance(source, Spec):
        spec: Spec | None = source
        found: list[Diagnostic] = []
    else:
        loaded = read_spec(source, text=text)
        spec, found = loaded.spec, list(loaded.diagnostics)
    if spec is None:
        return Report(None, _finish(found, strict))
    schema = _schema_of(spec, found)
    if schema is None:
        return Report(spec, _finish(found, strict))
    data = typed_view(schema.index, spec.data)
    reported = {d.path for d in found if d.path}
    schema_diagnostics = _schema_diagnostics(spec, schema, data, reported)
    found += schema_diagnostics
    reported |= {d.path for d in schema_diagnostics}
    context = CheckContext(spec, data, frozenset(reported))
    checks = type_checks(schema.contract_type)
    for name, path in schema.index.checks(data):
        check = checks.get(name)
        if check is not None:
            found += check(context, path)
    return Report(spec, _finish(acknowledge(spec, data, found), strict), data)


def type_checks(contract_type: str) -> dict[str, Check]:
    """The checks a type's schema can name: the core's and the type's own (``CHECKS`` of its rules); a type's name
    never replaces one of the core's."""
    from contractgen.catalog import contract_type as find_type

    return {**find_type(contract_type).rules.checks, **CHECKS}


def _schema_of(spec: Spec, found: list[Diagnostic]) -> SpecSchema | None:
    data = spec.data
    if not isinstance(data, dict):
        line, column = spec.locate("")
        found.append(
            Diagnostic(
                spec.path,
                line,
                column,
                "",
                f"规格的最外层应是一组字段（如 type: {known_types()[0]}），收到 {show_value(data)}",
                rule="schema.type",
            )
        )
        return None
    if "type" not in data:
        line, column = spec.locate("")
        found.append(
            Diagnostic(
                spec.path,
                line,
                column,
                "type",
                f'缺少必填字段 "type"（合同类型）；可选：{"、".join(known_types())}',
                rule="schema.required",
            )
        )
        return None
    contract_type = data["type"]
    if not isinstance(contract_type, str) or contract_type not in known_types():
        line, column = spec.locate("type")
        found.append(
            Diagnostic(spec.path, line, column, "type", unknown_type_message(contract_type), rule="schema.type")
        )
        return None
    return spec_schema(contract_type)


def _schema_diagnostics(spec: Spec, schema: SpecSchema, data: Any, reported: set[str]) -> list[Diagnostic]:
    problems: list[SchemaProblem] = []
    for error in schema.validator.iter_errors(data):
        problems.extend(explain(error, schema.index))
    unwanted = {p.path for p in problems if p.keyword in _UNWANTED}
    # A format's reason, or "不能为空", says better what a pattern would also complain about.
    better = {p.path for p in problems if p.keyword in ("format", "minLength")}
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for problem in problems:
        if _under(problem.path, reported):
            continue
        if problem.keyword not in _UNWANTED and _under(problem.path, unwanted):
            continue  # the field should not be there at all: what is wrong inside it does not matter
        if problem.keyword == "pattern" and problem.path in better:
            continue
        if (problem.path, problem.message) in seen:
            continue
        seen.add((problem.path, problem.message))
        if problem.anchor == "container":
            line, column = spec.locate(_parent(problem.path), key=True)
        else:
            line, column = spec.locate(problem.path, key=problem.anchor == "key")
        out.append(Diagnostic(spec.path, line, column, problem.path, problem.message, rule=f"schema.{problem.keyword}"))
    return out


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _under(path: str, roots: Iterable[str]) -> bool:
    """Whether ``path`` is one of ``roots`` or lies below one (the empty root, the file, never contains)."""
    for root in roots:
        if path == root:
            return True
        if root and path.startswith((root + ".", root + "[")):
            return True
    return False


def _finish(found: list[Diagnostic], strict: bool) -> tuple[Diagnostic, ...]:
    if strict:  # only the warnings nobody has acknowledged: an acknowledged one was looked at
        found = [replace(d, severity="error") if d.severity == "warning" and not d.acknowledged else d for d in found]
    return tuple(sorted(found, key=sort_key))
