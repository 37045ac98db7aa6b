"""The PDF writer: content in order, page tops and furniture, embedded fonts, locked fetching, strictness."""

from __future__ import annotations

import dataclasses
import functools
import gc
import io
import re
import shutil
import subprocess
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from render_helpers import (
    FOOTER,
    PART_COUNT,
    ROOT,
    SAMPLES,
    assert_in_order,
    docx_page_starts,
    filled_values,
    headings,
    normalise,
    pdf_furniture,
    sample_pdf,
    without_change,
)

from contractgen.document.tree import (
    Document,
    NoBreak,
    Paragraph,
    Part,
    Table,
    Text,
    inline_text,
    iter_blocks,
    part_text,
)
from contractgen.errors import FontError, RenderError
from contractgen.writers import pdf
from contractgen.writers.fonts import FontSet, resolve
from contractgen.writers.html import to_html
from contractgen.writers.pdf import embedded_fonts, write_pdf

pytestmark = pytest.mark.slow

LANGUAGE_FOLDER = ROOT / "templates" / "zh"
STYLESHEET = LANGUAGE_FOLDER / "print.css"


def tiny(text: str) -> Document:
    return Document("测试", "T-1", (Part("p", "contract", "测试", (Paragraph((Text(text),)),)),))


def pdf_of(document: Document, stylesheet: Path = STYLESHEET, roots: tuple[Path, ...] = (LANGUAGE_FOLDER,)) -> bytes:
    return write_pdf(document, stylesheet=stylesheet, asset_roots=roots, fonts=resolve(), when=datetime(2026, 1, 1))


# --- content ----------------------------------------------------------------------------------------------


def test_every_heading_and_filled_blank_appears_in_order(
    pdf_bodies: list[str], sample_document: Any, sample_context: dict[str, Any]
) -> None:
    text = "".join(pdf_bodies)
    assert_in_order(text, headings(sample_document))
    contract_text = normalise(part_text(sample_document.parts[0]))
    values = sorted(filled_values(sample_context), key=lambda v: contract_text.index(normalise(v)))
    assert_in_order(text, values)


def test_the_fee_in_words_is_to_capital_of_the_total(pdf_bodies: list[str], loaded_sample: Any) -> None:
    from contractgen.numerals import to_capital

    assert to_capital(loaded_sample.fee.total) == "叁拾陆万元整"
    assert "人民币叁拾陆万元整（¥360,000.00）" in "".join(pdf_bodies)


def test_each_annex_starts_at_the_top_of_a_page(pdf_bodies: list[str], sample_context: dict[str, Any]) -> None:
    signed = next(n for n, body in enumerate(pdf_bodies) if "甲方（盖章）" in body)
    for annex in sample_context["annexes"]:  # after the signature page (the annex list names them all above it)
        title = normalise(f"附件{annex.number_cn}：{annex.title}")
        assert sum(1 for body in pdf_bodies[signed + 1 :] if body.startswith(title)) == 1, title


def test_footers_count_every_page_and_the_header_carries_the_contract_number(
    sample_pdf: bytes, pdf_bodies: list[str]
) -> None:
    furniture = pdf_furniture(sample_pdf)
    total = len(furniture)
    assert total > 20
    survey = [n for n, body in enumerate(pdf_bodies, 1) if n in _standalone_pages(pdf_bodies)]
    assert len(survey) == 2  # 附件五, handed to end customers: no header, no footer
    for number, text in enumerate(furniture, 1):
        if number in survey:
            assert text == "", text
            continue
        footer = FOOTER.search(text)
        assert footer is not None, text
        assert footer.groups() == (str(number), str(total)), text
        has_header = "合同编号：KF-2026-0001" in text
        assert has_header == (number > 1), text  # page 1 shows it in the body, under the title


def _standalone_pages(pdf_bodies: list[str]) -> set[int]:
    """The pages of 附件五 (standalone: true in parts.yaml): from its title to the page before 附件六's."""
    first = next(n for n, body in enumerate(pdf_bodies, 1) if body.startswith("附件五：客户满意度调查问卷"))
    after = next(n for n, body in enumerate(pdf_bodies, 1) if body.startswith("附件六："))
    return set(range(first, after))


def test_the_signature_block_shares_its_page_with_the_end_of_the_text(pdf_bodies: list[str]) -> None:
    page = next(body for body in pdf_bodies if "甲方（盖章）" in body)
    assert "14.双方在履行本合同过程中发生争议" in page  # the last item of 五、所有应用场景
    assert page.index("14.") < page.index("（以下无正文）") < page.index("甲方（盖章）")


