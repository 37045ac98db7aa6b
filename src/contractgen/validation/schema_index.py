"""Looking things up in a spec schema by data path: titles, allowed keys, declared types, checks.

Validation needs more from a schema than a yes or no: the Chinese title of a missing field, the keys an
unknown key might have meant, which fields are integers (the loader keeps ``3`` as the text ``"3"``), which
named checks apply where. :class:`SchemaIndex` answers those by following ``properties``, ``items``, local
``$ref``, ``allOf``/``anyOf``/``oneOf`` and both branches of ``if``/``then``/``else`` — the union of
everything that *may* apply at a path, which is what these questions need.

This module must not decide validity (jsonschema does, in :mod:`contractgen.validation.validator`) and must not read
files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from contractgen.spec.yaml_compose import join_path

__all__ = ["SchemaIndex", "typed_view"]

Schema = Mapping[str, Any]

# Integers as the loader keeps them: canonical decimal text. "0755" or "3.0" stay text, and fail as text.
_INTEGER_TEXT = re.compile(r"-?(0|[1-9][0-9]{0,14})")

# Places (paths with every list index as one) a schema index remembers: a schema has a few hundred.
_CACHED_PLACES = 4096


class SchemaIndex:
    def __init__(self, root: Schema) -> None:
        self.root = root
        # Bounded: a long-running server meets keys no schema has, in every body it is sent.
        self._at = lru_cache(maxsize=_CACHED_PLACES)(self._compute_at)
        self._checks_at = lru_cache(maxsize=_CACHED_PLACES)(self._compute_checks_at)

    def ref(self, ref: str) -> Schema:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref are supported in spec schemas, got {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node  # type: ignore[no-any-return]

    def expand(self, schema: Any) -> list[Schema]:
        """``schema`` and every schema it may pull in at the same place, the use site first."""
        out: list[Schema] = []
        queue = [schema]
        while queue:
            current = queue.pop(0)
            if not isinstance(current, Mapping) or any(current is seen for seen in out):
                continue
            out.append(current)
            if "$ref" in current:
                queue.append(self.ref(current["$ref"]))
            for keyword in ("allOf", "anyOf", "oneOf"):
                queue.extend(current.get(keyword, ()))
            queue.extend(current[keyword] for keyword in ("then", "else") if keyword in current)
        return out

    def at(self, parts: Sequence[str | int]) -> tuple[Schema, ...]:
        """Every schema that may apply to the data at ``parts`` (keys and list indexes from the root)."""
        return self._at(tuple(-1 if isinstance(p, int) else p for p in parts))

    def _compute_at(self, parts: tuple[str | int, ...]) -> tuple[Schema, ...]:
        schemas = self.expand(self.root)
        for part in parts:
            children: list[Schema] = []
            for schema in schemas:
                child = schema.get("items") if isinstance(part, int) else schema.get("properties", {}).get(part)
                if child is not None:
                    children.extend(self.expand(child))
            schemas = children
        return tuple(schemas)

    def first(self, parts: Sequence[str | int], keyword: str) -> Any:
        """The first value of ``keyword`` among the schemas at ``parts`` (the use site first), or ``None``."""
        for schema in self.at(parts):
            if keyword in schema:
                return schema[keyword]
        return None

    def title(self, parts: Sequence[str | int]) -> str:
        title = self.first(parts, "title")
        return title if isinstance(title, str) else ""

    def properties(self, parts: Sequence[str | int]) -> dict[str, str]:
        """The keys an object at ``parts`` may have, each with its title, in schema order."""
        out: dict[str, str] = {}
        for schema in self.at(parts):
            for name in schema.get("properties", {}):
                out.setdefault(name, self.title([*parts, name]))
        return out

    def is_integer(self, parts: Sequence[str | int]) -> bool:
        return any(schema.get("type") == "integer" for schema in self.at(parts))

    def checks(self, data: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
        """(check name, dotted path) for every ``x-checks`` entry that applies somewhere in ``data``."""
        found: list[tuple[str, str]] = []
        self._walk_checks(data, tuple(-1 if isinstance(p, int) else p for p in parts), _dotted(parts), found)
        return iter(found)

    def _walk_checks(self, data: Any, shape: tuple[str | int, ...], path: str, found: list[tuple[str, str]]) -> None:
        # Depth first, the checks of a place before those below it. ``shape`` is the look-up key (-1 for every
        # list index) and ``path`` is built one step at a time: each spec walks every node, every request.
        found += [(name, path) for name in self._checks_at(shape)]
        if isinstance(data, dict):
            for key, value in data.items():
                child = (*shape, key)
                if self._at(child):
                    self._walk_checks(value, child, join_path(path, key), found)
        elif isinstance(data, list):
            child = (*shape, -1)
            for index, value in enumerate(data):
                self._walk_checks(value, child, join_path(path, index), found)

    def _compute_checks_at(self, shape: tuple[str | int, ...]) -> tuple[str, ...]:
        return tuple(name for schema in self._at(shape) for name in schema.get("x-checks", ()))


def _dotted(parts: Sequence[str | int]) -> str:
    path = ""
    for part in parts:
        path = join_path(path, part)
    return path


def typed_view(index: SchemaIndex, data: Any, parts: tuple[str | int, ...] = ()) -> Any:
    """A copy of ``data`` with the text of integer fields turned into ``int``; all else as the loader left it.

    Only canonical decimal integers are converted: ``"0755"`` or ``"3.0"`` stay text and then fail the
    schema's ``type`` with a message that shows what was written.
    """
    if isinstance(data, dict):
        return {key: typed_view(index, value, (*parts, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [typed_view(index, value, (*parts, i)) for i, value in enumerate(data)]
    if isinstance(data, str) and _INTEGER_TEXT.fullmatch(data) and index.is_integer(parts):
        return int(data)
    return data
