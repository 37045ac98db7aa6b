"""File names: a contract number (or a part's title) as a file-name stem, one-to-one and readable.

Two different contract numbers must never name one file: ``KF-2026（1）`` and ``KF-2026(1)`` once both became
``KF-2026_1_``, and rendering the second silently replaced the first contract's files. So a stem is the text
itself wherever that is safe on every common file system, and percent-encoding (``%28`` — the UTF-8 bytes of the
character, as in URLs) everywhere else:

- kept as typed: ASCII letters and digits, ``-``, ``_`` and ``.``; CJK unified ideographs; the full-width
  brackets Chinese document numbers use (（）〔〕【】《》〈〉「」『』);
- encoded: everything else — ASCII ``()``, spaces, ``%`` itself, path separators, punctuation, CJK compatibility
  ideographs (macOS file systems normalise them to other characters) — and, where position makes a kept
  character unsafe, that one occurrence: a leading ``.`` (a hidden file) or ``-`` (read as an option), a
  trailing ``.`` (Windows drops it), and the first letter of a Windows device name (``CON`` → ``%43ON``).

Decoding is plain percent-decoding, and every stem decodes to the text it came from (:func:`text_of_stem`), so
the mapping is injective by construction; a property test holds it to that. Names differing only in case are
still one file on macOS and Windows: the output records (:mod:`contractgen.writers.output_records`) refuse those.

This module must not touch the file system.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from contractgen.errors import InputError, OutputError

__all__ = ["MAX_NAME_BYTES", "file_stem", "safe_name", "text_of_stem"]

#: ext4, XFS, APFS and NTFS all stop at 255 (bytes, or UTF-16 units: never fewer than the UTF-8 bytes).
MAX_NAME_BYTES = 255
#: A stem leaves room for what follows it in a name: ``-03-附件一-客户服务管理制度.docx`` and the like.
MAX_STEM_BYTES = 160

_BRACKETS = "（）〔〕【】《》〈〉「」『』"
_KEPT = re.compile(rf"[A-Za-z0-9_.\-\u3400-\u4dbf\u4e00-\u9fff{_BRACKETS}]")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
_ENCODED = re.compile(r"%[0-9A-F]{2}")


def _encode(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def file_stem(text: str, *, what: str = "合同编号") -> str:
    """``text`` as a file-name stem (see the module docstring); too long for a file name: InputError."""
    if not text:
        raise InputError(f"{what}为空，无法用作文件名")
    chars = [char if _KEPT.fullmatch(char) else _encode(char) for char in text]
    if text[0] in ".-":
        chars[0] = _encode(text[0])
    if text[-1] == "." and len(text) > 1:
        chars[-1] = _encode(".")
    stem = "".join(chars)
    if _RESERVED.fullmatch(stem):
        stem = _encode(stem[0]) + stem[1:]
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        raise InputError(
            f"{what} {text!r} 太长，无法用作文件名（编码后 {len(stem.encode('utf-8'))} 字节，最多 {MAX_STEM_BYTES}）"
        )
    return stem


def text_of_stem(stem: str) -> str:
    """The text a stem was made from: the inverse of :func:`file_stem`."""
    return unquote(stem, encoding="utf-8", errors="strict")


def safe_name(name: str) -> str:
    """``name`` if it is a plain file name built from :func:`file_stem` stems (plus ``-``, digits and an
    extension): no separator, not hidden, not a device name, not too long; else OutputError."""
    plain = _ENCODED.sub("", name)
    if (
        name in ("", ".", "..")
        or not all(_KEPT.fullmatch(char) for char in plain)
        or name[0] in ".-"
        or _RESERVED.fullmatch(name)
        or len(name.encode("utf-8")) > MAX_NAME_BYTES
    ):
        raise OutputError(f"文件名 {name!r} 不安全")
    return name
