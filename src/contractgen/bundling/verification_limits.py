"""How much :func:`~contractgen.bundling.verification.verify` is willing to read: the caps, and a bounded read.

A bundle to verify comes from someone else, so every read is bounded before it starts: ``manifest.json``,
``SHA256SUMS``, the trust certificate and each PDF are refused above a cap (checked on the open file, and
again while reading — a file may grow, and ``stat`` may lie about special files), and an archive is unpacked
within caps on its member count, member size, total size and compression ratio (:mod:`.zip_unpacking`).
Other files are only ever hashed, as a stream (:func:`~contractgen.bundling.manifest.sha256_file`).

The caps are sized from real bundles with a wide margin — the sample's manifest is a few KiB, its largest
PDF well under 1 MiB. They are module constants read at call time, so tests lower them with ``monkeypatch``
and stay small and fast; code elsewhere must read them as ``verification_limits.NAME``, never import the
value.

This module must not parse what it reads, nor decide what a bundle must contain.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "MAX_MANIFEST_BYTES",
    "MAX_PDF_BYTES",
    "MAX_SUMS_BYTES",
    "MAX_TRUST_BYTES",
    "MAX_ZIP_DIRECTORY_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_MEMBER_BYTES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_TOTAL_BYTES",
    "ZIP_RATIO_FLOOR",
    "TooLarge",
    "read_capped",
    "size_text",
]

_KIB = 1024
_MIB = 1024 * _KIB

#: manifest.json: a few KiB in a real bundle (one entry per file, template and font hashes).
MAX_MANIFEST_BYTES = 4 * _MIB
#: SHA256SUMS: one short line per file.
MAX_SUMS_BYTES = 1 * _MIB
#: A trust certificate (PEM or DER): a few KiB.
MAX_TRUST_BYTES = 1 * _MIB
#: A PDF that is parsed (content, attachments, signatures); a real contract is well under 10 MiB.
MAX_PDF_BYTES = 256 * _MIB

#: An archive's members: a bundle has a handful of files (more with many copies and PDF/A).
MAX_ZIP_MEMBERS = 256
#: The central directory, which zipfile reads whole before anything else: ~100 bytes per member.
MAX_ZIP_DIRECTORY_BYTES = 1 * _MIB
#: One unpacked member, counted while it streams out (the header's declared size is not trusted).
MAX_ZIP_MEMBER_BYTES = 256 * _MIB
#: All members together, unpacked.
MAX_ZIP_TOTAL_BYTES = 1024 * _MIB
#: Unpacked bytes per packed byte, once a member is past :data:`ZIP_RATIO_FLOOR`: PDFs are already
#: compressed (about 1:1), JSON and YAML reach 10:1; a zip bomb is 1000:1.
MAX_ZIP_RATIO = 100
#: Below this, a member may compress as well as it likes: a small file cannot fill a disk.
ZIP_RATIO_FLOOR = 1 * _MIB


class TooLarge(Exception):
    """A file is larger than the cap for its kind; ``size`` is at least what was seen (maybe more)."""

    def __init__(self, size: int, cap: int) -> None:
        super().__init__(f"{size} > {cap}")
        self.size = size
        self.cap = cap


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of ``path``, or :class:`TooLarge` without reading more than ``cap + 1`` bytes of it.

    The size ``stat`` gives is read at once (``read(n)`` allocates ``n`` bytes up front, so never the cap
    itself); whatever more the file turns out to hold is read in 1 MiB blocks, up to the cap.
    """
    import os

    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > cap:
            raise TooLarge(size, cap)
        parts = [handle.read(size + 1)]
        total = len(parts[0])
        while total <= cap:
            block = handle.read(min(_MIB, cap + 1 - total))
            if not block:
                break
            parts.append(block)
            total += len(block)
    if total > cap:
        raise TooLarge(total, cap)
    return b"".join(parts)


def size_text(size: int) -> str:
    """A size for people: ``256 MiB``, ``1.5 KiB``, ``17 字节``."""
    for unit, scale in (("GiB", 1024 * _MIB), ("MiB", _MIB), ("KiB", _KIB)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} 字节"
