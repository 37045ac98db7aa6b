"""The spec schemas: which contract types exist, and each type's JSON Schema, read once.

A contract type exists when ``schemas/<type>.schema.json`` does (found through
:func:`contractgen.resources.schema_path`); the spec's ``type`` field names it. A type name is only ever
looked up among the files that exist, so a ``type`` such as ``../x`` can never reach outside the folder.

This module must not validate specs (:mod:`contractgen.validation.validator` does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema.protocols import Validator

from contractgen.errors import InputError
from contractgen.resources import data_dir, schema_path
from contractgen.validation.formats import FORMATS
from contractgen.validation.schema_index import SchemaIndex
from contractgen.validation.schema_messages import did_you_mean, show_value
from contractgen.validation.schema_refs import compiled_validator

__all__ = ["SpecSchema", "known_types", "spec_schema", "unknown_type_message"]

_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class SpecSchema:
    contract_type: str
    text: str  # the file as written, for `contractgen schema`
    schema: dict[str, Any]
    index: SchemaIndex
    validator: Validator


@cache
def known_types() -> tuple[str, ...]:
    folder = data_dir("schemas")
    return tuple(sorted(p.name.removesuffix(_SUFFIX) for p in folder.glob(f"*{_SUFFIX}")))


def unknown_type_message(value: object) -> str:
    types = known_types()
    choices = f"可选：{'、'.join(types)}"
    if not isinstance(value, str):
        return f"合同类型应为文字，收到 {show_value(value)}；{choices}"
    message = f'未知的合同类型 "{value}"；{choices}'
    suggestion = did_you_mean(value, {t: "" for t in types})
    if suggestion:
        message += f'（您是否想写 "{suggestion}"？）'
    return message


@cache
def spec_schema(contract_type: str) -> SpecSchema:
    """The schema of ``contract_type``; :class:`InputError` naming the known types if there is none."""
    if contract_type not in known_types():
        raise InputError(unknown_type_message(contract_type))
    text = schema_path(contract_type).read_text(encoding="utf-8")
    schema = json.loads(text)
    # Formats are always checked (a date of 2024-02-30 must fail), with contractgen's own Chinese reasons; the
    # schema's references are resolved here, once, not at every use in every spec (schema_refs).
    validator = compiled_validator(schema, FORMATS)
    return SpecSchema(contract_type, text, schema, SchemaIndex(schema), validator)
