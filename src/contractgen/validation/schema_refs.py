"""A spec schema's validator with its local ``$ref`` resolved once, when the schema is compiled.

jsonschema resolves a ``$ref`` each time validation meets it (a JSON pointer walk through the schema and a new
resolver), and a field written as ``{"$ref": "#/$defs/amount", "title": …}`` costs two steps of its descent, one
into the field's schema and one into the definition: together over a third of validating the sample spec, the
same nine ``#/$defs/…`` for every party, every amount, every request of ``contractgen serve``. A spec schema's
references are all local pointers inside one resource, so each one always lands on the same subschema.
:func:`compiled_validator` therefore validates with a copy of the schema in which

- a subschema that is only a reference (besides annotations: title, description, examples, ``x-…``) is the
  subschema it refers to, and
- every other ``$ref`` descends into a subschema looked up once, as jsonschema's own ``$ref`` would;

which gives the same errors in the same order, with the same messages, data paths and schema paths (jsonschema
leaves ``$ref`` out of an error's ``schema_path``), and each error's ``schema`` the same keywords (its nested
references replaced likewise). The copy serves the validator only: everything else reads the schema as written.

A schema this cannot be sure of (a reference that is not a local pointer, ``$dynamicRef``, an ``$id`` or
``$anchor`` below the root, ``unevaluatedProperties``, which looks through references) gets jsonschema's
validator unchanged.

This module must not change what is valid, nor any error's content or order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = ["compiled_validator", "local_refs"]

# Keywords that would make a reference's target depend on where it is met, or on the path taken to it.
_SCOPED = (
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$anchor",
    "$id",
    "unevaluatedProperties",
    "unevaluatedItems",
)
# Where draft 2020-12 holds subschemas: one, a list of them, or a mapping of names to them.
_ONE = ("items", "contains", "additionalProperties", "propertyNames", "if", "then", "else", "not")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAPPING = ("properties", "patternProperties", "dependentSchemas", "$defs")
# Beside a reference, keywords that validate nothing (the documentation and contractgen's own ``x-…``).
_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "deprecated", "$comment"})


def local_refs(schema: Any) -> set[str] | None:
    """Every ``$ref`` in ``schema`` when all are local JSON pointers (``#/…``) and nothing re-scopes them;
    ``None`` when the schema holds something else."""
    refs: set[str] = set()
    todo: list[tuple[Any, bool]] = [(schema, True)]
    while todo:
        node, root = todo.pop()
        if isinstance(node, Mapping):
            if any(keyword in node for keyword in _SCOPED if not (root and keyword == "$id")):
                return None
            ref = node.get("$ref")
            if ref is not None:
                if not isinstance(ref, str) or not ref.startswith("#/"):
                    return None
                refs.add(ref)
            todo += [(value, False) for value in node.values()]
        elif isinstance(node, list):
            todo += [(value, False) for value in node]
    return refs


def compiled_validator(schema: dict[str, Any], format_checker: FormatChecker) -> Validator:
    """A draft 2020-12 validator of ``schema``, its local references looked up once."""
    refs = local_refs(schema)
    if refs is None:
        return Draft202012Validator(schema, format_checker=format_checker)
    resolver = Registry().resolver_with_root(DRAFT202012.create_resource(schema))
    targets = {ref: resolver.lookup(ref) for ref in refs}
    flat = _Flattener({ref: resolved.contents for ref, resolved in targets.items()})
    root = flat.schema(schema)
    # What jsonschema's own "$ref" descends into, with the resolver it would use: the copy, looked up once.
    table = {ref: (flat.schema(resolved.contents), resolved.resolver) for ref, resolved in targets.items()}

    def ref(validator: Any, ref: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
        contents, resolver = table[ref]
        yield from validator.descend(instance, contents, resolver=resolver)

    compiled: Any = validators.extend(Draft202012Validator, {"$ref": ref})  # type: ignore[no-untyped-call]
    checker: Validator = compiled(schema=root, format_checker=format_checker)
    return checker


class _Flattener:
    """Copies of subschemas with their reference-only subschemas replaced by what they refer to."""

    def __init__(self, targets: dict[str, Any]) -> None:
        self.targets = targets
        self.done: dict[int, Any] = {}  # by id of the original: a definition used ten times is copied once
        self.busy: set[int] = set()  # being copied: a reference back into one of them stays a reference

    def schema(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if id(node) in self.done:
            return self.done[id(node)]
        target = self._only_a_reference(node)
        if target is not None and id(target) not in self.busy:
            return self.schema(target)
        self.busy.add(id(node))
        copy = dict(node)
        for keyword in _ONE:
            if keyword in copy:
                copy[keyword] = self.schema(copy[keyword])
        for keyword in _LIST:
            if isinstance(copy.get(keyword), list):
                copy[keyword] = [self.schema(item) for item in copy[keyword]]
        for keyword in _MAPPING:
            if isinstance(copy.get(keyword), dict):
                copy[keyword] = {name: self.schema(item) for name, item in copy[keyword].items()}
        self.busy.discard(id(node))
        self.done[id(node)] = copy
        return copy

    def _only_a_reference(self, node: dict[str, Any]) -> Any:
        ref = node.get("$ref")
        if not isinstance(ref, str) or ref not in self.targets:
            return None
        if any(key != "$ref" and key not in _ANNOTATIONS and not key.startswith("x-") for key in node):
            return None
        target = self.targets[ref]
        return target if isinstance(target, dict) else None
