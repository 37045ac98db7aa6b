"""OOXML hygiene: reproducible zips, strict XML re-parsing, and limits on Word files from users.

python-docx stamps every zip entry with the time of saving, and docxtpl repairs broken XML silently (it parses
with ``recover=True``). Every DOCX contractgen writes therefore goes through :func:`normalise_zip` (fixed
dates, original member order) and :func:`check_xml_parts` (each XML part must parse strictly, without a DTD).
A Word file a user brings is checked by :func:`check_user_docx` before anything opens it: entry count, sizes
and compression ratio (zip bombs), and no DOCTYPE.

This module must not read the clock: every date it writes is given to it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from lxml import etree  # type: ignore[import-untyped]

from contractgen.errors import RenderError, TemplateError

__all__ = ["check_user_docx", "check_xml_parts", "normalise_zip", "zip_date_time"]

MAX_ENTRIES = 500
MAX_TOTAL_SIZE = 64 * 1024 * 1024  # uncompressed bytes
MAX_RATIO = 100  # uncompressed / compressed, per entry above 1 MiB


def zip_date_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date-time for ``when``; zip cannot express dates before 1980-01-01."""
    if when.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _strict_parse(name: str, data: bytes) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise RenderError(f"DOCX 部件 {name} 含有 DOCTYPE 或实体声明")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise RenderError(f"DOCX 部件 {name} 不是合法的 XML：{error}") from None


def check_xml_parts(data: bytes) -> None:
    """Re-parse every XML part of the DOCX ``data`` strictly; a RenderError names the first broken one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if _is_xml(info.filename):
                _strict_parse(info.filename, archive.read(info))


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """``data`` re-zipped with every entry dated ``when``, in the original order, with fixed attributes."""
    stamp = zip_date_time(when)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def check_user_docx(data: bytes, name: str) -> None:
    """Refuse a user's Word file that is not a sane DOCX: too many entries, too big, a zip bomb, a DOCTYPE."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TemplateError(f"{name}: 不是有效的 Word（.docx）文件") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise TemplateError(f"{name}: Word 模板包含 {len(infos)} 个部件，超过上限 {MAX_ENTRIES}")
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_SIZE:
            raise TemplateError(f"{name}: Word 模板解压后 {total} 字节，超过上限 {MAX_TOTAL_SIZE}")
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise TemplateError(f"{name}: Word 模板的部件 {info.filename} 压缩比异常（疑似压缩炸弹）")
        if "word/document.xml" not in archive.namelist():
            raise TemplateError(f"{name}: 不是 Word 文档（缺少 word/document.xml）")
        for info in infos:
            if not _is_xml(info.filename):
                continue
            with archive.open(info) as member:
                # Never more than the limit, whatever the zip header claims.
                content = member.read(MAX_TOTAL_SIZE + 1)
            if len(content) > MAX_TOTAL_SIZE:
                raise TemplateError(f"{name}: Word 模板的部件 {info.filename} 过大")
            try:
                _strict_parse(info.filename, content)
            except RenderError as error:
                raise TemplateError(f"{name}: {error.message}") from None
