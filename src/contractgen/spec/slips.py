"""Typing slips: the line and character of the commonest YAML mistakes of people who type with a Chinese IME.

A YAML parser reports where it gave up, which is often a line after the mistake and never names it: a
full-width colon on line 3 shows up as "could not find expected ':'" at 4:1. When the parser fails, the lines up
to where it stopped are searched, nearest first, for the slips below, and the one found is reported at its own
line and column, naming the character:

- a full-width colon ``：``, comma ``，``, hash ``＃`` or list dash ``－`` where YAML needs its ASCII one;
- full-width spaces (U+3000) in the indentation, or in place of the space after ``:``;
- a missing space after a key's colon (``contract_no:KF-1``);
- full-width quotes around a value that holds a ``: `` or ``#`` (“…” are not quotes to YAML);
- a field indented deeper than the one above it (read as the continuation of that one's value).

An unclosed quote or bracket is reported where it opens (the parser's *context* mark), not at the end of the
file where the parser noticed.

This module must not parse YAML or change the text; it only explains a failure the parser already found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Slip", "find_slip"]


@dataclass(frozen=True)
class Slip:
    """A slip at 1-based ``line`` and ``column``, said for a person."""

    line: int
    column: int
    message: str


_KEY = r"[A-Za-z_][A-Za-z0-9_.-]*"
# (pattern, group whose start is the slip, message). Checked in this order on each line, nearest line first.
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^(?P<at>\u3000+)"), "at", "行首用了全角空格缩进，YAML 只认半角空格"),
    (re.compile(rf"^[ ]*(?:- )?{_KEY}[ ]*(?P<at>：)"), "at", "用了全角冒号“：”，YAML 需要半角“:”加一个空格"),
    (re.compile(rf"^[ ]*(?:- )?{_KEY}(?P<at>:\u3000)"), "at", "冒号后面是全角空格，YAML 需要一个半角空格"),
    (re.compile(r"^[ ]*(?P<at>[－—–])[ \u3000]"), "at", "列表项用了全角或中文破折号，YAML 需要半角“- ”"),
    (re.compile(r"^[ ]*(?P<at>＃)"), "at", "注释用了全角“＃”，YAML 需要半角“#”"),
    (re.compile(r"\[[^\]\n]*?(?P<at>，)"), "at", "方括号里的列表项之间用了全角逗号“，”，YAML 需要半角“,”"),
    (re.compile(r"\{[^}\n]*?(?P<at>，)"), "at", "花括号里的字段之间用了全角逗号“，”，YAML 需要半角“,”"),
    (
        re.compile(rf"^[ ]*(?:- )?{_KEY}(?P<at>:)[^ \n\t/]"),
        "at",
        "冒号后面缺少空格：字段名后面要写“: ”（冒号加一个空格）",
    ),
    (
        re.compile(rf"^[ ]*(?:- )?{_KEY}: (?P<at>[“‘]).*(?:: |#)"),
        "at",
        "全角引号“”不是 YAML 的引号：值里有“: ”或“#”时，请用半角引号 \" 把整个值括起来",
    ),
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _over_indented(lines: list[str], number: int) -> Slip | None:
    """Line ``number`` indented deeper than the ``key: value`` line above it: YAML reads it as that value's
    continuation, and a ``: `` inside it as an error."""
    line = lines[number - 1]
    above = next((lines[n - 1] for n in range(number - 1, 0, -1) if lines[n - 1].strip()), "")
    plain_value = re.match(rf"^[ ]*{_KEY}: [^\s\[{{'\"|>&*!]", above)  # not a flow collection, quote or block
    if plain_value and re.match(rf"^[ ]*{_KEY}: ", line) and _indent(line) > _indent(above):
        extra = _indent(line) - _indent(above)
        return Slip(number, 1, f"第 {number} 行比上一行多缩进了 {extra} 格：同一级的字段要左端对齐")
    return None


def find_slip(text: str, upto_line: int) -> Slip | None:
    """The slip nearest before (or on) ``upto_line`` (1-based) that explains a parse failure there, if any."""
    lines = text.splitlines()
    last = min(max(upto_line, 1), len(lines))
    if lines and (over := _over_indented(lines, last)) is not None:
        return over
    for number in range(last, 0, -1):
        line = lines[number - 1]
        if line.lstrip(" ").startswith("#"):
            continue
        for pattern, group, message in _PATTERNS:
            match = pattern.search(line)
            if match is not None:
                return Slip(number, match.start(group) + 1, f"第 {number} 行{message}")
    return None
