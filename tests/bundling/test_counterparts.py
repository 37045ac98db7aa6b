"""Counterparts: the marker on every page, nothing else changed, the same bytes every time."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from contractgen.bundling.counterparts import Copy, content_digest, holders, make_counterpart

#: The roles customer-service declares in its parts.yaml, in signing order.
TWO = ("甲方", "乙方")


@pytest.mark.parametrize(
    ("copies", "expected"),
    [
        (1, ["甲方执"]),
        (2, ["甲方执", "乙方执"]),
        (3, ["甲方执", "乙方执", "甲方执"]),  # 本合同一式三份，甲方执两份，乙方执一份
        (4, ["甲方执", "乙方执", "甲方执", "乙方执"]),
    ],
)
def test_holders_follow_the_copies_clause(copies: int, expected: list[str]) -> None:
    assert [copy.holder for copy in holders(copies, TWO)] == expected
    assert [copy.number for copy in holders(copies, TWO)] == list(range(1, copies + 1))


@pytest.mark.parametrize(
    ("copies", "expected"),
    [
        (3, ["出借人执", "借款人执", "保证人执"]),  # 一式三份 among three parties: one each
        (4, ["出借人执", "借款人执", "保证人执", "出借人执"]),
    ],
)
def test_holders_take_the_parties_roles_in_turn(copies: int, expected: list[str]) -> None:
    assert [copy.holder for copy in holders(copies, ("出借人", "借款人", "保证人"))] == expected


def test_holders_need_a_party() -> None:
    with pytest.raises(ValueError, match="at least one party"):
        holders(2, ())


def test_holders_need_a_copy() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        holders(0, TWO)


@pytest.mark.parametrize("copy", [Copy(1, "甲方执"), Copy(2, "乙方执")])
def test_marker_is_on_every_page_and_content_is_unchanged(small_pdf: bytes, copy: Copy) -> None:
    marked = PdfReader(io.BytesIO(make_counterpart(small_pdf, copy)))
    base = PdfReader(io.BytesIO(small_pdf))
    assert len(marked.pages) == len(base.pages) == 2
    for marked_page, base_page in zip(marked.pages, base.pages, strict=True):
        text = marked_page.extract_text()
        assert f"正本 · {copy.holder}" in text
        assert text.replace(f"正本 · {copy.holder}", "").split() == base_page.extract_text().split()
    assert content_digest(marked) == content_digest(base)


def test_only_the_right_marker(small_pdf: bytes) -> None:
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(make_counterpart(small_pdf, Copy(2, "乙方执")))).pages
    )
    assert "乙方执" in text
    assert "甲方执" not in text


def test_counterparts_are_deterministic_and_distinct(small_pdf: bytes) -> None:
    first = make_counterpart(small_pdf, Copy(1, "甲方执"))
    assert make_counterpart(small_pdf, Copy(1, "甲方执")) == first
    assert make_counterpart(small_pdf, Copy(2, "乙方执")) != first


def test_marker_face_is_embedded(small_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(make_counterpart(small_pdf, Copy(1, "甲方执"))))
    fonts = set()
    for page in reader.pages:
        form = page["/Resources"]["/XObject"]["/CgCounterpartMarker"]
        for font in form["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"Noto-Sans-CJK-SC"}


def test_with_more_than_two_copies_each_says_which_it_is() -> None:
    markers = [copy.marker for copy in holders(4, TWO)]
    assert markers == [
        "正本 第1份 共4份 · 甲方执",
        "正本 第2份 共4份 · 乙方执",
        "正本 第3份 共4份 · 甲方执",
        "正本 第4份 共4份 · 乙方执",
    ]
    assert len(set(markers)) == 4
    assert [copy.marker for copy in holders(2, TWO)] == ["正本 · 甲方执", "正本 · 乙方执"]


def test_a_long_marker_is_drawn_whole(small_pdf: bytes) -> None:
    from pypdf import PdfReader

    [_, _, third, _] = holders(4, TWO)
    reader = PdfReader(io.BytesIO(make_counterpart(small_pdf, third)))
    text = reader.pages[0].extract_text()
    assert "正本 第3份 共4份 · 甲方执".replace(" ", "") in text.replace(" ", "")
