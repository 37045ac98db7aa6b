"""Build the Word house template, ``templates/zh/house.docx``, from the XML written out below.

    .venv/bin/python tools/make_house_template.py          # rewrites templates/zh/house.docx
    .venv/bin/python tools/make_house_template.py --check  # exit 1 if the committed file is out of date

The house template carries everything a DOCX contract looks like, so legal staff can restyle it in Word: A4 page
and margins, the styles (宋体/黑体 faces set as East Asian fonts, no theme fonts, ``zh-CN`` language, exact line
spacing, two-character first-line indent), the header with the contract number (a docxtpl placeholder, filled by
:mod:`contractgen.writers.docx`) and the footer 第 X 页 共 Y 页 (PAGE and NUMPAGES fields). Its body is empty: the
writer appends the contract. It is written from scratch, not from python-docx's default template, whose theme
fonts would override the East Asian font names.

The figures here must agree with ``templates/zh/print.css`` (the PDF's layout): page margins, 12 pt text on 22 pt
lines, 22 pt title, 10.5 pt tables. The output is byte-for-byte reproducible (fixed zip dates and order).
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from contractgen.writers.fonts import DEFAULT_SANS, DEFAULT_SERIF

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "templates" / "zh" / "house.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Page geometry in twips (1 mm = 56.69 twips): A4, margins top/bottom 25 mm, left 28 mm, right 26 mm.
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1417, 1417, 1587, 1474
HEADER_DISTANCE = FOOTER_DISTANCE = 850

CONTENT_TYPES = f"""{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

ROOT_RELS = f"""{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT_RELS = f"""{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="{_REL}/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="{_REL}/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId4" Type="{_REL}/header" Target="header1.xml"/>
<Relationship Id="rId5" Type="{_REL}/header" Target="header2.xml"/>
<Relationship Id="rId6" Type="{_REL}/footer" Target="footer1.xml"/>
<Relationship Id="rId7" Type="{_REL}/footer" Target="footer2.xml"/>
</Relationships>"""

# The first page carries 合同编号 in its body (top right, under the title's line), so its header is empty
# (titlePg); every page has the 第 X 页 共 Y 页 footer.
DOCUMENT = f"""{XML}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:sectPr>\
<w:headerReference w:type="default" r:id="rId4"/><w:headerReference w:type="first" r:id="rId5"/>\
<w:footerReference w:type="default" r:id="rId6"/><w:footerReference w:type="first" r:id="rId7"/>\
<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>\
<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" \
w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>\
<w:cols w:space="425"/><w:titlePg/></w:sectPr></w:body></w:document>"""


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(instruction: str) -> str:
    # A complex field; the cached result "1" is replaced by Word and LibreOffice when they lay out the pages.
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


HEADER = (
    f'{XML}<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
    f"{_run('合同编号：{{ contract_no }}')}</w:p></w:hdr>"
)
EMPTY_HEADER = (
    f'{XML}<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>'
)
FOOTER = (
    f'{XML}<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    f"{_run('第 ')}{_field('PAGE')}{_run(' 页 共 ')}{_field('NUMPAGES')}{_run(' 页')}</w:p></w:ftr>"
)


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}"/>'


def _style(
    kind: str,
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    default: bool = False,
    priority: int = 1,
) -> str:
    attrs = f' w:type="{kind}" w:styleId="{style_id}"' + (' w:default="1"' if default else "")
    body = f'<w:name w:val="{name}"/>'
    if based_on:
        body += f'<w:basedOn w:val="{based_on}"/>'
    if next_style:
        body += f'<w:next w:val="{next_style}"/>'
    body += f'<w:uiPriority w:val="{priority}"/><w:qFormat/>'
    if ppr:
        body += f"<w:pPr>{ppr}</w:pPr>"
    if rpr:
        body += f"<w:rPr>{rpr}</w:rPr>"
    return f"<w:style{attrs}>{body}{extra}</w:style>"


def _spacing(line_pt: float, before_pt: float = 0, after_pt: float = 0) -> str:
    return (
        f'<w:spacing w:before="{round(before_pt * 20)}" w:after="{round(after_pt * 20)}" '
        f'w:line="{round(line_pt * 20)}" w:lineRule="exact"/>'
    )


def _size(points: float) -> str:
    return f'<w:sz w:val="{round(points * 2)}"/><w:szCs w:val="{round(points * 2)}"/>'


LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
BOLD = "<w:b/><w:bCs/>"
NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>'
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
)

