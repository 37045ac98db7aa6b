"""The case tables of the numerals tests: tests/data/numerals/*.tsv, written by hand from the rules."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "numerals"


def read_table(name: str, columns: int) -> list[list[str]]:
    """Rows of a tab-separated table; '#' lines are comments, fields are not stripped (spaces are data)."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) >= columns, f"{name}: {line!r}"
        rows.append(fields)
    return rows
