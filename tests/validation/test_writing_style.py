"""Writing style: the address-spacing warning gives the usual form, and rendering still prints the spec's text.

The warning's cases are in the corpus (tests/data/specs/valid/warning-address-spacing.yaml); here the suggestion's
properties, and the promise that a warning never rewrites what the parties wrote.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st
from render_helpers import sample_contract

from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.tree import part_text
from contractgen.validation.writing_style import usual_spacing
from contractgen.writers.rendering import template_folder

PIECES = st.lists(
    st.sampled_from(["张江路", "88", "号", "5", "楼", "A", "座", " ", "\u3000", "Room", "-"]), max_size=12
)


@given(PIECES)
def test_the_usual_form_only_drops_spaces_and_is_stable(pieces: list[str]) -> None:
    text = "".join(pieces)
    usual = usual_spacing(text)
    assert usual.replace(" ", "").replace("\u3000", "") == text.replace(" ", "").replace("\u3000", "")
    assert usual_spacing(usual) == usual


def test_the_known_cases() -> None:
    assert usual_spacing("上海市浦东新区张江路 88 号 5 楼") == "上海市浦东新区张江路88号5楼"
    assert usual_spacing("文三路\u3000398号A 座") == "文三路398号A座"
    assert usual_spacing("Room 1203, Tower 2") == "Room 1203, Tower 2"  # spaces between Latin words stay


def test_rendering_prints_the_address_as_the_spec_writes_it() -> None:
    contract = sample_contract()
    spaced = dataclasses.replace(contract.party_a, address="上海市浦东新区张江路 88 号 5 楼")
    contract = dataclasses.replace(contract, party_a=spaced)
    folder = template_folder(contract.type)
    document = compose(folder, build_context(contract, folder.parts, folder.title))
    assert "住所：上海市浦东新区张江路 88 号 5 楼" in part_text(document.parts[0])
