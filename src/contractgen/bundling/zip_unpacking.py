"""A bundle zip unpacked for verification: into a new temporary folder, within limits, trusting nothing in it.

:func:`unpacked` refuses an archive (:class:`ZipRefused`, a verification failure) whose central directory is
larger than :data:`~.verification_limits.MAX_ZIP_DIRECTORY_BYTES` — checked on the end record before zipfile
reads the directory whole — or that is ZIP64, has more members than allowed, a member name that is unsafe
(absolute, ``..``), repeated, both a file and a folder, or outside one top-level bundle folder, a symbolic
link, an encrypted member or a compression other than stored/deflate. Members are then streamed out in
64 KiB blocks, and their size, the total and the compression ratio are counted on the bytes that actually
come out — a header's declared sizes are not trusted. A temporary folder that cannot be written (a full
disk, a small ``TMPDIR``) is an :class:`~contractgen.errors.OutputError` naming the folder (exit 5).

This module must not write outside the temporary folder it makes, create links, or leave that folder behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from contractgen.bundling import verification_limits as limits
from contractgen.bundling.manifest import is_safe_member
from contractgen.bundling.signature_check import error_text, printable
from contractgen.errors import InputError, OutputError

__all__ = ["ZipRefused", "unpacked"]

_CHUNK = 64 * 1024
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ZipRefused(Exception):
    """The archive is not unpacked; ``problems`` are ``(member or archive name, kind, message)``."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__("; ".join(message for _, _, message in problems))
        self.problems = problems


@contextmanager
def unpacked(archive: Path) -> Iterator[Path]:
    """The bundle folder inside ``archive``, unpacked into a temporary folder that is removed afterwards."""
    try:
        handle = archive.open("rb")
    except OSError as error:
        raise InputError(f"无法读取 bundle 压缩包 {archive}：{error.strerror or error}") from error
    with handle:
        _check_end_record(archive, handle)
        try:
            zf = zipfile.ZipFile(handle)
        except Exception as error:  # zipfile raises BadZipFile, ValueError, EOFError… on a damaged archive
            raise _refused(archive.name, f"压缩包已损坏，无法打开（{error_text(error)}）") from error
        with zf:
            top = _check_members(archive, zf.infolist())
            try:
                temp = Path(tempfile.mkdtemp(prefix="contractgen-verify-"))
            except OSError as error:
                raise _write_failed(Path(tempfile.gettempdir()), error) from error
            try:
                _unpack_all(zf, temp, archive.stat().st_size)
                yield temp / top
            finally:
                shutil.rmtree(temp, ignore_errors=True)


def _refused(name: str, message: str, kind: str = "archive") -> ZipRefused:
    return ZipRefused([(name, kind, message)])


def _check_end_record(archive: Path, handle: IO[bytes]) -> None:
    """Find the end record as zipfile does, and refuse ZIP64 or a central directory over the cap."""
    size = handle.seek(0, os.SEEK_END)
    if size > limits.MAX_ZIP_TOTAL_BYTES:
        raise _refused(archive.name, f"压缩包大小 {limits.size_text(size)} 超过上限 {_cap(limits.MAX_ZIP_TOTAL_BYTES)}")
    offset = size - _END_RECORD_SIZE
    record = b""
    if offset >= 0:
        handle.seek(offset)
        record = handle.read(_END_RECORD_SIZE)
    if not (record[:4] == _END_RECORD and record[-2:] == b"\x00\x00"):
        start = max(size - (1 << 16) - _END_RECORD_SIZE, 0)  # an archive comment is at most 64 KiB
        handle.seek(start)
        tail = handle.read()
        found = tail.rfind(_END_RECORD)
        if found < 0 or len(tail) - found < _END_RECORD_SIZE:
            raise _refused(archive.name, "不是 zip 压缩包，或已损坏（找不到中央目录）")
        offset = start + found
        record = tail[found : found + _END_RECORD_SIZE]
    if offset >= _ZIP64_LOCATOR_SIZE:
        handle.seek(offset - _ZIP64_LOCATOR_SIZE)
        if handle.read(4) == _ZIP64_LOCATOR:
            raise _refused(archive.name, "压缩包是 ZIP64 格式：bundle 压缩包不会这么大，未解压")
    members, directory = struct.unpack("<HI", record[10:16])
    if directory > limits.MAX_ZIP_DIRECTORY_BYTES or members > limits.MAX_ZIP_MEMBERS:
        message = f"压缩包目录过大（{members} 个成员，{limits.size_text(directory)}），超过上限，未解压"
        raise _refused(archive.name, message)


