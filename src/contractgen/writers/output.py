"""Output: safe file names, and all-or-nothing writes into an output directory.

File names come from a spec's contract number, so they are built from an allow-list (ASCII letters, digits,
``. _ -`` and CJK ideographs), never contain a path separator, are not a reserved device name, and must
resolve to a file directly inside the output directory. Writing takes a lock on the directory (a second run on
the same directory fails at once), writes every file into a temporary directory inside it, then moves them
into place with ``os.replace``; if anything fails, files already moved are put back, so the directory is left
as it was. Existing symlinks are replaced, never followed. A run that writes several units (one per spec)
holds the directory once with :func:`claimed` and writes each unit with ``write_files(..., lock=False)``;
temporary directories that an interrupt or a kill left behind are removed while the lock is held.

This module must not render anything or decide what the files contain.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from contractgen.errors import OutputError

__all__ = ["claimed", "locked", "safe_name", "safe_stem", "write_files"]

MAX_STEM = 120
_DISALLOWED = re.compile(r"[^A-Za-z0-9._\-\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
_DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_TEMP_PREFIX = ".contractgen-"


def safe_stem(text: str, *, what: str = "合同编号") -> str:
    """``text`` as a file-name stem: disallowed characters become ``_``; unusable stems: OutputError."""
    stem = _DISALLOWED.sub("_", text)
    stem = re.sub(r"_{2,}", "_", stem).lstrip(".-_").rstrip(". ")[:MAX_STEM]
    if not stem or set(stem) <= {"_", ".", "-"}:
        raise OutputError(f"{what} {text!r} 无法用作文件名：去掉不允许的字符后为空")
    if _RESERVED.fullmatch(stem):
        raise OutputError(f"{what} {text!r} 是系统保留的设备名，不能用作文件名")
    return stem


def safe_name(name: str) -> str:
    """``name`` if it is a plain, allowed file name (what :func:`safe_stem` builds, plus an extension)."""
    if (
        name in ("", ".", "..")
        or _DISALLOWED.search(name)
        or name.startswith(".")
        or _RESERVED.fullmatch(name)
    ):
        raise OutputError(f"文件名 {name!r} 不安全")
    return name


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (flock on the directory itself: no lock file is left over)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking, as before
        yield
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"输出目录 {directory} 正被另一个 contractgen 进程写入，请稍后再试") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_new(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _check_targets(directory: Path, files: Mapping[str, bytes]) -> None:
    seen: dict[str, str] = {}
    for name in files:
        safe_name(name)
        folded = name.casefold()
        if folded in seen:
            raise OutputError(
                f"两个输出文件名只有大小写不同：{seen[folded]} 和 {name}（请检查合同编号是否重复）"
            )
        seen[folded] = name
        target = directory / name
        if target.parent.resolve() != directory.resolve():
            raise OutputError(f"输出文件 {name} 不在输出目录之内")
        if target.is_dir() and not target.is_symlink():
            raise OutputError(f"输出路径 {target} 是一个目录")


def _make_directory(directory: Path) -> list[Path]:
    """Create ``directory`` and its missing parents; return the ones created (deepest last)."""
    created: list[Path] = []
    missing = [directory, *directory.parents]
    for path in reversed(missing):
        if not path.exists():
            try:
                path.mkdir()
            except OSError as error:
                raise OutputError(f"无法创建输出目录 {path}：{error.strerror}") from None
            created.append(path)
        elif not path.is_dir():
            raise OutputError(f"输出路径 {path} 不是目录")
    return created


def _sweep(directory: Path) -> None:
    """Remove temporary directories left in ``directory``: while its lock is held, no run is using them."""
    for leftover in directory.glob(f"{_TEMP_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def claimed(directory: Path) -> Iterator[Path]:
    """Create ``directory`` (and missing parents) and hold its lock for a whole run.

    Temporary directories are swept on the way in (a killed run's) and out (a Ctrl-C can land between
    creating one and the ``try`` that removes it). The directories this created are removed again if the
    run left them empty: a run that wrote nothing leaves no directory it made.
    """
    directory = Path(directory)
    created = _make_directory(directory)
    try:
        with locked(directory):
            _sweep(directory)
            try:
                yield directory
            finally:
                _sweep(directory)
    finally:
        for path in reversed(created):
            with contextlib.suppress(OSError):  # not empty: the run wrote something
                path.rmdir()


def write_files(directory: Path, files: Mapping[str, bytes], *, lock: bool = True) -> list[Path]:
    """Write every file of ``files`` (name -> bytes) into ``directory``, all or nothing; return the paths.

    ``lock=False``: the caller holds ``directory`` already (:func:`claimed`), which must exist.
    """
    directory = Path(directory)
    if lock:
        with claimed(directory):
            return write_files(directory, files, lock=False)
    _check_targets(directory, files)
    # Ctrl-C while a spec's files are written and renamed in is held until they are all in place (milliseconds):
    # an interrupt between a rename and its record would otherwise leave the spec partly moved in.
    with _interrupts_deferred():
        return _commit(directory, files)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block ends, then deliver them.

    Python runs signal handlers in the main thread whichever thread the kernel picked (a process pool's
    manager thread, say), so swapping the handlers defers a signal where blocking it in one thread cannot.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {signum: signal.signal(signum, lambda n, _: held.append(n)) for signum in _DEFERRED_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        if held:
            signal.raise_signal(held[0])  # now, through the handler that was in place before


def _commit(directory: Path, files: Mapping[str, bytes]) -> list[Path]:
    try:
        staging = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=directory))
    except OSError as error:
        raise OutputError(f"无法写入输出目录 {directory}：{error.strerror}") from None
    moved: list[tuple[Path, Path | None]] = []  # (target, backup of what it replaced)
    try:
        for name, data in files.items():
            _write_new(staging / name, data)
        for n, name in enumerate(files):
            target = directory / name
            backup: Path | None = None
            if target.exists() or target.is_symlink():
                backup = staging / f".old-{n}"
                os.replace(target, backup)
            try:
                os.replace(staging / name, target)
            except BaseException:
                if backup is not None:
                    os.replace(backup, target)
                raise
            moved.append((target, backup))
        _fsync_directory(directory)
        return [directory / name for name in files]
    except BaseException as error:
        for target, backup in reversed(moved):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink()
        if isinstance(error, OSError):
            raise OutputError(f"写入输出目录 {directory} 失败：{error.strerror or error}") from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
