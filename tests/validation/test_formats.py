"""The formats' reasons: what is wrong with an amount, a rate or a date, said so a person can fix it."""

from __future__ import annotations

import pytest

from contractgen.validation.formats import amount_problem, date_problem, percent_problem


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("360000.00", None),
        ("360000", None),
        ("0.01", None),
        ("999999999999.99", None),
        ("12.345", "金额最多两位小数"),
        ("0", "金额必须大于零"),
        ("0.00", "金额必须大于零"),
        ("-5", "金额必须大于零，不能是负数"),
        ("360,000.00", "金额不写千分位逗号，如 360000.00"),
        ("¥360000", "金额只写数字，不写 ¥ 或“元”"),
        ("360000元", "金额只写数字，不写 ¥ 或“元”"),
        ("０.５", "请用半角数字和小数点（输入法切换到英文）"),
        ("0360", "金额不能以 0 开头"),
        ("3.6e5", "金额请写成普通数字，不用科学计数法"),
        ("三十六万", "金额用阿拉伯数字填写；大写金额请写在 capital"),
        ("1000000000000", "金额过大，不能超过 999999999999.99"),
        ("abc", "金额应写成数字，最多两位小数，如 360000.00"),
        (".5", "金额应写成数字，最多两位小数，如 360000.00"),
    ],
)
def test_amounts(text: str, reason: str | None) -> None:
    assert amount_problem(text) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("20%", None),
        ("0.05%", None),
        ("100%", None),
        ("0.0001%", None),
        ("20", "比例须带百分号，如 20%"),
        ("0.2", "比例须带百分号，如 0.2%"),
        ("0%", "比例必须大于 0%"),
        ("100.01%", "比例不能超过 100%"),
        ("-1%", "比例必须大于 0%，不能是负数"),
        ("20％", "请用半角数字和百分号 %（输入法切换到英文）"),
        ("0.00005%", "比例最多四位小数"),
        ("百分之二十", "比例请写成数字加百分号，如 20% 或 0.05%（合同中会自动写出“百分之二十”）"),
        ("20 %", "比例应写成数字加百分号，如 20% 或 0.05%"),
    ],
)
def test_rates(text: str, reason: str | None) -> None:
    assert percent_problem(text) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-11-24", None),
        ("2028-02-29", None),
        ("2026-02-29", "不是有效日期：2026 年 2 月只有 28 天"),
        ("2026-04-31", "不是有效日期：2026 年 4 月只有 30 天"),
        ("2026-00-10", "不是有效日期：没有 0 月"),
        ("2026-11-00", "不是有效日期：2026 年 11 月只有 30 天"),
        ("1989-12-31", "年份 1989 不合理，应在 1990 至 2100 之间"),
        ("2026年11月24日", "日期请写成 2026-11-24（YYYY-MM-DD）"),
        ("2026/1/5", "日期请写成 2026-01-05（YYYY-MM-DD）"),
        ("2026.01.05", "日期请写成 2026-01-05（YYYY-MM-DD）"),
        ("24/11/2026", "日期应写成 YYYY-MM-DD，如 2026-11-24"),
        ("signing", "日期应写成 YYYY-MM-DD，如 2026-11-24"),
    ],
)
def test_dates(text: str, reason: str | None) -> None:
    assert date_problem(text) == reason
