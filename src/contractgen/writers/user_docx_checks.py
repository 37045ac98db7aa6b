"""What a Word file from a user (``--docx-template``) may hold: checked before anything opens it, and again once
it is filled. Every finding is a TemplateError (exit 4) naming the file and the part.

- The zip: entry count, sizes and compression ratio (zip bombs), part names that differ only in case (part names
  are case-insensitive: of two "same" parts, the one checked need not be the one Word reads); and every member
  read in full, CRC checked — a bad CRC, a truncated or invalid deflate stream, a bad local header, an unknown
  compression method or an encrypted member is the template's fault, whatever exception zipfile, zlib or lzma
  raise for it (:data:`_ZIP_ERRORS`). A ``word/document.xml`` must be there.
- The XML: every part that is XML by its name (``.xml``, ``.rels``, in any case) or by its content type in
  ``[Content_Types].xml`` — Word reads a part by its type, whatever it is called — parses strictly, without a
  DOCTYPE (:func:`contractgen.writers.ooxml.strict_parse`). Every one is checked below, wherever it lies.
- Nothing that Word fetches when it opens the file or updates its fields. Refused: every relationship with
  ``TargetMode="External"`` (or whose target is an absolute URI, a drive or a network path) except a hyperlink —
  remote and linked images, OLE links, frames, subdocuments, the attached template in
  ``word/_rels/settings.xml.rels``, mail-merge data sources —; an altChunk, its relationship or its element (an
  imported HTML or RTF part, which brings references of its own); a mail merge (``w:mailMerge``: a query
  against a data source); an OLE object of type Link; the fields INCLUDEPICTURE, INCLUDETEXT, INCLUDE, IMPORT,
  LINK, DDE, DDEAUTO, DATABASE and RD, and any field whose type a nested field computes (even in part:
  ``IN{ QUOTE "CLUDEPICTURE" }``); VML shapes whose ``src``, ``o:href`` or ``o:althref`` names anything.
- Kept: hyperlinks — relationships of exactly the hyperlink type, referenced only by hyperlink elements, and
  HYPERLINK fields — to ``http``, ``https`` and ``mailto`` addresses. They are document content, and Word
  follows one only when the reader clicks it; a hyperlink to anything else (a file, a network share), or whose
  address a nested field computes, is refused like a fetch.

This module must not open files or the network: it looks at bytes it is given.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from posixpath import basename, dirname

from lxml import etree  # type: ignore[import-untyped]

from contractgen.errors import RenderError, TemplateError
from contractgen.writers.ooxml import is_xml_name, strict_parse

__all__ = ["MAX_ENTRIES", "MAX_FILE_SIZE", "MAX_RATIO", "MAX_TOTAL_SIZE", "check_user_docx"]

MAX_ENTRIES = 500
MAX_TOTAL_SIZE = 64 * 1024 * 1024  # uncompressed bytes
MAX_FILE_SIZE = MAX_TOTAL_SIZE + 1024 * 1024  # bytes of the .docx itself (stored members, zip overhead)
MAX_RATIO = 100  # uncompressed / compressed, per entry above 1 MiB

# What zipfile and its decompressors raise for a damaged archive or member: a bad CRC or local header
# (BadZipFile), an invalid or truncated deflate stream (zlib.error, EOFError), bzip2 (OSError), lzma, an
# unknown method (NotImplementedError), an encrypted member (RuntimeError), names and offsets that do not decode
# or fit (UnicodeDecodeError is a ValueError, OverflowError, struct.error).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OverflowError,
    struct.error,
)

_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_HYPERLINK_TYPES = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",  # strict OOXML
    }
)
_R = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_HYPERLINK_ELEMENTS = frozenset({"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"})
_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict OOXML
)
_VML = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_VML_SOURCES = ("src", f"{_O}href", f"{_O}althref")
_FIELD_TAGS = tuple(f"{{{ns}}}{tag}" for ns in _W for tag in ("fldSimple", "fldChar", "instrText", "delInstrText"))
_FETCHING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE", "RD"}
)
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
_ABSOLUTE = re.compile(r"\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|[\\/]{2})")  # a scheme (or a drive letter), a network path
_KEYWORD_OPEN = re.compile(r"\s*\S*")  # an instruction so far whose first word (the field's type) may go on


def check_user_docx(data: bytes, name: str) -> None:
    """Refuse a user's Word file that is not a sane DOCX, or that makes Word fetch something (module docstring)."""
    if len(data) > MAX_FILE_SIZE:
        raise TemplateError(f"{name}: Word 模板有 {len(data)} 字节，超过上限 {MAX_FILE_SIZE}")
    parts = _read_parts(data, name)
    xml = _xml_parts(parts, name)
    hyperlinks: dict[str, set[str]] = {}  # a part (case-folded) → the ids of its external hyperlinks
    for part in xml:
        if part.lower().endswith(".rels"):
            root = _parse(part, parts[part], name)
            hyperlinks[_source_part(part)] = _check_relationships(part, root, name)
    for part in xml:
        if not part.lower().endswith(".rels"):
            root = _parse(part, parts[part], name)
            _check_content(part, root, hyperlinks.get(part.casefold(), set()), name)


