"""The DOCX writer: content, house styles, page furniture, layout controls, hygiene, reproducibility."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from render_helpers import ROOT, W_NS, assert_in_order, docx_blocks, docx_text, filled_values, headings, normalise

from contractgen.document.tree import (
    Blank,
    Bold,
    Box,
    Document,
    NoBreak,
    Paragraph,
    Part,
    Text,
)
from contractgen.writers.docx import body_xml, write_docx
from contractgen.writers.fonts import FontSet

HOUSE = ROOT / "templates" / "zh" / "house.docx"
W = W_NS


def xml_part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name), etree.XMLParser(recover=False, resolve_entities=False))


# --- content ----------------------------------------------------------------------------------------------


def test_every_heading_appears_in_order(sample_docx: bytes, sample_document: Any) -> None:
    expected = headings(sample_document)
    assert "第一条 客户服务管理内容" in expected
    assert "第七条 其他约定" in expected
    assert_in_order(docx_text(sample_docx), expected)


def test_every_filled_blank_appears(sample_docx: bytes, sample_context: dict[str, Any]) -> None:
    text = docx_text(sample_docx)
    for value in filled_values(sample_context):
        assert normalise(value) in text, value
    assert "人民币叁拾陆万元整（¥360,000.00）" in text
    assert "本合同一式两份，甲乙双方各执一份。各份具有同等法律效力。" in text
    assert "违约金为合同金额的百分之二十（20%）。违约金金额为人民币柒万贰仟元整（¥72,000.00）。" in text
    assert "前述比例按日计算：每逾期一日，逾期违约金为人民币壹佰捌拾元整（¥180.00）。" in text
    assert "甲方按年度向乙方支付。每年度支付人民币壹拾贰万元整（¥120,000.00）。" in text


def test_all_nine_annex_titles_appear_as_annex_headings(sample_docx: bytes, sample_context: dict[str, Any]) -> None:
    body = xml_part(sample_docx, "word/document.xml").find(f"{W}body")
    titles = [
        "".join(p.itertext())
        for p in body.findall(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "AnnexTitle"
    ]
    assert titles == [f"附件{a.number_cn}：{a.title}" for a in sample_context["annexes"]]
    assert len(titles) == 9
    assert all(t in docx_blocks(sample_docx) for t in titles)


# --- styles -----------------------------------------------------------------------------------------------


def test_styles_name_east_asian_fonts_without_theme_fonts(sample_docx: bytes) -> None:
    styles = xml_part(sample_docx, "word/styles.xml")
    fonts = styles.findall(f".//{W}rFonts")
    assert fonts
    assert all(f.get(f"{W}eastAsia") for f in fonts)
    assert {f.get(f"{W}eastAsia") for f in fonts} == {"Noto Serif CJK SC", "Noto Sans CJK SC"}
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                assert b"Theme=" not in archive.read(name), name
        assert "word/theme/theme1.xml" not in archive.namelist()
    lang = styles.find(f"{W}docDefaults//{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def style(styles: Any, style_id: str) -> Any:
    return styles.find(f"{W}style[@{W}styleId='{style_id}']")


def test_body_text_is_12pt_on_exact_lines_with_a_two_character_indent(sample_docx: bytes) -> None:
    styles = xml_part(sample_docx, "word/styles.xml")
    normal = style(styles, "Normal")
    spacing = normal.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("440", "exact")
    assert normal.find(f"{W}rPr/{W}sz").get(f"{W}val") == "24"
    assert style(styles, "BodyText").find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "200"
    title = style(styles, "Title")
    assert title.find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    assert title.find(f"{W}rPr/{W}b") is not None
    assert title.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "Noto Sans CJK SC"
    assert style(styles, "Heading1").find(f"{W}rPr/{W}b") is not None


def test_configured_fonts_replace_the_house_faces(sample_document: Any, sample_context: dict[str, Any]) -> None:
    data = write_docx(
        sample_document,
        house=HOUSE,
        context=sample_context,
        when=datetime(2026, 11, 24),
        fonts=FontSet("FangSong_GB2312", "SimHei"),
    )
    fonts = {f.get(f"{W}eastAsia") for f in xml_part(data, "word/styles.xml").iter(f"{W}rFonts")}
    assert fonts == {"FangSong_GB2312", "SimHei"}


# --- page furniture and layout ----------------------------------------------------------------------------


def test_a4_page_header_with_the_contract_number_and_page_fields_in_the_footer(sample_docx: bytes) -> None:
    document = xml_part(sample_docx, "word/document.xml")
    sections = list(document.iter(f"{W}sectPr"))  # the first section's properties come first
    for section in sections:
        size = section.find(f"{W}pgSz")
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    titles = [section.find(f"{W}titlePg") is not None for section in sections]
    assert titles == [True, False, False]  # the first page shows 合同编号 in its body instead
    header = xml_part(sample_docx, "word/header1.xml")
    assert "".join(header.itertext()) == "合同编号：KF-2026-0001"
    footer = xml_part(sample_docx, "word/footer1.xml")
    assert [t.strip() for t in footer.itertext() if t.strip() and t.strip() != "1"] == [
        "第",
        "PAGE",
        "页 共",
        "NUMPAGES",
        "页",
    ]


def test_every_part_starts_on_a_new_page(sample_docx: bytes, sample_document: Any) -> None:
    body = xml_part(sample_docx, "word/document.xml").find(f"{W}body")
    breaks = body.findall(f".//{W}pageBreakBefore")
    explicit = sum(1 for part in sample_document.parts for b in part.blocks if type(b).__name__ == "PageBreak")
    section_breaks = len(body.findall(f".//{W}pPr/{W}sectPr"))  # a section break starts a new page itself
    assert section_breaks == 2  # into 附件五 (standalone) and out of it
    assert len(breaks) == len(sample_document.parts) - 1 - section_breaks + explicit
    paragraphs = body.findall(f"{W}p")
    starts = [
        "".join(p.itertext())
        for n, p in enumerate(paragraphs)
        if p.find(f"{W}pPr/{W}pageBreakBefore") is not None
        or (n > 0 and paragraphs[n - 1].find(f"{W}pPr/{W}sectPr") is not None)
    ]
    for n in "一二三四五六七八九":
        assert any(s.startswith(f"附件{n}：") for s in starts), n


def test_the_survey_handed_to_end_customers_prints_without_header_and_footer(sample_docx: bytes) -> None:
    import docx

    sections = docx.Document(io.BytesIO(sample_docx)).sections
    assert len(sections) == 3  # the contract and 附件一–四, 附件五, 附件六–九
    texts = [
        ("".join(p.text for p in s.header.paragraphs), "".join(p.text for p in s.footer.paragraphs)) for s in sections
    ]
    assert texts[1] == ("", "")
    assert not sections[1].header.is_linked_to_previous
    assert not sections[1].footer.is_linked_to_previous
    for n in (0, 2):
        assert texts[n][0] == "合同编号：KF-2026-0001"
        assert texts[n][1].startswith("第")


def test_table_rows_never_split_and_header_rows_repeat(sample_docx: bytes) -> None:
    body = xml_part(sample_docx, "word/document.xml").find(f"{W}body")
    rows = body.findall(f".//{W}tbl/{W}tr")
    assert len(rows) > 100
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    headers = [row for row in rows if row.find(f"{W}trPr/{W}tblHeader") is not None]
    assert len(headers) >= 10
    assert all(row.find(f"{W}tc/{W}p/{W}pPr/{W}pStyle").get(f"{W}val") == "TableHeading" for row in headers)


def test_the_signature_block_is_kept_with_the_end_of_the_text(sample_docx: bytes) -> None:
    body = xml_part(sample_docx, "word/document.xml").find(f"{W}body")
    signature = next(t for t in body.findall(f"{W}tbl") if "甲方（盖章）" in "".join(t.itertext()))
    before = signature.getprevious()
    while "".join(before.itertext()) == "":  # the spacer
        assert before.find(f"{W}pPr/{W}keepNext") is not None
        before = before.getprevious()
    assert "".join(before.itertext()) == "（以下无正文）"
    assert before.find(f"{W}pPr/{W}keepNext") is not None
    last = before.getprevious()  # the last item of 五、所有应用场景, on the signature page too
    assert "".join(last.itertext()).startswith("14.")
    assert last.find(f"{W}pPr/{W}keepNext") is not None
    for paragraph in signature.iter(f"{W}p"):
        assert paragraph.find(f"{W}pPr/{W}keepNext") is not None


def test_unbreakable_text_is_written_as_it_reads(sample_docx: bytes) -> None:
    # No word joiner, no no-break hyphen: Word's Find, copied text and LibreOffice's text all see the text as written.
    body = xml_part(sample_docx, "word/document.xml").find(f"{W}body")
    first = body.findall(f"{W}p")[1]  # 合同编号 under the title
    assert first.find(f".//{W}noBreakHyphen") is None
    assert "".join(t.text for t in first.iter(f"{W}t")) == "合同编号：KF-2026-0001"
    runs_text = ["".join(t.text for t in r.iter(f"{W}t")) for r in body.iter(f"{W}r")]
    assert "¥360,000.00" in "".join(runs_text)
    assert any("人民币叁拾陆万元整" in text for text in runs_text)
    assert not any("\u2060" in text for text in runs_text)


def _runs_of(*runs: Any) -> list[tuple[str, bool, bool]]:
    """(text, bold, underline) of each w:r written for one paragraph of ``runs``."""
    document = Document("t", "T-1", (Part("p", "contract", "t", (Paragraph(tuple(runs)),)),))
    body = etree.fromstring(body_xml(document).encode())
    return [
        (
            "".join(t.text for t in r.iter(f"{W}t")),
            r.find(f"{W}rPr/{W}b") is not None,
            r.find(f"{W}rPr/{W}u") is not None,
        )
        for r in body.iter(f"{W}r")
    ]


def test_nobr_holds_across_inline_elements() -> None:
    # ☐其他：____ — a box, text and a blank in one <nobr>: runs of one format merge into one run.
    runs = _runs_of(Text("甲"), NoBreak((Box(), Text("其他："), Blank(2))), Text("乙"))
    assert runs == [
        ("甲", False, False),
        ("□其他：", False, False),
        ("\u3000\u3000", False, True),
        ("乙", False, False),
    ]


def test_nobr_keeps_its_spaces_unbreakable_and_adds_nothing_else() -> None:
    runs = _runs_of(NoBreak((Bold((Text("人民币"),)), Text("壹元整 ¥1.00"))))
    assert runs == [("人民币", True, False), ("壹元整\u00a0¥1.00", False, False)]


def test_the_check_boxes_of_annex_four_hold_together(sample_docx: bytes) -> None:
    body = xml_part(sample_docx, "word/document.xml").find(f"{W}body")
    texts = ["".join(t.text for t in r.iter(f"{W}t")) for r in body.iter(f"{W}r")]
    assert "□其他：" in texts


# --- hygiene and reproducibility --------------------------------------------------------------------------


def test_every_part_reparses_strictly(sample_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name), etree.XMLParser(recover=False, resolve_entities=False))


def test_zip_entries_and_properties_carry_the_signing_date(sample_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 24, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    core = xml_part(sample_docx, "docProps/core.xml")
    dates = {el.tag.split("}")[1]: el.text for el in core if el.tag.endswith(("created", "modified"))}
    assert dates == {"created": "2026-11-24T00:00:00Z", "modified": "2026-11-24T00:00:00Z"}
    texts = {el.tag.split("}")[1]: el.text for el in core}
    assert texts["title"] == "客户服务管理合同"
    assert texts["identifier"] == "KF-2026-0001"


def test_the_same_document_gives_the_same_bytes(sample_document: Any, sample_context: dict[str, Any]) -> None:
    first = write_docx(sample_document, house=HOUSE, context=sample_context, when=datetime(2026, 11, 24))
    second = write_docx(sample_document, house=HOUSE, context=sample_context, when=datetime(2026, 11, 24))
    assert first == second


def test_python_docx_reopens_it(sample_docx: bytes) -> None:
    import docx

    document = docx.Document(io.BytesIO(sample_docx))
    assert len(document.tables) > 20
    assert document.core_properties.created == datetime(2026, 11, 24, tzinfo=UTC)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_and_lays_it_out(sample_docx: bytes, tmp_path: Path) -> None:
    source = tmp_path / "contract.docx"
    source.write_bytes(sample_docx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    from pypdf import PdfReader

    pages = PdfReader(tmp_path / "contract.pdf").pages
    assert len(pages) > 20
    last = pages[-1].extract_text()
    assert f"第 {len(pages)} 页 共 {len(pages)} 页".replace(" ", "") in last.replace(" ", "")
