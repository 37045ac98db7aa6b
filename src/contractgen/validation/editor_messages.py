"""The Chinese ``errorMessage`` of every field, for editors: computed from the schema, written into its file.

yaml-language-server (VS Code's YAML extension, Neovim, Helix) checks a spec against the schema its first line
names and shows its own English words — ``Incorrect type. Expected "integer".`` — unless the failing schema
node has an ``errorMessage`` string, which it shows instead. In yaml-language-server 1.25 (the version
tools/editor pins) that string replaces the messages of ``type``, ``enum``, ``const``, ``pattern`` and the
built-in ``format``\\ s of the node it sits on, and also ``required`` and "Property … is not allowed" — so it
goes on value fields only, never on a group of fields. It is one string, not an object per keyword, and never
replaces the limits (``minimum``, ``maximum``, ``minLength``, ``maxLength``, ``minItems`` …) nor ``not``. A
referenced definition's ``errorMessage`` applies where it is used (``total`` → ``$defs/amount``), while one
beside a bare ``$ref`` is moved, for a 2020-12 schema, into an ``allOf`` branch of its own with no constraint
to fail: the definitions carry it.

The wording is :mod:`contractgen.validation.schema_messages`\\ ' own (``x-message`` first, then its phrases
per keyword), less the part that quotes the received value, which a static message cannot know.
``python -m contractgen.validation.editor_messages --write`` puts the result into ``schemas/*.schema.json``,
inserting or updating one ``"errorMessage"`` member per field and changing nothing else in the file; without
``--write`` it only says which files are out of date (tests/validation/test_editor_messages.py fails then).

This module must not validate specs and must not word a message itself: every word comes from schema_messages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError

from contractgen.resources import data_dir
from contractgen.validation.schema_index import SchemaIndex
from contractgen.validation.schema_messages import _received, explain

__all__ = ["KEYWORD", "editor_messages", "main", "with_editor_messages"]

KEYWORD = "errorMessage"

# The keywords whose failure yaml-language-server words with the node's errorMessage, in the order one is
# chosen to word it: a node has one message for all of them, and the most specific says best what to write.
# A pattern comes with the field's x-message ("金额应写成数字，最多两位小数，如 360000.00"), which also
# answers a wrong type (true, a list) — better than "应为文字" would answer a badly written amount.
_REPLACED = ("enum", "const", "pattern", "format", "type")
# What a static message stands in for: any value with no special wording (not text, true/false or blank).
_ANY_VALUE: list[Any] = []


def editor_messages(schema: Mapping[str, Any]) -> dict[str, str]:
    """JSON pointer of each value field in ``schema`` → the errorMessage an editor should show for it."""
    index = SchemaIndex(schema)
    found: dict[str, str] = {}
    for pointer, node, alternatives in _nodes(schema, "", None):
        keyword = next((k for k in _REPLACED if k in node), None)
        if keyword is None or _is_group(node):
            continue  # on a group, it would also stand for every missing and unknown field in it
        if alternatives is not None:
            # A branch of anyOf/oneOf: whichever branch the editor reports, the choice as a whole is the truth.
            keyword, worded = alternatives
        else:
            worded = node
        found[pointer] = _wording(worded, keyword, index)
    return found


def _is_group(node: Mapping[str, Any]) -> bool:
    types = node.get("type")
    listed = types if isinstance(types, list) else [types]
    return "object" in listed or "properties" in node or "required" in node


def _wording(node: Mapping[str, Any], keyword: str, index: SchemaIndex) -> str:
    """What schema_messages says when ``node`` fails at ``keyword``, without the value it would quote."""
    error = ValidationError(
        "", validator=keyword, validator_value=node[keyword], instance=_ANY_VALUE, schema=node, context=()
    )
    return next(iter(explain(error, index))).message.removesuffix(_received(_ANY_VALUE))


def _nodes(
    node: Any, pointer: str, alternatives: tuple[str, Mapping[str, Any]] | None
) -> Iterator[tuple[str, Mapping[str, Any], tuple[str, Mapping[str, Any]] | None]]:
    """Every schema node an editor may report on, with its pointer and, for a branch, (keyword, parent)."""
    if not isinstance(node, Mapping):
        return
    yield pointer, node, alternatives
    # Not followed: ``if`` (a condition only picks a branch, its failures are never shown) and ``not`` (a
    # forbidden field keeps yaml-language-server's own message, whatever the node says).
    for keyword in ("properties", "$defs"):
        for name, child in node.get(keyword, {}).items():
            yield from _nodes(child, f"{pointer}/{keyword}/{_escape(name)}", None)
    for keyword in ("items", "then", "else"):
        if keyword in node:
            yield from _nodes(node[keyword], f"{pointer}/{keyword}", None)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for i, child in enumerate(node.get(keyword, ())):
            branch = None if keyword == "allOf" else (keyword, node)
            yield from _nodes(child, f"{pointer}/{keyword}/{i}", branch)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


# --- The file: where each object and member is, so that only errorMessage members change --------------------

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")


@dataclass(frozen=True)
class _Member:
    key_start: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class _Object:
    open_end: int  # just after "{"
    close: int  # at "}"
    members: dict[str, _Member]


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _expect(text: str, at: int, char: str) -> None:
    if text[at : at + 1] != char:
        raise ValueError(f"expected {char!r} at offset {at} of the schema file")


def _scan(text: str, at: int, pointer: str, out: dict[str, _Object]) -> int:
    """Read the JSON value at ``at`` and return where it ends, noting every object's members in ``out``."""
    at = _skip(text, at)
    opening = text[at : at + 1]
    if opening not in ("{", "["):
        return _DECODER.raw_decode(text, at)[1]
    closing = "}" if opening == "{" else "]"
    members: dict[str, _Member] = {}
    open_end = at + 1
    at = _skip(text, open_end)
    position = 0
    while text[at : at + 1] != closing:
        if opening == "{":
            key, after = _DECODER.raw_decode(text, at)
            colon = _skip(text, after)
            _expect(text, colon, ":")
            value_start = _skip(text, colon + 1)
            value_end = _scan(text, value_start, f"{pointer}/{_escape(key)}", out)
            members[key] = _Member(at, value_start, value_end)
        else:
            value_end = _scan(text, at, f"{pointer}/{position}", out)
            position += 1
        at = _skip(text, value_end)
        if text[at : at + 1] == ",":
            at = _skip(text, at + 1)
        else:
            _expect(text, at, closing)
    if opening == "{":
        out[pointer] = _Object(open_end, at, members)
    return at + 1


