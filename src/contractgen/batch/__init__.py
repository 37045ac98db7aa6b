"""Batch: many specs, one task each — the generic machinery ``render`` and ``bundle`` share.

Takes spec paths (files and folders) and a task (a module-level function of one spec and picklable options);
gives one :class:`Outcome` per spec, in input order, an exit code and a summary line for the whole batch, and
progress as each spec settles.

- :mod:`.outcome`: :func:`discover_specs`, :class:`Outcome`, :func:`exit_code`, :func:`summary`;
- :mod:`.pool`: :func:`run_batch`, in this process or in worker processes;
- :mod:`.progress`: a bar on a terminal, plain lines in CI;
- :mod:`.shards`: ``--shard K/N``, a stable division of the specs among machines;
- :mod:`.ledger`: ``OUT/batch.jsonl``, one line per spec as it settles; :mod:`.resume`: which specs it proves
  made; :mod:`.ledgered`: a run of one shard, resumed and ledgered; :mod:`.report`: the ledgers of all shards
  merged (``batch-report``);
- :mod:`.warming` and :mod:`.warm_start`: workers that start warm.

This stage must not know what a task produces (a task's value says what it made: :class:`.ledgered.Made`),
must not write outputs (only its ledger), and must not let one spec's failure stop the others.
"""

from contractgen.batch.outcome import SPEC_SUFFIXES, Outcome, discover_specs, exit_code, summary
from contractgen.batch.pool import DEFAULT_MAX_TASKS_PER_WORKER, run_batch
from contractgen.batch.progress import BarProgress, PlainProgress, Progress, choose_progress
from contractgen.batch.report import BatchReport, batch_report
from contractgen.batch.shards import Shard

__all__ = [
    "DEFAULT_MAX_TASKS_PER_WORKER",
    "SPEC_SUFFIXES",
    "BarProgress",
    "BatchReport",
    "Outcome",
    "PlainProgress",
    "Progress",
    "Shard",
    "batch_report",
    "choose_progress",
    "discover_specs",
    "exit_code",
    "run_batch",
    "summary",
]
