"""Output: all-or-nothing, never-lose-the-old writes into an output folder, locked against a second run.

Writing takes a lock on the folder (a second run on the same folder fails at once), writes every file of a unit
(one spec's DOCX and PDF, say) into a staging folder inside it, then moves each into place with ``os.replace`` —
which swaps the name atomically, so at every instant either the complete old file or the complete new one is
there, never neither. The old versions are kept as hard links in the staging folder until the unit is in place:
if anything fails, they are put back and the folder is as it was. Bundle folders are exchanged whole
(:func:`replace_directory`: Linux ``renameat2(RENAME_EXCHANGE)``). Existing symlinks are replaced, never
followed. Ctrl-C and SIGTERM are held while a unit is moved in (milliseconds).

A run holds the folder once with :func:`claimed` and writes each unit with ``write_files(..., lock=False)``;
staging folders that an interrupt or a kill left behind are swept (or, for a bundle folder caught between two
renames where the exchange is unavailable, put back) while the lock is held, so no finished output is touched.
With ``owners``, the folder's records (:mod:`contractgen.writers.output_records`) refuse to replace another
spec's outputs and learn who made the new ones. File names are built by :mod:`contractgen.writers.file_names`.

This module must not render anything or decide what the files contain.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from contractgen.errors import InputError, OutputError
from contractgen.writers.file_names import safe_name
from contractgen.writers.output_records import RECORDS_NAME, OutputRecords, Owner

__all__ = [
    "claimed",
    "interrupts_deferred",
    "locked",
    "os_error_message",
    "output_directory",
    "replace_directory",
    "sweep",
    "write_files",
]

_DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_TEMP_PREFIX = ".contractgen-"
#: In a staging folder of a directory replacement: the name of the target, and the old folder moved aside.
#: (Names a file stem can never be: stems never start with a dot.)
_TARGET_NOTE = ".target"
_OLD = ".old"


def os_error_message(error: OSError, directory: Path) -> str:
    """An OSError while writing into ``directory``, said for a person: a full disk, no permission, …"""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足：无法写入输出目录 {directory}（已写入的旧文件保持不变）"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限写入输出目录 {directory}：{error.strerror}"
    return f"写入输出目录 {directory} 失败：{error.strerror or error}"


def output_directory(value: str | os.PathLike[str]) -> Path:
    """``value`` as an output folder; an empty one is refused (``Path("")`` would silently mean ``.``)."""
    if os.fspath(value) == "":
        raise InputError("输出目录为空：请给出一个目录（当前目录写作 .）")
    return Path(value)


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (flock on the directory itself: no lock file is left over)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking, as before
        yield
        return
    from contractgen.writers.part_children import not_inherited

    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"输出目录 {directory} 正被另一个 contractgen 进程写入，请稍后再试") from None
        # A part process forked meanwhile would hold the lock as long as it stands, if it kept its copy of fd.
        with not_inherited(fd):
            yield
    finally:
        os.close(fd)  # closing the last descriptor of it releases the lock


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


def _check_targets(directory: Path, names: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
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
            except FileExistsError:  # made between the look and the mkdir: by another run starting beside this one
                if path.is_dir():
                    continue  # (shards side by side under one folder); not this run's to remove
                raise OutputError(f"输出路径 {path} 不是目录") from None
            except OSError as error:
                raise OutputError(f"无法创建输出目录 {path}：{error.strerror}") from None
            created.append(path)
        elif not path.is_dir():
            raise OutputError(f"输出路径 {path} 不是目录")
    return created


def sweep(directory: Path, prefix: str = _TEMP_PREFIX) -> None:
    """Clear what interrupted runs left in ``directory`` (its lock is held, so no run is using it).

    A staging folder of a directory replacement whose old folder was moved aside and whose target is missing
    is the one case where the old version is not in place: it is put back. Everything else staged is dropped.
    """
    for leftover in directory.glob(f"{prefix}*"):
        if not leftover.is_dir() or leftover.is_symlink():
            continue
        note, old = leftover / _TARGET_NOTE, leftover / _OLD
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if note.is_file() and old.is_dir():
                target = directory / safe_name(note.read_text(encoding="utf-8"))
                if not (target.exists() or target.is_symlink()):
                    os.rename(old, target)
        shutil.rmtree(leftover, ignore_errors=True)
    for temporary in directory.glob(f"{RECORDS_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            temporary.unlink()


@contextlib.contextmanager
def claimed(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """Create ``directory`` (and missing parents) and hold its lock for a whole run.

    Staging folders are swept on the way in (a killed run's) and out (a Ctrl-C can land between creating one
    and the ``try`` that removes it). The directories this created are removed again if the run left them
    empty: a run that wrote nothing leaves no directory it made.
    """
    directory = output_directory(directory)
    created = _make_directory(directory)
    try:
        with locked(directory):
            sweep(directory)
            try:
                yield directory
            finally:
                sweep(directory)
    finally:
        for path in reversed(created):
            with contextlib.suppress(OSError):  # not empty: the run wrote something
                path.rmdir()


def write_files(
    directory: Path,
    files: Mapping[str, bytes],
    *,
    lock: bool = True,
    owners: Mapping[str, Owner] | None = None,
    overwrite: bool = False,
    records: OutputRecords | None = None,
) -> list[Path]:
    """Write every file of ``files`` (name -> bytes) into ``directory``, all or nothing; return the paths.

    ``lock=False``: the caller holds ``directory`` already (:func:`claimed`), which must exist. ``owners`` (name
    -> the spec it comes from): refuse to replace what another spec made unless ``overwrite``, and record the
    new owners (in ``records``, the folder's records loaded by the caller, or loaded here).
    """
    directory = Path(directory)
    if lock:
        with claimed(directory):
            return write_files(directory, files, lock=False, owners=owners, overwrite=overwrite, records=records)
    _check_targets(directory, list(files))
    if owners is not None:
        records = records or OutputRecords.load(directory)
        for owner in set(owners.values()):
            records.check([n for n, o in owners.items() if o == owner], owner, overwrite=overwrite)
    # Ctrl-C while a unit's files are written and renamed in is held until they are all in place (milliseconds):
    # an interrupt between a rename and its record would otherwise leave the unit partly moved in.
    with interrupts_deferred():
        return _commit(directory, files, owners, records)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
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


def _keep_old(target: Path, backup: Path) -> bool:
    """A hard link to the file at ``target`` (it stays in place), to put back if the unit fails."""
    if not (target.exists() or target.is_symlink()):
        return False
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:  # no hard links here (some network and FAT file systems): a copy does the same
        if target.is_symlink():
            os.symlink(os.readlink(target), backup)
        else:
            shutil.copy2(target, backup)
    return True


def _commit(
    directory: Path, files: Mapping[str, bytes], owners: Mapping[str, Owner] | None, records: OutputRecords | None
) -> list[Path]:
    try:
        staging = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=directory))
    except OSError as error:
        raise OutputError(os_error_message(error, directory)) from None
    moved: list[tuple[Path, Path | None]] = []  # (target, the old version kept aside)
    try:
        for name, data in files.items():
            _write_new(staging / name, data)
        if owners is not None and records is not None:
            for owner in set(owners.values()):
                mine = {n: hashlib.sha256(files[n]).hexdigest() for n, o in owners.items() if o == owner}
                records.begin(mine, owner)
        for n, name in enumerate(files):
            target, backup = directory / name, staging / f".old-{n}"
            kept = _keep_old(target, backup)
            os.replace(staging / name, target)  # atomic: the old file or the new one, never neither
            moved.append((target, backup if kept else None))
        _fsync_directory(directory)
        if owners is not None and records is not None:
            records.commit(owners)
        return [directory / name for name in files]
    except BaseException as error:
        for placed, old in reversed(moved):
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, placed)
                else:
                    placed.unlink()
        if owners is not None and records is not None:
            with contextlib.suppress(OutputError):
                records.rollback(owners)
        if isinstance(error, OSError):
            raise OutputError(os_error_message(error, directory)) from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _exchange(new: Path, target: Path) -> bool:
    """Swap two directories in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unavailable."""
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc/Linux
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(target), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # this file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(target))


def replace_directory(new: Path, target: Path, staging: Path) -> None:
    """Put the folder ``new`` (inside ``staging``) at ``target``, replacing any folder there, so that at every
    instant the complete old folder or the complete new one is at ``target``; the old one is removed after.

    Where the file system cannot exchange two folders, the old one is moved into ``staging`` first, with a note
    of its name: if the run is killed between the two renames, :func:`sweep` puts it back.
    """
    if not (target.exists() or target.is_symlink()):
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old folder
        return
    (staging / _TARGET_NOTE).write_text(target.name, encoding="utf-8")
    os.rename(target, staging / _OLD)
    os.rename(new, target)
    shutil.rmtree(staging / _OLD, ignore_errors=True)