def _check_members(archive: Path, infos: list[zipfile.ZipInfo]) -> str:
    """The one top-level folder of the members, after refusing anything that is not a plain bundle."""
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise _refused(archive.name, f"压缩包有 {len(infos)} 个成员，超过上限 {limits.MAX_ZIP_MEMBERS}，未解压")
    problems: list[tuple[str, str, str]] = []
    names = [info.filename.removesuffix("/") for info in infos]
    files = {name for name, info in zip(names, infos, strict=True) if not info.is_dir()}
    seen: set[str] = set()
    declared = 0
    for name, info in zip(names, infos, strict=True):
        shown = printable(info.filename, 120)
        if not is_safe_member(name):
            problems.append((shown, "unsafe-path", "压缩包成员路径不安全（绝对路径或含 ..），未解压"))
        elif name in seen:
            problems.append((shown, "archive", "压缩包中此成员重复出现，未解压"))
        elif any("/".join(name.split("/")[:depth]) in files for depth in range(1, name.count("/") + 1)):
            problems.append((shown, "archive", "压缩包成员的上级目录同时是一个文件，未解压"))
        elif stat.S_ISLNK(info.external_attr >> 16):
            problems.append((shown, "archive", "压缩包成员是符号链接，未解压"))
        elif info.flag_bits & 0x1:
            problems.append((shown, "archive", "压缩包成员已加密，未解压"))
        elif info.compress_type not in _METHODS:
            problems.append((shown, "archive", f"压缩包成员的压缩方式 {info.compress_type} 不受支持，未解压"))
        elif info.file_size > limits.MAX_ZIP_MEMBER_BYTES:
            message = f"压缩包成员声明的大小超过上限 {_cap(limits.MAX_ZIP_MEMBER_BYTES)}，未解压"
            problems.append((shown, "archive", message))
        seen.add(name)
        declared += info.file_size
    if declared > limits.MAX_ZIP_TOTAL_BYTES:
        message = f"压缩包声明的解压总大小超过上限 {_cap(limits.MAX_ZIP_TOTAL_BYTES)}，未解压"
        problems.append((archive.name, "archive", message))
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or any(name in tops for name in files):
        problems.append((archive.name, "manifest", "压缩包应只含一个 bundle 目录"))
    if problems:
        raise ZipRefused(problems)
    return tops.pop()


def _unpack_all(zf: zipfile.ZipFile, folder: Path, archive_size: int) -> None:
    total = 0
    for info in zf.infolist():
        target = folder / info.filename.removesuffix("/")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if info.is_dir():
                target.mkdir(exist_ok=True)
                continue
        except OSError as error:
            raise _write_failed(folder, error) from error
        total += _unpack_member(zf, info, target, folder, total, packed=min(info.compress_size, archive_size))


def _unpack_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, folder: Path, total: int, *, packed: int
) -> int:
    """Stream one member into ``target``, counting what comes out; the number of bytes written."""
    shown = printable(info.filename, 120)
    try:
        source = zf.open(info)
    except Exception as error:  # a bad local header, a name that differs from the directory's…
        raise _refused(shown, f"压缩包成员无法解压（{error_text(error)}）") from error
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as error:
        source.close()
        raise _write_failed(folder, error) from error
    written = 0
    try:
        while True:
            try:
                chunk = source.read(_CHUNK)
            except Exception as error:  # a CRC mismatch, a truncated stream, bad deflate data
                raise _refused(shown, f"压缩包成员无法解压（{error_text(error)}）") from error
            if not chunk:
                return written
            written += len(chunk)
            _check_growth(shown, written, total + written, packed)
            _write_all(fd, chunk, folder)
    finally:
        source.close()
        os.close(fd)


def _check_growth(shown: str, written: int, total: int, packed: int) -> None:
    if written > limits.MAX_ZIP_MEMBER_BYTES:
        raise _refused(shown, f"压缩包成员解压后超过上限 {_cap(limits.MAX_ZIP_MEMBER_BYTES)}，未解压")
    if total > limits.MAX_ZIP_TOTAL_BYTES:
        raise _refused(shown, f"压缩包解压后的总大小超过上限 {_cap(limits.MAX_ZIP_TOTAL_BYTES)}，未解压")
    if written > limits.ZIP_RATIO_FLOOR and written > limits.MAX_ZIP_RATIO * max(packed, 1):
        message = f"压缩包成员的压缩比超过 {limits.MAX_ZIP_RATIO}:1（疑似压缩炸弹），未解压"
        raise _refused(shown, message)


def _write_all(fd: int, chunk: bytes, folder: Path) -> None:
    view = memoryview(chunk)
    while view:
        try:
            done = os.write(fd, view)
        except OSError as error:
            raise _write_failed(folder, error) from error
        view = view[done:]


def _write_failed(folder: Path, error: OSError) -> OutputError:
    reasons = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EFBIG: "文件超过系统允许的大小"}
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return OutputError(
        f"无法把 bundle 压缩包解压到临时目录 {folder}：{reason}；请把 TMPDIR 设为空间足够、可写的目录后重试"
    )


def _cap(size: int) -> str:
    return limits.size_text(size)
