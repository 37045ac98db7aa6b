"""DOCX zip dates: every date a spec or ``SOURCE_DATE_EPOCH`` can give is written, clamped to what a zip can hold
(1980-01-01 to 2107-12-31 23:59:58), as the bundle archives do."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_listing import entries
from render_helpers import SAMPLE

from contractgen.cli import cli
from contractgen.writers.ooxml import normalise_zip, zip_date_time

LAST = (2107, 12, 31, 23, 59, 58)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(1970, 1, 1), (1980, 1, 1, 0, 0, 0)),
        (datetime(1979, 12, 31, 23, 59, 59), (1980, 1, 1, 0, 0, 0)),
        (datetime(1980, 1, 1), (1980, 1, 1, 0, 0, 0)),
        (datetime(2026, 11, 24, 8, 30, 15), (2026, 11, 24, 8, 30, 15)),
        (datetime(2107, 12, 31, 23, 59, 58), LAST),
        (datetime(2107, 12, 31, 23, 59, 59), LAST),
        (datetime(2108, 1, 1), LAST),
        (datetime(9999, 12, 31, 23, 59, 59), LAST),
    ],
    ids=str,
)
def test_a_zip_date_is_clamped_to_what_a_zip_can_hold(when: datetime, expected: tuple[int, ...]) -> None:
    assert zip_date_time(when) == expected


def test_a_docx_dated_9999_is_written_with_the_last_date_a_zip_holds() -> None:
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    data = normalise_zip(source.getvalue(), datetime(9999, 12, 31, 23, 59, 59))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [info.date_time for info in archive.infolist()] == [LAST]


@pytest.mark.slow
def test_rendering_with_the_last_source_date_epoch_writes_a_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")  # 9999-12-31 23:59:59, the largest the CLI accepts
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(SAMPLE), "-o", str(out), "--to", "docx"])
    assert result.exit_code == 0, result.output
    [docx] = entries(out)
    with zipfile.ZipFile(docx) as archive:
        assert {info.date_time for info in archive.infolist()} == {LAST}
