"""The wording templates: sentences made from context data, every amount and date unbreakable, signatures level.

The context gives data only (test_context.py); these tests render the real customer-service templates and read
the sentences back from the document tree.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from customer_service_model import Contract, Fee, Instalment, Term
from render_helpers import ROOT, SAMPLES, sample_contract

from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Party, Rate
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import (
    Blank,
    Block,
    Bold,
    Box,
    Cell,
    Clause,
    Document,
    Inline,
    NoBreak,
    Paragraph,
    Part,
    Row,
    SealSpot,
    Signature,
    Table,
    Text,
    Underline,
    inline_text,
    iter_blocks,
)

FOLDER = TemplateFolder.open(ROOT / "templates" / "zh" / "customer-service")


def document_of(contract: Contract) -> Document:
    return compose(FOLDER, build_context(contract, FOLDER.parts, FOLDER.title))


def clause(contract: Contract, num: str) -> str:
    blocks = iter_blocks(document_of(contract).parts[0].blocks)
    (found,) = (b for b in blocks if isinstance(b, Clause) and b.num == num)
    return inline_text(found.runs)


def with_fee(contract: Contract, **changes: Any) -> Contract:
    return dataclasses.replace(contract, fee=dataclasses.replace(contract.fee, **changes))


# --- sentences --------------------------------------------------------------------------------------------


def test_equal_annual_payments() -> None:
    assert clause(sample_contract(), "4.2").startswith(
        "乙方向甲方提供客户服务管理的费用为人民币叁拾陆万元整（¥360,000.00），"
        "甲方按年度向乙方支付。每年度支付人民币壹拾贰万元整（¥120,000.00）。"
    )


def test_uneven_annual_payments_name_the_last_year() -> None:
    text = clause(with_fee(sample_contract(), total=Decimal("100000.00")), "4.2")
    assert (
        "甲方按年度向乙方支付。第一至第二服务年度每年度支付人民币叁万叁仟叁佰叁拾叁元叁角叁分（¥33,333.33），"
        "第三服务年度支付人民币叁万叁仟叁佰叁拾叁元叁角肆分（¥33,333.34）。"
    ) in text


def test_uneven_annual_payments_over_two_years() -> None:
    contract = dataclasses.replace(with_fee(sample_contract(), total=Decimal("1000.01")), term=Term(2))
    assert (
        "甲方按年度向乙方支付。第一服务年度支付人民币伍佰元整（¥500.00），"
        "第二服务年度支付人民币伍佰元零壹分（¥500.01）。"
    ) in clause(contract, "4.2")


def test_lump_sum() -> None:
    text = clause(with_fee(sample_contract(), payment="lump_sum"), "4.2")
    assert "（¥360,000.00），甲方应于服务期限开始之日起十五日内一次性向乙方支付。服务费用的应付日期" in text


THREE_INSTALMENTS = (
    Instalment(due=date(2026, 12, 1), percent=Rate("33.33%", Decimal("33.33"))),
    Instalment(due=date(2027, 6, 1), percent=Rate("33.333%", Decimal("33.333"))),
    Instalment(percent=Rate("33.337%", Decimal("33.337")), note="验收后支付"),
)
TWO_INSTALMENTS = (
    Instalment(due=date(2026, 12, 1), percent=Rate("40%", Decimal("40"))),
    Instalment(percent=Rate("60%", Decimal("60"))),
)


@pytest.mark.parametrize(
    ("instalments", "expected"),
    [
        (
            THREE_INSTALMENTS,
            "甲方分三期向乙方支付：第一期于二〇二六年十二月十一日前支付人民币叁万叁仟叁佰叁拾元整（¥33,330.00）；"
            "第二期于二〇二七年六月十一日前支付人民币叁万叁仟叁佰叁拾叁元整（¥33,333.00）；"
            "第三期支付人民币叁万叁仟叁佰叁拾柒元整（¥33,337.00）。",
        ),
        (
            TWO_INSTALMENTS,
            "甲方分两期向乙方支付：第一期于二〇二六年十二月十一日前支付人民币肆万元整（¥40,000.00）；"
            "第二期支付人民币陆万元整（¥60,000.00）。",
        ),
    ],
)
def test_instalments_are_listed_with_their_dates(instalments: tuple[Instalment, ...], expected: str) -> None:
    fee = Fee(total=Decimal("100000.00"), payment="instalments", due_days=10, instalments=instalments)
    assert expected in clause(dataclasses.replace(sample_contract(), fee=fee), "4.2")


@pytest.mark.parametrize(
    ("copies", "expected"),
    [
        (2, "本合同一式两份，甲乙双方各执一份。各份具有同等法律效力。"),
        (4, "本合同一式四份，甲乙双方各执两份。各份具有同等法律效力。"),
        (3, "本合同一式三份，甲方执两份，乙方执一份。各份具有同等法律效力。"),
    ],
)
def test_copies_clause(copies: int, expected: str) -> None:
    assert clause(dataclasses.replace(sample_contract(), copies=copies), "7.1") == expected


def test_term_from_signing_and_from_a_start_date() -> None:
    assert clause(sample_contract(), "4.1") == (
        "本合同的服务期限为三年，自双方签字之日起计算。服务期限自二〇二六年十一月二十四日起至二〇二九年十一月二十三日止。"
    )
    contract = dataclasses.replace(sample_contract(), term=Term(2, date(2027, 1, 1)))
    assert clause(contract, "4.1") == "本合同的服务期限为两年，自二〇二七年一月一日起至二〇二八年十二月三十一日止。"


def test_breach_penalty() -> None:
    assert clause(sample_contract(), "5.1").endswith(
        "违约金为合同金额的百分之二十（20%）。违约金金额为人民币柒万贰仟元整（¥72,000.00）。"
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", "（0.05%）。前述比例按日计算：每逾期一日，逾期违约金为人民币壹佰捌拾元整（¥180.00）。"),
        ("week", "（0.05%）。前述比例按周计算：每逾期一周，逾期违约金为人民币壹佰捌拾元整（¥180.00）。"),
        ("month", "（0.05%）。前述比例按月计算：每逾期一个月，逾期违约金为人民币壹佰捌拾元整（¥180.00）。"),
        (None, "（0.05%）。逾期违约金金额为人民币壹佰捌拾元整（¥180.00）。"),
    ],
)
def test_overdue_penalty_per_period(period: str | None, expected: str) -> None:
    penalty = dataclasses.replace(sample_contract().penalty, overdue_period=period)
    assert expected in clause(dataclasses.replace(sample_contract(), penalty=penalty), "5.2")


@pytest.mark.parametrize(("cycle", "words"), [("monthly", "每月"), ("quarterly", "每季度")])
def test_report_cycle(cycle: str, words: str) -> None:
    service = dataclasses.replace(sample_contract().service, report_cycle=cycle)
    text = clause(dataclasses.replace(sample_contract(), service=service), "2.3")
    assert f"乙方应{words}向甲方提交客户数据分析报告" in text


# --- every amount, rate and date unbreakable --------------------------------------------------------------

_AMOUNT = re.compile(r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+|¥[0-9,]+\.[0-9]{2}")
_DATE = re.compile(r"[〇一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日")
_RATE = re.compile(r"[百千万]分之[零一二三四五六七八九十点]+（[0-9.]+%）")


def _characters(runs: tuple[Inline, ...], nobr: int | None, counter: list[int]) -> Iterator[tuple[str, int | None]]:
    """Every visible character of ``runs`` with the number of the <nobr> it sits in (None: breakable)."""
    for run in runs:
        if isinstance(run, Text):
            yield from ((char, nobr) for char in run.text)
        elif isinstance(run, Bold | Underline):
            yield from _characters(run.children, nobr, counter)
        elif isinstance(run, NoBreak):
            counter[0] += 1
            yield from _characters(run.children, nobr if nobr is not None else counter[0], counter)
        elif isinstance(run, Box):
            yield "□", nobr
        elif isinstance(run, Blank):
            yield " ", nobr


def _inline_runs(block: Block) -> Iterator[tuple[tuple[Inline, ...], bool]]:
    """Each run sequence of ``block``, and whether it is a table cell of its own."""
    if isinstance(block, Table):
        yield from ((cell.runs, True) for row in block.rows for cell in row.cells)
    elif isinstance(block, Signature):
        yield from ((line, False) for side in block.sides for line in side.text_lines)
    elif hasattr(block, "runs"):
        yield block.runs, False


# A table cell holding exactly one amount, 大写（小写）: its 大写 may wrap inside the cell (a hundred million
# yuan is longer than the column), since nothing else in the cell can be misread with it; the figures may not.
_CELL_AMOUNT = re.compile(r"(人民币)?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+（¥[0-9,]+\.[0-9]{2}）")


def breakable_values(document: Document) -> list[str]:
    """Amounts, dates and rates in ``document`` not held inside a single <nobr>."""
    found: list[str] = []
    counter = [0]
    for part in document.parts:
        for block in iter_blocks(part.blocks):
            for runs, is_cell in _inline_runs(block):
                chars = list(_characters(runs, None, counter))
                text = "".join(c for c, _ in chars)
                lone_amount = is_cell and _CELL_AMOUNT.fullmatch(text) is not None
                for pattern in (_AMOUNT, _DATE, _RATE):
                    for match in pattern.finditer(text):
                        if lone_amount and not match.group().startswith("¥"):
                            continue
                        holders = {chars[i][1] for i in range(match.start(), match.end())}
                        if len(holders) != 1 or None in holders:
                            found.append(match.group())
    return found


VALID = ROOT / "tests" / "data" / "specs" / "valid"
SPECS = [*sorted(SAMPLES.glob("*.yaml")), *sorted(p for p in VALID.glob("*.yaml") if ".expect." not in p.name)]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_no_amount_date_or_rate_can_break(spec: Path) -> None:
    from contractgen.document import load_contract
    from contractgen.writers.rendering import template_folder

    contract, _ = load_contract(spec)
    folder = template_folder(contract.type)  # each spec with its own type's templates
    assert breakable_values(compose(folder, build_context(contract, folder.parts, folder.title))) == []


def test_the_check_finds_an_amount_outside_nobr_and_one_split_across_two() -> None:
    runs = (
        Text("即人民币壹佰元整（"),
        NoBreak((Text("¥100.00"),)),
        Text("），"),
        NoBreak((Text("二〇二六年"),)),
        NoBreak((Text("十一月一日"),)),
    )
    document = Document("t", "T-1", (Part("p", "contract", "t", (Paragraph(runs),)),))
    assert breakable_values(document) == ["人民币壹佰元整", "二〇二六年十一月一日"]


def test_a_lone_amount_in_a_table_cell_may_wrap_its_capital_but_not_its_figures() -> None:
    def cell(*runs: Inline) -> Cell:
        return Cell(runs)

    lone = cell(Text("人民币壹亿元整（"), NoBreak((Text("¥100,000,000.00"),)), Text("）"))
    figures_loose = cell(Text("人民币壹亿元整（¥100,000,000.00）"))
    with_text = cell(Text("合计人民币壹亿元整（"), NoBreak((Text("¥100,000,000.00"),)), Text("）"))
    table = Table((1, 1, 1), (Row((lone, figures_loose, with_text)),))
    document = Document("t", "T-1", (Part("p", "annex", "t", (table,)),))
    assert breakable_values(document) == ["¥100,000,000.00", "人民币壹亿元整"]


# --- the signature block ----------------------------------------------------------------------------------


def _person(representative: str | None) -> Party:
    return Party(
        kind="person",
        name="沈佳怡",
        address="江苏省苏州市姑苏区人民路 1 号",
        id_number="320508199001011234",
        representative=representative,
    )


@pytest.mark.parametrize("representative", [None, "周律师"])
@pytest.mark.parametrize("person_is_a", [False, True])
def test_both_sides_sign_and_date_on_the_same_rows(representative: str | None, person_is_a: bool) -> None:
    person = _person(representative)
    contract = dataclasses.replace(sample_contract(), **{"party_a" if person_is_a else "party_b": person})
    blocks = iter_blocks(document_of(contract).parts[0].blocks)
    (signature,) = (b for b in blocks if isinstance(b, Signature))
    sides = [
        [f"[{line.kind}]" if isinstance(line, SealSpot) else inline_text(line) for line in side.lines]
        for side in signature.sides
    ]
    assert len(sides[0]) == len(sides[1])
    rows = [n for n, line in enumerate(sides[0]) if line.startswith("签订日期")]
    assert rows == [n for n, line in enumerate(sides[1]) if line.startswith("签订日期")]
    # Each side's first spot stands on the row below its 盖章/签字 line, level with the other side's.
    assert [side[1][:1] for side in sides] == ["[", "["]
    if representative is None:
        assert any(line == "" for side in sides for line in side)  # the shorter side was padded
