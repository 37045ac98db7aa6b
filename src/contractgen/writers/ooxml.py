"""OOXML hygiene: reproducible zips and strict XML re-parsing, for every DOCX contractgen writes or reads.

python-docx stamps every zip entry with the time of saving, and docxtpl repairs broken XML silently (it parses
with ``recover=True``). Every DOCX contractgen writes therefore goes through :func:`normalise_zip` (fixed
dates, clamped to what a zip can hold, original member order) and :func:`check_xml_parts` (each XML part must
parse strictly, without a DTD, in whatever encoding it declares). What a Word file from a user may hold is
checked by :mod:`contractgen.writers.user_docx_checks`, on top of these.

This module must not read the clock: every date it writes is given to it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from lxml import etree  # type: ignore[import-untyped]

from contractgen.errors import RenderError

__all__ = ["check_xml_parts", "is_xml_name", "normalise_zip", "strict_parse", "zip_date_time"]

_ZIP_MIN = (1980, 1, 1, 0, 0, 0)
_ZIP_MAX = (2107, 12, 31, 23, 59, 58)  # a zip's year is 1980 + 7 bits, its seconds are even


def zip_date_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date-time for ``when``, within what a zip can hold (1980-01-01 to 2107-12-31)."""
    value = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return min(max(value, _ZIP_MIN), _ZIP_MAX)


def is_xml_name(name: str) -> bool:
    """Whether a part's name says it is XML (part names are case-insensitive: ``.RELS`` is a relationship part)."""
    return name.lower().endswith((".xml", ".rels"))


def strict_parse(name: str, data: bytes) -> etree._Element:
    """The XML part ``name`` parsed strictly: no recovery, no network, no DOCTYPE (in any encoding), no entities."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise RenderError(f"DOCX 部件 {name} 含有 DOCTYPE 或实体声明")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as error:
        raise RenderError(f"DOCX 部件 {name} 不是合法的 XML：{error}") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:  # UTF-16 hides the bytes
        raise RenderError(f"DOCX 部件 {name} 含有 DOCTYPE 或实体声明")
    return root


def check_xml_parts(data: bytes) -> None:
    """Re-parse every XML part of the DOCX ``data`` strictly; a RenderError names the first broken one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if is_xml_name(info.filename):
                strict_parse(info.filename, archive.read(info))


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