def test_no_line_of_the_sample_holds_a_single_character(sample_pdf: bytes, tmp_path: Path) -> None:
    (tmp_path / "sample.pdf").write_bytes(sample_pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "sample.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    lone = [line.strip() for line in text.splitlines() if LONE_CHARACTER.fullmatch(line.strip())]
    assert lone == []  # before the rule the sample had nine, "务。" and "准。" among them
    assert "\u2060" not in text  # the joiners bind lines, they are not text


LONE_CHARACTER = re.compile(r"[\u4e00-\u9fff][。；：，、）”]+")


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        ((Text("合法合规开展业务。"),), "合法合规开展业\u2060务。"),
        ((Text("见附件八《服务费用支付凭证》"),), "见附件八《服务费用支付凭\u2060证》"),
        ((Text("甲方"),), "甲\u2060方"),  # a two-character cell stays whole in a narrow column
        ((Text("金额为"), NoBreak((Text("人民币壹佰元整"),)), Text("。")), None),  # ends in an unbreakable run
        ((Text("支付至 account"),), None),  # ends in Latin text
    ],
)
def test_a_paragraph_keeps_its_last_two_ideographs_together(runs: tuple[Any, ...], expected: str | None) -> None:
    html = to_html(Document("测试", "T-1", (Part("p", "contract", "测试", (Paragraph(runs),)),)))
    if expected is None:
        assert "\u2060" not in html
    else:
        assert f">{expected}</p>" in html


def test_metadata_comes_from_the_spec(sample_pdf: bytes) -> None:
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert info["/Title"] == "客户服务管理合同"
    assert info["/CreationDate"] == "D:20261124000000Z"


def test_size_stays_under_one_megabyte(sample_pdf: bytes) -> None:
    assert len(sample_pdf) < 1_000_000


# --- parity -----------------------------------------------------------------------------------------------


def split_parts(texts: list[tuple[str, bool]], starts: list[str]) -> list[str]:
    """Texts (normalised; True where one begins a page) grouped into parts: each part begins a page."""
    parts: list[str] = []
    pending = list(starts)
    for n, (text, page_top) in enumerate(texts):
        if pending and (page_top or n == 0) and text.startswith(pending[0]):
            parts.append("")
            pending.pop(0)
        parts[-1] += text
    assert not pending, pending
    return parts


def without_repeated_table_headers(pages: list[str], document: Document) -> list[str]:
    """Pages less the table header rows WeasyPrint repeats at the top of a page a table runs onto."""
    headers = {
        normalise("".join(inline_text(cell.runs) for cell in row.cells))
        for part in document.parts
        for block in iter_blocks(part.blocks)
        if isinstance(block, Table)
        for row in block.rows
        if row.header
    }
    out = pages[:1]
    for previous, page in pairwise(pages):
        repeated = next((h for h in headers if page.startswith(h) and h in previous), "")
        out.append(page[len(repeated) :])
    return out


def test_docx_and_pdf_say_the_same_thing_part_by_part(
    sample_docx: bytes, pdf_bodies: list[str], sample_document: Any
) -> None:
    starts = [normalise(part_text(part).split("\n")[0]) for part in sample_document.parts]
    docx_parts = split_parts(docx_page_starts(sample_docx), starts)
    pages = without_repeated_table_headers(pdf_bodies, sample_document)
    pdf_parts = split_parts([(page, True) for page in pages], starts)
    assert len(docx_parts) == len(pdf_parts) == PART_COUNT
    for n, (from_docx, from_pdf) in enumerate(zip(docx_parts, pdf_parts, strict=True)):
        assert from_docx == from_pdf, f"part {n}: {sample_document.parts[n].id}"
        assert from_docx == normalise(part_text(sample_document.parts[n]))


# --- fonts ------------------------------------------------------------------------------------------------


def test_embedded_fonts_are_subsets_of_the_configured_cjk_faces(sample_pdf: bytes) -> None:
    fonts = embedded_fonts(sample_pdf)
    names = {name.split("+", 1)[1] for name, _ in fonts}
    assert names == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC-Bold"}
    assert all(embedded and name[6] == "+" for name, embedded in fonts)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_pdffonts_agrees(sample_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "c.pdf"
    path.write_bytes(sample_pdf)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    rows = [line.split() for line in lines[2:]]
    assert rows
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)
    assert all("CJK-SC" in row[0] for row in rows)


def test_a_character_the_face_lacks_is_a_font_error_not_tofu() -> None:
    with pytest.raises(FontError, match="U\\+2610"):
        pdf_of(tiny("请勾选☐"))