def _parse(part: str, content: bytes, name: str) -> etree._Element:
    try:
        return strict_parse(part, content)
    except RenderError as error:
        raise TemplateError(f"{name}: {error.message}") from None


# --- the zip ----------------------------------------------------------------------------------------------


def _read_parts(data: bytes, name: str) -> dict[str, bytes]:
    """Every member of the zip ``data`` by name, each read in full (its CRC checked), within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise TemplateError(f"{name}: 不是有效的 Word（.docx）文件") from None
    with archive:
        infos = archive.infolist()
        _check_entries(infos, name)
        return {info.filename: _read_member(archive, info, name) for info in infos}


def _check_entries(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise TemplateError(f"{name}: Word 模板包含 {len(infos)} 个部件，超过上限 {MAX_ENTRIES}")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        raise TemplateError(f"{name}: Word 模板解压后 {total} 字节，超过上限 {MAX_TOTAL_SIZE}")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TemplateError(f"{name}: Word 模板的部件 {info.filename} 压缩比异常（疑似压缩炸弹）")
    seen: set[str] = set()
    for info in infos:
        # Part names are case-insensitive: of two "same" parts, the one we check need not be the one Word reads.
        if info.filename.casefold() in seen:
            raise TemplateError(f"{name}: Word 模板中有重复的部件 {info.filename}")
        seen.add(info.filename.casefold())
    if "word/document.xml" not in {info.filename for info in infos}:
        raise TemplateError(f"{name}: 不是 Word 文档（缺少 word/document.xml）")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """The member's bytes, read to the end (so the CRC is checked), never more than the limit whatever the zip
    header claims (zipfile stops at the size the header gives, and a member that says less fails its CRC)."""
    if info.flag_bits & 0x1:
        raise TemplateError(f"{name}: Word 模板的部件 {info.filename} 已加密，无法读取")
    try:
        with archive.open(info) as member:
            content = member.read(MAX_TOTAL_SIZE + 1)
    except _ZIP_ERRORS as error:
        raise TemplateError(f"{name}: Word 模板已损坏：部件 {info.filename} 无法读取（{error}）") from None
    if len(content) > MAX_TOTAL_SIZE:
        raise TemplateError(f"{name}: Word 模板的部件 {info.filename} 过大")
    return content


def _xml_parts(parts: dict[str, bytes], name: str) -> list[str]:
    """The names of the XML parts: by name, or by the content type ``[Content_Types].xml`` gives them."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for part, content in parts.items():
        if part.casefold() == "[content_types].xml":
            root = _parse(part, content, name)
            for default in root.iter(f"{_CONTENT_TYPES}Default"):
                defaults[default.get("Extension", "").casefold()] = default.get("ContentType", "")
            for override in root.iter(f"{_CONTENT_TYPES}Override"):
                overrides[override.get("PartName", "").lstrip("/").casefold()] = override.get("ContentType", "")

    def content_type(part: str) -> str:
        extension = basename(part).rpartition(".")[2] if "." in basename(part) else ""
        found = overrides.get(part.casefold(), defaults.get(extension.casefold(), ""))
        return found.split(";")[0].strip().lower()

    return [part for part in parts if is_xml_name(part) or _is_xml_type(content_type(part))]


