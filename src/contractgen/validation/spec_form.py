"""The spec form: YAML with every field of a contract type, each with a Chinese comment from the schema.

``contractgen init <type>`` prints it blank; with ``example=True`` it is filled with the schema's own
``examples`` (the values editors show on hover), and validates as it stands; with ``values`` (what the serve
form holds) it is filled with those, each as the person typed it, so a form downloaded from the browser reads
like one from ``init``: the same comments, the fields left empty commented out. The first line points editors
that honour ``# yaml-language-server: $schema=…`` at the schema, for completion and hover help — by a path
relative to the form (the schema's file name, or ``schema_ref``), never an absolute path of this machine.

How each field appears:

- required: ``key:`` with its value, or blank for the user to fill (the form then fails validation until it is
  filled, saying which fields are empty);
- optional with a schema ``default``: written with that default;
- optional without one, or not applicable to the current choices (a credit code for a natural person, a
  plan another option leaves out): commented out — delete the ``# `` to use it;
- objects: their fields follow the same rules, indented below; an optional object without an example (a
  contact, a bank account) is commented out whole, so a form filled in at its 必填 fields only validates.

This module must not validate (a test checks that the example form validates), and derives everything from the
schema: no field name of any contract type appears here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from contractgen.resources import schema_path
from contractgen.spec.loading import read_spec
from contractgen.validation.schema_index import Schema, SchemaIndex
from contractgen.validation.schemas import spec_schema

__all__ = ["render_form"]

_COMMENT_COLUMN = 44
_MISSING = object()
_DIGITS = re.compile(r"[0-9 ]+")


def render_form(
    contract_type: str,
    *,
    example: bool = False,
    schema_ref: str | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    """The form for ``contract_type`` as YAML text (``InputError`` if the type is unknown), filled with
    ``values`` when given (every scalar written so the loader reads back the same value)."""
    schema = spec_schema(contract_type)
    # Never a path of this machine: the form travels (a colleague's machine, a repository). The schema beside the
    # spec (``contractgen schema --export DIR``, or ``init -o`` which does it) is found relative to the file.
    ref = schema_ref or schema_path(contract_type).name
    title = schema.schema.get("title", contract_type)
    command = f"contractgen init {contract_type}" + (" --example" if example else "")
    if values is not None:
        command = "contractgen serve 表单下载"
    writer = _Writer(schema.index, example)
    writer.lines += [
        f"# yaml-language-server: $schema={ref}",
        f"# {title} — 规格表单（{command}）",
        "# 每个字段的说明：编辑器悬停提示，或 contractgen schema " + contract_type,
        "# 以“# ”开头的字段是可选的或当前不适用：要使用时删除行首的“# ”。填好后：contractgen validate 本文件",
    ]
    if schema_ref is None:
        hint = f"# 编辑器补全和悬停说明需要本文件旁边有 {ref}：contractgen schema --export <本文件所在目录>"
        writer.lines.append(hint)
    writer.mapping((), values, indent=0, commented=False)
    return "\n".join(writer.lines) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def scalar_text(value: Any, *, integer: bool = False) -> str:
    """``value`` as YAML that contractgen's loader reads back as the same text (and editors as intended);
    ``integer``: the field is an integer, so its digits go unquoted (an editor would flag ``"3"`` there)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if integer and text.isascii() and text.isdigit() and (text == "0" or not text.startswith("0")):
        return text
    # Long digit strings (accounts, phone numbers) are quoted: editors would read them as numbers.
    if not _DIGITS.fullmatch(text):
        loaded = read_spec("<form>", text=f"k: {text}\n")
        if not loaded.diagnostics and loaded.spec is not None and loaded.spec.data == {"k": text}:
            return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class _Writer:
    index: SchemaIndex
    example: bool
    lines: list[str] = field(default_factory=list)

    def line(self, indent: int, text: str, comment: str, *, commented: bool, lead: str = "") -> None:
        body = " " * indent + ("# " if commented else "") + lead + text
        pad = max(2, _COMMENT_COLUMN - _width(body))
        self.lines.append(f"{body}{' ' * pad}# {comment}" if comment else body)

    def value_of(self, parts: tuple[str | int, ...]) -> Any:
        if self.example:
            examples = self.index.first(parts, "examples")
            if isinstance(examples, list) and examples:
                return examples[0]
        for keyword in ("default", "const"):
            found = self.index.first(parts, keyword)
            if found is not None:
                return found
        return _MISSING

    def mapping(
        self, parts: tuple[str | int, ...], given: dict[str, Any] | None, *, indent: int, commented: bool
    ) -> None:
        """Write the fields of an object; ``given`` is an example for the whole object, taken as it is (its
        absent fields stay absent), or ``None``: each field then finds its own value."""
        names = list(self.index.properties(parts))
        values = {
            name: given.get(name, _MISSING) if given is not None else self.value_of((*parts, name))
            for name in names
        }
        required, off = self.branches(parts, {k: v for k, v in values.items() if v is not _MISSING})
        item = bool(parts) and isinstance(parts[-1], int)
        if item:
            # A list item shows what its example has, nothing else: a blank line in a list is an error.
            names = [name for name in names if values[name] is not _MISSING]
        first = True
        for name in names:
            lead = "- " if first and item else ""
            child_indent = indent if not lead else indent - 2
            self.field(
                (*parts, name),
                values[name],
                indent=child_indent,
                lead=lead,
                required=name in required,
                off=off.get(name),
                commented=commented,
            )
            first = False

    def field(
        self,
        parts: tuple[str | int, ...],
        given: Any,
        *,
        indent: int,
        lead: str,
        required: bool,
        off: str | None,
        commented: bool,
    ) -> None:
        name = str(parts[-1])
        kinds = self.kinds(parts)
        value = given
        hide = commented or off is not None or (value is _MISSING and not required)
        own = value is _MISSING and not commented and off is None
        if "object" in kinds and own and (not self.example or self.index.first(parts, "examples") is None):
            # A group without an example of its own: its fields find their values one by one. An optional group
            # (contact:, bank:) stays commented out in the blank form: filled in only at its 必填 fields, the form
            # must validate, and a group half-present would ask for its own required fields.
            optional = not required and not self.example
            self.line(indent, f"{name}:", self.comment(parts, required), commented=optional, lead=lead)
            self.mapping(parts, None, indent=indent + 2, commented=optional)
            return
        comment = off or self.comment(parts, required)
        if "object" in kinds and (isinstance(value, dict) or value is _MISSING):
            self.line(indent, f"{name}:", comment, commented=hide, lead=lead)
            self.mapping(parts, value if isinstance(value, dict) else {}, indent=indent + 2, commented=hide)
        elif "array" in kinds:
            items = value if isinstance(value, list) else []
            self.line(indent, f"{name}:", comment, commented=hide or not items, lead=lead)
            for i, item in enumerate(items):
                given = item if isinstance(item, dict) else {}
                self.mapping((*parts, i), given, indent=indent + 4, commented=hide)
        else:
            text = "" if value is _MISSING else " " + scalar_text(value, integer=kinds == {"integer"})
            self.line(indent, f"{name}:{text}", comment, commented=hide, lead=lead)

    def kinds(self, parts: Sequence[str | int]) -> set[str]:
        found: set[str] = set()
        for schema in self.index.at(parts):
            kind = schema.get("type")
            found.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
            if "properties" in schema:
                found.add("object")
        return found

    def comment(self, parts: Sequence[str | int], required: bool) -> str:
        text = self.index.title(parts) or str(parts[-1])
        text += "（必填）" if required else "（可选）"
        options = self.index.first(parts, "enum")
        if isinstance(options, list):
            labels = self.index.first(parts, "enumDescriptions") or []
            shown = [f"{o} {labels[i]}" if i < len(labels) else str(o) for i, o in enumerate(options)]
            text += "：" + " | ".join(shown)
        elif not self.example:
            examples = self.index.first(parts, "examples")
            if isinstance(examples, list) and examples and not isinstance(examples[0], dict | list):
                text += f"，例：{scalar_text(examples[0]) if isinstance(examples[0], bool) else examples[0]}"
        return text

    def branches(self, parts: tuple[str | int, ...], data: dict[str, Any]) -> tuple[set[str], dict[str, str]]:
        """Keys required, and keys ruled out (with the schema's reason), for an object holding ``data``."""
        schemas = self.index.at(parts)
        branch_ids = {id(s[k]) for s in schemas for k in ("then", "else") if isinstance(s.get(k), dict)}
        branch_ids |= {id(b) for s in schemas for k in ("anyOf", "oneOf") for b in s.get(k, ())}
        required: set[str] = set()
        off: dict[str, str] = {}
        for schema in schemas:
            if id(schema) not in branch_ids:
                required.update(schema.get("required", ()))
            condition = schema.get("if")
            if not isinstance(condition, dict):
                continue
            branch: Schema = schema.get("then" if _holds(condition, data) else "else", {})
            required.update(branch.get("required", ()))
            for name, rule in branch.get("properties", {}).items():
                if isinstance(rule, dict) and rule.get("not") == {}:
                    off[name] = str(rule.get("x-message", "当前不适用"))
        return required, off


def _holds(condition: Schema, data: dict[str, Any]) -> bool:
    return bool(Draft202012Validator(condition).is_valid(data))
