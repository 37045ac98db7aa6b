"""A natural person as a party: the invoice and tax clause, the annexes, the party block and the signature block.

Three specs, through the real templates: the company sample (two companies: the reference's own wording), the
person sample (乙方 a natural person, 甲方 signing by an authorised representative) and a spec with 甲方 a person
(tests/data/specs/valid/person-party-a-id-x.yaml), plus both parties persons (person-both-parties.yaml).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from render_helpers import ROOT, SAMPLES

from contractgen.document import load_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.tree import Document, SealSpot, Signature, inline_text, iter_blocks, part_text
from contractgen.writers.rendering import template_folder

VALID = ROOT / "tests" / "data" / "specs" / "valid"
COMPANIES = SAMPLES / "customer-service.yaml"
PERSON_B = SAMPLES / "customer-service-person.yaml"
PERSON_A = VALID / "person-party-a-id-x.yaml"
PERSONS = VALID / "person-both-parties.yaml"


def document(spec: Path) -> Document:
    contract, _ = load_contract(spec)
    folder = template_folder(contract.type)
    return compose(folder, build_context(contract, folder.parts, folder.title))


def text(spec: Path, *part_ids: str) -> str:
    parts = [p for p in document(spec).parts if not part_ids or p.id in part_ids]
    return re.sub(r"\s+", "", "".join(part_text(p) for p in parts))


def clause_4_3(spec: Path) -> str:
    body = text(spec, "contract")
    return body[body.index("4.3") + 3 : body.index("第五条")]


# --- 4.3: invoice and tax ------------------------------------------------------------------------------------


def test_two_companies_keep_the_vat_invoice() -> None:
    assert clause_4_3(COMPANIES) == (
        "乙方应在收到甲方支付的每期服务费用之日起七个工作日内，向甲方开具与该期服务费用等额的合法有效的增值税发票，"
        "并在附件八《服务费用支付凭证》所附付款凭证上签章确认收款。"
    )


def test_a_person_as_b_is_withheld_from_and_has_the_invoice_issued_by_the_tax_office() -> None:
    assert clause_4_3(PERSON_B) == (
        "本合同约定的服务费用为含税金额，乙方依法应缴纳的个人所得税和申请代开发票应缴纳的税费由乙方承担。"
        "乙方取得服务费用应缴纳的个人所得税，由甲方作为扣缴义务人依法扣缴，扣缴的税款从应付乙方的服务费用中扣除，"
        "视为甲方已向乙方支付；甲方应在扣缴税款后，及时向乙方提供其所得和已扣缴税款等信息。"
        "甲方需要发票的，乙方应在收到甲方支付的服务费用之日起十五个工作日内，向税务机关申请代开金额为服务费用全额"
        "（含甲方扣缴的税款）的发票并交付甲方。乙方应在收到甲方支付的服务费用之日起七个工作日内核对到账金额，"
        "并在附件八《服务费用支付凭证》所附付款凭证上签章确认收款。"
    )
    assert "增值税" not in clause_4_3(PERSON_B)


def test_a_person_as_a_gets_an_ordinary_invoice_and_withholds_nothing() -> None:
    assert clause_4_3(PERSON_A) == (
        "乙方取得服务费用应缴纳的税款，由乙方依法自行申报缴纳。"
        "乙方应在收到甲方支付的每期服务费用之日起七个工作日内，向甲方开具与该期服务费用等额的增值税普通发票，"
        "并在附件八《服务费用支付凭证》所附付款凭证上签章确认收款。"
    )


def test_two_persons_the_paying_person_still_withholds() -> None:
    # 《个人所得税法》第九条: 以支付所得的单位或者个人为扣缴义务人 — a person paying a person withholds too.
    words = clause_4_3(PERSONS)
    assert "由甲方作为扣缴义务人依法扣缴" in words
    assert "乙方应在收到甲方支付的每期服务费用之日起十五个工作日内，向税务机关申请代开金额为该期服务费用全额" in words


@pytest.mark.parametrize(
    ("spec", "says", "never"),
    [
        (COMPANIES, "乙方开具增值税发票并确认收款。", "代开发票"),
        (PERSON_B, "甲方依法扣缴乙方的个人所得税，乙方确认收款；甲方需要发票的，乙方向税务机关申请代开发票。", "开具"),
    ],
    ids=["company", "person"],
)
def test_the_payment_scene_of_section_5_follows_who_is_paid(spec: Path, says: str, never: str) -> None:
    body = text(spec, "contract")
    scene = body[body.index("所列付款计划支付服务费用") : body.index("10.双方交接")]
    assert says in scene
    assert never not in scene


def test_annex_8_repeats_the_clause_and_its_receipt_has_a_row_for_the_tax_withheld() -> None:
    annex = text(PERSON_B, "annex-08")
    assert clause_4_3(PERSON_B).removesuffix("并在附件八《服务费用支付凭证》所附付款凭证上签章确认收款。") in annex
    assert "扣缴个人所得税¥实付金额（小写）" in annex
    assert "收款经办人" not in annex
    assert "付款经办人（签字）" in annex
    assert "扣缴个人所得税" not in text(COMPANIES, "annex-08")


# --- the annexes: one person is no team ----------------------------------------------------------------------

MY_ANNEXES = ("annex-01", "annex-02", "annex-03", "annex-04", "annex-06", "annex-07", "annex-08", "annex-09")
TEAM_WORDS = ("团队", "项目负责人", "客户服务人员", "工作人员", "培训", "专人维护", "乙方负责人", "编制单位（乙方）")


@pytest.mark.parametrize("word", TEAM_WORDS)
def test_a_person_as_b_has_no_team_in_the_annexes(word: str) -> None:
    assert word not in text(PERSON_B, *MY_ANNEXES)


def test_a_company_as_b_keeps_its_team() -> None:
    annexes = text(COMPANIES, *MY_ANNEXES)
    for sentence in (
        "组建专门的客户服务团队，指定项目负责人，配备与服务量相适应的人员，并对其进行业务和保密培训；",
        "本制度适用于乙方参与甲方客户服务管理工作的全部人员，包括项目负责人、管理人员、客户服务人员和其他工作人员。",
        "首问负责：首位接待客户的客户服务人员负责跟踪该事项，直至问题解决或者按流程移交完毕。",
        "审核人（乙方项目负责人签字）：",
        "甲方负责人（签字）：",
    ):
        assert sentence in annexes


def test_a_person_as_a_receives_and_confirms_in_person() -> None:
    annexes = text(PERSON_A, *MY_ANNEXES)
    for word in ("报送对象（甲方）：王明远", "甲方（签字）：", "甲方（较大投诉、重大投诉）"):
        assert word in annexes
    for word in ("甲方接收人", "甲方负责人", "甲方确认人", "付款经办人"):
        assert word not in annexes


def test_a_person_as_b_serves_in_person_and_is_no_employee() -> None:
    policy = text(PERSON_B, "annex-01")
    assert "本制度适用于乙方本人。" in policy
    assert "双方之间不因本合同形成劳动关系。" in policy
    assert "亲自提供客户服务管理服务" in policy
    assert "未经甲方书面同意，不得将服务的全部或者部分转委托他人" in policy
    assert "一般投诉由乙方处理；较大投诉由乙方处理，并于受理当日告知甲方联系人" in text(PERSON_B, "annex-02")


# --- party block and signature block -------------------------------------------------------------------------


def signature_lines(spec: Path) -> list[list[str]]:
    (block,) = (b for b in iter_blocks(document(spec).parts[0].blocks) if isinstance(b, Signature))
    return [
        [f"[{line.kind} {line.mm}]" if isinstance(line, SealSpot) else inline_text(line) for line in side.lines]
        for side in block.sides
    ]


def test_a_company_seals_and_its_representative_signs_a_person_signs_and_fingerprints() -> None:
    a, b = signature_lines(PERSON_B)
    company = [
        "甲方（盖章）：",
        "[seal 42]",
        "苏州禾田母婴用品有限公司",
        "法定代表人或授权代表（签字）：",
        "[signature 45]",
    ]
    assert a[:5] == company
    assert b[:3] == ["乙方（签字并捺印）：", "[signature 45]", "沈佳怡"]
    a, _b = signature_lines(PERSON_A)
    assert a[:5] == ["甲方（签字并捺印）：", "[signature 45]", "王明远", "委托代理人（签字并捺印）：", "[signature 45]"]


def test_an_authorised_signatory_says_the_power_of_attorney_is_attached() -> None:
    assert "授权代表：钱晓雯（授权委托书附后）" in text(PERSON_B, "contract")
    assert "委托代理人：王明达（授权委托书附后）" in text(PERSON_A, "contract")
    assert "委托代理人：沈佳宁（授权委托书附后）" in text(PERSONS, "contract")
    assert "授权代表：陈思远（授权委托书附后）" in text(COMPANIES, "contract")
    minimal = text(SAMPLES / "customer-service-minimal.yaml")
    assert "授权委托书" not in minimal  # the legal representatives sign: nothing to attach


# --- the reference's sentences for a person --------------------------------------------------------------------

#: The reference sentences the person sample prints otherwise, by its options, and what it prints instead. Every
#: other sentence of tests/data/reference/customer-service.yaml is in it verbatim, as in the company sample
#: (test_reference_wording.py); a person's alternative sentences in the annexes replace none of the reference's,
#: which lists the annexes by title only.
PERSON_INSTEAD = {
    "乙方（盖章）：": "乙方（签字并捺印）：",  # a natural person has no seal
    "乙方向甲方提供客户服务管理的费用为人民币____元整（大写：_______________________元整），甲方按年度向乙方支付。": (
        "一次性向乙方支付"  # payment: lump_sum, not 按年度
    ),
}


def test_the_person_sample_prints_every_reference_sentence_but_those_its_options_replace() -> None:
    spec = importlib.util.spec_from_file_location("reference", Path(__file__).with_name("test_reference_wording.py"))
    assert spec
    assert spec.loader
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    body = text(PERSON_B, "contract")
    missing = {e["text"] for e in reference.ENTRIES if not reference._pattern(e).search(body)}
    assert missing == set(PERSON_INSTEAD)
    assert all(instead in body for instead in PERSON_INSTEAD.values())
