"""The loader: strict UTF-8, YAML without its traps, scalars as source text, a position for every path.

The data-driven corpus (tests/data/specs) checks the messages users see; these tests pin the API and the
properties the rest of the pipeline relies on.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from contractgen.errors import SpecError
from contractgen.spec.loading import LIMITS, Spec, load_spec, read_spec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"


def _problems(text: str | bytes) -> list[tuple[int, int, str, str]]:
    return [(d.line, d.column, d.path, d.message) for d in read_spec("t.yaml", text=text).diagnostics]


def test_sample_loads_with_positions_for_every_path() -> None:
    spec = load_spec(SAMPLE)
    assert isinstance(spec, Spec)
    assert spec.path == str(SAMPLE)
    assert spec.data["fee"]["total"] == "360000.00"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for path in ("fee.total", "party_a.contact.phone", "party_b.bank.account", "signing.date"):
        line, column = spec.positions[path]
        key_line, key_column = spec.key_positions[path]
        leaf = path.rsplit(".", 1)[-1]
        assert key_line == line
        assert lines[line - 1][key_column - 1 :].startswith(f"{leaf}:")
        assert lines[line - 1][column - 1 :].lstrip('"').startswith(str(_leaf_value(spec.data, path)))
    assert spec.positions[""] == (3, 1)


def _leaf_value(data: object, path: str) -> object:
    for part in path.split("."):
        assert isinstance(data, dict)
        data = data[part]
    return data


def test_source_name_is_kept_when_text_is_given() -> None:
    spec = load_spec("specs/a.yaml", text="a: 1\n")
    assert spec.path == "specs/a.yaml"
    assert spec.data == {"a": "1"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a: 0755", "0755"),
        ("a: 1.10", "1.10"),
        ("a: 1234567.89", "1234567.89"),
        ("a: 12345678901234567.89", "12345678901234567.89"),
        ("a: NO", "NO"),
        ("a: yes", "yes"),
        ("a: on", "on"),
        ("a: 12:30:00", "12:30:00"),
        ("a: 2026-11-24", "2026-11-24"),
        ("a: 0x1F", "0x1F"),
        ("a: .inf", ".inf"),
        ("a: ~", "~"),
        ("a: '0755'", "0755"),
        ('a: "true"', "true"),
        ("a: true", True),
        ("a: false", False),
        ("a: null", None),
        ("a:", None),
        ("a: ''", ""),
    ],
)
def test_scalars_stay_source_text(source: str, expected: object) -> None:
    assert load_spec("t.yaml", text=source + "\n").data == {"a": expected}


def test_sequences_and_positions_of_items() -> None:
    spec = load_spec(
        "t.yaml", text="fee:\n  instalments:\n    - due: 2026-01-01\n      amount: '5'\n    - {due: x}\n"
    )
    assert spec.positions["fee.instalments[0].amount"] == (4, 15)
    assert spec.positions["fee.instalments[1]"] == (5, 7)
    assert spec.positions["fee.instalments[1].due"] == (5, 13)
    assert spec.key_positions["fee.instalments[1].due"] == (5, 8)


def test_locate_falls_back_to_the_nearest_ancestor_key() -> None:
    spec = load_spec("t.yaml", text="fee:\n  total: 1\n")
    assert spec.locate("fee.capital") == (1, 1)
    assert spec.locate("fee.total") == (2, 10)
    assert spec.locate("fee.total", key=True) == (2, 3)
    assert spec.locate("") == (1, 1)


def test_utf8_bom_is_allowed_and_columns_start_after_it() -> None:
    spec = load_spec("t.yaml", text="\ufeffa: b\n".encode())
    assert spec.data == {"a": "b"}
    assert spec.positions["a"] == (1, 4)


def test_crlf_line_endings() -> None:
    spec = load_spec("t.yaml", text=b"a: 1\r\nb:\r\n  c: 2\r\n")
    assert spec.data == {"a": "1", "b": {"c": "2"}}
    assert spec.positions["b.c"] == (3, 6)


def test_gbk_file_is_refused_with_position_and_advice() -> None:
    [(line, column, path, message)] = _problems("a: ok\nname: 上海明远\n".encode("gbk"))
    assert (line, column, path) == (2, 7, "")
    assert "请以 UTF-8 保存" in message
    assert "GBK" in message


def test_utf16_file_is_refused() -> None:
    [problem] = _problems("a: 1\n".encode("utf-16"))
    assert "UTF-16" in problem[3]


def test_load_spec_raises_with_every_problem() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec("t.yaml", text="a: &x 1\nb: *x\na: 2\n")
    rules = [d.rule for d in caught.value.diagnostics]
    assert rules == ["yaml.anchor", "yaml.alias", "yaml.duplicate"]
    assert caught.value.exit_code == 3


def test_duplicate_key_names_both_lines() -> None:
    [(line, column, path, message)] = _problems("party_a:\n  name: A\n  name: B\n")
    assert (line, column, path) == (3, 3, "party_a.name")
    assert '"name"' in message
    assert "第 2 行和第 3 行" in message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    problems = _problems("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 0.5
    assert {p[3].split("（")[0] for p in problems} == {
        "不允许使用锚点 &a0",
        *(f"不允许使用锚点 &a{i}" for i in range(1, 10)),
        *(f"不允许使用别名 *a{i}" for i in range(9)),
    }


def test_recursive_alias_is_refused_without_recursion() -> None:
    problems = _problems("p: &p {self: *p}\n")
    assert [p[2] for p in problems] == ["p", "p.self"]


def test_every_tag_is_refused() -> None:
    problems = _problems("a: !!python/object:os.system x\nb: !include other.yaml\nc: !!str 1\nd: ! x\n")
    assert [(p[0], p[2]) for p in problems] == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    assert "!!python/object:os.system" in problems[0][3]
    assert "!include" in problems[1][3]


def test_merge_keys_are_refused() -> None:
    problems = _problems("base: {x: 1}\nother:\n  <<: {x: 1}\n  y: 2\n")
    assert [(p[0], p[2]) for p in problems] == [(3, "other.<<")]
    assert load_spec("t.yaml", text="'<<': 1\n").data == {"<<": "1"}  # a quoted key is just a key


def test_caps_on_size_depth_nodes_and_scalars(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * LIMITS.max_bytes + b"\n")
    [problem] = read_spec(big).diagnostics
    assert "文件过大" in problem.message
    assert "嵌套层数过深" in _problems("a: " + "[" * 40 + "]" * 40 + "\n")[0][3]
    assert "内容过多" in _problems("a: [" + ",".join(["1"] * (LIMITS.max_nodes + 5)) + "]\n")[0][3]
    assert "内容过长" in _problems("a: " + "x" * (LIMITS.max_scalar + 1) + "\n")[0][3]


def test_device_and_directory_are_reported(tmp_path: Path) -> None:
    [problem] = read_spec(tmp_path).diagnostics
    assert problem.message == "这是一个文件夹，不是规格文件"
    [problem] = read_spec(tmp_path / "missing.yaml").diagnostics
    assert problem.message == "文件不存在"


def test_empty_file_and_second_document() -> None:
    assert "文件是空的" in _problems("# only a comment\n")[0][3]
    [(line, _, _, message)] = _problems("a: 1\n---\nb: 2\n")
    assert line == 2
    assert "第二个 YAML 文档" in message


def test_syntax_error_has_position_and_chinese_explanation() -> None:
    [(line, column, _, message)] = _problems("a: b: c\n")
    assert (line, column) == (1, 5)
    assert message.startswith("YAML 格式错误：")
    [(line, column, _, message)] = _problems("a:\n\tb: 1\n")
    assert (line, message) == (2, "YAML 格式错误：不能用 Tab 缩进或分隔，请改用空格")
