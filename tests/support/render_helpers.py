"""Helpers of the render tests: the sample contract built by hand, and text extraction from DOCX and PDF.

Text is compared *normalised*: every kind of whitespace (spaces, tabs, U+3000, no-break spaces) and the word
joiners the DOCX writer puts inside ``<nobr>`` are removed, since the two formats lay the same characters out
differently. Page furniture (header 合同编号, footer 第 X 页 共 Y 页) is left out of a PDF page's body text by
position: only text drawn inside the page's text area counts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from customer_service_model import Contract, Fee, Penalty, ServiceLevels, Term

from contractgen.document.model import BankAccount, Contact, Party, Rate, Signing
from contractgen.document.tree import Heading, Title, inline_text, iter_blocks

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "customer-service.yaml"
#: How many parts the customer-service type has (the contract and its annexes): the files ``--split`` adds.
PART_COUNT = sum(
    1
    for line in (ROOT / "templates/zh/customer-service/parts.yaml").read_text("utf-8").splitlines()
    if line.lstrip().startswith("- {id:")
)
FIXTURE_TEMPLATES = ROOT / "tests" / "data" / "templates"

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# A4 in PDF points, and the text area inside 25 mm top and bottom margins (with a little slack).
PAGE_HEIGHT = 841.89
BODY_TOP = PAGE_HEIGHT - 25 * 72 / 25.4 + 2
BODY_BOTTOM = 25 * 72 / 25.4 - 2

_INVISIBLE = re.compile(r"[\s\u3000\u00a0\u2060\u200b]+")
FOOTER = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")


def sample_contract() -> Contract:
    """samples/customer-service.yaml as a Contract, built by hand (independent of the spec loader)."""
    return Contract(
        type="customer-service",
        contract_no="KF-2026-0001",
        party_a=Party(
            kind="company",
            name="上海明远科技有限公司",
            address="上海市浦东新区张江路88号5楼",
            credit_code="91310115MA1H8K3X2A",
            legal_representative="王明远",
            representative="陈思远",
            contact=Contact("李静", "021-68881234", "lijing@mingyuan-tech.cn"),
            bank=BankAccount("招商银行股份有限公司上海张江支行", "121909876510301"),
        ),
        party_b=Party(
            kind="company",
            name="杭州恒信客户服务外包有限公司",
            address="浙江省杭州市西湖区文三路398号12楼",
            credit_code="91330106MA2H3LQ0X5",
            legal_representative="周恒信",
            contact=Contact("赵敏", "13857123456", "zhaomin@hengxin-service.cn"),
            bank=BankAccount("中国工商银行股份有限公司杭州文三路支行", "1202020409900123456"),
        ),
        term=Term(years=3),
        fee=Fee(total=Decimal("360000.00"), payment="annual", capital="叁拾陆万元整", due_days=15),
        penalty=Penalty(
            Rate("20%", Decimal("20")),
            Rate("0.05%", Decimal("0.05")),
            "day",
            overdue_cap=Rate("10%", Decimal("10")),
            late_payment_rate=Rate("0.05%", Decimal("0.05")),
            late_payment_cap=Rate("10%", Decimal("10")),
        ),
        validity_years=3,
        copies=2,
        signing=Signing(date(2026, 11, 24), "上海市浦东新区"),
        service=ServiceLevels(2, 3, Rate("90%", Decimal("90")), "monthly"),
    )


def with_party_a_name(contract: Contract, name: str) -> Contract:
    return dataclasses.replace(contract, party_a=dataclasses.replace(contract.party_a, name=name))


def normalise(text: str) -> str:
    return _INVISIBLE.sub("", text)


def docx_blocks(data: bytes) -> list[str]:
    """The text of every body paragraph of a DOCX, in order (table cells row by row), via python-docx."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W_NS}p":
            out.append(Paragraph(element, document).text)
        elif element.tag == f"{W_NS}tbl":
            for row in Table(element, document).rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
    return out


