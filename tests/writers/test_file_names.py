"""file_names: contract numbers as file-name stems — one-to-one, readable, safe on every common file system."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen.errors import InputError, OutputError
from contractgen.writers.file_names import MAX_NAME_BYTES, file_stem, safe_name, text_of_stem


@pytest.mark.parametrize(
    ("contract_no", "stem"),
    [
        ("KF-2026-0001", "KF-2026-0001"),
        ("沪服〔2026〕第12号", "沪服〔2026〕第12号"),
        ("KF-2026（1）", "KF-2026（1）"),
        ("KF-2026(1)", "KF-2026%281%29"),
        ("KF_2026_1_", "KF_2026_1_"),
        ("../../etc/passwd", "%2E.%2F..%2Fetc%2Fpasswd"),
        ("a/b\\c:d*e?f", "a%2Fb%5Cc%3Ad%2Ae%3Ff"),
        (".hidden", "%2Ehidden"),
        ("-rf", "%2Drf"),
        ("KF 2026 0001", "KF%202026%200001"),
        ("合同。", "合同%E3%80%82"),
        ("trailing.", "trailing%2E"),
        ("50%", "50%25"),
        ("CON", "%43ON"),
        ("nul.tar", "%6Eul.tar"),
        ("\uf900", "%EF%A4%80"),  # a CJK compatibility ideograph: macOS stores it as U+8C48
        ("12345", "12345"),
    ],
)
def test_file_stem(contract_no: str, stem: str) -> None:
    assert file_stem(contract_no) == stem
    assert text_of_stem(stem) == contract_no
    assert safe_name(f"{stem}.pdf") == f"{stem}.pdf"


def test_the_two_numbers_that_once_shared_a_file_do_not() -> None:
    assert file_stem("KF-2026（1）") != file_stem("KF-2026(1)")


def test_an_empty_or_overlong_number_is_refused() -> None:
    with pytest.raises(InputError):
        file_stem("")
    with pytest.raises(InputError, match="太长"):
        file_stem("(" * 60)


@pytest.mark.parametrize("name", ["../x.pdf", "a/b.pdf", ".x.pdf", "..", "CON.pdf", "x y.pdf", "", "-x.pdf", "%zz.pdf"])
def test_safe_name_refuses_anything_but_a_plain_name(name: str) -> None:
    with pytest.raises(OutputError):
        safe_name(name)


# Any text a spec can hold, weighted towards what breaks names: ASCII punctuation, CJK, full-width forms.
TEXT = st.text(
    st.one_of(
        st.sampled_from("()（）〔〕_-.%/\\: 。，、?*<>|\"'"),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E20),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFF20),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=40,
)


@given(TEXT, TEXT)
def test_distinct_contract_numbers_never_share_a_file_name(a: str, b: str) -> None:
    try:
        stem_a, stem_b = file_stem(a), file_stem(b)
    except InputError:  # too long to be a file name: refused, never truncated into a collision
        return
    assert (stem_a == stem_b) == (a == b)


@given(TEXT)
def test_every_stem_is_a_safe_name_and_decodes_to_its_text(text: str) -> None:
    try:
        stem = file_stem(text)
    except InputError:
        return
    assert text_of_stem(stem) == text
    name = safe_name(f"{stem}-09-{file_stem('附件九-业务数据和相关信息传递记录')}.docx")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert "/" not in stem
    assert "\\" not in stem
    assert not stem.startswith((".", "-"))
