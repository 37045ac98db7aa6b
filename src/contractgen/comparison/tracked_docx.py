"""The tracked-changes DOCX: the new version as Word writes it, its differences from the old as Word revisions.

Both versions are laid out first, as ``render`` lays them out (whether a signature block goes to a page of its own
is the PDF layout's to say, and the DOCX follows it), so that accepting every revision gives exactly the text of
the new version's DOCX and rejecting every one the old version's. The merged tree (:mod:`.merged`) is written by
the DOCX writer on the new version's house template, unchanged; :mod:`.revisions` turns its marks into ``w:ins``
and ``w:del``; the package is then zipped reproducibly and every part re-parsed strictly, as every DOCX
contractgen writes. Revisions are by ``contractgen``, dated as the new version's files are (its signing date, or
``SOURCE_DATE_EPOCH``).

This module must not change a word of either version, and must not read the clock.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from contractgen.comparison.merged import merged_document
from contractgen.comparison.report import Comparison
from contractgen.comparison.revisions import MARK_CHARACTERS, DocxMarks, revise
from contractgen.comparison.versions import Version
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Document, part_text
from contractgen.errors import RenderError, TemplateError
from contractgen.writers.fonts import FontSet, ResolvedFonts
from contractgen.writers.ooxml import check_xml_parts, normalise_zip
from contractgen.writers.rendering import HOUSE_TEMPLATE, PRINT_STYLESHEET, document_date

__all__ = ["laid_out", "tracked_docx"]

DOCUMENT_PART = "word/document.xml"


def laid_out(version: Version, fonts: ResolvedFonts, *, assets: TemplateFolder | None = None) -> Document:
    """The version's document tree as ``render`` writes it: with the PDF layout's signature-page decision. A
    template folder without a print stylesheet of its own or above it (an older type folder copied alone, for
    ``--templates-old``) is laid out with the one of ``assets``."""
    from contractgen.writers.pdf import lay_out_pdf

    signing = version.contract.signing
    folder = version.folder
    try:
        stylesheet, roots = folder.asset(PRINT_STYLESHEET), folder.asset_roots
    except TemplateError:
        if assets is None:
            raise
        stylesheet, roots = assets.asset(PRINT_STYLESHEET), (*folder.asset_roots, *assets.asset_roots)
    return lay_out_pdf(
        version.document,
        stylesheet=stylesheet,
        asset_roots=roots,
        fonts=fonts,
        when=document_date(version.contract),
        cross_page_seal_mm=signing.seal_mm if signing.cross_page_seal else None,
    ).document


def _check_unmarked(*documents: Document) -> None:
    for document in documents:
        for part in document.parts:
            found = MARK_CHARACTERS & set(part_text(part))
            if found:
                shown = "、".join(f"U+{ord(c):04X}" for c in sorted(found))
                raise RenderError(f"合同文字中含有 Unicode 非字符 {shown}，无法生成修订标记")


def _revised(data: bytes, when: datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, revise(content, when) if info.filename == DOCUMENT_PART else content)
    package = normalise_zip(out.getvalue(), when)
    check_xml_parts(package)
    return package


def tracked_docx(comparison: Comparison, *, fonts: FontSet | None = None) -> bytes:
    """The DOCX of the new version with Word tracked changes against the old."""
    from contractgen.writers.docx import write_docx
    from contractgen.writers.fonts import resolve

    fonts = fonts or FontSet()
    resolved = resolve(fonts)
    old = laid_out(comparison.old, resolved, assets=comparison.new.folder)
    new = laid_out(comparison.new, resolved)
    _check_unmarked(old, new)
    when = document_date(comparison.new.contract)
    merged = merged_document(old, new, DocxMarks())
    house = comparison.new.folder.asset(HOUSE_TEMPLATE)
    data = write_docx(merged, house=house, context=comparison.new.context, when=when, fonts=fonts)
    return _revised(data, when)
