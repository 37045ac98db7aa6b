"""The compiled validator (references resolved once) finds exactly what jsonschema's own finds."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from contractgen.spec.loading import load_spec
from contractgen.validation.formats import FORMATS
from contractgen.validation.schema_index import typed_view
from contractgen.validation.schema_refs import compiled_validator, local_refs
from contractgen.validation.schemas import known_types, spec_schema

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
# Where a schema holds subschemas (in the compiled copy, references in them are replaced by what they name).
SUBSCHEMAS = {"properties", "items", "allOf", "anyOf", "oneOf", "if", "then", "else", "not", "$defs"}
WRONG: list[Any] = ["", "x", "12.345", "-1", 0, 3, True, None, [], {}, "2024-02-30", "20%", "0755", "360,000.00"]


def _errors(validator: Any, instance: Any) -> list[tuple[Any, ...]]:
    found = []
    for e in validator.iter_errors(instance):
        context = [(s.message, list(s.relative_schema_path)) for s in e.context]
        keywords = {key: value for key, value in e.schema.items() if key not in SUBSCHEMAS}  # x-message too
        found.append((e.message, list(e.absolute_path), list(e.absolute_schema_path), e.validator, keywords, context))
    return found


def _mutants(data: dict[str, Any], count: int) -> list[Any]:
    """``data`` with one to three fields removed, replaced by a wrong value, or joined by an unknown key."""
    places: list[tuple[Any, ...]] = []

    def walk(node: Any, where: tuple[Any, ...]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            places.append((*where, key))
            walk(value, (*where, key))

    walk(data, ())
    rng = random.Random(12)
    out = []
    for _ in range(count):
        mutant = copy.deepcopy(data)
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice(places)
            node = mutant
            try:
                for key in parents:
                    node = node[key]
                choice = rng.random()
                if choice < 0.3:
                    del node[last]
                elif choice < 0.85:
                    node[last] = rng.choice(WRONG)
                elif isinstance(node, dict):
                    node["unknown_field"] = "x"
            except (KeyError, IndexError, TypeError):
                continue
        out.append(mutant)
    return out


@pytest.mark.parametrize("contract_type", known_types())
def test_every_schema_takes_the_fast_path(contract_type: str) -> None:
    schema = spec_schema(contract_type)
    assert local_refs(schema.schema), "a reference the shortcut cannot be sure of: validation would be slower"
    assert not isinstance(schema.validator, Draft202012Validator)


def test_same_errors_as_jsonschema() -> None:
    schema = spec_schema("customer-service")
    stock = Draft202012Validator(schema.schema, format_checker=FORMATS)
    data = typed_view(schema.index, load_spec(SAMPLE).data)  # as validation sees it: scalars as written
    instances = [data, *_mutants(data, 400)]
    differing = [i for i in instances if _errors(schema.validator, i) != _errors(stock, i)]
    assert not differing
    assert sum(bool(_errors(stock, i)) for i in instances) > 300  # the mutants do fail, in many ways


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "https://example.com/other.json"},
        {"$defs": {"a": {"$id": "urn:inner", "type": "string"}}, "$ref": "#/$defs/a"},
        {"$defs": {"a": {"$anchor": "a"}}, "$ref": "#a"},
        {"$dynamicAnchor": "node", "$defs": {"x": {"$dynamicRef": "#node"}}},
    ],
)
def test_other_schemas_get_jsonschema_unchanged(schema: dict[str, Any]) -> None:
    assert local_refs(schema) is None
    assert type(compiled_validator(schema, FORMATS)) is Draft202012Validator


def test_a_root_id_and_local_pointers_are_fine() -> None:
    schema = {"$id": "urn:x", "$defs": {"n": {"type": "integer"}}, "properties": {"a": {"$ref": "#/$defs/n"}}}
    assert local_refs(schema) == {"#/$defs/n"}
    validator = compiled_validator(schema, FORMATS)
    assert [e.message for e in validator.iter_errors({"a": "1"})] == ["'1' is not of type 'integer'"]
