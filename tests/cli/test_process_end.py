"""The command line's end: output, exit codes and atexit handlers as the interpreter's own end would leave them."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from render_helpers import ROOT

from contractgen.cli import process_end


def command_line(prelude: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """``contractgen ARGV`` through main() in a fresh interpreter, after ``prelude``."""
    argv_line = f"sys.argv = ['contractgen', *{list(argv)!r}]"
    code = f"import sys\n{prelude}\n{argv_line}\nfrom contractgen.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)


def test_output_through_a_pipe_is_whole_and_atexit_handlers_run() -> None:
    # Standard output is a pipe here, block-buffered: what the command printed must still be flushed, after the
    # handlers registered for the process's end (which may print too).
    prelude = "import atexit\natexit.register(lambda: print('atexit ran'))\n"
    done = command_line(prelude, "amount", "1.5", "2", "30000.07")
    assert done.returncode == 0
    assert done.stdout == "壹元伍角\n贰元整\n叁万元零柒分\natexit ran\n"
    assert done.stderr == ""


def test_the_exit_code_of_a_failing_command_is_kept() -> None:
    done = command_line("", "render", "no-such-spec.yaml", "-o", "/tmp")
    assert done.returncode == 3
    assert "找不到合同规格文件或目录" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unwritable_standard_output_fails_as_python_would() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "contractgen", "amount", "1.5"],
            check=False,
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
    assert done.returncode != 0


def test_the_process_ends_at_once_only_when_marked_alone_and_numeric(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(process_end._Process, "ends_with_command", False)
    assert not process_end.may_end_now(0)  # a test's CliRunner: never
    process_end.mark_ending()
    assert process_end.may_end_now(0)
    assert process_end.may_end_now(None)
    assert not process_end.may_end_now("a message for the interpreter to print")
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert not process_end.may_end_now(0)
    finally:
        release.set()
        worker.join()


def test_the_collector_is_left_alone_unless_the_process_ends_with_its_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process_end._Process, "ends_with_command", False)
    process_end.collector_off_to_the_end()
    assert gc.isenabled()
    process_end.mark_ending()
    try:
        process_end.collector_off_to_the_end()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_one_specs_render_leaves_the_collector_off_and_writes_the_same_pdf(tmp_path: Path) -> None:
    from contractgen.document import load_contract
    from contractgen.writers.rendering import render_documents

    prelude = "import atexit, gc\natexit.register(lambda: print('collector on:', gc.isenabled()))\n"
    done = command_line(prelude, "render", "samples/customer-service.yaml", "--to", "pdf", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(tmp_path / "KF-2026-0001.pdf"), "collector on: False"]
    contract, _ = load_contract(ROOT / "samples" / "customer-service.yaml")
    in_process = render_documents(contract, formats=["pdf"])["KF-2026-0001.pdf"]
    assert (tmp_path / "KF-2026-0001.pdf").read_bytes() == in_process
