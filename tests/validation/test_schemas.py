"""Every schema in schemas/: valid draft 2020-12, documented in Chinese, closed, capped, self-consistent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from contractgen.validation.formats import FORMATS
from contractgen.validation.schema_index import SchemaIndex
from contractgen.validation.schemas import known_types, spec_schema
from contractgen.validation.spec_form import render_form
from contractgen.validation.validator import type_checks

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
CJK = range(0x4E00, 0xA000)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _subschemas(schema: Any, where: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every schema object inside ``schema``, with the keywords and names that lead to it."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for keyword in ("properties", "$defs"):
        for name, child in schema.get(keyword, {}).items():
            yield from _subschemas(child, (*where, keyword, name))
    for keyword in ("items", "if", "then", "else", "not"):
        if keyword in schema:
            yield from _subschemas(schema[keyword], (*where, keyword))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for i, child in enumerate(schema.get(keyword, [])):
            yield from _subschemas(child, (*where, keyword, str(i)))


def _fields(schema: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every property and definition outside conditions: the places where a user's field is described."""
    for where, sub in _subschemas(schema):
        conditional = {"if", "then", "else", "not"} & set(where)
        if len(where) >= 2 and where[-2] in ("properties", "$defs") and not conditional:
            yield where, sub


def test_there_is_a_schema_and_it_is_a_known_type() -> None:
    assert SCHEMAS
    assert [p.name.removesuffix(".schema.json") for p in SCHEMAS] == list(known_types())


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_metaschema(path: Path) -> None:
    schema = _load(path)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_field_has_chinese_title_and_description_with_an_example(path: Path) -> None:
    schema = _load(path)
    index = SchemaIndex(schema)
    for where, field in _fields(schema):
        for keyword in ("title", "description"):
            text = field.get(keyword, "")
            assert any(ord(c) in CJK for c in text), f"{where}: {keyword} must be Chinese: {text!r}"
        group = any(s.get("type") == "object" for s in index.expand(field))
        if where[-2] == "properties" and not group:
            assert "例" in field["description"], f"{where}: description gives no example (例：…)"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_objects_are_closed_and_strings_and_lists_are_capped(path: Path) -> None:
    schema = _load(path)
    index = SchemaIndex(schema)
    for where, sub in _subschemas(schema):
        if sub.get("type") == "object":
            assert sub.get("additionalProperties") is False, f"{where}: additionalProperties must be false"
        if sub.get("type") == "array":
            assert "maxItems" in sub, f"{where}: list without maxItems"
        types = sub.get("type")
        if types == "string" or (isinstance(types, list) and "string" in types):
            capped = any("maxLength" in s or "pattern" in s or "format" in s for s in index.expand(sub))
            assert capped or "const" in sub or "enum" in sub, f"{where}: string without a cap"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_named_checks_and_formats_exist(path: Path) -> None:
    schema = _load(path)
    for where, sub in _subschemas(schema):
        for name in sub.get("x-checks", []):
            assert name in type_checks(path.name.removesuffix(".schema.json")), f"{where}: unknown check {name!r}"
        if "format" in sub and sub["format"] != "email":
            assert sub["format"] in FORMATS.checkers, f"{where}: format {sub['format']!r} is not checked"
        if "pattern" in sub:
            assert sub["pattern"].startswith("^"), where
            assert sub["pattern"].endswith("$"), where
            assert "x-message" in sub, f"{where}: a pattern needs an x-message that says what is expected"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_examples_and_defaults_are_valid_values(path: Path) -> None:
    contract_type = path.name.removesuffix(".schema.json")
    schema = spec_schema(contract_type)
    for where, sub in _fields(schema.schema):
        check = Draft202012Validator({"$defs": schema.schema["$defs"], **sub}, format_checker=FORMATS)
        for value in [*sub.get("examples", []), *([sub["default"]] if "default" in sub else [])]:
            errors = [e.message for e in check.iter_errors(value)]
            assert not errors, f"{where}: example/default {value!r}: {errors}"


def test_model_defaults_match_schema_defaults() -> None:
    from customer_service_model import Fee, ServiceLevels

    index = spec_schema("customer-service").index
    assert index.first(["fee", "due_days"], "default") == Fee(total=0).due_days  # type: ignore[arg-type]
    assert index.first(["fee", "payment"], "default") == Fee(total=0).payment  # type: ignore[arg-type]
    levels = ServiceLevels()
    assert index.first(["service", "response_hours"], "default") == levels.response_hours
    assert index.first(["service", "complaint_days"], "default") == levels.complaint_days
    assert index.first(["service", "satisfaction_target"], "default") == levels.satisfaction_target.text
    assert index.first(["service", "report_cycle"], "default") == levels.report_cycle


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core-schema typing, as yaml-language-server (and most editors) read a spec."""


_Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


def _as_editors_see_it(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)  # a SafeLoader subclass: safe


EDITOR_VIEWS = [
    *((p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").glob("*.yaml"))),
    ("init --example", render_form("customer-service", example=True)),
]


@pytest.mark.parametrize(("name", "text"), EDITOR_VIEWS, ids=[name for name, _ in EDITOR_VIEWS])
def test_samples_and_example_form_show_no_problem_in_an_editor(name: str, text: str) -> None:
    # Editors type 3 as an integer and 360000.00 as a number; the schema accepts both readings.
    data = _as_editors_see_it(text)
    schema = _load(ROOT / "schemas" / f"{data['type']}.schema.json")
    editor = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    if data["type"] == "customer-service":  # its samples write the fee unquoted: the editor reads a float
        assert isinstance(data["fee"]["total"], float)
    assert [e.message for e in editor.iter_errors(data)] == []
