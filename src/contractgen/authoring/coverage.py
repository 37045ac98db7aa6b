"""Coverage: every field of a type's schema is used by a template or a derived value, or says why it is not.

A field is used when rendering some sample reads it: the derived values read the model (``price.total`` for
``price_capital``) and the templates read what the context passes through (``seller.bank.account``), and
:mod:`.tracing` notes both as paths of the model — whose attribute names are the schema's field names, item
fields of an array written ``price.parts[].amount``.

A field that nothing reads is reported at its line in the schema, unless it says why it is there::

    "capital": {"type": "string", "x-unused": "只用于核对：合同中的大写由 price.total 算出"}

``x-unused`` (a non-empty string: the reason) may stand on a property or on the ``$defs`` entry it refers to,
and covers the fields below it; a field marked so that is read after all is reported too (the mark is stale).
The core itself reads a few fields of the common envelope that no template prints (:data:`CORE_FIELDS`).

This module must not render; it reads the schema and the paths recorded while rendering.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["CORE_FIELDS", "SchemaField", "pointer_lines", "schema_fields", "unused_fields"]

#: Fields of the common envelope the core reads itself, and what for.
CORE_FIELDS = {
    "type": "选择模板目录与 Schema",
    "acknowledge": "校验（规格确认的警告）",
    "signing.cross_page_seal": "PDF 写出（骑缝章位置）",
}


@dataclass(frozen=True)
class SchemaField:
    """A field of the schema: its dotted path, the JSON pointer that declares it, and its ``x-unused``."""

    path: str
    pointer: str
    unused: Any  # the x-unused value in force (its own or an ancestor's), or None
    own: bool = False  # the mark stands on this field (or its $defs entry), not on an ancestor


def pointer_lines(text: str) -> dict[str, int]:
    """JSON pointer → 1-based line of the key that starts it, for a schema's source text (JSON is YAML)."""
    lines: dict[str, int] = {"#": 1}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines

    def walk(node: yaml.Node, pointer: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = f"{pointer}/{key.value}"
                lines[here] = key.start_mark.line + 1
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                here = f"{pointer}/{n}"
                lines[here] = item.start_mark.line + 1
                walk(item, here)

    if root is not None:
        walk(root, "#")
    return lines


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any], pointer: str) -> tuple[Mapping[str, Any], str]:
    seen = 0
    while isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/") and seen < 20:
        name = node["$ref"].removeprefix("#/$defs/")
        target = schema.get("$defs", {}).get(name)
        if not isinstance(target, Mapping):
            break
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node, pointer, seen = merged, f"#/$defs/{name}", seen + 1
    return node, pointer


def schema_fields(schema: Mapping[str, Any]) -> list[SchemaField]:
    """Every field (objects and their leaves, array items as ``[]``) with the pointer that declares it."""
    found: list[SchemaField] = []

    def walk(node: Mapping[str, Any], path: str, pointer: str, unused: Any, depth: int) -> None:
        resolved, _ = _resolve(schema, node, pointer)
        if depth > 12:
            return
        for name, child in (resolved.get("properties") or {}).items():
            if not isinstance(child, Mapping):
                continue
            child_path = f"{path}.{name}" if path else str(name)
            declared = _declared_at(schema, resolved, node, pointer, name)
            target, _ = _resolve(schema, child, declared)
            mark = child.get("x-unused", target.get("x-unused", unused))
            own = "x-unused" in child or "x-unused" in target
            found.append(SchemaField(child_path, declared, mark, own))
            walk(child, child_path, declared, mark, depth + 1)
        items = resolved.get("items")
        if isinstance(items, Mapping):
            walk(items, f"{path}[]", f"{pointer}/items", unused, depth + 1)

    walk(schema, "", "#", None, 0)
    return found


def _declared_at(
    schema: Mapping[str, Any], resolved: Mapping[str, Any], node: Mapping[str, Any], pointer: str, name: str
) -> str:
    """The pointer of property ``name``: in the node itself, or in the ``$defs`` entry it refers to."""
    if name in (node.get("properties") or {}):
        return f"{pointer}/properties/{name}"
    _, target_pointer = _resolve(schema, node, pointer)
    return f"{target_pointer}/properties/{name}"


def _read(path: str, seen: set[str]) -> bool:
    return any(s == path or s.startswith((f"{path}.", f"{path}[]")) for s in seen)


def _core(path: str) -> str | None:
    return next(
        (why for name, why in CORE_FIELDS.items() if path == name or path.startswith((f"{name}.", f"{name}[]"))), None
    )


def unused_fields(fields: list[SchemaField], seen: set[str]) -> Iterator[tuple[SchemaField, str, str]]:
    """(field, rule, message) for each field nothing reads and nothing excuses, and each stale mark.

    A field declared once for several places (``$defs/party``'s ``id_number`` for 甲方 and 乙方) is read when
    it is read at any of them: the templates read them through one macro, and the samples need not show every
    combination. It is reported once, at its declaration."""
    read_at = {f.pointer for f in fields if _read(f.path, seen)}
    reported: list[str] = []
    pointers: set[str] = set()
    for field in fields:
        if any(field.path.startswith((f"{r}.", f"{r}[]")) for r in reported) or field.pointer in pointers:
            continue  # its object, or its declaration, is reported already
        core = _core(field.path)
        read = field.pointer in read_at
        if field.own and (not isinstance(field.unused, str) or not field.unused.strip()):
            yield (
                field,
                "lint.unused-field",
                f"{field.path} 的 x-unused 应写明不使用的原因（非空文字），"
                f"收到 {json.dumps(field.unused, ensure_ascii=False)}",
            )
        elif field.unused is not None and read and field.own:
            yield (
                field,
                "lint.unused-stale",
                f"规格字段 {field.path} 标有 x-unused，但模板或派生值用到了它：请删去这个标记",
            )
        elif field.unused is None and core is None and not read:
            reported.append(field.path)
            pointers.add(field.pointer)
            yield (
                field,
                "lint.unused-field",
                (
                    f"规格字段 {field.path} 没有被任何模板或派生值用到（所有样例都渲染过）：请在模板中使用它、"
                    f'补一个用到它的样例，或在 Schema 中写明 "x-unused": "原因"'
                ),
            )
