"""The reference contract's own sentences stay verbatim (blanks filled): every sentence of the seed text is in the
rendered contract — the document tree, the DOCX's text and the PDF's text layer — or is one of the few listed as
completed (garbled in the reference) with the reason.

tests/data/reference/customer-service.yaml lists the sentences; the first test proves the list is the whole seed,
in order, so a sentence cannot be dropped from the check by leaving it out of the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from render_helpers import SAMPLES, docx_text, pdf_page_bodies

from contractgen.document import load_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.tree import part_text
from contractgen.writers.rendering import template_folder

DATA = Path(__file__).parents[1] / "data" / "reference"
SEED = (DATA / "seed-contract.txt").read_text(encoding="utf-8").strip()
ENTRIES: list[dict[str, str]] = yaml.safe_load((DATA / "customer-service.yaml").read_text(encoding="utf-8"))[
    "sentences"
]
#: ASCII punctuation of the seed, as a Chinese contract writes it.
FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
#: Clause numbers, article numbers and list labels: layout, not wording.
LABEL = re.compile(r"第[一二三四五六七八九十]+条|\d\.\d|（\d）|[一二三四五]、|(?<![\d.])\d{1,2}\.(?!\d)")
#: The sample whose options are the reference's own: two companies, paying by year, the term from signing (other
#: samples choose other options, whose sentences take the place of the reference's by design: 乙方（签字并捺印）
#: for a natural person, a lump sum instead of 按年度 — test_party_kinds.py lists them for the person sample).
SAMPLE = "customer-service.yaml"
#: A blank before % is a rate, which the contract writes in words with the figures after it: 百分之二十（20%）.
RATE_BLANK = r"(?:[^。]*?（[0-9.]+%）|[0-9.]+%)"


def _pattern(entry: dict[str, str]) -> re.Pattern[str]:
    if "as" in entry:
        return re.compile(entry["as"])
    pattern = re.escape(entry["text"]).replace(re.escape("____") + "%", RATE_BLANK)
    return re.compile(re.sub(r"(?:_)+", ".*?", pattern))


def test_the_list_is_the_whole_seed_in_order() -> None:
    seed = LABEL.sub("", SEED.translate(FULL_WIDTH))
    position = 0
    for entry in ENTRIES:
        text = entry["text"]
        assert seed.startswith(text, position), f"{text!r} is not next in the seed: …{seed[position : position + 40]}…"
        position += len(text)
        if seed.startswith("：", position):  # the colon after a section title (一、附件列表：)
            position += 1
    assert position == len(seed), f"the list stops before the seed's end: …{seed[position : position + 40]}…"


def test_every_deviation_says_why() -> None:
    for entry in ENTRIES:
        assert ("as" in entry) == bool(entry.get("why")), entry


def _tree_text() -> str:
    contract, _warnings = load_contract(SAMPLES / SAMPLE)
    folder = template_folder(contract.type)
    document = compose(folder, build_context(contract, folder.parts, folder.title))
    return "".join(part_text(p) for p in document.parts if p.kind != "annex")


@pytest.fixture(scope="module", params=["tree", "docx", "pdf"])
def contract_text(request: pytest.FixtureRequest) -> str:
    """The text of the agreement (the annexes start at 附件一's heading) as each output gives it, spaces removed."""
    if request.param == "tree":
        text = _tree_text()
    elif request.param == "docx":
        text = docx_text(request.getfixturevalue("sample_docx"))
    else:
        text = "".join(pdf_page_bodies(request.getfixturevalue("sample_pdf")))
    text = re.sub(r"\s+", "", text)
    return text if request.param == "tree" else text[: text.index("附件一：客户服务管理制度")]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["text"][:16] for e in ENTRIES])
def test_each_reference_sentence_is_in_the_contract(entry: dict[str, str], contract_text: str) -> None:
    pattern = _pattern(entry)
    assert pattern.search(contract_text), f"not in the rendered contract: {pattern.pattern}"