STYLES = (
    f'{XML}<w:styles xmlns:w="{W}" xmlns:r="{R}">'
    # Defaults: 宋体 (serif) everywhere, East Asian font named explicitly, Chinese language, 12 pt.
    f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(DEFAULT_SERIF)}{_size(12)}{LANG}</w:rPr></w:rPrDefault>"
    f"<w:pPrDefault><w:pPr>{_spacing(22)}</w:pPr></w:pPrDefault></w:docDefaults>"
    + _style(
        "paragraph",
        "Normal",
        "Normal",
        based_on=None,
        default=True,
        ppr=(
            '<w:widowControl/><w:kinsoku/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
            f'{_spacing(22)}<w:jc w:val="both"/>'
        ),
        rpr=f"{_fonts(DEFAULT_SERIF)}{_size(12)}{LANG}",
    )
    + _style(
        "paragraph",
        "BodyText",
        "合同正文",
        next_style="BodyText",
        ppr='<w:ind w:firstLineChars="200" w:firstLine="480"/>',
    )
    + _style("paragraph", "Clause", "合同条款", based_on="BodyText", next_style="Clause")
    + _style(
        "paragraph",
        "ListItem",
        "合同列项",
        next_style="ListItem",
        ppr='<w:ind w:left="840" w:hanging="360"/>',
    )
    + _style(
        "paragraph",
        "Title",
        "Title",
        next_style="BodyText",
        ppr=f'<w:keepNext/><w:keepLines/>{_spacing(36, 0, 11)}{NO_INDENT}<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
        rpr=f"{_fonts(DEFAULT_SANS)}{BOLD}{_size(22)}",
    )
    + _style(
        "paragraph",
        "AnnexTitle",
        "附件标题",
        next_style="BodyText",
        ppr=f'<w:keepNext/><w:keepLines/>{_spacing(30, 0, 11)}{NO_INDENT}<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
        rpr=f"{_fonts(DEFAULT_SANS)}{BOLD}{_size(18)}",
    )
    + _style(
        "paragraph",
        "Subtitle",
        "Subtitle",
        next_style="BodyText",
        ppr=f'<w:keepNext/>{_spacing(22, 0, 11)}{NO_INDENT}<w:jc w:val="center"/>',
    )
    + _style(
        "paragraph",
        "Heading1",
        "heading 1",
        next_style="Clause",
        ppr=f'<w:keepNext/><w:keepLines/>{_spacing(22, 6)}{NO_INDENT}<w:jc w:val="left"/><w:outlineLvl w:val="1"/>',
        rpr=BOLD,
    )
    + _style(
        "paragraph",
        "Heading2",
        "heading 2",
        next_style="BodyText",
        ppr=f'<w:keepNext/><w:keepLines/>{_spacing(22, 6)}{NO_INDENT}<w:jc w:val="left"/><w:outlineLvl w:val="2"/>',
        rpr=BOLD,
    )
    + _style(
        "paragraph",
        "TableText",
        "表格文字",
        next_style="TableText",
        ppr=f'{_spacing(16)}<w:jc w:val="left"/>',
        rpr=_size(10.5),
    )
    + _style(
        "paragraph",
        "TableHeading",
        "表格标题行",
        based_on="TableText",
        next_style="TableText",
        ppr='<w:keepNext/><w:jc w:val="center"/>',
        rpr=BOLD,
    )
    + _style("paragraph", "SignatureLine", "签署栏", ppr=f'{_spacing(28)}<w:jc w:val="left"/>')
    + _style("paragraph", "Header", "header", ppr=f'{_spacing(14)}<w:jc w:val="right"/>', rpr=_size(9))
    + _style("paragraph", "Footer", "footer", ppr=f'{_spacing(14)}<w:jc w:val="center"/>', rpr=_size(9))
    + _style("character", "DefaultParagraphFont", "Default Paragraph Font", based_on=None, default=True)
    + _style(
        "table",
        "TableNormal",
        "Normal Table",
        based_on=None,
        default=True,
        extra=f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{CELL_MARGINS}</w:tblPr>',
    )
    + _style(
        "table",
        "ContractTable",
        "合同表格",
        based_on="TableNormal",
        extra=(
            '<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
            f"<w:tblPr><w:tblBorders><w:top {BORDER}/><w:left {BORDER}/><w:bottom {BORDER}/><w:right {BORDER}/>"
            f"<w:insideH {BORDER}/><w:insideV {BORDER}/></w:tblBorders>{CELL_MARGINS}</w:tblPr>"
        ),
    )
    + _style(
        "table",
        "SignatureTable",
        "签署栏表格",
        based_on="TableNormal",
        extra=f"<w:tblPr>{CELL_MARGINS}</w:tblPr>",
    )
    + "</w:styles>"
)

