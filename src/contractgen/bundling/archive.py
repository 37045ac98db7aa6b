"""Reproducible zip archives of a bundle directory.

The same files give the same zip bytes on any machine: members sorted by path, each stamped with the
bundle's epoch (clamped to 1980, the earliest date a zip can hold), permissions 0644, no extra fields,
deflate at a fixed level, no archive comment. Only regular files are archived, under one top-level folder
named after the bundle.

This module must not read the clock, follow symbolic links, or look at what the files mean.
"""

from __future__ import annotations

import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["write_zip", "zip_date_time"]

def zip_date_time(epoch_seconds: int) -> tuple[int, int, int, int, int, int]:
    """The zip member time for an epoch, in UTC (zip stores no zone), within what a zip can hold (1980–2107):
    the DOCX writer's rule (:func:`contractgen.writers.ooxml.zip_date_time`), for Unix seconds."""
    from contractgen.writers.ooxml import zip_date_time as clamped

    return clamped(datetime.fromtimestamp(epoch_seconds, UTC))


def _members(root: Path) -> list[Path]:
    files: list[Path] = []
    for path in root.rglob("*"):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            raise ValueError(f"refusing to archive a symbolic link: {path}")
        if stat.S_ISREG(mode):
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def write_zip(source: Path, target: Path, *, epoch_seconds: int) -> None:
    """Write ``source`` (a directory) as the zip ``target``, members under ``<source.name>/``."""
    date_time = zip_date_time(epoch_seconds)
    with zipfile.ZipFile(target, "w") as archive:
        for path in _members(source):
            info = zipfile.ZipInfo(f"{source.name}/{path.relative_to(source).as_posix()}", date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that external_attr below means Unix permissions everywhere
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
