"""What a user sees in an output folder: its entries, without contractgen's own records of who made them and
of each batch (the ledger, batch.jsonl: it names the workers and the seconds, which differ from run to run)."""

from __future__ import annotations

from pathlib import Path

from contractgen.batch.ledger import LEDGER_NAME
from contractgen.writers.output_records import RECORDS_NAME


def entries(directory: Path) -> list[Path]:
    """The entries of ``directory``, sorted, except the output records (``.contractgen.json``) and the ledger
    (``batch.jsonl``); none when a run that wrote nothing removed the folder it had made."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name not in (RECORDS_NAME, LEDGER_NAME))
