"""The form: a contract type's JSON Schema as one HTML page of fields, for any type — generated on the server.

Titles become labels, descriptions help text, ``examples`` placeholders, enums choices (with their
``enumDescriptions``), ``required`` a mark, objects sections (the top level's) and fieldsets (below), arrays of
objects rows to add and remove, and ``allOf``'s ``if``/``then``/``else`` conditions ``data-when`` attributes the
page's script follows: a field a branch forbids (``not: {}``) is hidden while that branch holds, a field it
requires is marked required then. Every keyword is either drawn here, or a constraint validation judges
(:data:`CONSTRAINTS`); anything else raises :class:`FormError` — a construct the generator does not
understand fails its test (tests/server/test_form.py) and is never dropped silently.

Values are written only as escaped attribute values and text; names and ids are field paths
(``signing.place``; rows ``acknowledge.0.reason``).

This module must not validate (the page asks ``/api/validate``), and must not name a contract type.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

__all__ = ["CONSTRAINTS", "FormError", "render_form", "render_parts"]

#: Keywords that only constrain a value: drawn nowhere, judged by validation (its messages shown by the field).
CONSTRAINTS = frozenset(
    {
        "pattern", "format", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "minItems", "maxItems", "additionalProperties", "x-message", "x-checks",
        "x-unused",  # not a constraint: lint's note that no template prints the field, and why (docs/lint.md)
        "$schema", "$id", "$defs", "$comment", "errorMessage",
    }
)  # fmt: skip
#: Keywords the generator draws.
DRAWN = frozenset(
    {"title", "description", "examples", "type", "$ref", "properties", "required", "enum", "enumDescriptions",
     "default", "const", "anyOf", "oneOf", "allOf", "items"}
)  # fmt: skip


class FormError(Exception):
    """A schema construct the form generator does not understand (at a JSON pointer)."""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


class _Generator:
    def __init__(self, schema: Mapping[str, Any], values: Mapping[str, Any] | None) -> None:
        self.schema = schema
        self.values = values or {}

    def resolve(self, node: Mapping[str, Any], where: str) -> dict[str, Any]:
        """``node`` with its ``$ref`` (``#/$defs/…``) merged under it: the node's own keywords win."""
        self.check(node, where)
        if "$ref" not in node:
            return dict(node)
        ref = str(node["$ref"])
        if not ref.startswith("#/$defs/") or ref.removeprefix("#/$defs/") not in self.schema.get("$defs", {}):
            raise FormError(f"{where}: 表单生成器不理解的引用 {ref}")
        target = self.resolve(self.schema["$defs"][ref.removeprefix("#/$defs/")], ref)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return merged

    @staticmethod
    def check(node: Mapping[str, Any], where: str) -> None:
        unknown = sorted(set(node) - DRAWN - CONSTRAINTS)
        if unknown:
            raise FormError(f"{where}: 表单生成器不理解的 Schema 关键字 {'、'.join(unknown)}")

    def value(self, path: str) -> Any:
        current: Any = self.values
        for part in path.split("."):
            if isinstance(current, Mapping):
                current = current.get(part)
            elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
                current = current[int(part)]
            else:
                return None
        return current

    # -- conditions -------------------------------------------------------------------------------------------

    def conditions(self, node: Mapping[str, Any], path: str, where: str) -> dict[str, list[str]]:
        """Per property of an object: the ``data-when`` rules its ``allOf`` if/then/else put on it."""
        rules: dict[str, list[str]] = {}
        for n, part in enumerate(node.get("allOf", [])):
            here = f"{where}/allOf/{n}"
            if set(part) - {"if", "then", "else"}:
                raise FormError(f"{here}: allOf 中只理解 if/then/else")
            field, value = self.condition_of(part.get("if"), here)
            control = f"{path}.{field}" if path else field
            for branch, holds in (("then", "eq"), ("else", "ne")):
                self.branch_rules(part.get(branch, {}), f"{here}/{branch}", f"{control}|{holds}|{value}", rules)
        return rules

    @staticmethod
    def condition_of(test: Any, where: str) -> tuple[str, str]:
        """``if: {properties: {X: {const: V}}, required: [X]}`` → (X, V); any other ``if`` is not understood."""
        try:
            ((field, rule),) = test["properties"].items()
            value = rule["const"]
            if set(test) - {"properties", "required"} or set(rule) != {"const"}:
                raise ValueError
        except (KeyError, TypeError, ValueError, AttributeError):
            raise FormError(f"{where}/if: 只理解“某字段等于某值”的条件") from None
        return str(field), str(value)

    @staticmethod
    def branch_rules(branch: Mapping[str, Any], where: str, rule: str, rules: dict[str, list[str]]) -> None:
        """A branch's rules (``rule``: ``control|eq|value``): required while it holds, or hidden (``not: {}``)."""
        if set(branch) - {"required", "properties", "x-message"}:
            raise FormError(f"{where}: 条件分支中只理解 required 与 properties（not: {{}}）")
        for name in branch.get("required", []):
            rules.setdefault(str(name), []).append(f"required:{rule}")
        for name, forbidden in branch.get("properties", {}).items():
            if set(forbidden) - {"not", "x-message"} or forbidden.get("not") != {}:
                raise FormError(f"{where}/properties/{name}: 条件分支中的字段只理解 not: {{}}（此时不填）")
            rules.setdefault(str(name), []).append(f"hidden:{rule}")

    # -- fields -----------------------------------------------------------------------------------------------

    def object_body(self, node: Mapping[str, Any], path: str, where: str) -> str:
        """The fields of an object, in the schema's order (``oneOf`` of ``required`` alone: validation's)."""
        for n, alternative in enumerate(node.get("oneOf", [])):
            if set(alternative) != {"required"}:
                raise FormError(f"{where}/oneOf/{n}: 对象的 oneOf 只理解“须填其中之一”（required）")
        required = set(node.get("required", []))
        rules = self.conditions(node, path, where)
        parts = []
        for name, child in node.get("properties", {}).items():
            child_path = f"{path}.{name}" if path else str(name)
            parts.append(
                self.field(child, child_path, f"{where}/properties/{name}", name in required, rules.get(name, []))
            )
        return "".join(parts)

    def field(self, raw: Mapping[str, Any], path: str, where: str, required: bool, rules: list[str]) -> str:
        node = self.resolve(raw, where)
        kind = node.get("type")
        when = f' data-when="{_attr(" ".join(rules))}"' if rules else ""
        if kind == "object" or "properties" in node:
            legend = self.label_text(node, path, required)
            body = self.object_body(node, path, where)
            inner = f"<legend>{legend}</legend>{self.help(node, path)}{body}"
            return f'<fieldset class="group" id="f-{_attr(path)}"{when}>{inner}</fieldset>'
        if kind == "array":
            return self.array(node, path, where, required, when)
        parts = (self.label(node, path, required), self.control(node, path, where), self.help(node, path))
        return f'<div class="field"{when}>{"".join(parts)}<p class="error" id="e-{_attr(path)}"></p></div>'

    def label_text(self, node: Mapping[str, Any], path: str, required: bool) -> str:
        mark = '<span class="required" title="必填">*</span>' if required else ""
        return f"{escape(str(node.get('title', path)))}{mark}"

    def label(self, node: Mapping[str, Any], path: str, required: bool) -> str:
        return f'<label for="f-{_attr(path)}">{self.label_text(node, path, required)}</label>'

    @staticmethod
    def help(node: Mapping[str, Any], path: str) -> str:
        text = node.get("description")
        return f'<p class="help" id="h-{_attr(path)}">{escape(str(text))}</p>' if text else ""

    def control(self, node: Mapping[str, Any], path: str, where: str) -> str:
        """The input of a scalar: a fixed value, a choice, or a text box (suggestions from ``anyOf`` consts)."""
        value = self.value(path)
        common = f'id="f-{_attr(path)}" name="{_attr(path)}" aria-describedby="h-{_attr(path)} e-{_attr(path)}"'
        if "const" in node:
            return f'<input {common} value="{_attr(node["const"])}" readonly>'
        if "enum" in node:
            names = node.get("enumDescriptions", [])
            chosen = value if value is not None else node.get("default")
            options = "".join(
                f'<option value="{_attr(v)}"{" selected" if str(v) == str(chosen) else ""}>'
                f"{escape(str(names[n]) if n < len(names) else str(v))}（{escape(str(v))}）</option>"
                for n, v in enumerate(node["enum"])
            )
            blank = "" if "default" in node else '<option value="">（请选择）</option>'
            return f"<select {common}>{blank}{options}</select>"
        suggestions = self.suggestions(node, path, where)
        examples = node.get("examples") or [node.get("default", "")]
        shown = "" if value is None else f' value="{_attr(value)}"'
        numeric = ' inputmode="numeric"' if node.get("type") == "integer" else ""
        listed = f' list="l-{_attr(path)}"' if suggestions else ""
        return f'<input type="text" {common} placeholder="{_attr(examples[0])}"{shown}{numeric}{listed}>{suggestions}'

    def suggestions(self, node: Mapping[str, Any], path: str, where: str) -> str:
        """``anyOf`` of fixed words and formats (``signing`` or a date): the words offered, the rest typed."""
        options = []
        for n, alternative in enumerate(node.get("anyOf", [])):
            resolved = self.resolve(alternative, f"{where}/anyOf/{n}")
            if "const" in resolved:
                options.append(
                    f'<option value="{_attr(resolved["const"])}">{escape(str(resolved.get("title", "")))}</option>'
                )
            elif resolved.get("type") not in ("string", "integer", "number"):
                raise FormError(f"{where}/anyOf/{n}: anyOf 只理解固定值与文字格式")
        return f'<datalist id="l-{_attr(path)}">{"".join(options)}</datalist>' if options else ""

    def array(self, node: Mapping[str, Any], path: str, where: str, required: bool, when: str) -> str:
        """Rows of an array of objects: a row per value, a template for new ones, add and remove buttons."""
        items = self.resolve(node.get("items", {}), f"{where}/items")
        if items.get("type") != "object":
            raise FormError(f"{where}/items: 数组只理解“对象的列表”（如分期）")
        present = self.value(path)
        count = len(present) if isinstance(present, list) else 0
        rows = "".join(self.row(items, f"{path}.{n}", f"{where}/items") for n in range(count))
        template = self.row(items, f"{path}.__i__", f"{where}/items")
        title = escape(str(items.get("title", "")))
        return (
            f'<fieldset class="rows" id="f-{_attr(path)}" data-path="{_attr(path)}"{when}>'
            f"<legend>{self.label_text(node, path, required)}</legend>{self.help(node, path)}"
            f'<p class="error" id="e-{_attr(path)}"></p><div class="row-list">{rows}</div>'
            f"<template>{template}</template>"
            f'<button type="button" class="add-row">添加一行（{title}）</button></fieldset>'
        )

    def row(self, items: Mapping[str, Any], path: str, where: str) -> str:
        body = self.object_body(items, path, where)
        return f'<div class="row">{body}<button type="button" class="remove-row">删除这一行</button></div>'

    def page(self) -> tuple[str, str]:
        """Sections: the top level's objects one each, its other fields first under the schema's title."""
        self.check(self.schema, "#")
        top = self.schema.get("properties", {})
        required = set(self.schema.get("required", []))
        rules = self.conditions(self.schema, "", "#")
        basics, sections = [], []
        for name, child in top.items():
            resolved = self.resolve(child, f"#/properties/{name}")
            html = self.field(child, name, f"#/properties/{name}", name in required, rules.get(name, []))
            if resolved.get("type") == "object":
                sections.append((name, str(resolved.get("title", name)), html))
            else:
                basics.append(html)
        sections.insert(0, ("basics", "基本信息", "".join(basics)))
        nav = "".join(f'<li><a href="#s-{_attr(n)}">{escape(t)}</a></li>' for n, t, _ in sections)
        body = "".join(
            f'<section class="section" id="s-{_attr(n)}" aria-label="{_attr(t)}">{h}</section>' for n, t, h in sections
        )
        return (
            f'<nav class="sections" aria-label="各部分"><ol>{nav}</ol></nav>',
            f'<form id="spec-form" novalidate>{body}</form>',
        )


def render_parts(schema: Mapping[str, Any], values: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The section list and the form of ``schema`` (a parsed JSON Schema), filled from ``values`` (a spec's data,
    as text)."""
    return _Generator(schema, values).page()


def render_form(schema: Mapping[str, Any], values: Mapping[str, Any] | None = None) -> str:
    """:func:`render_parts` as one string."""
    return "".join(render_parts(schema, values))
