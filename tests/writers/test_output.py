"""output: safe names from contract numbers, and writes that are all or nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from output_listing import entries

from contractgen.errors import OutputError
from contractgen.writers import output
from contractgen.writers.output import locked, write_files


def test_write_files_creates_the_directory_and_writes_everything(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    paths = write_files(out, {"x.docx": b"1", "x.pdf": b"2"})
    assert paths == [out / "x.docx", out / "x.pdf"]
    assert sorted(p.name for p in entries(out)) == ["x.docx", "x.pdf"]  # no lock or temporary files left
    assert (out / "x.pdf").read_bytes() == b"2"


def test_a_failure_while_moving_files_into_place_restores_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x.docx").write_bytes(b"old docx")
    (tmp_path / "other.txt").write_bytes(b"keep")
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if Path(dst).name == "x.pdf":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(OutputError, match="磁盘空间不足"):
        write_files(tmp_path, {"x.docx": b"new docx", "x.pdf": b"new pdf"})
    assert calls["n"] >= 2
    assert sorted(p.name for p in entries(tmp_path)) == ["other.txt", "x.docx"]
    assert (tmp_path / "x.docx").read_bytes() == b"old docx"


def test_a_failed_run_removes_the_directory_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(output, "_write_new", fail)
    with pytest.raises(OutputError):
        write_files(tmp_path / "new" / "dir", {"x.pdf": b"1"})
    assert list(entries(tmp_path)) == []


def test_a_parent_made_by_another_run_at_the_same_moment_is_used_and_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two shards start side by side under one new folder: both see it missing, one makes it first. The other
    # writes its own shard inside it; a failure of its own later would not remove what it did not make.
    shared, real_mkdir = tmp_path / "bundles", Path.mkdir

    def raced(self: Path, *args: object, **kwargs: object) -> None:
        if self == shared and not shared.exists():
            real_mkdir(shared)  # the other run, just before this one
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", raced)
    assert output._make_directory(shared / "shard-1") == [shared / "shard-1"]  # only what this run made
    shutil.rmtree(shared)
    assert write_files(shared / "shard-2", {"x.pdf": b"1"}) == [shared / "shard-2" / "x.pdf"]

    (tmp_path / "file").write_bytes(b"")
    monkeypatch.setattr(Path, "exists", lambda self: False if self.name == "file" else os.path.exists(self))
    with pytest.raises(OutputError, match="不是目录"):
        output._make_directory(tmp_path / "file" / "x")


def test_an_existing_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.pdf").symlink_to(target)
    write_files(out, {"x.pdf": b"pdf"})
    assert target.read_bytes() == b"precious"
    assert not (out / "x.pdf").is_symlink()
    assert (out / "x.pdf").read_bytes() == b"pdf"


def test_names_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="大小写"):
        write_files(tmp_path, {"KF-1.pdf": b"a", "kf-1.pdf": b"b"})
    assert list(entries(tmp_path)) == []


def test_a_directory_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").mkdir()
    with pytest.raises(OutputError, match="目录"):
        write_files(tmp_path, {"x.pdf": b"a"})


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError, match="不是目录"):
        write_files(tmp_path / "file", {"x.pdf": b"a"})


def test_a_locked_directory_fails_fast(tmp_path: Path) -> None:
    with locked(tmp_path), pytest.raises(OutputError, match="另一个 contractgen"):
        write_files(tmp_path, {"x.pdf": b"a"})
    assert list(entries(tmp_path)) == []
    write_files(tmp_path, {"x.pdf": b"a"})  # released


def test_ctrl_c_is_held_until_the_files_are_in_place_even_when_another_thread_receives_it(tmp_path: Path) -> None:
    import signal
    import threading
    import time

    from contractgen.writers import output

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # like a process pool's manager thread
    other.start()
    order: list[str] = []
    try:
        with output.interrupts_deferred():
            signal.pthread_kill(other.ident or 0, signal.SIGINT)  # the kernel may pick any thread
            for _ in range(50):  # the main thread runs Python's handler at its next check: give it those
                time.sleep(0.002)
            order.append("inside, not interrupted")
        order.append("never reached")
    except KeyboardInterrupt:
        order.append("interrupted after the block")
    finally:
        stop.set()
        other.join()
    assert order == ["inside, not interrupted", "interrupted after the block"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_write_files_completes_a_spec_before_an_interrupt_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    from contractgen.writers import output

    real_replace = output.os.replace
    calls = [0]

    def replace_then_interrupt(src: object, dst: object) -> None:
        real_replace(src, dst)  # type: ignore[arg-type]
        calls[0] += 1
        if calls[0] == 1:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C right after the first file is moved in

    monkeypatch.setattr(output.os, "replace", replace_then_interrupt)
    files = {f"KF-1-{n:02d}.docx": b"x" for n in range(5)}
    with pytest.raises(KeyboardInterrupt):
        output.write_files(tmp_path, files)
    assert sorted(p.name for p in entries(tmp_path)) == sorted(files)  # whole, then interrupted
