"""verify reads within bounds: capped manifest, sums, PDFs and archives; hashes as streams; a full disk is exit 5.

Large files are sparse (a few blocks on disk however large they say they are), and where a cap would need a real
large file the test lowers the cap instead (the caps are module constants of verification_limits).
"""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bundle_fixtures import EPOCH, reseal
from click.testing import CliRunner

from contractgen.bundling import verification, verification_limits, zip_unpacking
from contractgen.bundling.archive import write_zip
from contractgen.bundling.manifest import sha256_file
from contractgen.bundling.verification import verify, verify_report
from contractgen.bundling.verification_limits import TooLarge, read_capped
from contractgen.cli import cli
from contractgen.errors import OutputError

_GIB = 1 << 30
_MIB = 1 << 20


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def _kinds(problems: list[verification.Problem]) -> list[tuple[str, str]]:
    return [(p.path, p.kind) for p in problems]


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a PDF larger than 1 MiB (none of the real ones is) is handed to a parser."""
    for name in ("check_content", "check_signatures", "check_attachments"):
        monkeypatch.setattr(verification, name, _small_only(getattr(verification, name)))


def _small_only(check: Any) -> Any:
    def guarded(data: bytes, *args: Any, **kwargs: Any) -> Any:
        assert len(data) <= _MIB, "a large file was read whole and parsed"
        return check(data, *args, **kwargs)

    return guarded


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """TMPDIR for the test: where a zip is unpacked, and which must be empty again afterwards."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []  # the unpacked bundle is always removed


# --- manifest, sums, PDFs -------------------------------------------------------------------------------------


def test_a_huge_manifest_is_refused_unread(small_bundle: Path) -> None:
    _sparse(small_bundle / "manifest.json", 5 * _GIB)  # reading it whole would take gigabytes
    assert [str(p) for p in verify(small_bundle)] == ["manifest.json: 清单文件大于 4 MiB，不是 bundle 的清单，未读取"]


def test_huge_sums_are_refused_unread(small_bundle: Path) -> None:
    _sparse(small_bundle / "SHA256SUMS", 2 * _GIB)
    problems = verify(small_bundle)
    assert [str(p) for p in problems] == ["SHA256SUMS: 文件大于 1 MiB，不是 bundle 的校验和，未读取"]


def test_read_capped_does_not_trust_stat(tmp_path: Path) -> None:
    # A character device says it is empty and never ends: the read itself is bounded.
    with pytest.raises(TooLarge):
        read_capped(Path("/dev/zero"), 1024)
    assert read_capped(_sparse(tmp_path / "f", 1024), 1024) == b"\0" * 1024


def test_a_gigabyte_standing_in_for_a_pdf_is_neither_hashed_nor_parsed(small_bundle: Path, no_parsing: None) -> None:
    _sparse(small_bundle / "copy-1.pdf", _GIB)
    tracemalloc.start()
    try:
        problems = verify(small_bundle)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _kinds(problems) == [("copy-1.pdf", "changed")]
    assert "1073741824 字节，清单为" in problems[0].message
    assert peak < 64 * _MIB  # the file is 1 GiB


def test_a_pdf_over_the_cap_is_hashed_as_a_stream_and_never_parsed(
    small_bundle: Path, monkeypatch: pytest.MonkeyPatch, no_parsing: None
) -> None:
    monkeypatch.setattr(verification_limits, "MAX_PDF_BYTES", 4 * _MIB)
    _sparse(small_bundle / "copy-1.pdf", 32 * _MIB)
    reseal(small_bundle, changed=["copy-1.pdf"])  # the manifest agrees: the size alone cannot refuse it
    tracemalloc.start()
    try:
        problems = verify(small_bundle)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in problems] == ["copy-1.pdf: PDF 大小 32 MiB 超过上限 4 MiB，未解析"]
    assert peak < 16 * _MIB  # the file is 32 MiB; the other PDFs are parsed, in a few MiB


def test_sha256_file_streams(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "big", 64 * _MIB)
    tracemalloc.start()
    try:
        digest = sha256_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest == "3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351"  # 64 MiB of zeros
    assert peak < 4 * _MIB


# --- archives -----------------------------------------------------------------------------------------------


