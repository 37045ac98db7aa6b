"""A ledgered run: one shard of a batch, the specs already made skipped, every spec's end written to the ledger.

:func:`run_ledgered` is what ``render`` and ``bundle`` run inside their locked output folder: it keeps the
specs of the shard (:mod:`.shards`), skips with ``resume`` the ones the ledger proves made (:mod:`.resume`),
runs the others through the pool (:func:`contractgen.batch.pool.run_batch`), and appends one ledger line per
spec as it settles (:mod:`.ledger`) — after its outputs were placed, so that a line never names outputs that
are not there. Outcomes come back in the order of the specs, the skipped ones among them.

A task's value says what it made through :class:`Made`: the SHA-256 of the spec bytes it read, the contract's
type and number, and — once placed — its outputs with their SHA-256.

This module must not know how a spec is rendered or placed (the task and ``on_result`` do that), and must not
print.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from contractgen.batch.ledger import Ledger
from contractgen.batch.outcome import Outcome
from contractgen.batch.pool import DEFAULT_MAX_TASKS_PER_WORKER, run_batch, worker_name
from contractgen.batch.progress import Progress
from contractgen.batch.resume import Resume, file_sha256, inputs_for, options_digest
from contractgen.batch.shards import Shard

__all__ = ["BatchOptions", "Made", "run_ledgered"]

OptionsT = TypeVar("OptionsT")
R = TypeVar("R", bound="Made")


class Made(Protocol):
    """What a task's value tells the ledger about the spec it made."""

    @property
    def spec_sha256(self) -> str: ...
    @property
    def contract_type(self) -> str: ...
    @property
    def contract_no(self) -> str: ...
    def outputs(self, out_dir: Path) -> dict[str, str]:
        """Every placed output, by its path relative to ``out_dir`` (forward slashes), with its SHA-256."""
        ...


@dataclass(frozen=True)
class BatchOptions:
    """How a batch is run across machines and in time: the shard, resuming, recycling workers."""

    shard: Shard | None = None
    resume: bool = False
    max_tasks_per_worker: int = DEFAULT_MAX_TASKS_PER_WORKER

    @classmethod
    def of(cls, shard: Shard | str | None, resume: bool, max_tasks_per_worker: int | None) -> BatchOptions:
        """From the keyword arguments of ``render_batch`` and ``bundle`` (``shard`` may be ``"K/N"``)."""
        chosen = Shard.parse(shard) if isinstance(shard, str) else shard
        return cls(chosen, resume, max_tasks_per_worker or DEFAULT_MAX_TASKS_PER_WORKER)


@dataclass
class _Context:
    """What every ledger line of one run shares."""

    ledger: Ledger
    out_dir: Path
    run: str
    command: str
    shard: str | None
    families: tuple[str, ...]
    options_sha256: str

    def line(self, outcome: Outcome[Any], key: str, made: Made | None, **known: Any) -> None:
        """Append the spec line of ``outcome``; ``known`` overrides (a skipped spec's carried-over outputs)."""
        record: dict[str, Any] = {
            "record": "spec",
            "run": self.run,
            "command": self.command,
            "shard": self.shard,
            "spec": str(outcome.spec),
            "key": key,
            "spec_sha256": made.spec_sha256 if made is not None else file_sha256(outcome.spec),
            "contract_type": made.contract_type if made is not None else None,
            "contract_no": made.contract_no if made is not None else None,
            "status": outcome.status,
            "exit_code": outcome.code,
            "message": outcome.message or None,
            "diagnostics": _diagnostics(outcome, made),
            "outputs": [],
            "inputs": None,
            "worker": outcome.worker,
            "seconds": outcome.seconds,
        }
        if made is not None and outcome.ok:
            outputs = made.outputs(self.out_dir)
            record["outputs"] = [{"file": name, "sha256": outputs[name]} for name in sorted(outputs)]
            record["inputs"] = inputs_for(made.contract_type, self.families, self.options_sha256).as_json()
        record.update(known)
        self.ledger.append(record)