def _is_xml_type(content_type: str) -> bool:
    return content_type.endswith("+xml") or content_type in {"application/xml", "text/xml"}


# --- relationships ----------------------------------------------------------------------------------------


def _source_part(relationships: str) -> str:
    """The part (case-folded) whose relationships ``relationships`` holds: ``a/_rels/b.xml.rels`` → ``a/b.xml``."""
    folder, file = dirname(relationships), basename(relationships)
    if basename(folder).casefold() == "_rels":
        folder = dirname(folder)
    return f"{folder}/{file[: -len('.rels')]}".lstrip("/").casefold()


def _check_link(target: str, part: str, name: str) -> None:
    scheme = _SCHEME.match(target)
    if scheme is None or scheme.group(1).lower() not in _LINK_SCHEMES:
        raise TemplateError(f"{name}: Word 模板的部件 {part} 中的超链接 {target} 只能指向 http、https 或 mailto 地址")


def _check_relationships(part: str, root: etree._Element, name: str) -> set[str]:
    """Refuse what the relationship part ``part`` makes Word fetch; the ids of its (allowed) external hyperlinks."""
    hyperlinks: set[str] = set()
    for relationship in root.iter(_RELATIONSHIP):
        target = relationship.get("Target", "")
        kind = relationship.get("Type", "")
        short = kind.rsplit("/", 1)[-1]
        if short.casefold() == "afchunk":
            raise TemplateError(f"{name}: Word 模板的部件 {part} 嵌入了外部格式的内容（altChunk {target}），不允许")
        mode = relationship.get("TargetMode", "").strip().lower()
        if mode in {"", "internal"} and not _ABSOLUTE.match(target):
            continue
        if kind not in _HYPERLINK_TYPES:
            what = kind if short == "hyperlink" else short  # a look-alike type is no hyperlink: say which it is
            raise TemplateError(
                f"{name}: Word 模板的部件 {part} 引用了外部资源 {target}（{what}）：Word 打开文件时会去读取它，不允许"
            )
        _check_link(target, part, name)
        hyperlinks.add(relationship.get("Id", ""))
    return hyperlinks


def _check_hyperlink_uses(part: str, root: etree._Element, hyperlinks: set[str], name: str) -> None:
    """An external hyperlink may be what a hyperlink element points at, never an image's or an object's source."""
    for element in root.iter(etree.Element):
        for key, value in element.attrib.items():
            if value in hyperlinks and key.startswith("{") and key[1:].split("}")[0] in _R:
                where = etree.QName(element).localname
                if where not in _HYPERLINK_ELEMENTS:
                    raise TemplateError(
                        f"{name}: Word 模板的部件 {part} 的 {where} 引用了超链接 {value}：超链接只能用于链接，不允许"
                    )


# --- content ----------------------------------------------------------------------------------------------


