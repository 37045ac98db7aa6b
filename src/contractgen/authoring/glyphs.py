"""Glyphs: characters a template writes that the configured fonts cannot draw.

Every character of a template's own text — the literal text between its tags, and the strings inside its tags
(``{{ "、" if not loop.last }}``) — must have a glyph in each face a contract is set in: the body face and the
title face, regular and bold (:func:`contractgen.writers.fonts.resolve`, fontconfig's own coverage). A
character without one would stop every render (:class:`~contractgen.errors.GlyphError`); lint finds it first,
at its line. What the spec brings is the spec's business, checked when it is rendered.

This module must not render; it reads syntax trees and asks fontconfig.
"""

from __future__ import annotations

from collections.abc import Iterator

from jinja2 import nodes

from contractgen.writers.fonts import FontSet, ResolvedFonts, missing_characters, resolve

__all__ = ["glyph_problems", "resolve_fonts"]

_MARKUP = frozenset("<>/=\"'")


def resolve_fonts(serif: str | None, sans: str | None) -> ResolvedFonts:
    """The faces to check against (a FontError, exit 5, when this machine lacks them)."""
    defaults = FontSet()
    return resolve(FontSet(serif or defaults.serif, sans or defaults.sans))


def _texts(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    for data in tree.find_all(nodes.TemplateData):
        for offset, line in enumerate(data.data.split("\n")):
            yield data.lineno + offset, line
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str):
            yield const.lineno, const.value


def glyph_problems(tree: nodes.Template, fonts: ResolvedFonts) -> Iterator[tuple[int, str, str]]:
    """(line, character, message) for the first place of each character some face lacks."""
    reported: set[str] = set()
    for line, text in _texts(tree):
        for face in fonts.faces:
            for char in missing_characters([text], face):
                if char in reported or char in _MARKUP:
                    continue
                reported.add(char)
                weight = "粗体" if face.weight == "bold" else "常规"
                message = f"字体「{face.family}」（{weight}）没有“{char}”(U+{ord(char):04X}) 的字形：渲染时会因此失败"
                yield line, char, message