def _diagnostics(outcome: Outcome[Any], made: Made | None) -> list[dict[str, Any]]:
    from contractgen.diagnostics import diagnostic_objects

    warnings = getattr(made, "warnings", ()) if outcome.ok else ()
    return diagnostic_objects(outcome.diagnostics or warnings)


def run_ledgered(
    keyed: Sequence[tuple[Path, str]],
    task: Callable[[Path, OptionsT], R],
    options: OptionsT,
    *,
    out_dir: Path,
    command: str,
    batch: BatchOptions,
    families: tuple[str, ...],
    settings: Mapping[str, Any],
    jobs: int = 1,
    progress: Progress | None = None,
    on_result: Callable[[Path, R], R] | None = None,
    describe: Callable[[R], str] = lambda value: "",
    preload: Sequence[str] = (),
    fresh: bool = False,
) -> list[Outcome[R]]:
    """Run the shard's specs of ``keyed`` (spec, key) into the locked ``out_dir``; see the module docstring.

    ``settings``: the options that change the outputs' bytes (their digest is part of what ``resume``
    compares); ``families``: the fonts the outputs are made with. ``fresh``: this run made ``out_dir``; if it
    then makes nothing and is no shard, its ledger goes too, so that a run that wrote nothing leaves no folder
    behind (a shard's ledger always stays: the merge needs it).
    """
    # One body: the run line, the skipped specs, the batch and each spec's line share one open ledger and context.
    from contractgen.bundling.provenance import prefetch_font_hashes

    prefetch_font_hashes(families)  # every ledger line names them: hashed on the idle core meanwhile
    mine = [(spec, key) for spec, key in keyed if batch.shard is None or batch.shard.holds(key)]
    digest = options_digest(settings)
    resume = Resume(out_dir, command, families, digest, enabled=batch.resume)
    with Ledger.open(out_dir) as ledger:
        context = _Context(ledger, out_dir, secrets.token_hex(8), command, _text(batch.shard), families, digest)
        ledger.append(_run_line(context, found=len(keyed), specs=len(mine), resume=batch.resume))
        results: dict[int, Outcome[R]] = {}
        todo: list[int] = []
        for index, (spec, key) in enumerate(mine):
            skipped = _skip(context, resume, spec, key) if batch.resume else None
            if skipped is None:
                todo.append(index)
            else:
                results[index] = skipped
        keys = {mine[index][0]: mine[index][1] for index in todo}

        def settled(outcome: Outcome[R]) -> None:
            context.line(outcome, keys[outcome.spec], outcome.value if outcome.ok else None)

        outcomes = run_batch(
            [mine[index][0] for index in todo],
            task,
            options,
            jobs=jobs,
            progress=progress,
            on_result=on_result,
            describe=describe,
            preload=preload,
            on_settled=settled,
            max_tasks_per_worker=batch.max_tasks_per_worker,
            warm=True,
        )
        results.update(zip(todo, outcomes, strict=True))
    if fresh and batch.shard is None and not any(outcome.ok for outcome in results.values()):
        ledger.path.unlink(missing_ok=True)
    return [results[index] for index in range(len(mine))]


def _text(shard: Shard | None) -> str | None:
    return None if shard is None else str(shard)


def _run_line(context: _Context, *, found: int, specs: int, resume: bool) -> dict[str, Any]:
    from contractgen import __version__

    return {
        "record": "run",
        "run": context.run,
        "command": context.command,
        "shard": context.shard,
        "found": found,
        "specs": specs,
        "resume": resume,
        "contractgen": __version__,
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }


def _skip(context: _Context, resume: Resume, spec: Path, key: str) -> Outcome[Any] | None:
    """The outcome of a spec the ledger proves made (its line written), or None when it must be made."""
    start = time.perf_counter()
    record = resume.made(key, file_sha256(spec))
    if record is None:
        return None
    outcome: Outcome[Any] = Outcome(
        spec, skipped=True, seconds=round(time.perf_counter() - start, 3), worker=worker_name()
    )
    carried = {name: record.get(name) for name in ("spec_sha256", "contract_type", "contract_no", "outputs")}
    context.line(outcome, key, None, **carried, inputs=record.get("inputs"), diagnostics=record.get("diagnostics"))
    return outcome