def _check_content(part: str, root: etree._Element, hyperlinks: set[str], name: str) -> None:
    _check_fields(part, root, name)
    for namespace in _W:
        if next(root.iter(f"{{{namespace}}}mailMerge"), None) is not None:
            raise TemplateError(f"{name}: Word 模板的部件 {part} 设置了邮件合并数据源（mailMerge），不允许")
        if next(root.iter(f"{{{namespace}}}altChunk"), None) is not None:
            raise TemplateError(f"{name}: Word 模板的部件 {part} 嵌入了外部格式的内容（altChunk），不允许")
    for element in root.iter(f"{_VML}*", f"{_O}*"):
        for attribute in _VML_SOURCES:
            source = element.get(attribute)
            if source and source.strip():
                raise TemplateError(f"{name}: Word 模板的部件 {part} 的图形引用了外部资源 {source}，不允许")
        if element.tag == f"{_O}OLEObject" and element.get("Type", "").strip().lower() == "link":
            raise TemplateError(f"{name}: Word 模板的部件 {part} 含有链接的 OLE 对象：Word 会去更新它，不允许")
        href = element.get("href")
        if href and href.strip():
            _check_link(href, part, name)
    if hyperlinks:
        _check_hyperlink_uses(part, root, hyperlinks, name)


class _Field:
    """A field being read: its instruction so far, whether a nested field computes (part of) its type, whether
    a nested field is part of its instruction at all, and whether its result has begun."""

    __slots__ = ("computed", "instruction", "nested", "result")

    def __init__(self) -> None:
        self.instruction: list[str] = []
        self.computed = False
        self.nested = False
        self.result = False

    def nest(self) -> None:
        """A field begins inside this one."""
        if not self.result:
            self.nested = True
            self.computed = self.computed or _KEYWORD_OPEN.fullmatch("".join(self.instruction)) is not None

    def seen(self) -> tuple[str, bool, bool]:
        return "".join(self.instruction), self.computed, self.nested


def _fields(root: etree._Element) -> Iterator[tuple[str, bool, bool]]:
    """Each field in ``root``: its instruction, whether a nested field computes its type, and whether a nested
    field is in its instruction (a field is ``fldChar begin``, instruction runs, ``separate``, the result,
    ``end``; fields nest; a ``fldSimple`` is one field with its instruction in an attribute)."""
    fields: list[_Field] = []  # open fields, innermost last
    for element in root.iter(*_FIELD_TAGS):
        namespace, tag = element.tag[1:].split("}")
        if tag == "fldSimple":
            if fields:
                fields[-1].nest()
            yield element.get(f"{{{namespace}}}instr", ""), False, False
        elif tag == "fldChar":
            kind = element.get(f"{{{namespace}}}fldCharType")
            if kind == "begin":
                if fields:
                    fields[-1].nest()
                fields.append(_Field())
            elif kind == "separate" and fields:
                fields[-1].result = True
            elif kind == "end" and fields:
                yield fields.pop().seen()
        elif fields:
            fields[-1].instruction.append(element.text or "")
        else:
            yield element.text or "", False, False
    while fields:
        yield fields.pop().seen()


def _hyperlink_target(words: list[str]) -> str:
    """The address of a HYPERLINK field (``HYPERLINK "url" \\o "tip"``; ``\\l``, ``\\o``, ``\\t`` take an argument)."""
    arguments = iter(words[1:])
    for word in arguments:
        if word.startswith("\\"):
            if word[1:].lower() in {"l", "o", "t"}:
                next(arguments, None)
            continue
        return word.strip('"')
    return ""


def _check_fields(part: str, root: etree._Element, name: str) -> None:
    for instruction, computed, nested in _fields(root):
        words = re.findall(r'"[^"]*"|\S+', instruction)
        keyword = words[0].strip('"').upper() if words else ""
        if computed:
            raise TemplateError(f"{name}: Word 模板的部件 {part} 含有类型由嵌套域计算得出的域代码，不允许")
        if keyword in _FETCHING_FIELDS:
            raise TemplateError(
                f"{name}: Word 模板的部件 {part} 含有域代码 {keyword}：Word 更新域时会读取外部文件或网络资源，不允许"
            )
        if keyword == "HYPERLINK" and nested:
            raise TemplateError(f"{name}: Word 模板的部件 {part} 中超链接的地址由嵌套域计算得出，不允许")
        target = _hyperlink_target(words) if keyword == "HYPERLINK" else ""
        if target:
            _check_link(target, part, name)
