"""Provenance: hashes of what a contract was rendered with — its templates, its schema, its fonts.

The manifest records, for the contract type, the SHA-256 of every template file and of the schema,
plus one digest over the whole template folder, and the version of each dated table its checks read
(``reference_tables``); and for every font face the render uses (the body and title families,
regular and bold, and the face of the 正本 marker) its family, PostScript name, file name and SHA-256.
Two bundles with equal provenance were made from the same inputs.

Fonts are found as the render finds them (fontconfig, :mod:`contractgen.writers.fonts`); a font file is hashed once
per process. File names are recorded without their directory, so the manifest does not depend on where a
machine keeps its fonts.

This module must not render, and must not read anything but the files it hashes.
"""


from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from contractgen.bundling.manifest import sha256_file

__all__ = ["font_hashes", "provenance", "template_hashes"]


def template_hashes(folder: Path) -> dict[str, Any]:
    """``{"sha256": digest of the folder, "files": {relative path: sha256}}`` for a template folder."""
    files = {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    whole = hashlib.sha256("".join(f"{name}\0{digest}\n" for name, digest in files.items()).encode("utf-8"))
    return {"sha256": whole.hexdigest(), "files": files}


@cache
def _hash_font(path: str, size: int, mtime: int) -> str:
    # size and mtime are part of the key so that a font replaced in place is hashed again.
    return sha256_file(Path(path))


def font_hashes(families: tuple[str, ...]) -> list[dict[str, Any]]:
    """Family, weight, PostScript name, file name and SHA-256 of the regular and bold face of each family."""
    from contractgen.writers.fonts import FontSet, resolve

    entries = []
    seen: set[tuple[str, str]] = set()
    for family in families:
        for face in resolve(FontSet(serif=family, sans=family)).faces:
            if (face.family, face.weight) in seen:
                continue
            seen.add((face.family, face.weight))
            stat = Path(face.file).stat()
            entries.append(
                {
                    "family": face.family,
                    "weight": face.weight,
                    "postscript_name": face.postscript_name,
                    "file": Path(face.file).name,
                    "sha256": _hash_font(face.file, stat.st_size, stat.st_mtime_ns),
                }
            )
    return entries


def provenance(contract_type: str, families: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The manifest's ``templates``, ``schema`` and ``fonts`` sections for one contract type."""
    from contractgen.bundling.counterparts import MARKER_FONT
    from contractgen.resources import schema_path, template_dir
    from contractgen.writers.fonts import FontSet

    folder = template_dir(contract_type)
    schema = schema_path(contract_type)
    fonts = families or FontSet().families
    if MARKER_FONT not in fonts:
        fonts = (*fonts, MARKER_FONT)
    from contractgen.catalog import contract_type as type_of

    recorded = {
        "templates": {"folder": f"templates/zh/{contract_type}", **template_hashes(folder)},
        "schema": {"file": schema.name, "sha256": sha256_file(schema) if schema.is_file() else None},
        "fonts": font_hashes(fonts),
    }
    tables = type_of(contract_type).rules.reference_tables()
    if tables:  # the versions of the dated tables its checks read (a loan's LPR table), file name → SHA-256
        recorded["reference_tables"] = dict(sorted(tables.items()))
    return recorded
