"""The bundle manifest: ``manifest.json`` (what was made from what) and ``SHA256SUMS`` (for ``sha256sum -c``).

``manifest.json`` is canonical JSON — keys sorted, two-space indent, UTF-8 without escapes, one trailing
newline — so the same bundle always serialises to the same bytes. ``SHA256SUMS`` lists every file of the
bundle, the manifest included, in the text format GNU ``sha256sum -c`` reads (``<hex>  <path>``, sorted by
path).

This module only describes files it is given; it must not render, sign or decide what goes into a bundle,
and it must not read the clock: the one date it records is the epoch it is handed.
"""

# Heavy modules (pypdf, pyHanko, WeasyPrint) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT",
    "MANIFEST_NAME",
    "SUMS_NAME",
    "Epoch",
    "canonical_json",
    "file_entry",
    "format_sums",
    "is_safe_member",
    "parse_sums",
    "pdf_page_count",
    "sha256_bytes",
    "sha256_file",
]

FORMAT = "contractgen-bundle/1"
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Epoch:
    """The one moment a bundle's dates come from: Unix seconds, and where that number came from."""

    seconds: int
    source: str  # "SOURCE_DATE_EPOCH", "signing.date" or "argument"

    @property
    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, UTC)

    def as_json(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "iso": self.utc.isoformat(), "source": self.source}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF (pypdf, imported here so that the manifest module stays light)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def file_entry(data: bytes, *, pages: int | None, **extra: Any) -> dict[str, Any]:
    """A manifest ``files`` entry: SHA-256, size, page count (``None`` where a file has no fixed pages)."""
    return {"sha256": sha256_bytes(data), "size": len(data), "pages": pages, **extra}


def canonical_json(value: Mapping[str, Any]) -> bytes:
    """Deterministic JSON bytes: sorted keys, fixed separators, real UTF-8 (Chinese stays readable)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, separators=(",", ": "))
    return (text + "\n").encode("utf-8")


def is_safe_member(name: str) -> bool:
    """Whether ``name`` is a relative POSIX path inside the bundle (no ``..``, not absolute)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts) and ":" not in parts[0]


def format_sums(hashes: Iterable[tuple[str, str]]) -> bytes:
    """``SHA256SUMS`` text for ``(path, hex)`` pairs, sorted by path; ``sha256sum -c`` accepts it."""
    lines = []
    for name, digest in sorted(hashes):
        if not is_safe_member(name) or "\n" in name:
            raise ValueError(f"unsafe bundle member name: {name!r}")
        lines.append(f"{digest}  {name}\n")
    return "".join(lines).encode("utf-8")


def parse_sums(data: bytes) -> tuple[dict[str, str], list[str]]:
    """Read ``SHA256SUMS``: ``({path: hex}, [lines that could not be read])``."""
    sums: dict[str, str] = {}
    bad: list[str] = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep:
            digest, sep, name = line.partition(" *")  # binary-mode marker
        if not sep or not _HEX64.fullmatch(digest) or not name:
            bad.append(line)
            continue
        sums[name] = digest
    return sums, bad
