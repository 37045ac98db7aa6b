"""Provenance: hashes of what a contract was rendered with — its templates, its schema, its fonts.

The manifest records, for the contract type, the SHA-256 of every template file and of the schema,
plus one digest over the whole template folder, and the version of each dated table its checks read
(``reference_tables``); and for every font face the render uses (the body and title families,
regular and bold, and the face of the 正本 marker) its family, PostScript name, file name and SHA-256.
Two bundles with equal provenance were made from the same inputs.

Fonts are found as the render finds them (fontconfig, :mod:`contractgen.writers.fonts`); a font file is hashed once
per process. File names are recorded without their directory, so the manifest does not depend on where a
machine keeps its fonts. :func:`prefetch_font_hashes` hashes them in a background thread, while the caller does
other work (a ledgered run starts it before its first spec): four Noto CJK files are 70 ms of SHA-256, and
hashlib lets other threads run while it hashes.

This module must not render, and must not read anything but the files it hashes.
"""


from __future__ import annotations

import contextlib
import hashlib
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from contractgen.bundling.manifest import sha256_file

__all__ = ["DIGEST_THREAD", "font_hashes", "prefetch_font_hashes", "provenance", "template_hashes"]

#: The name of :func:`prefetch_font_hashes`' thread; it only reads files and hashes them.
DIGEST_THREAD = "contractgen-font-digests"


def template_hashes(folder: Path) -> dict[str, Any]:
    """``{"sha256": digest of the folder, "files": {relative path: sha256}}`` for a template folder."""
    files = {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    whole = hashlib.sha256("".join(f"{name}\0{digest}\n" for name, digest in files.items()).encode("utf-8"))
    return {"sha256": whole.hexdigest(), "files": files}


_digests: dict[tuple[str, int, int], Future[str]] = {}
_digests_lock = threading.Lock()


def _hash_font(path: str, size: int, mtime: int) -> str:
    """A font file's SHA-256, hashed once per process, whichever thread asks first (the others wait for it)."""
    key = (path, size, mtime)  # size and mtime: a font replaced in place is hashed again
    with _digests_lock:
        future = _digests.get(key)
        mine = future is None
        if future is None:
            future = _digests[key] = Future()
    if mine:
        try:
            future.set_result(sha256_file(Path(path)))
        except BaseException as error:
            with _digests_lock:
                del _digests[key]  # a failure is not remembered: the next caller tries again
            future.set_exception(error)
    return future.result()


def _faces(families: tuple[str, ...]) -> list[Any]:
    from contractgen.writers.fonts import FontSet, resolve

    faces, seen = [], set()
    for family in families:
        for face in resolve(FontSet(serif=family, sans=family)).faces:
            if (face.family, face.weight) not in seen:
                seen.add((face.family, face.weight))
                faces.append(face)
    return faces


def prefetch_font_hashes(families: tuple[str, ...]) -> None:
    """Start hashing the font files of ``families`` in a thread of its own (:data:`DIGEST_THREAD`); the faces are
    found here first (fontconfig is not asked from two threads). A missing face is left for the caller's own
    lookup to report."""
    try:
        files = [Path(face.file) for face in _faces(families)]
        keys = [(str(path), (stat := path.stat()).st_size, stat.st_mtime_ns) for path in files]
    except Exception:  # a missing face (FontError) or file: reported where the fonts are needed
        return

    def run() -> None:
        for key in keys:
            with contextlib.suppress(OSError):  # the caller's own call meets the error again and reports it
                _hash_font(*key)

    threading.Thread(target=run, name=DIGEST_THREAD, daemon=True).start()


def font_hashes(families: tuple[str, ...]) -> list[dict[str, Any]]:
    """Family, weight, PostScript name, file name and SHA-256 of the regular and bold face of each family."""
    entries = []
    for face in _faces(families):
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
