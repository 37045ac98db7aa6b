"""Reproducible zips: same files, same bytes, whatever the files' own dates and modes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from contractgen.bundling.archive import write_zip, zip_date_time


def _tree(root: Path, mtime: int, mode: int) -> Path:
    (root / "B1" / "pdfa").mkdir(parents=True)
    for name, data in {"b.txt": b"b", "a.txt": b"a", "pdfa/c.pdf": b"%PDF"}.items():
        path = root / "B1" / name
        path.write_bytes(data)
        path.chmod(mode)
        os.utime(path, (mtime, mtime))
    return root / "B1"


def test_same_files_give_the_same_zip(tmp_path: Path) -> None:
    first = _tree(tmp_path / "1", 1_000_000_000, 0o600)
    second = _tree(tmp_path / "2", 1_700_000_000, 0o755)
    write_zip(first, tmp_path / "1.zip", epoch_seconds=1795478400)
    write_zip(second, tmp_path / "2.zip", epoch_seconds=1795478400)
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "1.zip") as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos] == ["B1/a.txt", "B1/b.txt", "B1/pdfa/c.pdf"]
        assert {info.date_time for info in infos} == {(2026, 11, 24, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in infos} == {0o100644}
        assert archive.read("B1/pdfa/c.pdf") == b"%PDF"


@pytest.mark.parametrize(
    ("epoch", "expected"), [(0, (1980, 1, 1, 0, 0, 0)), (315532800, (1980, 1, 1, 0, 0, 0))]
)
def test_zip_dates_start_in_1980(epoch: int, expected: tuple[int, ...]) -> None:
    assert zip_date_time(epoch) == expected


def test_symbolic_links_are_refused(tmp_path: Path) -> None:
    root = _tree(tmp_path, 1, 0o644)
    (root / "link").symlink_to("/etc/passwd")
    with pytest.raises(ValueError, match="symbolic link"):
        write_zip(root, tmp_path / "x.zip", epoch_seconds=0)
