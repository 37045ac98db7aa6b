"""The batch report: the ledgers of every shard merged into one account of what was made from what.

:func:`batch_report` reads ledgers (:mod:`.ledger`) — one per shard, from as many machines — and keeps, for
each spec (its command and key), the last line that settled it: the ledgers in the order given, the lines in
their order, so a resumed run's ``skipped`` line stands after the line of the run it resumed. The specs are
then sorted by key, so the report of N shards is the report of the one run they divide — entry for entry,
except the shard, the worker and the seconds, which say where and how long (:meth:`BatchReport.made` leaves
them out).

It also checks that the work is all there: every shard 0 … N-1 of the N the runs were divided into has a
ledger, and the last run of each shard settled every spec it announced (a run killed and not resumed has
not). Its exit code is the one the single unsharded run would have ended with — the lowest code of a spec
that did not succeed (3 invalid, 4 template, 5 render or output), the batch commands' own rule — and 5 (an
output failure: those outputs were never made) for a missing shard or an unfinished run, when nothing lower
applies.

This module must not write anything, and must not print (the CLI says it in text or JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractgen.batch.ledger import read_ledger
from contractgen.errors import EXIT_OK, EXIT_RENDER

__all__ = ["STATUSES", "BatchReport", "batch_report"]

STATUSES = ("rendered", "skipped", "invalid", "failed")
_WHERE = ("shard", "worker", "seconds")  # where and how long: not what was made


@dataclass(frozen=True)
class BatchReport:
    """The merged ledgers: each spec's last line (sorted by key), the shards found and missing, what is left."""

    specs: tuple[dict[str, Any], ...]
    ledgers: tuple[Path, ...]
    torn: tuple[Path, ...] = ()  # ledgers whose torn last line (a kill) was left out
    shards: tuple[str, ...] = ()  # "K/N" of every shard that has a run
    missing_shards: tuple[str, ...] = ()
    unsettled: int = 0  # specs the last run of a shard announced and never settled
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        codes = [int(spec["exit_code"]) for spec in self.specs if spec["status"] not in ("rendered", "skipped")]
        if self.missing_shards or self.unsettled:
            codes.append(EXIT_RENDER)
        return min(codes) if codes else EXIT_OK

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK

    @property
    def message(self) -> str:
        parts = [f"{self.counts.get(status, 0)} 份{_WORDS[status]}" for status in STATUSES]
        line = f"账本 {len(self.ledgers)} 个，规格 {len(self.specs)} 份：{'，'.join(parts)}"
        if self.missing_shards:
            line += f"；缺少分片 {'、'.join(self.missing_shards)} 的账本"
        if self.unsettled:
            line += f"；{self.unsettled} 份未完成（运行被中断，请加 --resume 重新运行该分片）"
        return line

    def made(self) -> list[dict[str, Any]]:
        """The specs without their shard, worker and seconds: what two reports of the same work share."""
        return [{k: v for k, v in spec.items() if k not in _WHERE} for spec in self.specs]

    @property
    def timing(self) -> dict[str, Any]:
        seconds = sum(float(spec.get("seconds") or 0) for spec in self.specs if spec["status"] != "skipped")
        workers = {spec.get("worker") for spec in self.specs if spec.get("worker")}
        return {"seconds": round(seconds, 3), "workers": len(workers)}


_WORDS = {"rendered": "已生成", "skipped": "已跳过（此前已生成）", "invalid": "规格有错误", "failed": "生成失败"}

#: The keys a spec of the report keeps from its ledger line.
_KEPT = (
    "command",
    "key",
    "spec",
    "spec_sha256",
    "contract_no",
    "status",
    "exit_code",
    "message",
    "diagnostics",
    "outputs",
    "shard",
    "worker",
    "seconds",
)


def batch_report(ledgers: Sequence[Path | str]) -> BatchReport:
    """Merge ``ledgers`` (files, or output folders holding ``batch.jsonl``); see the module docstring.

    An unreadable ledger, or a complete line that is not one of contractgen's, is an InputError (exit 3).
    """
    last: dict[tuple[str, str], dict[str, Any]] = {}
    runs: dict[str, dict[str, Any]] = {}  # run id -> its run line
    latest: dict[tuple[str, str | None], str] = {}  # (command, shard) -> the id of its last run
    settled: dict[str, set[str]] = {}  # run id -> the keys it settled
    read, torn = [], []
    for name in ledgers:
        contents = read_ledger(name)
        read.append(contents.path)
        if contents.torn:
            torn.append(contents.path)
        for record in contents.records:
            run = str(record.get("run"))
            if record.get("record") == "run":
                runs[run] = record
                latest[(str(record.get("command")), record.get("shard"))] = run
            elif record.get("record") == "spec" and record.get("status") in STATUSES:
                entry = {key: record.get(key) for key in _KEPT}
                last[(str(entry["command"]), str(entry["key"]))] = entry
                settled.setdefault(run, set()).add(str(entry["key"]))
    specs = tuple(last[key] for key in sorted(last, key=lambda pair: (pair[1], pair[0])))
    unsettled = sum(max(0, int(runs[run].get("specs") or 0) - len(settled.get(run, ()))) for run in latest.values())
    shards = sorted({shard for _command, shard in latest if shard is not None}, key=_shard_order)
    counts = {status: sum(spec["status"] == status for spec in specs) for status in STATUSES}
    return BatchReport(
        specs, tuple(read), tuple(torn), tuple(shards), _missing(shards), unsettled, {"specs": len(specs), **counts}
    )


def _shard_order(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    return (int(count), int(index)) if index.isdigit() and count.isdigit() else (0, 0)


def _missing(shards: Sequence[str]) -> tuple[str, ...]:
    """The shards of each N seen that have no run: ``1/4`` when only 0/4, 2/4 and 3/4 ran."""
    counts = {_shard_order(shard)[0] for shard in shards} - {0}
    return tuple(f"{k}/{n}" for n in sorted(counts) for k in range(n) if f"{k}/{n}" not in shards)
