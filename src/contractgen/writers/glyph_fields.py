"""Glyph fields: a character the fonts lack, traced back to the spec fields that hold it.

The PDF writer sees only the document tree, so it can say which characters have no glyph but not where they
came from. For a user, the useful message points at the field to change — ``spec.yaml:7:9: signing.place`` —
so when a render fails for lack of glyphs, the spec is read again and every field whose value holds one of those
characters is named, with its line and column. A character that no field holds came from a template: the
message says so.

This module must not render, and runs only after a render failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from contractgen.errors import ContractgenError, GlyphError

__all__ = ["glyphs_in_spec"]


def _leaves(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, f"{path}[{index}]")
    elif isinstance(data, str):
        yield path, data


def glyphs_in_spec(spec: Path | str, error: GlyphError) -> GlyphError:
    """``error`` again, its message naming each field of ``spec`` (file:line:col: path) that holds a
    character without a glyph."""
    from contractgen.spec import load_spec

    try:
        loaded = load_spec(spec)
    except ContractgenError:
        return error
    lines = []
    for path, value in _leaves(loaded.data):
        lacking = [c for c in dict.fromkeys(value) if c in error.characters]
        if lacking:
            line, column = loaded.locate(path)
            shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in lacking[:8])
            lines.append(f"{loaded.path}:{line}:{column}: {path}: 字体「{error.family}」没有 {shown} 的字形")
    if not lines:
        return GlyphError(
            f"{error.message}（这些字符不在规格文件 {spec} 中，来自模板）",
            family=error.family,
            characters=error.characters,
        )
    summary = "请换用含这些字符的字体（--serif-font / --sans-font），或改写这些字段。"
    return GlyphError("\n".join([*lines, summary]), family=error.family, characters=error.characters)