def test_the_checks_that_read_the_pdf_back_run_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    # They read the PDF while its layout is still alive: a full collection there walked all of it (55 ms of a
    # cold command). The collector is on again afterwards.
    from contractgen.document import load_contract
    from contractgen.writers import page_positions, pdf, rendering

    seen: list[tuple[str, bool]] = []

    def watched(name: str, check: Any) -> Any:
        def run(*args: Any) -> Any:
            seen.append((name, gc.isenabled()))
            return check(*args)

        return run

    monkeypatch.setattr(pdf, "check_embedded", watched("fonts", pdf.check_embedded))
    monkeypatch.setattr(page_positions, "check_keywords", watched("keywords", page_positions.check_keywords))
    contract, _ = load_contract(ROOT / "samples" / "loan.yaml")
    assert gc.isenabled()
    rendering.render_documents(contract, formats=["pdf"])
    assert seen == [("fonts", False), ("keywords", False)]
    assert gc.isenabled()


def test_a_configured_family_that_is_missing_is_a_font_error() -> None:
    with pytest.raises(FontError, match="fonts-noto-cjk"):
        resolve(FontSet(serif="Nonexistent Song"))


def test_another_installed_family_can_be_configured() -> None:
    fonts = resolve(FontSet(serif="Noto Sans CJK SC", sans="Noto Serif CJK SC"))
    data = write_pdf(
        tiny("甲方"),
        stylesheet=STYLESHEET,
        asset_roots=(LANGUAGE_FOLDER,),
        fonts=fonts,
        when=datetime(2026, 1, 1),
    )
    assert {name.split("+")[1] for name, _ in embedded_fonts(data)} == {"Noto-Sans-CJK-SC"}


# --- strictness -------------------------------------------------------------------------------------------


def stylesheet_with(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "print.css"
    path.write_text(STYLESHEET.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "http://127.0.0.1:9/x.png",
        "../../../../etc/passwd.css",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_resources_outside_the_template_folder_are_refused(tmp_path: Path, url: str) -> None:
    sheet = stylesheet_with(tmp_path, f'\nbody {{ background: url("{url}"); }}\n')
    with pytest.raises(RenderError, match="不允许的资源"):
        pdf_of(tiny("甲方"), sheet, (tmp_path,))


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text("p { color: red; }", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.css").symlink_to(outside / "secret.css")
    sheet = folder / "print.css"
    sheet.write_text('@import url("link.css");\n' + STYLESHEET.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RenderError, match="不允许的资源"):
        pdf_of(tiny("甲方"), sheet, (folder,))


def test_an_asset_inside_the_template_folder_is_served(tmp_path: Path) -> None:
    (tmp_path / "extra.css").write_text("p { color: #333; }", encoding="utf-8")
    sheet = tmp_path / "print.css"
    sheet.write_text('@import url("extra.css");\n' + STYLESHEET.read_text(encoding="utf-8"), encoding="utf-8")
    assert pdf_of(tiny("甲方"), sheet, (tmp_path,)).startswith(b"%PDF")


def test_a_weasyprint_warning_fails_the_render(tmp_path: Path) -> None:
    sheet = stylesheet_with(tmp_path, "\np { no-such-property: 1; }\n")
    with pytest.raises(RenderError, match="no-such-property"):
        pdf_of(tiny("甲方"), sheet, (tmp_path,))


def test_spec_text_never_reaches_attributes_or_css() -> None:
    hostile = '"><style>@import url(file:///etc/passwd)</style><img src="x'
    html = to_html(dataclasses.replace(tiny(hostile), contract_no=hostile, title=hostile))
    assert "<style>" not in html
    assert "<img" not in html
    assert html.count("&quot;&gt;&lt;style&gt;") == 3  # title, running header, paragraph: nowhere else


# --- the garbage collector --------------------------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_the_caller_had_it(enabled: bool) -> None:
    import gc

    (gc.enable if enabled else gc.disable)()
    try:
        pdf_of(tiny("甲方"))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_a_failed_render_turns_the_collector_back_on(tmp_path: Path) -> None:
    import gc

    sheet = stylesheet_with(tmp_path, "\np { no-such-property: 1; }\n")
    with pytest.raises(RenderError):
        pdf_of(tiny("甲方"), sheet, (tmp_path,))
    assert gc.isenabled()


@functools.cache
def _with_every_change(spec: Path) -> bytes:
    return sample_pdf(spec)


@pytest.mark.slow
@pytest.mark.parametrize("change", pdf._FASTER, ids=lambda change: change.__name__)
@pytest.mark.parametrize("spec", sorted(SAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_sample_is_the_same_bytes_without_each_faster_way_with_weasyprint(
    spec: Path, change: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each change to WeasyPrint 70's internals (kept layouts, backgrounds per style, lengths per style, glyphs in
    # bulk, face data when read) must leave every byte as WeasyPrint's own code makes it.
    changed = _with_every_change(spec)
    without_change(monkeypatch, change)
    assert sample_pdf(spec) == changed