def docx_page_starts(data: bytes) -> list[tuple[str, bool]]:
    """(normalised text, starts a new page?) of every body paragraph and table, in order, via python-docx."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[tuple[str, bool]] = []
    after_section = False  # a section break (w:sectPr in the paragraph before) starts a page too
    for element in document.element.body.iterchildren():
        if element.tag == f"{W_NS}p":
            breaks = after_section or element.find(f"{W_NS}pPr/{W_NS}pageBreakBefore") is not None
            after_section = element.find(f"{W_NS}pPr/{W_NS}sectPr") is not None
            out.append((normalise(Paragraph(element, document).text), breaks))
        elif element.tag == f"{W_NS}tbl":
            cells = [p.text for row in Table(element, document).rows for c in row.cells for p in c.paragraphs]
            out.append((normalise("".join(cells)), False))
    return out


def docx_text(data: bytes) -> str:
    return normalise("".join(docx_blocks(data)))


def _pdf_text_runs(data: bytes, *, body: bool) -> list[list[str]]:
    """Per page, the text runs drawn inside the text area (``body``) or outside it (header and footer)."""
    from pypdf import PdfReader

    pages: list[list[str]] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        parts: list[str] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object, parts: list[str] = parts) -> None:
            y = cm[3] * tm[5] + cm[5]
            if (BODY_BOTTOM < y < BODY_TOP) == body:
                parts.append(text)

        page.extract_text(visitor_text=visit)
        pages.append(parts)
    return pages


def pdf_page_bodies(data: bytes) -> list[str]:
    """The text drawn inside each page's text area (header and footer left out), in drawing order."""
    return [normalise("".join(parts)) for parts in _pdf_text_runs(data, body=True)]


def pdf_furniture(data: bytes) -> list[str]:
    """The text drawn outside each page's text area: header and footer, per page."""
    return [" ".join(p.strip() for p in parts if p.strip()) for parts in _pdf_text_runs(data, body=False)]


def assert_in_order(text: str, expected: list[str]) -> None:
    """Every string of ``expected`` occurs in ``text``, each after the previous one."""
    position = 0
    for item in expected:
        found = text.find(normalise(item), position)
        assert found >= 0, f"{item!r} not found after position {position}: …{text[position : position + 80]}…"
        position = found + len(normalise(item))


def filled_values(context: dict[str, Any]) -> list[str]:
    """What the spec filled into the contract's blanks, as the reader sees it (each distinct text once)."""
    values = [
        context["contract_no"],
        context["party_a"].name,
        context["party_b"].name,
        context["service_start_cn"],
        context["service_end_cn"],
        f"人民币{context['fee_capital']}（{context['fee_figures']}）",
        context["breach_rate_words"],
        f"人民币{context['breach_amount_capital']}（{context['breach_amount_figures']}）",
        context["overdue_rate_words"],
        f"人民币{context['overdue_amount_capital']}（{context['overdue_amount_figures']}）",
        f"本合同一式{context['copies_cn']}份，甲乙双方各执{context['copies_a_cn']}份",
        f"有效期为{context['validity_years_cn']}年",
        context["signing_date_cn"],
    ]
    return list(dict.fromkeys(values))


def headings(document: Any) -> list[str]:
    return [
        inline_text(b.runs)
        for part in document.parts
        for b in iter_blocks(part.blocks)
        if isinstance(b, Heading | Title)
    ]


def lay_out(document: Any, **options: Any) -> Any:
    """``document`` laid out by the PDF writer with the language folder's stylesheet and fonts, dated 2026-01-01."""
    from datetime import datetime

    from contractgen.writers.fonts import resolve
    from contractgen.writers.pdf import lay_out_pdf

    folder = ROOT / "templates" / "zh"
    return lay_out_pdf(
        document,
        stylesheet=folder / "print.css",
        asset_roots=(folder,),
        fonts=resolve(),
        when=datetime(2026, 1, 1),
        **options,
    )


def sample_pdf(spec: Path, **options: Any) -> bytes:
    """The whole-contract PDF that ``spec`` renders to, in memory (``options``: render_documents')."""
    from contractgen.document import load_contract
    from contractgen.writers.rendering import render_documents

    contract, _ = load_contract(spec)
    return render_documents(contract, formats=["pdf"], **options)[f"{contract.contract_no}.pdf"]


def without_change(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    """Every later render of the test made without ``change``, one of the PDF writer's faster ways with WeasyPrint's
    internals (``contractgen.writers.pdf._FASTER``): to compare its bytes with WeasyPrint's own."""
    from contractgen.writers import pdf, pdf_workers

    assert change in pdf._FASTER
    pdf_workers.end_part_processes()  # a standing one would render with the change still in
    monkeypatch.setattr(pdf, "_FASTER", tuple(other for other in pdf._FASTER if other is not change))


@contextlib.contextmanager
def counted_calls(owner: Any, name: str) -> Iterator[list[int]]:
    """How many times ``owner.name`` is called inside the block (it is called through as usual)."""
    function = getattr(owner, name)
    calls = [0]

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return function(*args, **kwargs)

    setattr(owner, name, counting)
    try:
        yield calls
    finally:
        setattr(owner, name, function)
