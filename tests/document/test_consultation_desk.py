"""附件三's greeting names the desk the customer called: 甲方名称 + 客户服务中心 for a company, and for a natural person
(who runs no such centre) a 【】 blank that 甲方 fills in — never "王明远客户服务中心"."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import SAMPLES, docx_text

import contractgen

SPECS = Path(__file__).parents[1] / "data" / "specs" / "valid"


def _annex_3(spec: Path, tmp_path: Path) -> str:
    (docx,) = contractgen.render(spec, tmp_path, formats=("docx",))
    text = docx_text(docx.read_bytes())
    start = text.index("附件三")
    return text[text.index("一、使用说明", start) : text.index("四、客户咨询记录表", start)]


def test_a_company_answers_as_its_customer_service_centre(tmp_path: Path) -> None:
    text = _annex_3(SAMPLES / "customer-service.yaml", tmp_path)
    assert "以上海明远科技有限公司客户服务中心的名义解答客户咨询" in text
    assert text.count("客户服务中心") == 3


@pytest.mark.parametrize("spec", ["person-party-a-id-x.yaml", "person-both-parties.yaml"])
def test_a_person_names_no_centre_and_leaves_the_desk_name_to_fill_in(spec: str, tmp_path: Path) -> None:
    text = _annex_3(SPECS / spec, tmp_path)
    assert "客户服务中心" not in text
    assert "以甲方的名义解答客户咨询" in text
    assert text.count("【甲方指定的服务名称】") == 2
