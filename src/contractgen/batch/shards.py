"""Shards: the specs of a batch divided among N machines that never talk to each other (``--shard K/N``).

Each spec has a *key*: its path relative to the folder it was found in (``a/b.yaml`` for ``specs/a/b.yaml``
under ``specs/``), or its file name when it was named on its own; forward slashes, Unicode NFC (macOS writes
names decomposed), so the key is the same on every machine and in every checkout. A spec belongs to shard
``int(sha256(key)[:8]) mod N``. Nothing but the key decides, so:

- the N shards of one folder are disjoint and together hold every spec exactly once;
- adding or removing a spec never moves another one to a different shard;
- each machine computes its own shard from the same folder with no coordination.

K counts from 0 (``0/4`` … ``3/4``), as a Kubernetes Indexed Job's ``JOB_COMPLETION_INDEX`` does, so the pod's
index is K as it is.

This module must not read the specs' contents, and must not run anything.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contractgen.errors import InputError

__all__ = ["SPEC_SUFFIXES", "Shard", "keyed_specs", "shard_index"]

SPEC_SUFFIXES = (".yaml", ".yml")

_FORM = re.compile(r"\s*(\d{1,9})\s*/\s*(\d{1,9})\s*")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (``index`` from 0)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise InputError(f"分片应写作 K/N，0 ≤ K < N（如 0/4 … 3/4），收到 {self.index}/{self.count}")

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/7"`` → ``Shard(2, 7)``; anything else is an InputError saying how it is written."""
        match = _FORM.fullmatch(text)
        if match is None:
            raise InputError(f"分片应写作 K/N，0 ≤ K < N（如 0/4 … 3/4），收到 {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, key: str) -> bool:
        return shard_index(key, self.count) == self.index


def shard_index(key: str, count: int) -> int:
    """The shard (0 … count-1) of a spec key: the first 8 bytes of its SHA-256, as a number, modulo ``count``."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def _key(path: Path, root: Path | None) -> str:
    relative = path.relative_to(root) if root is not None else Path(path.name)
    return unicodedata.normalize("NFC", relative.as_posix())


def keyed_specs(paths: Sequence[Path | str]) -> list[tuple[Path, str]]:
    """The spec files named by ``paths``, each with its key: files as given, folders searched for ``*.yaml`` /
    ``*.yml`` (each folder's files sorted by path); in argument order, duplicates dropped."""
    found: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            specs = sorted(p for p in path.rglob("*") if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
            for spec in specs:
                found.setdefault(spec, _key(spec, path))
        elif path.is_file():
            found.setdefault(path, _key(path, None))
        else:
            raise InputError(f"找不到合同规格文件或目录：{path}")
    if not found:
        raise InputError("没有找到任何合同规格文件（*.yaml / *.yml）")
    return list(found.items())
