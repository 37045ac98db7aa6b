"""Form wording: a diagnostic said the way someone filling the form acts on it.

``validate`` speaks to a person editing YAML: ``缺少必填字段 "contract_no"（合同编号）``, ``自然人请写 kind:
person``. In the form there are no keys to type, only fields to fill and choices to make, so the same diagnostic
is reworded there — ``请填写“合同编号”``, ``自然人请在“类型”中选“自然人”`` — from the schema's own titles. The
rule, path, severity and citation stay as they are; only the message changes, and a message with no YAML words
in it is left alone.

This module must not validate or decide anything: it rewords finished diagnostics, by the schema, and must not
name a contract type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from contractgen.validation.schema_index import SchemaIndex

__all__ = ["form_message", "path_parts"]

_IDENT = r"[a-z][a-z0-9_]*"
# 请写 kind: person → a choice to make; key 为 value → a choice made; 请写在 capital / 请写 representative → a field.
# A gloss in brackets right after a value (person（自然人）) glosses the YAML word: the form's title says it.
_GLOSS = r"(?:（[^）]*）)?"
_CHOOSE = re.compile(rf"请写 ({_IDENT}): ({_IDENT}){_GLOSS}")
_CHOSEN = re.compile(rf" ?\b({_IDENT}) 为 ({_IDENT}){_GLOSS}")
_ONLY = re.compile(rf"只能写 ({_IDENT}){_GLOSS}")
_FIELD = re.compile(rf"(请写在|请写|填写) ({_IDENT})\b")
_REQUIRED = "schema.required"


def path_parts(path: str) -> list[str | int]:
    """``acknowledge[0].reason`` → ``["acknowledge", 0, "reason"]``."""
    parts: list[str | int] = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return parts


def _near(index: SchemaIndex, parts: Sequence[str | int], key: str) -> list[str | int] | None:
    """The path of the field ``key`` as a message at ``parts`` means it: a sibling, else an ancestor's field."""
    for depth in range(len(parts), -1, -1):
        if key in index.properties(parts[:depth]):
            return [*parts[:depth], key]
    return None


def _choice_title(index: SchemaIndex, parts: Sequence[str | int], value: str) -> str | None:
    """The title the form shows for the choice ``value`` of the field at ``parts`` (as its select does)."""
    for schema in index.at(parts):
        names = schema.get("enumDescriptions", ())
        if value in schema.get("enum", ()) and len(names) == len(schema["enum"]):
            return str(names[list(schema["enum"]).index(value)])
        for keyword in ("oneOf", "anyOf"):
            for option in schema.get(keyword, ()):
                if isinstance(option, Mapping) and option.get("const") == value and option.get("title"):
                    return str(option["title"])
    return None


def form_message(diagnostic: Mapping[str, Any], index: SchemaIndex) -> str:
    """The message of ``diagnostic`` (the CLI's JSON form) in form wording."""
    parts = path_parts(str(diagnostic.get("path", "")))
    message = str(diagnostic.get("message", ""))
    if diagnostic.get("rule") == _REQUIRED and parts:
        title = index.title(parts) or str(parts[-1])
        kinds = {str(schema.get("type")) for schema in index.at(parts)}
        what = f"“{title}”一节的各项" if "object" in kinds else f"“{title}”"
        note = re.search(r"[；;].*|（[^）]*(请写|请在)[^）]*）$", message)
        return f"请填写{what}" + (_reword(note.group(0), parts, index) if note else "")
    return _reword(message, parts, index)


def _reword(message: str, parts: Sequence[str | int], index: SchemaIndex) -> str:
    """``message`` about the field at ``parts`` with its YAML words (keys, values to type) put as form words."""

    def title(key: str) -> tuple[str, list[str | int] | None]:
        where = _near(index, parts[:-1], key)
        return (index.title(where) or key, where) if where is not None else (key, None)

    def choose(match: re.Match[str]) -> str:
        name, where = title(match[1])
        value = _choice_title(index, where, match[2]) if where is not None else None
        return f"请在“{name}”中选“{value or match[2]}”" if where is not None else match[0]

    def chosen(match: re.Match[str]) -> str:
        name, where = title(match[1])
        value = _choice_title(index, where, match[2]) if where is not None else None
        return f"“{name}”为“{value}”" if value is not None else match[0]

    def only(match: re.Match[str]) -> str:
        value = _choice_title(index, parts, match[1])
        return f"只能选“{value}”" if value is not None else match[0]

    def field(match: re.Match[str]) -> str:
        name, where = title(match[2])
        verb = "请写在" if match[1] == "请写在" else "请填写" if match[1] == "请写" else "填写"
        return f"{verb}“{name}”" if where is not None else match[0]

    message = _CHOOSE.sub(choose, message).replace("请删除此项", "请清空此项")
    message = _CHOSEN.sub(chosen, message)
    message = _ONLY.sub(only, message)
    return _FIELD.sub(field, message)
