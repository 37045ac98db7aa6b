"""Text rules for specs: strict UTF-8 decoding, and the characters a spec may not contain.

This stage turns the bytes of a spec into text, or says — with line and column — why it cannot: not UTF-8 (a
file saved as GBK is the usual case), UTF-16, binary content. It then finds every character that has no place
in a contract spec: C0/C1 control characters, line and paragraph separators, bidi controls, zero-width and
other invisible characters, lone surrogates, non-characters and U+FFFD. Each one is replaced with U+FFFD in
the copy of the text handed to the YAML parser, so that parsing goes on and every problem is reported at once,
each at its exact position; the spec still fails.

Tabs, line feeds and carriage returns are YAML's own whitespace and stay in the text; whether a *value* may
hold them is checked on the parsed values (:func:`value_problems`), since escapes such as ``"\\t"`` or
``"\\u202E"`` in double-quoted strings only appear there.

This module must not parse YAML and must not decide what a field means: naming the field is the composer's
job.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "REPLACEMENT",
    "BadChar",
    "LineIndex",
    "decode_problem",
    "describe_char",
    "find_bad_chars",
    "neutralise",
    "value_problems",
]

REPLACEMENT = "\ufffd"

# Every character a spec may not hold anywhere — values, keys or comments. A comment is not data, but an
# invisible or reordering character there still misleads whoever reviews the file (the "Trojan Source" trick),
# so the rule is the same everywhere. Tab, LF and CR are absent: they are YAML's whitespace (checked on values
# separately).
_FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 controls except tab/LF/CR; DEL; C1 controls (NEL among them)
    r"\u00ad\u061c\u180e"  # soft hyphen, Arabic letter mark, Mongolian vowel separator: invisible
    r"\u200b-\u200f"  # zero-width space/non-joiner/joiner; LRM, RLM
    r"\u2028-\u202e"  # line and paragraph separators; bidi embeddings and overrides
    r"\u2060-\u2064\u2066-\u2069"  # word joiner and invisible operators; bidi isolates
    r"\ufeff\ufffd\ufffe\uffff"  # BOM inside the text, replacement character, non-characters
    r"\ud800-\udfff"  # lone surrogates (only reachable through str input or escapes)
    r"\U000e0000-\U000e007f]"  # tag characters: invisible ASCII look-alikes used to smuggle text
)

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SEPARATORS = frozenset("\x85\u2028\u2029")

# YAML whitespace that a one-line value must not contain once parsed.
_VALUE_WHITESPACE = {"\t": "制表符（Tab）", "\n": "换行", "\r": "回车符"}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class BadChar:
    """A forbidden character at ``index`` in the text, at 1-based ``line`` and ``column``."""

    index: int
    line: int
    column: int
    char: str


class LineIndex:
    """Turns an index into the text into a 1-based (line, column), counting breaks the way YAML parsers do."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def position(self, index: int) -> tuple[int, int]:
        line = bisect_right(self._starts, index) - 1
        return line + 1, index - self._starts[line] + 1


def decode_problem(data: bytes) -> tuple[str, int, int] | None:
    """Why ``data`` (BOM already removed) is not UTF-8 text: a Chinese message, its 1-based line and column.

    ``None`` when it decodes. The position is that of the first byte that cannot be read, counted in
    characters of the line before it, so an editor can jump there.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "文件是 UTF-16 编码：请以 UTF-8 保存（记事本“另存为”时选择 UTF-8）", 1, 1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        bad = " ".join(f"0x{b:02X}" for b in data[start : min(error.end + 1, start + 2)])
        guess = "（看起来是 GBK/GB18030 编码）" if _looks_like_gb18030(data) else ""
        return f"文件不是 UTF-8 编码{guess}，无法读取字节 {bad}：请以 UTF-8 保存", line, column
    if "\x00" in text:
        # NUL bytes in a text file mean UTF-16 without a BOM, or not a text file at all.
        line, column = LineIndex(text).position(text.index("\x00"))
        return (
            "文件含有 NUL 字节，不是 UTF-8 文本（可能是 UTF-16 或二进制文件）：请以 UTF-8 保存",
            line,
            column,
        )
    return None


def _looks_like_gb18030(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def find_bad_chars(text: str) -> Iterator[BadChar]:
    """Every forbidden character of ``text``, in order, with its position."""
    lines = LineIndex(text)
    for match in _FORBIDDEN.finditer(text):
        line, column = lines.position(match.start())
        yield BadChar(match.start(), line, column, match.group())


def neutralise(text: str) -> str:
    """``text`` with each forbidden character replaced by U+FFFD, one for one, so positions do not move.

    The YAML parsers refuse controls and surrogates outright, and treat NEL and U+2028/U+2029 as line breaks;
    after this they see an ordinary character and go on parsing, and line numbers stay those an editor shows.
    """
    return _FORBIDDEN.sub(REPLACEMENT, text)


def describe_char(char: str) -> str:
    """A Chinese description of a forbidden character, naming its code point (``控制字符 U+0007``)."""
    code = ord(char)
    point = f"U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return f"不成对的代理项 {point}（不是有效字符）"
    name = unicodedata.name(char, "")
    named = f"{point}（{name}）" if name else point
    if char in _SEPARATORS:
        return f"特殊换行符 {named}"
    if char in _BIDI:
        return f"双向控制字符 {named}，它会改变文字的显示顺序"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"控制字符 {point}"
    if char == REPLACEMENT:
        return f"替换字符 {named}，说明文件曾被错误转码"
    if char in "\ufffe\uffff":
        return f"非字符 {point}"
    return f"不可见字符 {named}"


def value_problems(value: str, *, double_quoted: bool) -> Iterator[tuple[int, str]]:
    """Problems in one parsed scalar: (index into ``value``, Chinese description).

    Line breaks and tabs are not allowed in any value (every field of a contract is one line; a break would
    become a paragraph break in the document). Forbidden characters are looked for only in double-quoted
    scalars: elsewhere they were in the source text, already reported at their exact position and replaced.
    """
    for char, label in _VALUE_WHITESPACE.items():
        index = value.find(char)
        if index >= 0:
            yield index, f"不能包含{label}（此项须写在一行内）"
    if double_quoted:
        for match in _FORBIDDEN.finditer(value):
            if match.group() != REPLACEMENT:
                yield match.start(), f"转义序列写入了{describe_char(match.group())}：请删除"
