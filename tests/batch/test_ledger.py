"""The ledger: one JSON object a line, appended; a torn last line (a kill) left out when read, cut off before
the next append; anything else that is not a ledger line is refused with its line number."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contractgen.batch.ledger import FORMAT, LEDGER_NAME, Ledger, read_ledger
from contractgen.errors import InputError


def _write(directory: Path, *records: dict[str, object]) -> Path:
    with Ledger.open(directory) as ledger:
        for record in records:
            ledger.append(record)
    return directory / LEDGER_NAME


def test_each_record_is_one_line_of_json_with_the_format(tmp_path: Path) -> None:
    path = _write(tmp_path, {"record": "run", "run": "r1"}, {"record": "spec", "key": "甲.yaml"})
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert [json.loads(line) for line in lines[:-1]] == [
        {"format": FORMAT, "record": "run", "run": "r1"},
        {"format": FORMAT, "record": "spec", "key": "甲.yaml"},
    ]
    assert "甲".encode() in lines[1]  # Chinese as Chinese, not \u escapes
    assert read_ledger(tmp_path).records == read_ledger(path).records  # a folder names its batch.jsonl


def test_a_torn_last_line_is_left_out_and_cut_off_before_the_next_append(tmp_path: Path) -> None:
    path = _write(tmp_path, {"record": "spec", "key": "a"})
    whole = path.read_bytes()
    with path.open("ab") as handle:
        handle.write(b'{"format": "contractgen-batch/1", "record": "spe')  # the kill came mid-write
    contents = read_ledger(path)
    assert contents.torn
    assert [r["key"] for r in contents.records] == ["a"]
    _write(tmp_path, {"record": "spec", "key": "b"})
    assert path.read_bytes().startswith(whole)
    contents = read_ledger(path)
    assert (contents.torn, [r["key"] for r in contents.records]) == (False, ["a", "b"])


def test_a_ledger_killed_while_appending_is_lines_of_json_and_perhaps_a_torn_tail(tmp_path: Path) -> None:
    # A writer killed (SIGKILL) at an arbitrary moment, many times: the complete lines always read.
    code = (
        "import sys, os; from pathlib import Path; from contractgen.batch.ledger import Ledger\n"
        "ledger = Ledger.open(Path(sys.argv[1]))\n"
        "print('ready', flush=True)\n"
        "n = 0\n"
        "while True:\n"
        "    ledger.append({'record': 'spec', 'key': f'k{n}', 'diagnostics': ['诊断' * 500]}); n += 1\n"
    )
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE)
        assert process.stdout is not None
        assert process.stdout.readline() == b"ready\n"
        time.sleep(0.1)  # mid-stream: thousands of lines a second
        os.kill(process.pid, 9)
        process.wait()
    contents = read_ledger(tmp_path)
    assert len(contents.records) > 0
    assert all(record["diagnostics"] == ["诊断" * 500] for record in contents.records)


@pytest.mark.parametrize(
    ("line", "says"),
    [(b"not json", "不是一行 JSON"), (b'{"record": "spec"}', "不是 contractgen 账本的记录"), (b"[1, 2]", "账本的记录")],
)
def test_a_complete_line_that_is_not_a_ledger_line_is_refused_with_its_number(
    tmp_path: Path, line: bytes, says: str
) -> None:
    path = _write(tmp_path, {"record": "run"})
    with path.open("ab") as handle:
        handle.write(line + b"\n")
    with pytest.raises(InputError, match=f"{LEDGER_NAME}:2: .*{says}"):
        read_ledger(path)


def test_a_missing_ledger_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到账本"):
        read_ledger(tmp_path / "nope.jsonl")
