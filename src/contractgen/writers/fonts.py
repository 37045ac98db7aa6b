"""Fonts: which faces a contract is set in, and whether this machine has them.

The defaults are the faces a Chinese legal reader expects, from Debian's ``fonts-noto-cjk``: 宋体-like "Noto
Serif CJK SC" for the body and 黑体-like "Noto Sans CJK SC" for titles. Both can be replaced (a user's own
仿宋_GB2312, say). Faces are looked up through fontconfig — the same lookup Pango (and so WeasyPrint) does —
and a family fontconfig only *substitutes* (it always answers with *some* font) counts as missing: the render
stops with a :class:`~contractgen.errors.FontError` saying how to install one, never draws tofu.

This module must not render anything, and must not guess: a face is present only if fontconfig names it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from contractgen.errors import FontError, InputError
from contractgen.writers.font_advice import install_advice

__all__ = [
    "DEFAULT_SANS",
    "DEFAULT_SERIF",
    "FontFace",
    "FontSet",
    "ResolvedFonts",
    "check_font_name",
    "missing_characters",
    "resolve",
]

DEFAULT_SERIF = "Noto Serif CJK SC"
DEFAULT_SANS = "Noto Sans CJK SC"

INSTALL_HINT = (
    "请安装中文字体：sudo apt-get install fonts-noto-cjk（Debian/Ubuntu），"
    "或用 --serif-font / --sans-font 指定本机已安装的字体（fc-list :lang=zh family 可列出）"
)

# A family name goes into CSS and into Word styles: letters, digits, CJK, spaces and a little punctuation.
_FONT_NAME = re.compile(r"[\w \-.+]{1,64}")

# Characters that are drawn as nothing: no font needs a glyph for them.
_IGNORABLE = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True)
class FontSet:
    """The families a document asks for: ``serif`` for the body, ``sans`` for titles."""

    serif: str = DEFAULT_SERIF
    sans: str = DEFAULT_SANS

    @property
    def families(self) -> tuple[str, ...]:
        return (self.serif, self.sans) if self.sans != self.serif else (self.serif,)


@dataclass(frozen=True)
class FontFace:
    family: str  # as asked for
    weight: str  # "regular" or "bold"
    postscript_name: str  # NotoSerifCJKsc-Bold: what a PDF names the embedded font
    file: str
    charset: tuple[tuple[int, int], ...]  # code point ranges the face covers

    def covers(self, char: str) -> bool:
        code = ord(char)
        lo, hi = 0, len(self.charset)
        while lo < hi:  # binary search over the sorted ranges
            mid = (lo + hi) // 2
            first, last = self.charset[mid]
            if code < first:
                hi = mid
            elif code > last:
                lo = mid + 1
            else:
                return True
        return False


@dataclass(frozen=True)
class ResolvedFonts:
    fonts: FontSet
    faces: tuple[FontFace, ...]

    @property
    def postscript_names(self) -> frozenset[str]:
        return frozenset(face.postscript_name for face in self.faces)


def check_font_name(name: str) -> str:
    """``name`` if it can safely name a font family in CSS and Word styles, else an InputError."""
    if not _FONT_NAME.fullmatch(name) or name.strip() != name:
        raise InputError(f"字体名称无效：{name!r}（只能包含文字、数字、空格和 - . + _）")
    return name


def _fc_match(pattern: str) -> tuple[str, str, str, str] | None:
    """(families, postscript name, file, charset) fontconfig picks for ``pattern``; None if it has no font."""
    program = shutil.which("fc-match")
    if program is None:
        raise FontError("找不到 fc-match：请安装 fontconfig（sudo apt-get install fontconfig）")
    result = subprocess.run(
        [program, "--format", "%{family}\\n%{postscriptname}\\n%{file}\\n%{charset}\\n", pattern],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    fields = result.stdout.split("\n")
    if result.returncode != 0 or len(fields) < 4 or not fields[2]:
        return None
    return fields[0], fields[1], fields[2], fields[3]


def _parse_charset(text: str) -> tuple[tuple[int, int], ...]:
    ranges: list[tuple[int, int]] = []
    for token in text.split():
        first, _, last = token.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return tuple(sorted(ranges))


@cache
def _face(family: str, weight: str, _environment: tuple[str | None, ...]) -> FontFace:
    # _environment: the fontconfig settings in force, so a changed FONTCONFIG_FILE is looked up afresh.
    pattern = family.replace("-", "\\-") + (":weight=bold" if weight == "bold" else ":weight=regular")
    found = _fc_match(pattern)
    if found is None:
        raise FontError(f"找不到字体「{family}」：本机没有可用的字体。{install_advice(family)}")
    families, postscript, file, charset = found
    names = {name.strip().casefold() for name in families.split(",")}
    if family.casefold() not in names:
        raise FontError(
            f"找不到字体「{family}」（fontconfig 只能用「{families.split(',')[0]}」代替）。{install_advice(family)}"
        )
    return FontFace(family, weight, postscript, file, _parse_charset(charset))


def _fontconfig_environment() -> tuple[str | None, ...]:
    return tuple(
        os.environ.get(k) for k in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME")
    )


def resolve(fonts: FontSet | None = None) -> ResolvedFonts:
    """The regular and bold faces of every family in ``fonts``, or a FontError saying how to install them."""
    fonts = fonts or FontSet()
    environment = _fontconfig_environment()
    faces: list[FontFace] = []
    for family in fonts.families:
        check_font_name(family)
        for weight in ("regular", "bold"):
            faces.append(_face(family, weight, environment))
    return ResolvedFonts(fonts, tuple(faces))


def missing_characters(text: Iterable[str], face: FontFace) -> list[str]:
    """The distinct characters of ``text`` without a glyph in ``face`` (tofu), in first-seen order."""
    # dict.fromkeys over the joined text: the distinct characters in first-seen order at C speed, so each is
    # looked up in the charset once (a contract has ~60,000 characters but ~1,000 distinct ones).
    distinct = dict.fromkeys("".join(text))
    return [char for char in distinct if char not in _IGNORABLE and not face.covers(char)]
