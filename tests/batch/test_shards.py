"""Shards: every spec in exactly one shard, the same shard on every machine and after unrelated specs are added."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen.batch import Shard
from contractgen.batch.shards import keyed_specs, shard_index
from contractgen.errors import InputError

KEYS = st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=60, unique=True)


@given(keys=KEYS, count=st.integers(min_value=1, max_value=12))
def test_the_shards_divide_the_keys_exactly(keys: list[str], count: int) -> None:
    held = [[key for key in keys if Shard(index, count).holds(key)] for index in range(count)]
    assert sorted(key for shard in held for key in shard) == sorted(keys)  # each once, none lost


@given(keys=KEYS, more=KEYS, count=st.integers(min_value=1, max_value=12))
def test_adding_keys_moves_none_of_the_others(keys: list[str], more: list[str], count: int) -> None:
    before = {key: shard_index(key, count) for key in keys}
    after = {key: shard_index(key, count) for key in [*keys, *more]}
    assert {key: after[key] for key in keys} == before


@pytest.mark.parametrize(
    ("key", "count", "index"),
    # Fixed by the hash alone: the same on every machine, in every Python, forever (a change would move specs
    # between the machines of a running batch).
    [("a.yaml", 4, 3), ("sub/b.yaml", 4, 1), ("客户/甲.yaml", 7, 1), ("a.yaml", 1, 0)],
)
def test_a_key_s_shard_never_changes(key: str, count: int, index: int) -> None:
    assert shard_index(key, count) == index


@pytest.mark.parametrize(("text", "shard"), [("0/4", Shard(0, 4)), (" 3 / 4 ", Shard(3, 4)), ("0/1", Shard(0, 1))])
def test_k_of_n_is_read(text: str, shard: Shard) -> None:
    assert Shard.parse(text) == shard
    assert str(shard) == text.replace(" ", "")


@pytest.mark.parametrize("text", ["4/4", "1/0", "-1/4", "1", "a/b", "1/4/2", ""])
def test_a_shard_that_is_not_k_of_n_says_how_it_is_written(text: str) -> None:
    with pytest.raises(InputError, match=r"0 ≤ K < N"):
        Shard.parse(text)


def test_keys_are_paths_relative_to_the_folder_given_and_file_names_for_files(tmp_path: Path) -> None:
    for name in ("specs/a.yaml", "specs/sub/b.yml", "other/c.yaml", "specs/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    keyed = keyed_specs([tmp_path / "specs", tmp_path / "other" / "c.yaml"])
    assert [key for _spec, key in keyed] == ["a.yaml", "sub/b.yml", "c.yaml"]


def test_a_decomposed_name_has_the_key_of_the_composed_one(tmp_path: Path) -> None:
    # macOS writes file names decomposed: the same spec must land in the same shard as on Linux.
    composed = "合同-é.yaml"
    (tmp_path / unicodedata.normalize("NFD", composed)).write_text("", encoding="utf-8")
    ((_spec, key),) = keyed_specs([tmp_path])
    assert key == composed


def test_assignment_of_a_folder_does_not_change_when_unrelated_specs_are_added(tmp_path: Path) -> None:
    from batch_specs import make_folder

    make_folder(tmp_path / "specs")
    before = {key: shard_index(key, 7) for _spec, key in keyed_specs([tmp_path / "specs"])}
    for name in ("new.yaml", "sub/new.yaml", "zz/deeper/new.yml"):
        (tmp_path / "specs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "specs" / name).write_text("", encoding="utf-8")
    after = {key: shard_index(key, 7) for _spec, key in keyed_specs([tmp_path / "specs"])}
    assert len(after) == len(before) + 3
    assert {key: after[key] for key in before} == before
