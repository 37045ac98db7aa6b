"""PDF/A-3b copies of a bundle's PDFs, with the spec and the manifest attached.

A PDF from WeasyPrint already embeds every font (subset, with ToUnicode) and draws without transparency or
encryption. What PDF/A-3b adds, and this module writes, is: a PDF 1.7 header and a file identifier; an sRGB
output intent (WeasyPrint's own sRGB2014 ICC profile); XMP metadata declaring ``pdfaid:part 3`` /
``conformance B`` that agrees with the document information dictionary (title, producer, creator, dates
— the only entries it keeps); and the attachments as associated files (``/AF``, ``/AFRelationship``: the
spec is ``/Source``, the manifest ``/Data``), each with its MIME type, size and date.

The manifest attached to a PDF/A file is the bundle's manifest *before* the PDF/A files were added (a file
cannot hold its own hash): the contract PDF and counterparts with their hashes. The bundle's ``manifest.json``
then covers the PDF/A files themselves.

Every date is the epoch; the identifier comes from the content — the same input gives the same bytes. This
module must not change page content. (The structure is checked by the tests; no PDF/A validator such as
veraPDF runs here.)
"""


from __future__ import annotations

import hashlib
import io
import logging
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractgen.bundling.manifest import Epoch

__all__ = ["MIME_TYPES", "RELATIONSHIPS", "to_pdfa"]

MIME_TYPES = {".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json"}
#: How each attachment relates to the document (ISO 19005-3 / PDF 2.0 ``/AFRelationship``).
RELATIONSHIPS = {"spec.yaml": "/Source", "manifest.json": "/Data"}


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp(title: str, producer: str, creator: str, moment: datetime) -> bytes:
    iso = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{escape(producer)}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:MetadataDate>{iso}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def _srgb_profile() -> bytes:
    from importlib.resources import files

    return (files("weasyprint") / "pdf" / "sRGB2014.icc").read_bytes()


def to_pdfa(pdf: bytes, *, attachments: dict[str, bytes], epoch: Epoch, title: str) -> bytes:
    """``pdf`` as PDF/A-3b with ``attachments`` (``{file name: bytes}``) embedded as associated files."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DecodedStreamObject,
        NameObject,
    )

    moment = datetime.fromtimestamp(epoch.seconds, UTC)
    # Cloning a counterpart makes pypdf warn that it holds more objects than the source's trailer /Size
    # (the marker's); the written file's /Size is right. Keep that noise out of the user's terminal.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    finally:
        pypdf_log.setLevel(level)
    writer.pdf_header = b"%PDF-1.7"
    info = writer.metadata
    producer = str(info.get("/Producer", "contractgen")) if info is not None else "contractgen"
    creator = str(info.get("/Creator", "contractgen")) if info is not None else "contractgen"
    writer.metadata = None  # only entries mirrored in the XMP below may stay

    writer.add_metadata(
        {
            "/Title": title,
            "/Producer": producer,
            "/Creator": creator,
            "/CreationDate": _pdf_date(moment),
            "/ModDate": _pdf_date(moment),
        }
    )
    metadata = DecodedStreamObject()
    metadata.set_data(_xmp(title, producer, creator, moment))
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(metadata)

    _add_output_intent(writer)
    _attach(writer, attachments, moment)

    ident = hashlib.sha256(pdf + b"pdf/a-3b" + b"".join(sorted(attachments.values()))).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(ident), ByteStringObject(ident)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_output_intent(writer: Any) -> None:
    """The sRGB output intent PDF/A requires."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    profile = DecodedStreamObject()
    profile.set_data(_srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])


def _attach(writer: Any, attachments: dict[str, bytes], moment: datetime) -> None:
    """``attachments`` embedded as associated files (/AF), each with its MIME type and relationship."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

    associated = ArrayObject()
    for name, data in sorted(attachments.items()):
        embedded = writer.add_attachment(name, data)
        suffix = name[name.rfind(".") :]
        mime = MIME_TYPES.get(suffix, "application/octet-stream")
        embedded.subtype = NameObject("/" + mime.replace("/", "#2F"))
        embedded.size = NumberObject(len(data))
        embedded.modification_date = moment
        embedded.associated_file_relationship = NameObject(RELATIONSHIPS.get(name, "/Unspecified"))
        embedded.alternative_name = TextStringObject(name)
        embedded.description = TextStringObject({"spec.yaml": "合同规格（YAML）"}.get(name, "bundle 清单"))
        associated.append(embedded.pdf_object.indirect_reference)
    writer.root_object[NameObject("/AF")] = associated
