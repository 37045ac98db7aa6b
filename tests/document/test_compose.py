"""compose: the markup of docs/templates.md parsed into the document tree; Jinja sandboxed and escaping."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest
from customer_service_model import Contract
from render_helpers import FIXTURE_TEMPLATES, sample_contract, with_party_a_name

from contractgen.document import budget
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.markup import parse_part
from contractgen.document.templates import TemplateFolder, render_template
from contractgen.document.tree import (
    Blank,
    Bold,
    Box,
    Cell,
    Clause,
    Heading,
    Item,
    Keep,
    NoBreak,
    PageBreak,
    Paragraph,
    Row,
    Signature,
    SignatureSide,
    Spacer,
    Subtitle,
    Table,
    Text,
    Title,
    Underline,
    part_text,
)
from contractgen.errors import TemplateError

MINI = FIXTURE_TEMPLATES / "zh" / "mini"
BROKEN = FIXTURE_TEMPLATES / "zh" / "broken"


def context_for(folder: TemplateFolder, contract: Contract | None = None) -> dict[str, Any]:
    return build_context(contract or sample_contract(), folder.parts, folder.title)


@pytest.mark.parametrize(
    ("markup", "blocks"),
    [
        ("<part><p>甲方</p></part>", (Paragraph((Text("甲方"),)),)),
        # a run of whitespace with a line break is dropped; other whitespace is kept as typed
        (
            "<part><p>本合同\n    一式两份， 甲乙\t双方</p></part>",
            (Paragraph((Text("本合同一式两份， 甲乙\t双方"),)),),
        ),
        ("<part><p>全角　空格\n　保留</p></part>", (Paragraph((Text("全角　空格　保留"),)),)),
        (
            '<part><p indent="0" align="right">右</p><p align="center">中</p></part>',
            (Paragraph((Text("右"),), False, "right"), Paragraph((Text("中"),), True, "center")),
        ),
        (
            "<part><title>标题</title><subtitle>副</subtitle></part>",
            (Title((Text("标题"),)), Subtitle((Text("副"),))),
        ),
        (
            '<part><heading>第一条 目的</heading><heading level="2">一、总则</heading></part>',
            (Heading((Text("第一条 目的"),)), Heading((Text("一、总则"),), 2)),
        ),
        ('<part><clause num="1.1">内容</clause></part>', (Clause("1.1", (Text("内容"),)),)),
        ('<part><item label="（1）">项</item></part>', (Item("（1）", (Text("项"),)),)),
        (
            '<part><p>a<b>粗<u>线</u></b><nobr>¥1.00</nobr><blank width="3"/><blank/><box/></p></part>',
            (
                Paragraph(
                    (
                        Text("a"),
                        Bold((Text("粗"), Underline((Text("线"),)))),
                        NoBreak((Text("¥1.00"),)),
                        Blank(3),
                        Blank(8),
                        Box(),
                    )
                ),
            ),
        ),
        ("<part><pagebreak/><spacer/></part>", (PageBreak(), Spacer())),
        (
            '<part><table widths="1,2"><tr header="1"><th>甲</th><th>乙</th></tr>'
            '<tr><td align="right">1</td><td/></tr><emptyrows count="1"/></table></part>',
            (
                Table(
                    (1, 2),
                    (
                        Row((Cell((Text("甲"),), True, "center"), Cell((Text("乙"),), True, "center")), True),
                        Row((Cell((Text("1"),), False, "right"), Cell(()))),
                        Row((Cell(()), Cell(()))),
                    ),
                ),
            ),
        ),
        (
            "<part><keep><p>末条</p><signature><side><line>甲方</line></side>"
            "<side><line>乙方</line><line>日期</line></side></signature></keep></part>",
            (
                Keep(
                    (
                        Paragraph((Text("末条"),)),
                        Signature(
                            (
                                SignatureSide(((Text("甲方"),),)),
                                SignatureSide(((Text("乙方"),), (Text("日期"),))),
                            )
                        ),
                    )
                ),
            ),
        ),
        ("<part><p>A &amp; B &lt;C&gt; &#34;D&#34;</p></part>", (Paragraph((Text('A & B <C> "D"'),)),)),
        ("<part><!-- a comment --><p>x</p></part>", (Paragraph((Text("x"),)),)),
    ],
)
def test_markup_becomes_the_tree(markup: str, blocks: tuple[object, ...]) -> None:
    assert parse_part(markup) == blocks


def test_a_table_without_widths_takes_its_columns_from_the_first_row() -> None:
    (table,) = parse_part("<part><table><tr><td>a</td><td>b</td><td>c</td></tr></table></part>")
    assert isinstance(table, Table)
    assert table.widths == (1, 1, 1)


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<part><para>x</para></part>", "未知元素 <para>"),
        ('<part><p style="color:red">x</p></part>', "<p> 不支持属性 style"),
        ('<part><p align="middle">x</p></part>', "align"),
        ('<part><p indent="4">x</p></part>', "indent"),
        ("<part>正文</part>", "不能直接写文字"),
        ("<part><b>x</b></part>", "<b> 不能放在 <part> 里"),
        ("<part><p><p>x</p></p></part>", "<p> 不能放在 <p> 里"),
        ('<part><table widths="1,x"><tr><td/></tr></table></part>', "widths"),
        ('<part><table widths="1,2"><tr><td/></tr></table></part>', "1 个单元格，表格有 2 列"),
        ("<part><table><emptyrows count='2'/></table></part>", "emptyrows"),
        ("<part><table><tr><td/></tr><emptyrows count='100000'/></table></part>", "count"),
        ('<part><blank width="x"/></part>', "不能放在"),
        ('<part><p><blank width="99"/></p></part>', "width"),
        ("<part><clause>x</clause></part>", "缺少 num"),
        ("<part><signature><line>x</line></signature></part>", "<signature> 里只能放 <pagenote> 和 <side>"),
        (
            "<part><signature><side><line>x</line></side><pagenote>y</pagenote></signature></part>",
            "<pagenote> 只能有一个，且在第一个 <side> 之前",
        ),
        ("<part><p>未关闭</part>", "XML 格式错误"),
        ("<contract/>", "根元素应为 <part>"),
        ('<!DOCTYPE part [<!ENTITY x "boom">]><part><p>&x;</p></part>', "DOCTYPE"),
        ("<part><p>&nbsp;</p></part>", "XML 格式错误"),
        ('<?xml-stylesheet href="x"?><part/>', "处理指令"),
        ("<part/><part/>", "XML 格式错误"),
    ],
)
def test_bad_markup_is_a_template_error_naming_source_and_line(markup: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"x\.xml\.j2") as caught:
        parse_part(markup, source="x.xml.j2")
    assert message in caught.value.message
    assert "渲染结果第 1 行" in caught.value.message
    assert caught.value.exit_code == 4


def test_markup_errors_give_the_line_of_the_rendered_output() -> None:
    with pytest.raises(TemplateError, match="第 3 行"):
        parse_part("<part>\n<p>x</p>\n<p><foo/></p>\n</part>", source="x")


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("syntax.xml.j2", 3, "模板语法错误"),
        ("undefined.xml.j2", 4, "未定义的变量或属性"),
        ("none.xml.j2", 2, "空值（None）"),
        ("sandbox.xml.j2", 2, "不允许的操作"),
    ],
)
def test_jinja_errors_name_template_file_and_line(template: str, line: int, message: str) -> None:
    folder = TemplateFolder.open(BROKEN)
    contract = dataclasses.replace(
        sample_contract(), signing=dataclasses.replace(sample_contract().signing, place=None)
    )
    with pytest.raises(TemplateError) as caught:
        render_template(folder, template, context_for(folder, contract))
    assert f"{BROKEN / template}:{line}:" in caught.value.message
    assert message in caught.value.message


def test_markup_error_in_a_template_names_the_file() -> None:
    folder = TemplateFolder.open(BROKEN)
    xml = render_template(folder, "markup.xml.j2", context_for(folder))
    with pytest.raises(TemplateError, match=r"markup\.xml\.j2.*XML 格式错误"):
        parse_part(xml, source=str(BROKEN / "markup.xml.j2"))


HOSTILE = ['A&B <C> "D"', "{{ 7*7 }}", "</w:t><w:t>x", "{% raw %}", "<part/>", "]]>", "&amp;", "'single'"]


@pytest.mark.parametrize("name", HOSTILE)
def test_spec_values_are_data_never_markup_or_template_source(name: str) -> None:
    folder = TemplateFolder.open(MINI)
    document = compose(folder, context_for(folder, with_party_a_name(sample_contract(), name)))
    text = part_text(document.parts[0])
    assert f"甲方：{name}，乙方：" in text
    assert text.count(name) == 3  # the paragraph, the table cell, the signature line
    assert "49" not in text


def test_compose_makes_one_part_per_entry_with_annex_headings_from_parts_yaml() -> None:
    folder = TemplateFolder.open(MINI)
    document = compose(folder, context_for(folder))
    assert [(p.id, p.kind, p.title, p.number, p.number_cn) for p in document.parts] == [
        ("contract", "contract", "测试合同", None, None),
        ("annex-01", "annex", "测试附件", 1, "一"),
    ]
    annex = document.parts[1]
    assert annex.blocks[0] == Title((Text("附件一：测试附件"),), level=2)
    assert part_text(annex) == "附件一：测试附件\n附件一之说明\n一、测试附件\n共 1 个附件。"
    assert document.contract_no == "KF-2026-0001"


def test_the_title_is_the_spec_title_when_given() -> None:
    folder = TemplateFolder.open(MINI)
    document = compose(folder, context_for(folder, dataclasses.replace(sample_contract(), title="委托服务合同")))
    assert document.title == "委托服务合同"
    assert part_text(document.parts[0]).startswith("委托服务合同\n")


@pytest.mark.parametrize(
    ("parts_yaml", "message"),
    [
        ("- a\n", "应为一个映射"),
        ("title: x\nparts: []\n", "parts 应为非空列表"),
        ("title: x\nparts:\n  - {id: c, template: c.xml.j2, kind: letter}\n", "kind"),
        ("title: x\nparts:\n  - {id: c, template: ../c.xml.j2, kind: contract}\n", "template"),
        ("title: x\nparts:\n  - {id: a, template: c.xml.j2, kind: annex}\n", "缺少 title"),
        ("title: x\nparts:\n  - {id: c, template: missing.xml.j2, kind: contract}\n", "不存在"),
        ("title: x\nextra: 1\nparts:\n  - {id: c, template: c.xml.j2, kind: contract}\n", "未知的键"),
        (
            "title: x\nparts:\n  - {id: c, template: c.xml.j2, kind: contract}\n"
            "  - {id: c, template: c.xml.j2, kind: sections}\n",
            "重复",
        ),
        (  # a part can hang only on a party that may be absent
            "title: x\nparties:\n  - {key: lender, role: 出借人}\n"
            "parts:\n  - {id: c, template: c.xml.j2, kind: contract, with_party: lender}\n",
            "with_party 应为 parties 中一个 optional 当事人的 key",
        ),
    ],
)
def test_parts_yaml_is_checked(tmp_path: Path, parts_yaml: str, message: str) -> None:
    (tmp_path / "parts.yaml").write_text(parts_yaml, encoding="utf-8")
    (tmp_path / "c.xml.j2").write_text("<part/>", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"parts\.yaml") as caught:
        TemplateFolder.open(tmp_path)
    assert message in caught.value.message


def test_a_folder_without_parts_yaml_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"parts\.yaml"):
        TemplateFolder.open(tmp_path)


def test_assets_come_from_the_type_folder_then_the_language_folder(tmp_path: Path) -> None:
    language = tmp_path / "zh"
    folder_path = language / "t"
    folder_path.mkdir(parents=True)
    (folder_path / "parts.yaml").write_text(
        "title: x\nparts:\n  - {id: c, template: c.xml.j2, kind: contract}\n", encoding="utf-8"
    )
    (folder_path / "c.xml.j2").write_text("<part/>", encoding="utf-8")
    (language / "print.css").write_text("shared", encoding="utf-8")
    (language / "house.docx").write_text("shared", encoding="utf-8")
    (folder_path / "house.docx").write_text("own", encoding="utf-8")
    folder = TemplateFolder.open(folder_path)
    assert folder.asset("print.css") == (language / "print.css").resolve()
    assert folder.asset("house.docx") == (folder_path / "house.docx").resolve()
    with pytest.raises(TemplateError, match="找不到模板资源文件"):
        folder.asset("logo.png")


def test_the_real_templates_compose_for_the_sample(sample_document: Any) -> None:
    kinds = [part.kind for part in sample_document.parts]
    assert kinds == ["contract", *["annex"] * 9]
    headings = [part.blocks[0] for part in sample_document.parts if part.kind == "annex"]
    assert all(isinstance(h, Title) and h.level == 2 for h in headings)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "超过时间上限"),
        ('<p>{{ "甲" * 10**9 }}</p>', "值过大"),
    ],
)
def test_a_part_that_runs_away_stops_the_compose_with_a_template_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    (tmp_path / "parts.yaml").write_text(
        "title: 失控\nparts:\n  - {id: contract, template: contract.xml.j2, kind: contract}\n", encoding="utf-8"
    )
    (tmp_path / "contract.xml.j2").write_text(f"<part>\n{body}\n</part>\n", encoding="utf-8")
    monkeypatch.setattr(budget, "TIME_BUDGET", 0.5)
    folder = TemplateFolder.open(tmp_path)
    start = time.monotonic()
    with pytest.raises(TemplateError, match=message) as caught:
        compose(folder, context_for(folder))
    assert caught.value.message.startswith(f"{folder.path / 'contract.xml.j2'}:2:")
    assert caught.value.exit_code == 4
    assert time.monotonic() - start < 5


def test_a_part_with_an_absent_party_is_left_out_and_the_annexes_close_up(tmp_path: Path) -> None:
    from contractgen.document.templates import present_parts

    (tmp_path / "parts.yaml").write_text(
        "title: x\nparties:\n  - {key: a, role: 甲}\n  - {key: g, role: 保证人, optional: true}\nparts:\n"
        "  - {id: c, template: c.xml.j2, kind: contract}\n"
        "  - {id: x1, template: c.xml.j2, kind: annex, title: 保证书, with_party: g}\n"
        "  - {id: x2, template: c.xml.j2, kind: annex, title: 借据}\n",
        encoding="utf-8",
    )
    (tmp_path / "c.xml.j2").write_text("<part/>", encoding="utf-8")
    parts = TemplateFolder.open(tmp_path).parts
    assert [p.id for p in present_parts(parts, ["a"])] == ["c", "x2"]
    assert [p.id for p in present_parts(parts, ["a", "g"])] == ["c", "x1", "x2"]
