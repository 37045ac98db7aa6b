"""The HTML and PDF redline: a change list first, then the contract with insertions in <ins> and deletions in
<del>, from the same HTML writer and print stylesheet as the contract's PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from contractgen.comparison import diff
from contractgen.comparison.redline_html import redline_html, redline_pdf
from contractgen.writers.html import to_screen_html

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "customer-service.yaml"
FEE = {"fee.total": "600000.00", "fee.capital": "陆拾万元整", "copies": "4"}


@pytest.fixture(scope="module")
def fee_change(tmp_path_factory: pytest.TempPathFactory, edit_into: Any) -> Any:
    return diff(SAMPLE, edit_into("customer-service.yaml", FEE, tmp_path_factory.mktemp("redline")))


def _body_text(html: str, drop: str) -> str:
    """The visible text of the contract (after the change list) with every ``drop`` element left out."""
    root = ElementTree.fromstring(html.removeprefix("<!DOCTYPE html>"))
    for parent in root.iter():
        for child in [c for c in parent if c.tag == drop]:
            at = list(parent).index(child)
            if at:
                parent[at - 1].tail = (parent[at - 1].tail or "") + (child.tail or "")
            else:
                parent.text = (parent.text or "") + (child.tail or "")
            parent.remove(child)
    sections = list(root.iter("section"))
    return "".join("".join(s.itertext()) for s in sections[1:])


def test_the_html_redline_lists_the_changes_then_marks_the_contract(fee_change: Any) -> None:
    html = redline_html(fee_change)
    assert "<style>" in html
    assert "ins { color: #0b57a4" in html
    changes = html[: html.index("</section>")]
    assert "《客户服务管理合同》修订对照" in changes
    assert "服务费用总额（fee.total）" in changes
    assert "<del>人民币叁拾陆万元整（¥360,000.00）</del>" in changes
    assert "<ins>人民币陆拾万元整（¥600,000.00）</ins>" in changes
    contract = html[html.index("</section>") :]
    assert "<del>叁拾陆万元整</del>" in contract
    assert "<ins>陆拾万元整</ins>" in contract
    assert "一式<del>两</del><ins>四</ins>份" in contract
    assert not re.search(r"<(ins|del)>[\d,.]*</\1>¥|¥<(ins|del)>", contract)  # never a digit marked alone


def test_the_redline_without_its_deletions_reads_as_the_new_contract(fee_change: Any) -> None:
    new = to_screen_html(fee_change.new.document)
    old = to_screen_html(fee_change.old.document)
    html = redline_html(fee_change)
    html = html.replace(html[html.index("<style>") : html.index("</style>") + len("</style>")], "")
    new_text = "".join(ElementTree.fromstring(new.removeprefix("<!DOCTYPE html>")).find("body").itertext())
    old_text = "".join(ElementTree.fromstring(old.removeprefix("<!DOCTYPE html>")).find("body").itertext())
    contract_no = fee_change.new.contract.contract_no
    assert contract_no + _body_text(html, "del").replace("\u2060", "") == new_text.replace("\u2060", "")
    assert contract_no + _body_text(html, "ins").replace("\u2060", "") == old_text.replace("\u2060", "")


def test_the_pdf_redline_is_the_change_list_then_the_contract(fee_change: Any) -> None:
    data = redline_pdf(fee_change)
    assert data == redline_pdf(fee_change)  # the same comparison, the same bytes
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert "修订对照" in pages[0]
    assert "服务费用总额（fee.total）" in pages[0]
    text = "".join(pages)
    assert "叁拾陆万元整" in text
    assert "陆拾万元整" in text
    assert len(pages) > 30
