"""Text rules: decoding problems with positions, the forbidden characters, and what values may hold."""

from __future__ import annotations

import pytest

from contractgen.spec.loading import read_spec
from contractgen.spec.text_rules import (
    LineIndex,
    decode_problem,
    describe_char,
    find_bad_chars,
    neutralise,
    value_problems,
)


def test_line_index_counts_breaks_like_yaml() -> None:
    lines = LineIndex("a\nbc\r\nd\re")
    assert [lines.position(i) for i in (0, 2, 3, 6, 8)] == [(1, 1), (2, 1), (2, 2), (3, 1), (4, 1)]


def test_decode_problem_positions_in_characters() -> None:
    data = "甲方: 上海\n乙方: 杭州".encode() + "上海".encode("gbk")
    message, line, column = decode_problem(data) or ("", 0, 0)
    assert (line, column) == (2, 7)
    assert message.endswith("请以 UTF-8 保存")
    assert decode_problem("正常的 UTF-8".encode()) is None


@pytest.mark.parametrize(
    ("char", "description"),
    [
        ("\x07", "控制字符 U+0007"),
        ("\x85", "特殊换行符 U+0085"),
        ("\u2028", "特殊换行符 U+2028（LINE SEPARATOR）"),
        ("\u202e", "双向控制字符 U+202E（RIGHT-TO-LEFT OVERRIDE），它会改变文字的显示顺序"),
        ("\u200f", "双向控制字符 U+200F（RIGHT-TO-LEFT MARK），它会改变文字的显示顺序"),
        ("\u200b", "不可见字符 U+200B（ZERO WIDTH SPACE）"),
        ("\U000e0041", "不可见字符 U+E0041（TAG LATIN CAPITAL LETTER A）"),
        ("\ufffd", "替换字符 U+FFFD（REPLACEMENT CHARACTER），说明文件曾被错误转码"),
        ("\uffff", "非字符 U+FFFF"),
        ("\ud800", "不成对的代理项 U+D800（不是有效字符）"),
    ],
)
def test_every_forbidden_character_is_found_and_described(char: str, description: str) -> None:
    [bad] = list(find_bad_chars(f"a: x{char}y\n"))
    assert (bad.line, bad.column, bad.char) == (1, 5, char)
    assert describe_char(char) == description
    assert neutralise(f"x{char}y") == "x\ufffdy"


def test_ordinary_text_passes() -> None:
    text = "名称: 上海明远（集团）有限公司 — “客服”·第 1 号\t# 注释\r\n变体: 葛\U000e0100\n"
    assert list(find_bad_chars(text)) == []


def test_values_hold_no_line_breaks_or_tabs() -> None:
    assert [m for _, m in value_problems("a\nb\n", double_quoted=False)] == [
        "不能包含换行（此项须写在一行内）"
    ]
    assert [m for _, m in value_problems("a\tb", double_quoted=False)] == [
        "不能包含制表符（Tab）（此项须写在一行内）"
    ]
    assert (
        list(value_problems("a\u202eb", double_quoted=False)) == []
    )  # reported from the source text instead
    [(index, message)] = value_problems("a\u202eb", double_quoted=True)
    assert index == 1
    assert message.startswith("转义序列写入了双向控制字符 U+202E")


def test_lone_surrogate_in_text_input_is_named_with_its_field() -> None:
    [problem] = read_spec("t.yaml", text="name: 上\ud800海\n").diagnostics
    assert (problem.line, problem.column, problem.path) == (1, 8, "name")
    assert "U+D800" in problem.message
