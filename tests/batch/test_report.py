"""The batch report: ledgers merged, each spec's last line, missing shards and unfinished runs, the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contractgen.batch import batch_report
from contractgen.batch.ledger import Ledger


def _run(run: str, shard: str | None, specs: int) -> dict[str, Any]:
    return {"record": "run", "run": run, "command": "render", "shard": shard, "specs": specs}


def _spec(run: str, key: str, status: str, code: int = 0, shard: str | None = None) -> dict[str, Any]:
    return {
        "record": "spec",
        "run": run,
        "command": "render",
        "shard": shard,
        "key": key,
        "spec": f"specs/{key}",
        "status": status,
        "exit_code": code,
        "outputs": [],
        "diagnostics": [],
        "worker": f"host-{run}:1",
        "seconds": 1.5,
    }


def _ledger(folder: Path, *records: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with Ledger.open(folder) as ledger:
        for record in records:
            ledger.append(record)
    return folder


def test_shards_merge_into_the_report_of_one_run(tmp_path: Path) -> None:
    one = _ledger(
        tmp_path / "one",
        _run("u", None, 3),
        _spec("u", "b.yaml", "rendered"),
        _spec("u", "a.yaml", "invalid", 3),
        _spec("u", "c.yaml", "rendered"),
    )
    s0 = _ledger(tmp_path / "s0", _run("x", "0/2", 1), _spec("x", "c.yaml", "rendered", shard="0/2"))
    s1 = _ledger(
        tmp_path / "s1",
        _run("y", "1/2", 2),
        _spec("y", "a.yaml", "invalid", 3, "1/2"),
        _spec("y", "b.yaml", "rendered", shard="1/2"),
    )
    merged, single = batch_report([s1, s0]), batch_report([one])
    assert merged.made() == single.made()
    assert [spec["key"] for spec in merged.specs] == ["a.yaml", "b.yaml", "c.yaml"]
    assert (merged.exit_code, single.exit_code) == (3, 3)
    assert merged.shards == ("0/2", "1/2")
    assert merged.missing_shards == ()
    assert merged.counts == {"specs": 3, "rendered": 2, "skipped": 0, "invalid": 1, "failed": 0}
    assert merged.timing == {"seconds": 4.5, "workers": 2}


def test_a_resumed_run_s_lines_stand_after_the_killed_one_s(tmp_path: Path) -> None:
    folder = _ledger(
        tmp_path,
        _run("killed", None, 3),
        _spec("killed", "a.yaml", "rendered"),
        _run("resumed", None, 3),
        _spec("resumed", "a.yaml", "skipped"),
        _spec("resumed", "b.yaml", "rendered"),
        _spec("resumed", "c.yaml", "failed", 5),
    )
    report = batch_report([folder])
    assert [(s["key"], s["status"]) for s in report.specs] == [
        ("a.yaml", "skipped"),
        ("b.yaml", "rendered"),
        ("c.yaml", "failed"),
    ]
    assert (report.unsettled, report.exit_code) == (0, 5)


@pytest.mark.parametrize(
    ("records", "missing", "unsettled", "code"),
    [
        # A shard of the four never ran (its ledger was not handed over): its outputs were never made.
        ([_run("a", "0/4", 0), _run("b", "1/4", 0), _run("d", "3/4", 0)], ("2/4",), 0, 5),
        # The last run announced two specs and settled one (killed, not resumed).
        ([_run("a", None, 2), _spec("a", "x.yaml", "rendered")], (), 1, 5),
        # An invalid spec and an unfinished run: the lower code, as the unsharded run would have given.
        ([_run("a", None, 3), _spec("a", "x.yaml", "invalid", 3)], (), 2, 3),
        ([_run("a", None, 1), _spec("a", "x.yaml", "skipped")], (), 0, 0),
    ],
)
def test_work_that_is_not_all_there_fails_the_report(
    tmp_path: Path, records: list[dict[str, Any]], missing: tuple[str, ...], unsettled: int, code: int
) -> None:
    report = batch_report([_ledger(tmp_path, *records)])
    assert (report.missing_shards, report.unsettled, report.exit_code) == (missing, unsettled, code)
    if missing:
        assert f"缺少分片 {missing[0]}" in report.message
    if unsettled:
        assert "--resume" in report.message


def test_a_torn_ledger_is_reported_and_its_complete_lines_count(tmp_path: Path) -> None:
    folder = _ledger(tmp_path, _run("a", None, 1), _spec("a", "x.yaml", "rendered"))
    with (folder / "batch.jsonl").open("ab") as handle:
        handle.write(b'{"format": "contractgen-batch/1", "rec')
    report = batch_report([folder])
    assert report.torn == (folder / "batch.jsonl",)
    assert (report.exit_code, len(report.specs)) == (0, 1)