NO_BREAK_AFTER = "$(£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
NO_BREAK_BEFORE = "!%),.:;?]}¢°·’”†‡›℃∶、。〃〆〕〗〞﹚﹜！＂％＇），．：；？］｝～"

SETTINGS = (
    f'{XML}<w:settings xmlns:w="{W}" xmlns:r="{R}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    # Simplified Chinese line-breaking rules (Word's defaults, written out so every reader applies them): no
    # line ends after an opening bracket or a currency sign, none starts with closing punctuation.
    f'<w:noLineBreaksAfter w:lang="zh-CN" w:val="{NO_BREAK_AFTER}"/>'
    f'<w:noLineBreaksBefore w:lang="zh-CN" w:val="{NO_BREAK_BEFORE}"/>'
    # ulTrailSpace: underline the ideographic spaces of a fill-in blank even at the end of a line.
    '<w:compat><w:ulTrailSpace/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
    "</w:settings>"
)


def _font_entry(name: str, alt: str, family: str) -> str:
    # altName: the face Word uses where the named one is not installed (Windows has 宋体 and 黑体).
    return (
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
    )


FONT_TABLE = (
    f'{XML}<w:fonts xmlns:w="{W}" xmlns:r="{R}">'
    + _font_entry(DEFAULT_SERIF, "宋体", "roman")
    + _font_entry(DEFAULT_SANS, "黑体", "swiss")
    + "</w:fonts>"
)

# Dates here are placeholders: the writer sets created/modified from the spec when it renders.
CORE = (
    f"{XML}<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>合同</dc:title><dc:creator>contractgen</dc:creator><cp:lastModifiedBy>contractgen</cp:lastModifiedBy>"
    "<dc:language>zh-CN</dc:language><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)

APP = (
    f'{XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>contractgen</Application><DocSecurity>0</DocSecurity></Properties>"
)

MEMBERS: tuple[tuple[str, str], ...] = (
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", ROOT_RELS),
    ("docProps/core.xml", CORE),
    ("docProps/app.xml", APP),
    ("word/document.xml", DOCUMENT),
    ("word/_rels/document.xml.rels", DOCUMENT_RELS),
    ("word/styles.xml", STYLES),
    ("word/settings.xml", SETTINGS),
    ("word/fontTable.xml", FONT_TABLE),
    ("word/header1.xml", HEADER),
    ("word/header2.xml", EMPTY_HEADER),
    ("word/footer1.xml", FOOTER),
    ("word/footer2.xml", FOOTER),
)


def build() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in MEMBERS:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only check that the committed file is up to date"
    )
    args = parser.parse_args()
    data = build()
    if args.check:
        current = OUTPUT.read_bytes() if OUTPUT.exists() else b""
        if current != data:
            print(f"{OUTPUT} is out of date: run tools/make_house_template.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
