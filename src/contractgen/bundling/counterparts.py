"""Counterparts: one PDF per copy of the contract (一式两份), marked 正本 with its holder on every page.

Each counterpart is the full contract PDF with one thing added to every page: a small boxed red
marker in the top left margin, ``正本 · 甲方执`` — and, with more than two copies, which copy it is:
``正本 第1份 共4份 · 甲方执`` (two copies of one holder must not carry the same label). The marker is a form
XObject (drawn once by WeasyPrint, in the CJK face) painted by one extra content stream; the page's own content
streams are kept byte for byte, wrapped in ``q … Q``. So a counterpart page is provably the contract page plus the
marker — :func:`content_digest` hashes exactly the contract's own content streams, and is the same for
the contract and every counterpart.

Who holds which copy (:func:`holders`): copies go to the parties in turn, in the order the contract type declares
them (its ``parts.yaml``), the first one first — between two parties one each for 一式两份, two each for 一式四份,
and for an odd count the first holds the extra one, exactly as the contract's own copies clause says
(本合同一式三份，甲方执两份，乙方执一份); among three parties 一式三份 is one each.

This module must not change a page's own content, read the clock, or write files: it turns bytes into bytes.
Output is deterministic: the file identifier is derived from the contract's bytes and the marker, and nothing
carries a date.
"""

# Heavy modules (pypdf, pyHanko, WeasyPrint) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import IndirectObject

__all__ = [
    "MARKER_FONT",
    "MARKER_NAME",
    "Copy",
    "content_digest",
    "holders",
    "make_counterpart",
    "marker_text",
]

#: The resource name of the marker XObject on every counterpart page.
MARKER_NAME = "/CgCounterpartMarker"
#: The face the marker is drawn in (黑体-like, reads well small and in red).
MARKER_FONT = "Noto Sans CJK SC"

_MM = 72 / 25.4
#: Where the marker sits: its top left corner, measured from the page's top left corner.
_MARKER_X_MM = 12.0
_MARKER_TOP_MM = 7.0
_MARKER_H_MM = 9.0


_MARKER_MIN_W_MM = 52.0


def _marker_width_mm(text: str) -> float:
    """Wide enough for the text at 9 pt (an ideograph is about 3.3 mm, other characters half) and its padding;
    never narrower than the 52 mm every two-copy bundle has always had (their bytes stay the same)."""
    return max(_MARKER_MIN_W_MM, 8.0 + sum(3.4 if ord(char) > 0x2E80 else 1.9 for char in text))


@dataclass(frozen=True)
class Copy:
    """Copy ``number`` (1-based) of the contract and who holds it: its role and 执 (``甲方执``)."""

    number: int
    holder: str
    total: int = 2

    @property
    def marker(self) -> str:
        return marker_text(self.holder, self.number, self.total)


def holders(copies: int, roles: Sequence[str]) -> list[Copy]:
    """The copies of a contract and their holders: the parties' ``roles`` in signing order, in turn, the first one
    first — ``甲方执``, ``乙方执``, ``甲方执`` … for two parties; 一式三份 among three parties is one each."""
    if copies < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    if not roles:
        raise ValueError("a contract has at least one party to hold its copies")
    return [Copy(number, f"{roles[(number - 1) % len(roles)]}执", copies) for number in range(1, copies + 1)]


def marker_text(holder: str, number: int = 1, total: int = 2) -> str:
    """``正本 · 甲方执``; with more than two copies, also which one: ``正本 第3份 共4份 · 甲方执``."""
    return f"正本 · {holder}" if total <= 2 else f"正本 第{number}份 共{total}份 · {holder}"


@cache
def _marker_pdf(text: str) -> bytes:
    """A one-page PDF the size of the marker, holding only the boxed marker text (cached per process)."""
    from weasyprint import HTML

    from contractgen.writers.pdf_fonts import real_subsets

    page = (
        f"@page {{ size: {_marker_width_mm(text):.1f}mm {_MARKER_H_MM}mm; margin: 0 }}"
        f"body {{ margin: 0; font-family: '{MARKER_FONT}'; font-size: 9pt; line-height: 1 }}"
        "span { display: inline-block; color: #c00000; border: 0.6pt solid #c00000; padding: 1mm 2mm;"
        " letter-spacing: 0.5pt; white-space: nowrap }"
    )
    document = (
        f'<html lang="zh-CN"><head><style>{page}</style></head><body><span>{html.escape(text)}</span></body></html>'
    )
    with real_subsets():  # its font a real subset, as in the contract's own PDF (writers/pdf_fonts.py)
        data: bytes = HTML(string=document).write_pdf()
    return data


def _marker_xobject(writer: PdfWriter, text: str) -> IndirectObject:
    """The marker as a form XObject inside ``writer`` (its fonts copied over)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    stamp = PdfReader(io.BytesIO(_marker_pdf(text))).pages[0]
    form = DecodedStreamObject()
    form.set_data(stamp.get_contents().get_data())  # type: ignore[union-attr]
    box = stamp.mediabox
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(box.left), FloatObject(box.bottom), FloatObject(box.right), FloatObject(box.top)]
            ),
            NameObject("/Resources"): stamp["/Resources"].clone(writer),
        }
    )
    return writer._add_object(form.flate_encode())


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _content_streams(page: Any) -> list[Any]:
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    if isinstance(contents, ArrayObject):
        return [item.get_object() for item in contents]
    return [contents]


def _own_streams(page: Any) -> list[Any]:
    """A page's own content streams: without the ``q``/marker streams a counterpart adds around them."""
    streams = _content_streams(page)
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is not None and MARKER_NAME in xobjects.get_object() and len(streams) >= 3:
        return streams[1:-1]
    return streams


def content_digest(reader: PdfReader) -> str:
    """SHA-256 over every page's own content streams (decoded): equal for a contract and its counterparts."""
    digest = hashlib.sha256()
    for page in reader.pages:
        for stream in _own_streams(page):
            data = stream.get_data()
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        digest.update(b"\x00page\x00")
    return digest.hexdigest()


def make_counterpart(base: bytes, copy: Copy) -> bytes:
    """The counterpart PDF for ``copy``: ``base`` with the 正本 marker on every page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
    marker = _marker_xobject(writer, copy.marker)
    opening = _stream(writer, b"q\n")
    for page in writer.pages:
        box = page.mediabox
        x = float(box.left) + _MARKER_X_MM * _MM
        y = float(box.top) - (_MARKER_TOP_MM + _MARKER_H_MM) * _MM
        painting = _stream(writer, f"Q\nq 1 0 0 1 {x:.3f} {y:.3f} cm {MARKER_NAME} Do Q\n".encode("ascii"))
        own = [stream.indirect_reference for stream in _content_streams(page)]
        page[NameObject("/Contents")] = ArrayObject([opening, *own, painting])
        # The resources may be shared with other pages: give each page its own copy, marker added.
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject(MARKER_NAME)] = marker
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
    # A file identifier from the content, never random: the same contract and marker give the same bytes.
    ident = hashlib.sha256(base + copy.marker.encode("utf-8")).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(ident), ByteStringObject(ident)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
