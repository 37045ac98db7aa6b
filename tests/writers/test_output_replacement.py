"""Replacing outputs: at every instant the complete old version or the complete new one is in place.

A kill can land between any two system calls. These tests watch every rename, link and removal the writer
makes and check, at each of them, that every output name holds its old bytes or its new bytes — never nothing,
never a mix inside one file — and that a later run recovers or sweeps what a kill left.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contractgen.writers import output
from contractgen.writers.output import replace_directory, sweep, write_files


def _watch(monkeypatch: pytest.MonkeyPatch, check: Callable[[], None]) -> list[str]:
    """Run ``check`` before and after each file-system call the output module makes."""
    calls: list[str] = []
    for name in ("replace", "rename", "link", "unlink", "rmdir"):
        real = getattr(os, name)

        def watched(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            check()
            calls.append(_name)
            result = _real(*args, **kwargs)
            check()
            return result

        monkeypatch.setattr(output.os, name, watched)
    return calls


def test_replacing_files_never_leaves_a_name_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = {"KF-1.docx": b"old docx", "KF-1.pdf": b"old pdf"}
    new = {"KF-1.docx": b"new docx", "KF-1.pdf": b"new pdf"}
    for name, data in old.items():
        (tmp_path / name).write_bytes(data)

    def check() -> None:
        for name, before in old.items():
            assert (tmp_path / name).read_bytes() in (before, new[name]), name

    calls = _watch(monkeypatch, check)
    write_files(tmp_path, new)
    assert calls.count("replace") == 2  # one atomic rename per file; nothing deleted first
    assert {name: (tmp_path / name).read_bytes() for name in new} == new


def test_a_failure_half_way_puts_every_old_file_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old a")
    (tmp_path / "b.pdf").write_bytes(b"old b")
    real_replace = os.replace
    moved = []

    def failing_replace(src: Any, dst: Any) -> None:
        if Path(dst).name == "b.pdf" and not Path(src).name.startswith(".old"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)
        moved.append(Path(dst).name)

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(output.OutputError, match="磁盘空间不足"):
        write_files(tmp_path, {"a.pdf": b"new a", "b.pdf": b"new b"})
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"
    assert (tmp_path / "b.pdf").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


def _bundle(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(text)
    (path / "contract.pdf").write_text(text)
    return path


def _whole(path: Path) -> str:
    texts = {(path / "manifest.json").read_text(), (path / "contract.pdf").read_text()}
    assert len(texts) == 1, "a bundle folder mixes two versions"
    return texts.pop()


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "two-renames"])
def test_a_bundle_folder_is_replaced_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(output, "_exchange", lambda new, target: False)
    target = _bundle(tmp_path / "KF-1", "old")
    staging = tmp_path / ".contractgen-bundle-x"
    new = _bundle(staging / "KF-1", "new")
    seen: list[str] = []

    def check() -> None:
        if target.is_dir():
            seen.append(_whole(target))
        elif exchange:
            raise AssertionError("the target folder was missing during an exchange")
        else:  # between the two renames the old folder waits in staging, with a note: sweep() puts it back
            assert _whole(staging / ".old") == "old"
            assert (staging / ".target").read_text() == "KF-1"

    _watch(monkeypatch, check)
    replace_directory(new, target, staging)
    assert _whole(target) == "new"
    assert set(seen) <= {"old", "new"}


def test_a_kill_between_two_renames_is_recovered_by_the_next_run(tmp_path: Path) -> None:
    # What a kill between the two renames of the fallback leaves: the old folder aside, the new one staged.
    staging = tmp_path / ".contractgen-bundle-run-1"
    _bundle(staging / ".old", "old")
    (staging / ".target").write_text("KF-1")
    _bundle(staging / "KF-1", "new")
    finished = _bundle(tmp_path / "KF-2", "finished")
    sweep(tmp_path)
    assert _whole(tmp_path / "KF-1") == "old"  # the complete old version, back in place
    assert _whole(finished) == "finished"  # finished outputs untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["KF-1", "KF-2"]


def test_a_kill_after_the_exchange_loses_nothing(tmp_path: Path) -> None:
    # After an exchange the old folder sits in staging under the new one's name: sweeping drops it, the new one
    # stays in place.
    _bundle(tmp_path / "KF-1", "new")
    staging = tmp_path / ".contractgen-bundle-run-1"
    _bundle(staging / "KF-1", "old")
    sweep(tmp_path)
    assert _whole(tmp_path / "KF-1") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["KF-1"]


def test_a_staged_unit_left_by_a_kill_never_touches_the_finished_files(tmp_path: Path) -> None:
    (tmp_path / "KF-1.pdf").write_bytes(b"finished")
    staging = tmp_path / ".contractgen-abc"
    staging.mkdir()
    (staging / "KF-1.pdf").write_bytes(b"half")
    os.link(tmp_path / "KF-1.pdf", staging / ".old-0")  # the hard link kept for a rollback
    sweep(tmp_path)
    assert (tmp_path / "KF-1.pdf").read_bytes() == b"finished"
    assert [p.name for p in tmp_path.iterdir()] == ["KF-1.pdf"]
