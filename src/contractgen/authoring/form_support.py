"""Form support: the schema constructs ``serve``'s form would not understand, each at its line.

:mod:`contractgen.server.form` draws a form from any type's schema, and refuses — rather than drops — what it
does not understand: a keyword outside its :data:`~contractgen.server.form.DRAWN` and
:data:`~contractgen.server.form.CONSTRAINTS`, an ``allOf`` that is not if/then/else on one field's value, an
array of anything but objects, and so on. It stops at the first; lint reports every unknown keyword of every
field (the places the form checks them: the top, each property, each array's items, each ``anyOf``
alternative, and the ``$defs`` they refer to), then draws the form once and reports what else it refuses.

This module must not change the schema or the form; it asks the form generator itself what it understands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["form_problems"]


def _nodes(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(pointer, node) for every node whose keywords the form checks."""
    stack: list[tuple[str, Any]] = [("#", schema)]
    stack += [(f"#/$defs/{k}", v) for k, v in (schema.get("$defs") or {}).items()]
    while stack:
        pointer, node = stack.pop(0)
        if not isinstance(node, Mapping):
            continue
        yield pointer, node
        for name, child in (node.get("properties") or {}).items():
            stack.append((f"{pointer}/properties/{name}", child))
        if isinstance(node.get("items"), Mapping):
            stack.append((f"{pointer}/items", node["items"]))
        for n, alternative in enumerate(node.get("anyOf") or []):
            stack.append((f"{pointer}/anyOf/{n}", alternative))


def form_problems(schema: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(JSON pointer, message) for every construct the form generator refuses."""
    from contractgen.server.form import CONSTRAINTS, DRAWN, FormError, render_form

    reported: set[str] = set()
    for pointer, node in _nodes(schema):
        unknown = sorted(set(node) - DRAWN - CONSTRAINTS)
        if unknown:
            reported.add(pointer)
            yield pointer, f"serve 的表单不理解 Schema 关键字 {'、'.join(unknown)}（表单会拒绝整个 Schema）"
    try:
        render_form(schema)
    except FormError as error:
        where, _, message = str(error).partition(": ")
        pointer = where if where.startswith("#") else "#"
        if pointer not in reported and not re.search("关键字", message):
            yield pointer, f"serve 的表单不理解此处的 Schema：{message}"
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        yield "#", f"serve 的表单无法由此 Schema 生成：{type(error).__name__}: {error}"