def _objects(text: str) -> dict[str, _Object]:
    found: dict[str, _Object] = {}
    end = _scan(text, 0, "", found)
    if text[_skip(text, end) :]:
        raise ValueError("text after the schema's closing brace")
    return found


def _edits(text: str, objects: Mapping[str, _Object], wanted: Mapping[str, str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, replacement) for every errorMessage to add, rewrite or remove."""
    for pointer, found in objects.items():
        members = found.members
        message = wanted.get(pointer)
        current = members.get(KEYWORD)
        written = json.dumps(message, ensure_ascii=False)
        if current is not None and message is not None:
            if text[current.value_start : current.value_end] != written:
                yield current.value_start, current.value_end, written
        elif current is not None:
            yield _removal(text, found, current)
        elif message is not None:
            anchor = _insert_before(found)
            before = text[: anchor.key_start]
            space = before[len(before.rstrip(" \t\r\n")) :]
            space = space if "\n" in space else " "  # a one-line object stays on its line
            yield anchor.key_start, anchor.key_start, f'"{KEYWORD}": {written},{space}'


def _end(member: _Member) -> int:
    return member.value_end


def _insert_before(found: _Object) -> _Member:
    """The member a new errorMessage goes before: one whole new line, and no line of the file changed.

    Right after the x-message it is made from, where a reviewer compares the two; else before the last member.
    """
    ordered = sorted(found.members.values(), key=_end)
    custom = found.members.get("x-message")
    if custom is not None and custom is not ordered[-1]:
        return ordered[ordered.index(custom) + 1]
    return ordered[-1]


def _removal(text: str, found: _Object, member: _Member) -> tuple[int, int, str]:
    ordered = sorted(found.members.values(), key=_end)
    at = ordered.index(member)
    if at > 0:  # from the end of the member before it: its comma goes too
        return ordered[at - 1].value_end, member.value_end, ""
    if len(ordered) > 1:  # the first of several: up to the next member's key
        return member.key_start, ordered[1].key_start, ""
    return found.open_end, found.close, ""


def with_editor_messages(text: str, messages: Mapping[str, str] | None = None) -> str:
    """The schema file ``text`` with each field's errorMessage: ``messages`` (pointer → message) if given, else
    what :func:`editor_messages` computes; an errorMessage on no pointer there is removed."""
    wanted = editor_messages(json.loads(text)) if messages is None else messages
    edits = sorted(_edits(text, _objects(text), wanted), reverse=True)
    for start, end, replacement in edits:
        text = text[:start] + replacement + text[end:]
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """The maintainer's command (the one place this module prints): exit 1 when a file is out of date."""
    parser = argparse.ArgumentParser(prog="python -m contractgen.validation.editor_messages")
    parser.add_argument("--write", action="store_true", help="rewrite the files that are out of date")
    parser.add_argument("files", nargs="*", type=Path, help="schema files (default: every schemas/*.schema.json)")
    args = parser.parse_args(argv)
    stale = 0
    for path in args.files or sorted(data_dir("schemas").glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        updated = with_editor_messages(text)
        if updated == text:
            continue
        if args.write:
            path.write_text(updated, encoding="utf-8")
            print(f"{path}: errorMessage written")
        else:
            stale += 1
            print(f"{path}: errorMessage out of date; run python -m contractgen.validation.editor_messages --write")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
