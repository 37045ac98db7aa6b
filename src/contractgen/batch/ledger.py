"""The ledger: ``OUT/batch.jsonl``, one JSON object a line, appended as each spec of a batch settles.

A run appends a ``run`` line when it starts (its id, command, shard, how many specs it will settle), then one
``spec`` line per spec as it settles: its path and key (:mod:`.shards`), the SHA-256 of its bytes, the status
(``rendered``, ``skipped``, ``invalid``, ``failed``), its outputs and their SHA-256, the diagnostics, what the
outputs were made with (contractgen's version and the digests of the templates, fonts and options), the
worker and the seconds it took. Lines are never rewritten: a resumed run appends, and the last line of a spec
is what holds (:mod:`.report`).

Kill-safety: each line goes to the file in ONE ``write()`` on a descriptor opened ``O_APPEND`` (the kernel
puts it at the end whatever else happened), followed by ``fsync``, while the run holds the output folder's
lock. A SIGKILL or a power cut can still leave the last line torn: a line without its newline is not a line.
:func:`read_ledger` ignores it (and says so), and :meth:`Ledger.open` cuts it off before appending, so a torn
tail never glues onto the next run's first line.

This module must not decide what a status means or which spec may be skipped (:mod:`.resume`, :mod:`.report`),
and must never rewrite a complete line.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.errors import InputError, OutputError

__all__ = ["FORMAT", "LEDGER_NAME", "Ledger", "LedgerContents", "ledger_path", "read_ledger"]

LEDGER_NAME = "batch.jsonl"
FORMAT = "contractgen-batch/1"
_MAX_BYTES = 4 << 30  # 4 GiB: a ledger of millions of specs; anything larger is not a ledger


def ledger_path(path: Path | str) -> Path:
    """A ledger named by a user: the file, or a folder's ``batch.jsonl``."""
    path = Path(path)
    return path / LEDGER_NAME if path.is_dir() else path


def _cut_torn_tail(path: Path) -> None:
    """Drop the bytes after the last newline: the line a kill tore while it was being written."""
    try:
        with path.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            keep, position = 0, size
            while position > 0 and not keep:
                step = min(1 << 16, position)
                position -= step
                handle.seek(position)
                block = handle.read(step)
                newline = block.rfind(b"\n")
                if newline >= 0:
                    keep = position + newline + 1
            handle.truncate(keep)
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return


class Ledger:
    """A ledger open for appending; the caller holds the output folder's lock while it writes."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def open(cls, directory: Path) -> Ledger:
        path = directory / LEDGER_NAME
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            if path.is_symlink():
                raise OutputError(f"{path} 是符号链接，不是 contractgen 的账本；请移走它后重试")
            _cut_torn_tail(path)
            return cls(path, os.open(path, flags, 0o644))
        except OSError as error:
            from contractgen.writers.output import os_error_message

            raise OutputError(os_error_message(error, directory)) from None

    def append(self, record: dict[str, Any]) -> None:
        """Append one line — one ``write()``, then ``fsync``."""
        line = json.dumps({"format": FORMAT, **record}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        data = (line + "\n").encode("utf-8")
        try:
            written = os.write(self._fd, data)
            while written < len(data):  # a short write (a full disk, a signal): the rest, still at the end
                written += os.write(self._fd, data[written:])
            os.fsync(self._fd)
        except OSError as error:
            from contractgen.writers.output import os_error_message

            raise OutputError(os_error_message(error, self.path.parent)) from None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class LedgerContents:
    """A ledger's complete lines, in order, and whether its last line was torn (and so left out)."""

    path: Path
    records: tuple[dict[str, Any], ...]
    torn: bool = False


def read_ledger(path: Path | str) -> LedgerContents:
    """Every complete line of a ledger (a file, or a folder holding ``batch.jsonl``).

    A last line without its newline (a kill while it was written) is left out and reported in ``torn``; a
    complete line that is not one of contractgen's objects is an InputError naming the file and the line.
    """
    path = ledger_path(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise InputError(f"{path} 不是 contractgen 的账本（大于 4 GiB）")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到账本：{path}") from None
    except OSError as error:
        raise InputError(f"无法读取账本 {path}：{error.strerror or error}") from None
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: b"" for a whole ledger, else a torn line
    records: list[dict[str, Any]] = []
    for number, raw in enumerate(lines, 1):
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InputError(f"{path}:{number}: 不是一行 JSON（账本已损坏？）") from None
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise InputError(f'{path}:{number}: 不是 contractgen 账本的记录（应有 "format": "{FORMAT}"）')
        records.append(record)
    return LedgerContents(path, tuple(records), torn=bool(tail))