@pytest.fixture
def archive(small_bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / "KF-TEST-0001.zip"
    write_zip(small_bundle, target, epoch_seconds=EPOCH.seconds)
    return target


def _with_member(archive: Path, name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(zipfile.ZipInfo(f"KF-TEST-0001/{name}", (2026, 11, 24, 0, 0, 0)), data, compress_type=method)
    return archive


def test_an_archive_verifies_and_leaves_nothing_behind(archive: Path, temp_dir: Path) -> None:
    assert verify(archive) == []


def test_a_zip_bomb_member_is_refused_by_its_ratio(archive: Path, temp_dir: Path) -> None:
    _with_member(archive, "bomb.bin", b"\0" * (4 * _MIB))  # about 4 KiB packed: 1000:1
    problems = verify(archive)
    assert [str(p) for p in problems] == ["KF-TEST-0001/bomb.bin: 压缩包成员的压缩比超过 100:1（疑似压缩炸弹），未解压"]


@pytest.mark.parametrize(
    "limit",
    [
        ("MAX_ZIP_MEMBERS", 3, "压缩包目录过大（7 个成员"),
        ("MAX_ZIP_DIRECTORY_BYTES", 200, "压缩包目录过大"),
        ("MAX_ZIP_MEMBER_BYTES", 64 * 1024, "声明的大小超过上限 64 KiB"),
        ("MAX_ZIP_TOTAL_BYTES", 256 * 1024, "超过上限 256 KiB"),
    ],
    ids=lambda limit: str(limit[0]),
)
def test_an_archive_over_a_cap_is_refused(
    archive: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch, limit: tuple[str, int, str]
) -> None:
    cap, value, fragment = limit
    monkeypatch.setattr(verification_limits, cap, value)
    problems = verify(archive)
    assert problems
    assert all(p.kind == "archive" for p in problems)
    assert any(fragment in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("cap", "fragment"),
    [("MAX_ZIP_MEMBER_BYTES", "成员解压后超过上限 64 KiB"), ("MAX_ZIP_TOTAL_BYTES", "解压后的总大小超过上限 64 KiB")],
)
def test_sizes_are_counted_as_they_stream_not_taken_from_the_header(
    archive: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch, cap: str, fragment: str
) -> None:
    # The checks of the archive and its headers pass (as if the headers lied about the sizes); what is counted
    # is the bytes that come out.
    for check in ("_check_end_record", "_check_members"):
        monkeypatch.setattr(zip_unpacking, check, _lenient(getattr(zip_unpacking, check), cap, monkeypatch))
    monkeypatch.setattr(verification_limits, cap, 64 * 1024)
    problems = verify(archive)
    assert len(problems) == 1
    assert fragment in problems[0].message


def _lenient(check: Any, cap: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    def lenient(*args: Any) -> Any:
        with monkeypatch.context() as patch:
            patch.setattr(verification_limits, cap, _GIB)
            return check(*args)

    return lenient


def test_a_small_member_may_compress_well(archive: Path, temp_dir: Path) -> None:
    # Below the ratio floor (1 MiB) a member compresses as well as it likes: it cannot fill a disk.
    _with_member(archive, "notes.txt", b"\0" * (512 * 1024))
    assert [str(p) for p in verify(archive)] == ["notes.txt: 多出的文件（不在清单中）"]


def test_a_full_disk_while_unpacking_is_an_output_error_naming_the_folder(
    archive: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write

    def full(fd: int, data: Any) -> int:
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(zip_unpacking.os, "write", full)
    with pytest.raises(OutputError, match="磁盘空间不足") as caught:
        verify_report(archive)
    assert str(temp_dir) in caught.value.message
    assert "TMPDIR" in caught.value.message
    result = CliRunner().invoke(cli, ["verify", str(archive)])
    assert result.exit_code == 5
    assert "Traceback" not in result.output
    assert str(temp_dir / "contractgen-verify-") in result.stderr


def _small_file_limit() -> None:  # runs in the child, before it starts Python
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


def test_a_real_write_failure_in_a_small_tmpdir_exits_5_without_a_traceback(archive: Path, tmp_path: Path) -> None:
    # No file the child writes may grow past 256 KiB (RLIMIT_FSIZE; Python ignores SIGXFSZ): the OS refuses the
    # unpacking of a 1 MiB member, as a full TMPDIR would.
    _with_member(archive, "large.bin", os.urandom(_MIB), method=zipfile.ZIP_STORED)
    temp = tmp_path / "small-tmp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, "-B", "-m", "contractgen", "verify", str(archive)],
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_small_file_limit,  # only setrlimit: no locks, no threads
    )
    assert result.returncode == 5, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"无法把 bundle 压缩包解压到临时目录 {temp}/contractgen-verify-" in result.stderr
    assert "文件超过系统允许的大小" in result.stderr
    assert list(temp.iterdir()) == []
