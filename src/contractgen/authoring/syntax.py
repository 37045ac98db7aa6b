"""Syntax: templates that do not parse, and the full-width punctuation a Chinese IME types into Jinja tags.

A template author writing Chinese types with a Chinese input method, which turns ``{`` into ``｛``, ``%`` into
``％``, ``.`` into ``。`` or ``．``, ``[`` into ``【`` or ``［``. Jinja then either fails with ``unexpected char``
(inside a tag) or — worse — sees no tag at all: ``｛｛ seller.name ｝｝`` is plain text, printed into the
contract as it stands. So before parsing, each template's source is scanned:

- an opening ``{{``/``{%`` typed wholly or partly in full width, outside any tag: a tag that will be printed;
- inside a real tag (strings aside): a full-width closing brace or percent sign, and full-width dots, brackets,
  parentheses, commas, pipes, quotes, colons or equals signs — each with the half-width character meant.

Then the template is parsed; a syntax error on a line the scan already explained is not reported twice.

This module must not render; it reads template sources only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

__all__ = ["FULL_WIDTH", "Finding", "parse_template", "scan_full_width"]

#: Full-width characters an IME types for the ASCII ones Jinja needs, and the character meant.
FULL_WIDTH = {
    "｛": "{", "｝": "}", "％": "%", "＃": "#", "．": ".", "。": ".", "［": "[", "］": "]", "【": "[", "】": "]",
    "（": "(", "）": ")", "，": ",", "｜": "|", "“": '"', "”": '"', "‘": "'", "’": "'", "：": ":", "＝": "=",
    "＋": "+", "－": "-", "～": "~", "！": "!", "＜": "<", "＞": ">", "＇": "'", "＂": '"', "、": ",",
}  # fmt: skip

_OPENERS = re.compile(r"[{｛][{｛%％#＃]")
_CLOSERS = {"{": ("}}", "%}"), "%": ("%}",), "#": ("#}",)}


@dataclass(frozen=True)
class Finding:
    """A problem of a template's source: 1-based line and column, rule id, message."""

    line: int
    column: int
    rule: str
    message: str


def _position(source: str, index: int) -> tuple[int, int]:
    line = source.count("\n", 0, index) + 1
    return line, index - (source.rfind("\n", 0, index) + 1) + 1


def scan_full_width(source: str) -> list[Finding]:
    """Every full-width character typed where Jinja needs an ASCII one (see the module)."""
    findings: list[Finding] = []
    index = 0
    while (match := _OPENERS.search(source, index)) is not None:
        opener = match.group()
        plain = "".join(FULL_WIDTH.get(c, c) for c in opener)
        start = match.start()
        if plain not in ("{{", "{%", "{#"):
            index = start + 1
            continue
        if opener != plain:
            line, column = _position(source, start)
            findings.append(
                Finding(
                    line,
                    column,
                    "lint.fullwidth-open",
                    f"“{opener}”含全角符号，不是模板标签：整个标签会原样印进合同。请改为半角“{plain}”",
                )
            )
            index = start + len(opener)
            continue
        index = _scan_tag(source, start + 2, plain[1], findings)
    return findings


def _scan_tag(source: str, index: int, kind: str, findings: list[Finding]) -> int:
    """Scan one tag opened just before ``index``; the index after its end."""
    closers = _CLOSERS["{" if kind == "{" else kind]
    quote: str | None = None
    while index < len(source):
        char = source[index]
        if kind == "#":  # a comment: nothing inside it matters but its end
            if source.startswith("#}", index):
                return index + 2
            index += 1
            continue
        if quote:
            quote = None if char == quote else quote
            index += 1
            continue
        if char in "\"'":
            quote = char
        elif any(source.startswith(c, index) for c in closers):
            return index + 2
        elif char in FULL_WIDTH:
            two = source[index : index + 2]
            plain = "".join(FULL_WIDTH.get(c, c) for c in two)
            line, column = _position(source, index)
            if plain in closers:
                findings.append(
                    Finding(line, column, "lint.fullwidth-close", f"标签以全角符号“{two}”结尾：请改为半角“{plain}”")
                )
                return index + 2
            findings.append(
                Finding(
                    line,
                    column,
                    "lint.fullwidth-in-tag",
                    f"标签中有全角符号“{char}”（输入法打出的）：请改为半角“{FULL_WIDTH[char]}”",
                )
            )
        index += 1
    return index


def parse_template(
    environment: jinja2.Environment, source: str, name: str
) -> tuple[nodes.Template | None, Finding | None]:
    """The template's syntax tree, or the syntax error Jinja reports (with its line)."""
    try:
        return environment.parse(source, name=name), None
    except jinja2.TemplateSyntaxError as error:
        return None, Finding(error.lineno or 0, 0, "lint.syntax", f"模板语法错误：{error.message}")
