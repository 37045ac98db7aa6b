"""``cross.fee-capital`` and ``cross.fee-capital-form``: the 大写 against ``total``, and against its canonical form.

A 大写 that reads as another amount (or as none) is an error; one that reads as ``total`` but is written otherwise
than contractgen writes it — lower-case numerals, 千 for 仟, 整 after 分 — is a warning giving the canonical
form. ``total`` may carry thousands separators: the checks read it as the model does. More cases, with their
whole messages, are in the corpus (tests/data/specs, ``capital-*`` and ``cross-capital-*``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.diagnostics import Diagnostic
from contractgen.validation import check_spec

BASE = (Path(__file__).resolve().parents[1] / "data" / "specs" / "valid" / "base.yaml").read_text(encoding="utf-8")


def on_capital(total: str, capital: str) -> list[tuple[str, str, str]]:
    """(severity, rule, message) of what validation says at fee.capital."""
    text = BASE.replace("  total: 360000.00\n", f"  total: {total}\n").replace(
        "  capital: 叁拾陆万元整\n", f"  capital: {capital}\n"
    )
    found: list[Diagnostic] = list(check_spec("spec.yaml", text=text).diagnostics)
    return [(d.severity, d.rule, d.message) for d in found if d.path == "fee.capital"]


@pytest.mark.parametrize("total", ["360000.00", "360,000.00", "360000", "360,000"])
def test_the_canonical_form_says_nothing_however_total_is_written(total: str) -> None:
    assert on_capital(total, "叁拾陆万元整") == []
    assert on_capital(total, "人民币叁拾陆万元整") == []


@pytest.mark.parametrize(
    ("total", "capital", "canonical", "notes"),
    [
        ("360000.00", "三十六万元整", "叁拾陆万元整", "“三”“十”“六”应写作“叁”“拾”“陆”"),
        ("12,000", "壹万贰千元整", "壹万贰仟元整", "“千”应写作“仟”"),
        ("2500", "两千五百元整", "贰仟伍佰元整", "“两”“千”“五”“百”应写作“贰”“仟”“伍”“佰”"),
        ("360000.05", "叁拾陆万元零伍分整", "叁拾陆万元零伍分", "“分”后不写“整”"),
        ("360,000.50", "叁拾陆万元零伍角整", "叁拾陆万元零伍角", "“角”后不写“整”"),
        ("360000", "叁拾陆万元正", "叁拾陆万元整", "“正”应写作“整”"),
        ("360000", "360,000.00", "叁拾陆万元整", "大写金额应写汉字大写，不写阿拉伯数字"),
    ],
)
def test_the_right_amount_written_otherwise_is_a_warning(total: str, capital: str, canonical: str, notes: str) -> None:
    assert on_capital(total, capital) == [
        (
            "warning",
            "cross.fee-capital-form",
            f'大写金额宜写作规范大写“{canonical}”：收到 "{capital}"，{notes}（合同中始终使用规范写法）',
        )
    ]


@pytest.mark.parametrize(
    ("capital", "fragment"),
    [
        ("三十五万元整", '大写金额与 total 不一致：大写 "三十五万元整" 是 ¥350,000.00'),
        ("叁拾陆万元零伍分整", '大写 "叁拾陆万元零伍分整" 是 ¥360,000.05'),
        ("叁拾陆万千元整", '"千"前缺少数字'),
    ],
)
def test_another_amount_is_an_error_and_only_that(capital: str, fragment: str) -> None:
    [(severity, rule, message)] = on_capital("360,000.00", capital)
    assert (severity, rule) == ("error", "cross.fee-capital")
    assert fragment in message
    assert "规范大写为：叁拾陆万元整" in message
