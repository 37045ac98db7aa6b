"""contractgen amount: outputs, standard-input mode, options, per-line errors and exit codes (CliRunner)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from contractgen.cli import cli


def run(args: list[str], stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["amount", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_arguments_one_line_each() -> None:
    assert run(["1680.32", "325.04"]) == (0, "壹仟陆佰捌拾元零叁角贰分\n叁佰贰拾伍元零肆分\n", "")


def test_issue_examples() -> None:
    code, out, _ = run(["--", "107000.53", "100001000", "0.05", "-0.00"])
    assert code == 0
    assert out == "壹拾万柒仟元零伍角叁分\n壹亿零壹仟元整\n伍分\n零元整\n"


def test_stdin_column() -> None:
    column = "1680.32\n325.04\n¥360,000.00\n"
    assert run([], column) == (0, "壹仟陆佰捌拾元零叁角贰分\n叁佰贰拾伍元零肆分\n叁拾陆万元整\n", "")


def test_stdin_keeps_rows_aligned() -> None:
    """Blank cells stay blank lines and bad values give an empty line, so pasted output lines up."""
    code, out, err = run([], "1\n\n2\nabc\n3\n")
    assert code == 3
    assert out == "壹元整\n\n贰元整\n\n叁元整\n"
    assert err == (
        'line 4: abc: 金额 "abc" 第 1 个字符"a"：'
        '不能包含"a"（只允许数字、千位分隔符、小数点、正负号和 ¥）\n'
    )


def test_stdin_windows_line_ends_and_bom() -> None:
    data = "\ufeff1680.32\r\n325.04\r\n".encode("utf-8")
    assert run([], data) == (0, "壹仟陆佰捌拾元零叁角贰分\n叁佰贰拾伍元零肆分\n", "")


def test_stdin_without_final_newline() -> None:
    assert run([], "1\n2") == (0, "壹元整\n贰元整\n", "")


def test_stdin_must_be_utf8() -> None:
    code, out, err = run([], b"1\n" + "壹佰元".encode("gbk") + b"\n")
    assert code == 3
    assert out == ""
    assert err == "contractgen: 错误：标准输入第 2 行不是 UTF-8 编码：请另存为 UTF-8 后重试\n"


def test_bad_value_still_converts_the_others() -> None:
    code, out, err = run(["1.234", "325.04", "1e3"])
    assert code == 3
    assert out == "\n叁佰贰拾伍元零肆分\n\n"
    assert err == (
        'line 1: 1.234: 金额最多两位小数，收到 "1.234"（需要四舍五入时请明确指定 half-up）\n'
        'line 3: 1e3: 金额 "1e3" 第 2 个字符"e"：不能包含"e"（只允许数字、千位分隔符、小数点、正负号和 ¥）\n'
    )


def test_out_of_range() -> None:
    code, _, err = run(["10000000000000000"])
    assert code == 3
    assert err == (
        'line 1: 10000000000000000: 金额超出范围：绝对值必须小于一亿亿（10^16），收到 "10000000000000000"\n'
    )


def test_negative_argument_after_double_dash() -> None:
    assert run(["--", "-100"]) == (0, "负壹佰元整\n", "")
    code, _, err = run(["-100"])
    assert code == 2  # without "--" it is an unknown option: click's usage error, never exit 1
    assert "No such option '-1'" in err


def test_options() -> None:
    assert run(["--prefix", "--", "-100"]) == (0, "人民币负壹佰元整\n", "")
    assert run(["--jiao-zheng", "1409.50"]) == (0, "壹仟肆佰零玖元伍角整\n", "")
    assert run(["--traditional", "1680.32"]) == (0, "壹仟陸佰捌拾圓零參角貳分\n", "")
    assert run(["--prefix", "--traditional", "--jiao-zheng", "0.5"]) == (0, "人民幣伍角整\n", "")


def test_round_half_up() -> None:
    expected = "贰元整\n贰元陆角捌分\n壹元零壹分\n"
    assert run(["--round", "half-up", "1.999", "2.675", "1.005"]) == (0, expected, "")


def test_round_only_half_up() -> None:
    code, out, err = run(["--round", "down", "1.999"])
    assert code == 2
    assert out == ""
    assert "Invalid value for '--round'" in err


def test_parse() -> None:
    texts = ["壹仟陆佰捌拾元零叁角贰分", "人民币壹拾万柒仟元零伍角叁分", "负壹佰元整", "伍分"]
    code, out, err = run(["--parse", *texts])
    assert (code, err) == (0, "")
    assert out == "1680.32\n107000.53\n-100.00\n0.05\n"


def test_parse_shows_the_canonical_form_of_one_typed_otherwise() -> None:
    """numerals.md: parse, re-generate the canonical form and show both — on stderr, stdout stays one column."""
    texts = ["人民币一十二万元整", "人民币壹拾万零柒仟元伍角叁分", "RMB壹佰圆", "壹元伍角"]
    code, out, err = run(["--parse", *texts])
    assert (code, out) == (0, "120000.00\n107000.53\n100.00\n1.50\n")
    assert err.splitlines() == [
        "line 1: 人民币一十二万元整: 规范写法为 人民币壹拾贰万元整",
        "line 2: 人民币壹拾万零柒仟元伍角叁分: 规范写法为 人民币壹拾万柒仟元零伍角叁分",
        "line 3: RMB壹佰圆: 规范写法为 人民币壹佰元整",
    ]


def test_parse_zero_prints_two_decimals() -> None:
    assert run(["--parse", "负零元整"]) == (0, "0.00\n", "line 1: 负零元整: 规范写法为 零元整\n")


def test_parse_stdin_with_errors() -> None:
    code, out, err = run(["--parse"], "壹佰元整\n壹佰伍元\n拾元\n")
    assert code == 3
    assert out == "100.00\n\n10.00\n"
    assert err == (
        'line 2: 壹佰伍元: 大写金额 "壹佰伍元" 第 3 个字符"伍"："伍"的数位不明确：'
        "个位数字前要写\"零\"（如 壹佰零伍），否则请写出单位（如 壹佰伍拾）\n"
        "line 3: 拾元: 规范写法为 壹拾元整\n"
    )


def test_parse_does_not_take_writing_options() -> None:
    code, out, err = run(["--parse", "--prefix", "壹元"])
    assert code == 2
    assert out == ""
    assert "--parse does not combine with --prefix, --jiao-zheng, --traditional, --round" in err


def test_empty_argument_is_an_error() -> None:
    code, out, err = run(["1", ""])
    assert code == 3
    assert out == "壹元整\n\n"
    assert err == 'line 2: : 金额 "" 结尾：没有数字\n'


def test_empty_stdin() -> None:
    assert run([], "") == (0, "", "")


def test_help_starts_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["amount", "--help"])
    assert result.exit_code == 0
    description = result.stdout.split("\n\n", 2)[1:]
    assert description[0].strip() == "Convert amounts to 人民币大写, or back with --parse."
    assert description[1].lstrip().startswith("Example:\n      contractgen amount 1680.32 325.04")


# arguments, standard input → exit code, and per value (input, status, figures, 大写); line is the position
JSON_CASES = {
    "arguments": (["1680.32", "¥360,000.00"], None, 0, [
        ("1680.32", "converted", "1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("¥360,000.00", "converted", "360000.00", "叁拾陆万元整"),
    ]),
    "negative-zero": (["--", "-0.00", "-100"], None, 0, [
        ("-0.00", "converted", "0.00", "零元整"),
        ("-100", "converted", "-100.00", "负壹佰元整"),
    ]),
    "options": (["--prefix", "--round", "half-up", "1.005"], None, 0, [
        ("1.005", "converted", "1.01", "人民币壹元零壹分"),
    ]),
    "stdin-blank-and-bad": ([], "1\n\nabc\n", 3, [
        ("1", "converted", "1.00", "壹元整"),
        ("", "blank", None, None),
        ("abc", "invalid", None, None),
    ]),
    "parse": (["--parse", "人民币壹拾万零柒仟元伍角叁分", "壹佰伍元"], None, 3, [
        ("人民币壹拾万零柒仟元伍角叁分", "converted", "107000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("壹佰伍元", "invalid", None, None),
    ]),
}


@pytest.mark.parametrize("case", JSON_CASES)
def test_json_gives_each_value_its_figures_and_capital(run_json: Callable[..., Any], case: str) -> None:
    args, stdin, code, values = JSON_CASES[case]
    result = run_json("amount", *args, stdin=stdin)
    assert result.code == code
    inputs = result.envelope["inputs"]
    assert [(i["input"], i["status"], i["figures"], i["capital"]) for i in inputs] == values
    assert [i["line"] for i in inputs] == list(range(1, len(values) + 1))
    for item in inputs:
        assert (item["message"] is not None) == (item["status"] == "invalid")
        if item["message"]:  # the same words as on standard error
            assert f"line {item['line']}: {item['input']}: {item['message']}" in result.stderr.splitlines()
    statuses = [i["status"] for i in inputs]
    counts = {status: statuses.count(status) for status in ("converted", "invalid", "blank")}
    assert result.envelope["summary"] == {"inputs": len(values), **counts}
    assert result.envelope["message"] == f"已转换 {counts['converted']} 个，{counts['invalid']} 个有误"


def test_json_of_standard_input_that_is_not_utf8(run_json: Callable[..., Any]) -> None:
    result = run_json("amount", stdin="壹佰元".encode("gbk"))
    assert (result.code, result.envelope["inputs"], result.envelope["summary"]) == (3, [], None)
    assert result.envelope["message"] == "标准输入第 1 行不是 UTF-8 编码：请另存为 UTF-8 后重试"


def test_json_usage_error_prints_no_json() -> None:
    assert run(["--format", "json", "--parse", "--prefix", "壹元"])[:2] == (2, "")
