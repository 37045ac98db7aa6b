"""The loan contract end to end, as a user makes it: ``contractgen init loan --example`` (two natural persons and
a guarantor) then ``contractgen render``, and both samples; the text of both outputs (DOCX through python-docx,
PDF through pypdf) read back.

What is asserted is what a lawyer checks first: the schedule adds up to the 分 (every instalment's amount printed,
and the printed totals equal their sum), the totals are also in 大写, the clauses the law asks for are there, and
a contract with a guarantor has three signature blocks (three seal spots in the positions the PDF writer found)
and is made out in three copies.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from render_helpers import docx_text, pdf_page_bodies

from contractgen.cli import cli

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
_AMOUNT = r"[0-9]{1,3}(?:,[0-9]{3})*\.[0-9]{2}"
_ROW = re.compile(rf"([0-9]{{4}})年([0-9]{{1,2}})月([0-9]{{1,2}})日({_AMOUNT})({_AMOUNT})({_AMOUNT})({_AMOUNT})")


def _render(tmp_path: Path, spec: Path) -> tuple[str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["render", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    docx = next((tmp_path / "out").glob("*.docx")).read_bytes()
    pdf = next((tmp_path / "out").glob("*.pdf")).read_bytes()
    return docx_text(docx), "".join(pdf_page_bodies(pdf))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("loan-example")
    result = CliRunner().invoke(cli, ["init", "loan", "--example"])
    assert result.exit_code == 0, result.output
    spec = folder / "loan.yaml"
    spec.write_text(result.stdout, encoding="utf-8")
    return _render(folder, spec)


@pytest.fixture(scope="module")
def guaranteed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _render(tmp_path_factory.mktemp("loan-guaranteed"), ROOT / "samples" / "loan-guaranteed.yaml")


@pytest.fixture(scope="module")
def two_parties(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _render(tmp_path_factory.mktemp("loan-two"), ROOT / "samples" / "loan.yaml")


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _schedule_adds_up(text: str, count: int, principal: str) -> None:
    rows = _ROW.findall(text)
    assert len(rows) == count, rows
    parts = [(_decimal(p), _decimal(i), _decimal(t)) for *_date, p, i, t, _balance in rows]
    assert all(p + i == t for p, i, t in parts)
    total_principal = sum((p for p, _, _ in parts), Decimal(0))
    total_interest = sum((i for _, i, _ in parts), Decimal(0))
    assert total_principal == _decimal(principal)
    # the 合计 row prints the three sums, and the totals are also written in 大写 below the table
    assert f"合计{total_principal:,.2f}{total_interest:,.2f}{total_principal + total_interest:,.2f}" in text
    assert "应还利息合计：人民币" in text
    assert f"（¥{total_principal + total_interest:,.2f}）" in text


@pytest.mark.parametrize("which", ["docx", "pdf"])
def test_the_example_renders_with_a_schedule_that_adds_up(example: tuple[str, str], which: str) -> None:
    text = example[0 if which == "docx" else 1]
    _schedule_adds_up(text, 24, "200,000.00")
    assert "借款人向出借人借款人民币贰拾万元整（¥200,000.00）" in text
    # 200,000 at 6% over 24 months: 200,000 × 0.005 × 1.005^24 / (1.005^24 − 1) = 8,864.12
    assert "每期还款额为人民币捌仟捌佰陆拾肆元壹角贰分（¥8,864.12）" in text
    assert "借款的利息不得预先在本金中扣除" in text
    assert "自出借人提供借款时成立并生效" in text  # lender and borrower natural persons: 《民法典》第六百七十九条
    assert "本合同一式三份，出借人执一份，借款人执一份，保证人执一份" in text
    assert text.count("签订日期：") == 3
    assert "附件三：保证书" in text


@pytest.mark.parametrize("which", ["docx", "pdf"])
def test_a_loan_without_a_guarantor_has_two_parties(two_parties: tuple[str, str], which: str) -> None:
    text = two_parties[0 if which == "docx" else 1]
    _schedule_adds_up(text, 24, "200,000.00")
    assert "本合同一式两份，出借人执一份，借款人执一份" in text
    assert text.count("签订日期：") == 2
    assert "保证书" not in text


@pytest.mark.parametrize("which", ["docx", "pdf"])
def test_the_guaranteed_sample_has_three_parties(guaranteed: tuple[str, str], which: str) -> None:
    text = guaranteed[0 if which == "docx" else 1]
    _schedule_adds_up(text, 12, "500,000.00")
    assert "保证人自愿为借款人在本合同项下的全部债务向出借人提供连带责任保证" in text
    assert "保证期间为自主债务履行期限届满之日起三十六个月" in text
    assert "本合同一式三份，出借人执一份，借款人执一份，保证人执一份" in text
    assert text.count("签订日期：") == 3  # three signature blocks
    assert "附件三：保证书" in text
    assert "出借人确认收到本保证书" in text
    assert "逾期利息、违约金和其他费用，总计不超过" in text
