"""``contractgen render`` on many specs: each on its own, in parallel, locked once, never half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_listing import entries
from render_helpers import PART_COUNT, SAMPLE

from contractgen.cli import cli
from contractgen.errors import OutputError
from contractgen.writers import output
from contractgen.writers.output import claimed, locked, write_files

pytestmark = pytest.mark.slow

PARTS = 1 + PART_COUNT  # with --split: the whole contract and one file per part


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"CI": "true"})
    return result.exit_code, result.stdout, result.stderr


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(entries(directory))}


def spec_copy(folder: Path, name: str, contract_no: str) -> Path:
    path = folder / name
    path.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("contract_no: KF-2026-0001", f"contract_no: {contract_no}"),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two valid specs and one invalid one (an amount with three decimals)."""
    folder = tmp_path_factory.mktemp("specs")
    spec_copy(folder, "a.yaml", "KF-B-0001")
    spec_copy(folder, "b.yml", "KF-B-0002")
    bad = spec_copy(folder, "c-bad.yaml", "KF-B-0003")
    bad.write_text(bad.read_text(encoding="utf-8").replace("total: 360000.00", "total: 12.345"), encoding="utf-8")
    return folder


def test_a_folder_renders_every_valid_spec_and_reports_every_invalid_one(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = run("render", str(mixed_folder), "-o", str(out), "--to", "docx")
    assert code == 3
    assert sorted(listing(out)) == ["KF-B-0001.docx", "KF-B-0002.docx"]
    assert stdout.splitlines() == [str(out / "KF-B-0001.docx"), str(out / "KF-B-0002.docx")]
    bad = mixed_folder / "c-bad.yaml"
    _, validate_out, _ = run("validate", str(bad))
    assert validate_out.startswith(f"{bad}:")  # file:line:col
    for line in validate_out.splitlines():
        assert line in err.splitlines()  # exactly as validate prints it
    lines = err.splitlines()
    assert lines[0] == f"[1/3] {mixed_folder / 'a.yaml'}: 完成 → {out / 'KF-B-0001.docx'}"
    assert lines[2] == f"[3/3] {bad}: 失败（退出码 3）"
    assert lines[-1] == "render：成功 2 份，失败 1 份"


def test_parallel_jobs_give_the_same_bytes_as_one(mixed_folder: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "j1", tmp_path / "j2"
    code_one, out_one, err_one = run("render", str(mixed_folder), "-o", str(one), "--to", "docx", "-j", "1")
    code_two, out_two, err_two = run("render", str(mixed_folder), "-o", str(two), "--to", "docx", "-j", "2")
    assert code_one == code_two == 3
    assert listing(one) == listing(two)
    assert len(listing(two)) == 2
    assert out_one.replace(str(one), "OUT") == out_two.replace(str(two), "OUT")
    assert err_one.replace(str(one), "OUT") == err_two.replace(str(two), "OUT")  # same report, same order


def test_a_locked_output_directory_fails_fast_and_nothing_is_written(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        start = time.monotonic()
        code, stdout, err = run("render", str(mixed_folder), "-o", str(out), "--to", "docx", "-j", "2")
        elapsed = time.monotonic() - start
    assert code == 5
    assert f"contractgen: 错误：输出目录 {out} 正被另一个 contractgen 进程写入，请稍后再试" in err
    assert "[1/" not in err  # refused before any spec was rendered
    assert elapsed < 5
    assert (stdout, list(entries(out))) == ("", [])


def test_one_run_takes_the_lock_once_and_writes_inside_it(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    with claimed(out):
        write_files(out, {"a.docx": b"a"}, lock=False)
        with pytest.raises(OutputError, match="另一个 contractgen"):
            write_files(out, {"b.docx": b"b"})  # a second lock on the same directory is refused
    assert listing(out) == {"a.docx": b"a"}
    with claimed(tmp_path / "empty" / "dir"):
        pass
    assert sorted(p.name for p in entries(tmp_path)) == ["new"]  # a run that wrote nothing leaves no directory


def test_temporary_directories_left_by_an_interrupted_run_are_swept(tmp_path: Path) -> None:
    (tmp_path / ".contractgen-abc123").mkdir()
    (tmp_path / ".contractgen-abc123" / "KF-1.pdf").write_bytes(b"half")
    (tmp_path / "mine.txt").write_bytes(b"keep")
    write_files(tmp_path, {"KF-2.pdf": b"pdf"})
    assert listing(tmp_path) == {"KF-2.pdf": b"pdf", "mine.txt": b"keep"}


def test_an_interrupt_while_writing_a_spec_leaves_none_of_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    spec_copy(specs, "1.yaml", "KF-W-0001")
    spec_copy(specs, "2.yaml", "KF-W-0002")
    out = tmp_path / "out"
    real_replace = os.replace
    moved: list[str] = []

    def interrupted(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name.startswith("KF-W-0002"):
            moved.append(Path(dst).name)
            if len(moved) == 5:  # Ctrl-C halfway through moving the second spec's files into place
                raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", interrupted)
    code, _, err = run("render", str(specs), "-o", str(out), "--to", "docx", "--split")
    assert code == 130
    assert "已中断" in err
    assert len(moved) == 5
    names = sorted(listing(out))
    assert len(names) == PARTS
    assert all(name.startswith("KF-W-0001") for name in names)  # the first spec whole, the second not at all


def test_ctrl_c_exits_130_and_leaves_only_whole_specs(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    count = 24
    for n in range(count):
        spec_copy(specs, f"{n:02d}.yaml", f"KF-INT-{n:04d}")
    out = tmp_path / "out"
    command = ["render", str(specs), "-o", str(out), "--to", "docx", "--split", "-j", "2"]
    process = subprocess.Popen(
        [sys.executable, "-m", "contractgen", *command],
        env={**os.environ, "CI": "true"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    # Interrupt as the first files land: often while the first spec's files are still being moved in.
    while not (out.is_dir() and any(out.glob("KF-INT-*"))):
        assert process.poll() is None, "the render ended before writing a file"
        assert time.monotonic() < deadline, "the render never wrote a file"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert "已中断" in stderr.decode()
    written: dict[str, list[Path]] = {}
    for path in entries(out) if out.exists() else ():  # a run that wrote nothing removes the folder it made
        assert not path.name.startswith("."), path  # no staging directory left over
        written.setdefault(path.name[: len("KF-INT-0000")], []).append(path)
    assert len(written) < count, "the interrupt came too late to test anything"
    for contract_no, paths in written.items():
        assert len(paths) == PARTS, contract_no
        for path in paths:
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
