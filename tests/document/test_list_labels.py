"""One style of list label throughout: 第X条, 一、, （一）, 1. and （1） — ASCII full stop after a number, never the
full-width ． (附件五 once wrote 13．), in item labels and in paragraphs that open with a number alike.
"""

from __future__ import annotations

import re

import pytest
from render_helpers import SAMPLES

from contractgen.document import load_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.tree import Item, Paragraph, inline_text, iter_blocks, part_text
from contractgen.writers.rendering import template_folder

CN = "一二三四五六七八九十"
LABEL = re.compile(rf"第[{CN}]+条|[{CN}]+、|（[{CN}]+）|\d+\.|（\d+）")
OPENS_WITH_NUMBER = re.compile(r"^\d+[.．]")


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_every_label_has_the_house_style(sample: str) -> None:
    contract, _warnings = load_contract(SAMPLES / sample)
    folder = template_folder(contract.type)
    document = compose(folder, build_context(contract, folder.parts, folder.title))
    blocks = [(p.id, b) for p in document.parts for b in iter_blocks(p.blocks)]
    odd = [(part, b.label) for part, b in blocks if isinstance(b, Item) and not LABEL.fullmatch(b.label)]
    assert odd == []
    numbered = [inline_text(b.runs)[:6] for _, b in blocks if isinstance(b, Paragraph)]
    assert [t for t in numbered if OPENS_WITH_NUMBER.match(t) and not t.split(".")[0].isdigit()] == []
    assert all("．" not in part_text(p) for p in document.parts)
