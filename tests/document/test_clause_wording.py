"""The clauses after the reference's, through the real templates: 第6.2条's forum, 第八条 to 第十条, the 格式条款
marking and 附件五's notice — each option's sentences, and the reference's sentences kept beside them.

The reference's own sentences are proved verbatim for the default sample in test_reference_wording.py; here the
options that replace one (arbitration replaces 6.2's and 四.5's court sentence: 或裁或诉 would void the
arbitration agreement) are shown to do so, and every other option to add sentences only.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from customer_service_model import Contract, Dispute, Notices, PersonalInformation, Termination
from render_helpers import ROOT, sample_contract

from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Contact, Rate
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Bold, Clause, Document, Heading, Item, Paragraph, inline_text, iter_blocks

FOLDER = TemplateFolder.open(ROOT / "templates" / "zh" / "customer-service")
COURT = "双方在履行合同过程中发生的争议，应通过友好协商解决；协商不成的，可以向有管辖权的人民法院起诉。"
COURT_FOUR = "合同争议解决：双方可签订补充协议，明确争议解决方式；如协商不成，可向有管辖权的人民法院起诉。"


def document_of(contract: Contract) -> Document:
    return compose(FOLDER, build_context(contract, FOLDER.parts, FOLDER.title))


def clauses(contract: Contract) -> dict[str, Clause]:
    return {b.num: b for b in iter_blocks(document_of(contract).parts[0].blocks) if isinstance(b, Clause)}


def clause(contract: Contract, num: str) -> str:
    return inline_text(clauses(contract)[num].runs)


def contract_text(contract: Contract) -> str:
    blocks = iter_blocks(document_of(contract).parts[0].blocks)
    return "".join(inline_text(b.runs) for b in blocks if isinstance(b, Paragraph | Clause | Item | Heading))


def part_text(contract: Contract, part_id: str) -> str:
    (part,) = (p for p in document_of(contract).parts if p.id == part_id)
    blocks = iter_blocks(part.blocks)
    return "".join(inline_text(b.runs) for b in blocks if isinstance(b, Paragraph | Clause | Item | Heading))


def with_(contract: Contract, **changes: Any) -> Contract:
    return dataclasses.replace(contract, **changes)


# --- where the new articles stand --------------------------------------------------------------------------


def test_the_new_articles_follow_the_seventh_and_7_3_names_them() -> None:
    blocks = iter_blocks(document_of(sample_contract()).parts[0].blocks)
    headings = [inline_text(b.runs) for b in blocks if isinstance(b, Heading)]
    order = ["第七条 其他约定", "第八条 合同的解除", "第九条 个人信息保护", "第十条 通知与送达", "一、附件列表"]
    assert [headings.index(h) for h in order] == sorted(headings.index(h) for h in order)
    text = clause(sample_contract(), "7.3")
    assert text.startswith("本合同由第一条至第十条、第十条之后的一至五部分（附件列表、")
    assert text.endswith("第一条至第十条与其后各部分或者附件的内容不一致的，以第一条至第十条为准。")


# --- 第6.2条 and its echoes in 四.5 and 五.14 ---------------------------------------------------------------


def test_the_default_forum_is_the_reference_court_clause_alone() -> None:
    assert clause(sample_contract(), "6.2") == COURT
    assert COURT_FOUR in contract_text(sample_contract())


@pytest.mark.parametrize(
    ("connection", "place"),
    [
        ("defendant_domicile", "被告住所地"),
        ("performance_place", "合同履行地"),
        ("signing_place", "合同签订地（上海市浦东新区）"),
        ("plaintiff_domicile", "原告住所地"),
        ("subject_matter_place", "标的物所在地"),
    ],
)
def test_a_court_connection_adds_a_sentence_after_the_reference_one(connection: Any, place: str) -> None:
    contract = with_(sample_contract(), dispute=Dispute(court_connection=connection))
    assert clause(contract, "6.2") == f"{COURT}双方约定，因本合同发生的诉讼由{place}人民法院管辖。"
    assert COURT_FOUR in contract_text(contract)


def test_arbitration_replaces_every_court_sentence() -> None:
    contract = with_(sample_contract(), dispute=Dispute(method="arbitration", commission="上海仲裁委员会"))
    assert clause(contract, "6.2") == (
        "因本合同引起的或者与本合同有关的争议，双方应通过友好协商解决；协商不成的，任何一方均有权将争议提交"
        "上海仲裁委员会，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。仲裁裁决是终局的，对双方均有约束力。"
    )
    text = contract_text(contract)
    assert "人民法院起诉" not in text
    assert "人民法院管辖" not in text
    assert "如协商不成，依照本合同第六条的约定提交上海仲裁委员会仲裁。" in text
    assert "协商不成的，依照本合同第六条的约定提交上海仲裁委员会仲裁。" in text


# --- 第八条 -------------------------------------------------------------------------------------------------


def test_termination_defaults() -> None:
    contract = sample_contract()
    assert "经对方书面催告后十五日内仍未纠正的，对方可以书面通知违约方解除本合同" in clause(contract, "8.1")
    assert clause(contract, "8.2") == (
        "任何一方可以随时解除本合同，但应当提前三十日书面通知对方，本合同自通知到达对方之日起三十日届满时解除。"
        "因解除本合同造成对方损失的，除不可归责于解除方的事由外，解除方应当赔偿对方的直接损失和本合同履行后可以"
        "获得的利益。"
    )
    assert "乙方应当自本合同解除之日起十五日内将超过部分退还甲方" in clause(contract, "8.3")
    assert clause(contract, "8.4").startswith("本合同解除或者终止之日起十五日内，乙方应当将其在服务过程中取得")


def test_an_agreed_compensation_is_printed_as_a_rate_and_an_amount() -> None:
    termination = Termination(
        cure_days=10, any_time="agreed", notice_days=60, compensation_rate=Rate("10%", Decimal(10)), refund_days=7
    )
    contract = with_(sample_contract(), termination=termination)
    assert "经对方书面催告后十日内仍未纠正的" in clause(contract, "8.1")
    text = clause(contract, "8.2")
    assert "应当提前六十日书面通知对方" in text
    assert "赔偿金为合同金额的百分之十（10%），即人民币叁万陆仟元整（¥36,000.00）。" in text
    assert "直接损失" not in text
    assert "自本合同解除之日起七日内" in clause(contract, "8.3")


# --- 第九条 and 附件五 --------------------------------------------------------------------------------------


def test_the_entrustment_names_purpose_period_method_and_kinds() -> None:
    contract = with_(sample_contract(), personal_information=PersonalInformation(kinds="姓名、联系电话"))
    text = clause(contract, "9.1")
    for words in ("甲方为个人信息处理者，乙方为受托人", "委托处理的目的为", "委托处理的期限", "处理方式为"):
        assert words in text
    assert text.endswith("处理的个人信息的种类为姓名、联系电话。")
    assert "不得保留" in clause(contract, "9.5")


def test_the_survey_opens_with_the_notice_of_article_17() -> None:
    contract = with_(sample_contract(), personal_information=PersonalInformation(retention_months=6))
    text = part_text(contract, "annex-05")
    notice = text[text.index("个人信息处理告知") : text.index("一、受访者信息")]
    for words in (
        "个人信息处理者：上海明远科技有限公司",
        "联系地址：上海市浦东新区张江路88号5楼\n联系电话：021-68881234\n电子邮箱：lijing@mingyuan-tech.cn",
        "处理目的：",
        "处理方式：",
        "处理的个人信息种类：",
        "保存期限：自本次调查结束之日起六个月",
        "查阅、复制、更正、补充、删除",
        "发生变更的，我们将告知您变更的部分",
    ):
        assert words in notice, words


# --- 第十条 -------------------------------------------------------------------------------------------------


def test_both_emails_are_service_addresses_by_default() -> None:
    text = clause(sample_contract(), "10.2")
    assert text.startswith(
        "甲方同意以其电子邮箱lijing@mingyuan-tech.cn、乙方同意以其电子邮箱zhaomin@hengxin-service.cn接收"
    )
    assert "以前述电子邮箱送达诉讼文书或者仲裁文书" in text


def test_a_party_without_an_email_is_served_on_paper() -> None:
    party_b = dataclasses.replace(sample_contract().party_b, contact=Contact("赵敏", "13857123456"))
    text = clause(with_(sample_contract(), party_b=party_b), "10.2")
    assert text.startswith("甲方同意以其电子邮箱lijing@mingyuan-tech.cn接收")
    assert "以该电子邮箱" in text
    assert text.endswith("乙方的通知和文书以书面方式送达。")


def test_no_electronic_service_when_the_spec_says_so() -> None:
    contract = with_(sample_contract(), notices=Notices(electronic=False, change_days=5))
    assert clause(contract, "10.2").startswith("双方未约定电子送达")
    assert "自变更之日起五日内书面通知对方" in clause(contract, "10.3")
    assert "电子邮件" not in clause(contract, "10.1")


# --- 格式条款 -----------------------------------------------------------------------------------------------

MARKED = ("5.1", "5.2", "5.3", "6.2", "8.1", "8.2", "8.3", "8.4", "8.5", "9.6", "10.4")
CONFIRMATION = "双方确认：提供本合同格式条款的一方已在订立本合同时以粗体字提示对方注意本合同第五条、第6.2条、第八条、"


def test_standard_terms_bold_the_listed_clauses_and_confirm_above_the_signatures() -> None:
    contract = with_(sample_contract(), standard_terms=True)
    found = clauses(contract)
    bold = {num for num, c in found.items() if len(c.runs) == 1 and isinstance(c.runs[0], Bold)}
    assert bold == set(MARKED)
    blocks = list(iter_blocks(document_of(contract).parts[0].blocks))
    texts = [inline_text(b.runs) for b in blocks if isinstance(b, Paragraph)]
    confirmation = next(t for t in texts if t.startswith(CONFIRMATION))
    assert "第9.6条和第10.4条" in confirmation
    assert texts.index(confirmation) == texts.index("（以下无正文）") - 1


def test_without_standard_terms_nothing_is_bold_and_nothing_is_confirmed() -> None:
    contract = sample_contract()
    assert not any(isinstance(run, Bold) for c in clauses(contract).values() for run in c.runs)
    assert CONFIRMATION not in contract_text(contract)
