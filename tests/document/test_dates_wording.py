"""The dates of the contract, word for word: with a signing date, and without one (left to the pen).

With ``signing.date`` the contract prints the dates counted by 《民法典》第二百零一条至第二百零四条 (the term's first
day counted); without it no date is computed anywhere — 4.1, the payment plan, 附件七's quarters, 附件八's vouchers —
every clause counts from signing in words, the signature block has a blank 签订日期 for the pen, and 签订地点
stands once, under the signature block. Read from the document tree, then from the DOCX and the PDF.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

import pytest
from customer_service_model import Contract, Term
from render_helpers import ROOT, SAMPLES, docx_text, normalise, pdf_page_bodies, sample_contract

from contractgen.document import load_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Signing
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Blank, Clause, Document, Signature, Table, inline_text, iter_blocks

FOLDER = TemplateFolder.open(ROOT / "templates" / "zh" / "customer-service")
UNSIGNED = SAMPLES / "customer-service-unsigned-date.yaml"
# A date in words (二〇二六年十一月二十四日) or in figures (2026年11月24日): what must not appear undated.
A_DATE = re.compile(r"[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]+月|\d{4}年\d{1,2}月")
BLANK_DATE = "签订日期：年月日"

TERM_41 = (
    "本合同的服务期限为两年，自双方签字之日起计算。服务期限自本合同生效之日（含当日）起算，"
    "至两年后与生效之日同月同日的前一日届满；该月没有该日的，至该月末日届满。"
)
VALIDITY_72 = (
    "本合同自甲乙双方签字（或盖章）之日起生效，有效期为两年。"
    "甲乙双方签字（或盖章）的日期不一致的，以在后的日期为本合同生效之日。"
)


def document_of(contract: Contract) -> Document:
    return compose(FOLDER, build_context(contract, FOLDER.parts, FOLDER.title))


def texts(document: Document, part: str | None = None) -> list[str]:
    """Every paragraph, clause, signature line and table cell, in order, as text."""
    out: list[str] = []
    for p in document.parts:
        if part is not None and p.id != part:
            continue
        for block in iter_blocks(p.blocks):
            if isinstance(block, Signature):
                out += [inline_text(line) for side in block.sides for line in side.text_lines]
            elif isinstance(block, Table):
                out += [inline_text(cell.runs) for row in block.rows for cell in row.cells]
            elif hasattr(block, "runs"):
                out.append(inline_text(block.runs))
    return out


def clause(document: Document, num: str) -> str:
    (found,) = (b for b in iter_blocks(document.parts[0].blocks) if isinstance(b, Clause) and b.num == num)
    return inline_text(found.runs)


def signature(document: Document) -> Signature:
    (found,) = (b for b in iter_blocks(document.parts[0].blocks) if isinstance(b, Signature))
    return found


def iter_inline(runs: Any) -> Any:
    """Every inline run, those inside <nobr>, <b> and <u> too."""
    for run in runs:
        yield run
        inner = getattr(run, "children", None) or getattr(run, "runs", None)
        if inner:
            yield from iter_inline(inner)


def unsigned(contract: Contract, **term: Any) -> Contract:
    changed = dataclasses.replace(contract, signing=Signing(None, contract.signing.place))
    return dataclasses.replace(changed, term=Term(**term)) if term else changed


@pytest.fixture(scope="module")
def undated() -> Document:
    contract, warnings = load_contract(UNSIGNED)
    assert warnings == []
    assert contract.signing.date is None
    return document_of(contract)


# --- without a signing date -------------------------------------------------------------------------------


def test_no_computed_date_anywhere(undated: Document) -> None:
    assert [t for t in texts(undated) if A_DATE.search(t)] == []


def test_the_term_is_worded_from_signing(undated: Document) -> None:
    assert clause(undated, "4.1") == TERM_41
    assert clause(undated, "7.2") == VALIDITY_72


def test_the_signature_block_leaves_the_date_to_the_pen(undated: Document) -> None:
    sides = signature(undated).sides
    for side in sides:
        (line,) = (line for line in side.text_lines if inline_text(line).startswith("签订日期"))
        assert inline_text(line) == BLANK_DATE
        blanks = [run for run in iter_inline(line) if isinstance(run, Blank)]
        assert [b.width for b in blanks] == [4, 2, 2]
    assert not any("签订地点" in inline_text(line) for side in sides for line in side.text_lines)


def test_the_signing_place_stands_once_under_the_contract_number(undated: Document) -> None:
    assert [t for t in texts(undated) if "签订地点" in t] == ["签订地点：江苏省南京市玄武区"]
    # at the head of the first page, under 合同编号: nothing of the contract stands after the signature block
    assert texts(undated, "contract")[1:3] == [f"合同编号：{undated.contract_no}", "签订地点：江苏省南京市玄武区"]


def test_the_maintenance_plan_names_quarters_without_dates(undated: Document) -> None:
    annex = texts(undated, "annex-07")
    assert (
        "本计划的执行期间为本合同服务期限（本合同第4.1条）。计划表所称季度，指自每一服务年度开始之日起每满三个月为一个季度。"
        in annex
    )
    assert "期间" in annex
    assert "期间及起止日期" not in annex
    rows = [t for t in annex if re.fullmatch(r"第[一二]服务年度第[一二三四]季度", t)]
    assert len(rows) == 8


def test_the_payment_plan_counts_from_each_service_year(undated: Document) -> None:
    annex = texts(undated, "annex-08")
    assert "付款期限" in annex
    assert "应付日期（含当日）前" not in "".join(annex)
    assert annex.count("该服务年度开始之日起十五日内") == 2
    assert "注：付款期限的最后一日为最后付款日；付款日以款项到达乙方收款账户之日为准。" in annex
    # each voucher's 应付日期 is a form line for the pen
    vouchers = [annex[i + 1] for i, t in enumerate(annex) if t == "应付日期"]
    assert vouchers == ["年月日", "年月日"]


def test_a_lump_sum_counts_from_the_start_of_the_term() -> None:
    contract = unsigned(sample_contract())
    contract = dataclasses.replace(contract, fee=dataclasses.replace(contract.fee, payment="lump_sum"))
    document = document_of(contract)
    assert "服务期限开始之日起十五日内" in texts(document, "annex-08")
    assert [t for t in texts(document) if A_DATE.search(t)] == []


def test_a_fixed_start_is_stated_even_without_a_signing_date() -> None:
    document = document_of(unsigned(sample_contract(), years=2, start=date(2027, 1, 1)))
    assert clause(document, "4.1") == "本合同的服务期限为两年，自二〇二七年一月一日起至二〇二八年十二月三十一日止。"
    assert [inline_text(s.lines[-1]) for s in signature(document).sides] == [BLANK_DATE, BLANK_DATE]
    assert "二〇二七年一月十六日" in texts(document, "annex-08")  # the first year's payment: the term's date


# --- with a signing date: as before, except where 第二百零二条 corrects a date ----------------------------------


def test_the_sample_keeps_its_dates() -> None:
    document = document_of(sample_contract())
    assert clause(document, "4.1") == (
        "本合同的服务期限为三年，自双方签字之日起计算。服务期限自二〇二六年十一月二十四日起至二〇二九年十一月二十三日止。"
    )
    assert clause(document, "7.2") == "本合同自甲乙双方签字（或盖章）之日起生效，有效期为三年。"
    sides = signature(document).sides
    assert [inline_text(s.lines[-1]) for s in sides] == ["签订日期：二〇二六年十一月二十四日"] * 2
    assert [t for t in texts(document) if "签订地点" in t] == ["签订地点：上海市浦东新区"]


def test_a_term_signed_on_29_february_ends_on_28_february() -> None:
    contract = dataclasses.replace(sample_contract(), term=Term(1), signing=Signing(date(2028, 2, 29), "上海市"))
    document = document_of(contract)
    assert clause(document, "4.1") == (
        "本合同的服务期限为一年，自双方签字之日起计算。服务期限自二〇二八年二月二十九日起至二〇二九年二月二十八日止。"
    )
    assert "本计划的执行期间为本合同服务期限，即自二〇二八年二月二十九日起至二〇二九年二月二十八日止。" in texts(
        document, "annex-07"
    )


def test_no_signing_place_no_line() -> None:
    contract = dataclasses.replace(sample_contract(), signing=Signing(date(2026, 11, 24)))
    assert not any("签订地点" in t for t in texts(document_of(contract)))


# --- the same in the files --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files() -> dict[str, dict[str, bytes]]:
    from contractgen.writers.rendering import render_documents

    out: dict[str, dict[str, bytes]] = {}
    for name in ("customer-service.yaml", "customer-service-unsigned-date.yaml"):
        contract, _ = load_contract(SAMPLES / name)
        rendered = render_documents(contract)
        out[name] = {path.rsplit(".", 1)[1]: data for path, data in rendered.items()}
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_files_say_the_same(files: dict[str, dict[str, bytes]], kind: str) -> None:
    def text(name: str) -> str:
        data = files[name][kind]
        return docx_text(data) if kind == "docx" else "".join(pdf_page_bodies(data))

    undated = text("customer-service-unsigned-date.yaml")
    assert A_DATE.findall(undated) == []
    assert undated.count(BLANK_DATE) == 2
    assert undated.count("签订地点") == 1
    assert normalise(TERM_41) in undated
    assert normalise(VALIDITY_72) in undated

    dated = text("customer-service.yaml")
    assert dated.count("签订日期：二〇二六年十一月二十四日") == 2
    assert dated.count("签订地点") == 1
    assert "即自二〇二六年十一月二十四日起至二〇二九年十一月二十三日止" in dated
