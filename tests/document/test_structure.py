"""The structure check: everything agreed stands above the signatures, annexes after them only if incorporated.

Each case is a small template folder written on the fly: a contract part (and sometimes a second text part or a
second annex), composed with the sample's context. The real contract types pass it on every sample
(tests/writers render them all); here each way of breaking it fails with its own message, as exit 4.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import SAMPLES, sample_contract

from contractgen.document import load_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.structure import END_OF_TEXT
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Document, Paragraph, Signature, Spacer, inline_text, iter_blocks
from contractgen.errors import TemplateError
from contractgen.writers.rendering import template_folder

SIGNATURE = "<signature><side><line>甲方（盖章）：</line></side><side><line>乙方（盖章）：</line></side></signature>"
INCORPORATES = '<clause num="1.1" incorporates="{ids}">附件为本合同的组成部分。</clause>'
END = f'<p indent="0">{END_OF_TEXT}</p>'
ANNEX = "<part><p>附件正文。</p></part>"

GOOD = f"<part>{INCORPORATES.format(ids='annex-01')}{END}<spacer/>{SIGNATURE}<spacer/></part>"

CASES = [
    ("no signature block", f"<part>{INCORPORATES.format(ids='annex-01')}{END}</part>", None, "实有 0 个"),
    (
        "two signature blocks",
        f"<part>{INCORPORATES.format(ids='annex-01')}{SIGNATURE}{END}{SIGNATURE}</part>",
        None,
        "实有 2 个",
    ),
    (
        "text after the signatures",
        f"<part>{INCORPORATES.format(ids='annex-01')}{END}{SIGNATURE}<p>补充约定。</p></part>",
        None,
        "签署栏之后还有正文（“补充约定。”）",
    ),
    (
        "text kept with the signatures but after them",
        f"<part>{INCORPORATES.format(ids='annex-01')}<keep>{END}{SIGNATURE}<p>附注。</p></keep></part>",
        None,
        "签署栏之后还有正文",
    ),
    (
        "no end-of-text line",
        f"<part>{INCORPORATES.format(ids='annex-01')}{SIGNATURE}</part>",
        None,
        f"签署栏之前应紧接一行“{END_OF_TEXT}”",
    ),
    (
        "the end-of-text line not last",
        f"<part>{END}{INCORPORATES.format(ids='annex-01')}{SIGNATURE}</part>",
        None,
        END_OF_TEXT,
    ),
    (
        "an annex nobody incorporates",
        f'<part><clause num="1.1">另有约定。</clause>{END}{SIGNATURE}</part>',
        None,
        "附件一《测试附件》在签署栏之后，但合同正文没有条款将其并入",
    ),
    (
        "an incorporation of a part that does not exist",
        f"<part>{INCORPORATES.format(ids='annex-01 annex-99')}{END}{SIGNATURE}</part>",
        None,
        "不存在的部分：annex-99",
    ),
    (
        "a text part after the signatures",
        GOOD,
        "<part><heading>一、名词解释</heading></part>",
        "签署栏之后还有合同正文的部分 sections",
    ),
]


def _folder(tmp_path: Path, contract: str, sections: str | None) -> TemplateFolder:
    entries = ["  - {id: contract, template: contract.xml.j2, kind: contract}"]
    (tmp_path / "contract.xml.j2").write_text(contract, encoding="utf-8")
    if sections is not None:
        entries.append("  - {id: sections, template: sections.xml.j2, kind: sections}")
        (tmp_path / "sections.xml.j2").write_text(sections, encoding="utf-8")
    entries.append("  - {id: annex-01, template: annex.xml.j2, kind: annex, title: 测试附件}")
    (tmp_path / "annex.xml.j2").write_text(ANNEX, encoding="utf-8")
    (tmp_path / "parts.yaml").write_text("title: 测试合同\nparts:\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return TemplateFolder.open(tmp_path)


def _compose(folder: TemplateFolder) -> Document:
    return compose(folder, build_context(sample_contract(), folder.parts, folder.title))


def test_the_shape_a_lawyer_expects_composes(tmp_path: Path) -> None:
    document = _compose(_folder(tmp_path, GOOD, None))
    assert [p.id for p in document.parts] == ["contract", "annex-01"]


@pytest.mark.parametrize(("contract", "sections", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_breach_is_a_template_error_saying_what_is_out_of_place(
    tmp_path: Path, contract: str, sections: str | None, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        _compose(_folder(tmp_path, contract, sections))
    assert caught.value.exit_code == 4
    assert "合同结构错误" in caught.value.message
    assert message in caught.value.message
    assert str(tmp_path) in caught.value.message


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_every_sample_ends_its_text_then_signs_then_annexes(sample: str) -> None:
    contract, _warnings = load_contract(SAMPLES / sample)
    folder = template_folder(contract.type)
    context = build_context(contract, folder.parts, folder.title)
    document = compose(folder, context)
    text, *annexes = document.parts
    blocks = [b for b in iter_blocks(text.blocks) if not isinstance(b, Spacer)]
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Signature))
    assert isinstance(blocks[at - 1], Paragraph)
    assert inline_text(blocks[at - 1].runs) == END_OF_TEXT
    assert all(p.kind == "annex" for p in annexes)
    assert len(annexes) == len(context["annexes"])  # every annex of the type, each once
