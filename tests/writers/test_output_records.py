"""Output records: one contract's files are never replaced by another spec's without --overwrite."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from contractgen.errors import InputError, OutputError
from contractgen.writers.output import write_files
from contractgen.writers.output_records import RECORDS_NAME, OutputRecords, Owner, owner_of

A = Owner("specs/a.yaml", "KF-1")
B = Owner("specs/b.yaml", "KF-1")


def _write(out: Path, owner: Owner, data: bytes = b"x", *, overwrite: bool = False) -> None:
    write_files(out, {"KF-1.pdf": data}, owners={"KF-1.pdf": owner}, overwrite=overwrite)


def test_the_same_spec_replaces_its_own_outputs(tmp_path: Path) -> None:
    _write(tmp_path, A, b"v1")
    _write(tmp_path, A, b"v2")
    assert (tmp_path / "KF-1.pdf").read_bytes() == b"v2"
    assert OutputRecords.load(tmp_path).owner("KF-1.pdf") == A


def test_another_spec_is_refused_naming_both_and_overwrite_allows_it(tmp_path: Path) -> None:
    _write(tmp_path, A, b"a")
    with pytest.raises(InputError, match=r"specs/a\.yaml.*specs/b\.yaml.*--overwrite"):
        _write(tmp_path, B, b"b")
    assert (tmp_path / "KF-1.pdf").read_bytes() == b"a"
    _write(tmp_path, B, b"b", overwrite=True)
    assert OutputRecords.load(tmp_path).owner("KF-1.pdf") == B


def test_a_file_nobody_recorded_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "KF-1.pdf").write_bytes(b"made by hand")
    with pytest.raises(InputError, match="不是 contractgen 记录下的输出"):
        _write(tmp_path, A)
    assert (tmp_path / "KF-1.pdf").read_bytes() == b"made by hand"


def test_names_differing_in_case_are_one_output(tmp_path: Path) -> None:
    # On macOS and Windows KF-A.pdf and kf-a.pdf are one file: the records compare names case-folded.
    write_files(tmp_path, {"KF-A.pdf": b"a"}, owners={"KF-A.pdf": A})
    records = OutputRecords.load(tmp_path)
    assert records.owner("kf-a.pdf") == A


def _pending(out: Path, old: Owner, new: Owner, placed: bytes) -> None:
    """The records a kill between begin() and commit() leaves, with ``placed`` in place."""
    (out / "KF-1.pdf").write_bytes(placed)
    entry = {"name": "KF-1.pdf", "sha256": hashlib.sha256(b"old").hexdigest(), **old.as_json()}
    entry["pending"] = {"name": "KF-1.pdf", "sha256": hashlib.sha256(b"new").hexdigest(), **new.as_json()}
    (out / RECORDS_NAME).write_text(json.dumps({"format": "contractgen-outputs/1", "outputs": {"kf-1.pdf": entry}}))


@pytest.mark.parametrize(("placed", "owner"), [(b"new", B), (b"old", A)])
def test_after_a_kill_the_content_in_place_says_who_owns_it(tmp_path: Path, placed: bytes, owner: Owner) -> None:
    _pending(tmp_path, A, B, placed)
    assert OutputRecords.load(tmp_path).owner("KF-1.pdf") == owner


def test_a_damaged_record_file_is_reported_not_trusted(tmp_path: Path) -> None:
    (tmp_path / RECORDS_NAME).write_text("{not json")
    with pytest.raises(OutputError, match="已损坏"):
        OutputRecords.load(tmp_path)


def test_the_owner_is_the_spec_relative_to_the_output_folder(tmp_path: Path) -> None:
    # Relative, so a repository with specs/ and out/ cloned elsewhere keeps its records.
    (tmp_path / "specs").mkdir()
    owner = owner_of(tmp_path / "specs" / "a.yaml", "KF-1", tmp_path / "out")
    assert owner.spec == "../specs/a.yaml"
    assert owner.same_spec(Owner("../specs/a.yaml", "KF-1", "/elsewhere/specs/a.yaml"))  # the tree moved
    assert owner.same_spec(Owner("../../specs/a.yaml", "KF-1", owner.absolute))  # the output folder moved
    assert not owner.same_spec(Owner("../drafts/a.yaml", "KF-1", "/elsewhere/drafts/a.yaml"))
