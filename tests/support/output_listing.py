"""What a user sees in an output folder: its entries, without contractgen's own record of who made them."""

from __future__ import annotations

from pathlib import Path

from contractgen.writers.output_records import RECORDS_NAME


def entries(directory: Path) -> list[Path]:
    """The entries of ``directory``, sorted, except the output records (``.contractgen.json``); none when a run
    that wrote nothing removed the folder it had made."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name != RECORDS_NAME)
