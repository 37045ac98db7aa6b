"""Batch: many specs, one task each — the generic machinery ``render`` and ``bundle`` share.

Takes spec paths (files and folders) and a task (a module-level function of one spec and picklable options);
gives one :class:`Outcome` per spec, in input order, an exit code and a summary line for the whole batch, and
progress as each spec settles.

- :mod:`.outcome`: :func:`discover_specs`, :class:`Outcome`, :func:`exit_code`, :func:`summary`;
- :mod:`.pool`: :func:`run_batch`, in this process or in worker processes;
- :mod:`.progress`: a bar on a terminal, plain lines in CI.

This stage must not know what a task produces, must not write outputs, and must not let one spec's failure stop
the others.
"""

from contractgen.batch.outcome import SPEC_SUFFIXES, Outcome, discover_specs, exit_code, summary
from contractgen.batch.pool import run_batch
from contractgen.batch.progress import BarProgress, PlainProgress, Progress, choose_progress

__all__ = [
    "SPEC_SUFFIXES",
    "BarProgress",
    "Outcome",
    "PlainProgress",
    "Progress",
    "choose_progress",
    "discover_specs",
    "exit_code",
    "run_batch",
    "summary",
]
