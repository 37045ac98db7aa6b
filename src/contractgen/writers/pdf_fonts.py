"""PDF fonts: a real subset of each CID-keyed CFF face, embedded as bare CFF (``FontFile3 /CIDFontType0C``).

WeasyPrint 70 subsets with HarfBuzz's RETAIN_GIDS flag, so each "subset" of Noto Serif/Sans CJK keeps about
63,000 empty glyph slots for the few hundred glyphs a contract uses: nine tenths of the sample's PDF were those
three fonts (613 of 697 KB, 2.4 MB before compression). Here a face is subset without RETAIN_GIDS and only its
``CFF `` table is embedded. The pages need no change: a CID-keyed CFF subset keeps each glyph's CID, and for
Noto CJK (ROS Adobe-Identity-0) the CID of every glyph is its glyph id — what WeasyPrint writes into the
content streams, the ``/W`` widths and the ToUnicode map. That is checked on every subset (its charset must be
exactly the glyph ids asked for); a face for which it does not hold (a TrueType font, a name-keyed CFF, a
variable or colour font, glyphs missing from the face) goes through WeasyPrint's own embedding unchanged.

Poppler renders the pages pixel-identical to WeasyPrint's embedding (tests/writers/test_pdf_fonts.py), and the
text extracts the same. A real subset that keeps the OpenType wrapper (``/OpenType``) would be wrong: Poppler
and PDFium then draw other glyphs.

:func:`check_embedded` reads a written PDF back (pypdf) and fails unless each of its fonts is an embedded subset
of the configured families: a glyph no configured face has would have brought in a fallback face.

This module must not change what is drawn, only how the fonts are stored, and only inside :func:`real_subsets`
(contractgen's own PDFs: the writer's, the counterparts' marker), with WeasyPrint 70 (other versions embed as they
do); any other use of WeasyPrint in the process is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from contractgen.errors import FontError
from contractgen.writers.fonts import INSTALL_HINT

if TYPE_CHECKING:
    from contractgen.writers.fonts import ResolvedFonts

__all__ = ["bare_cff_subset", "check_embedded", "embedded_fonts", "install", "real_subsets"]

_T = TypeVar("_T")
_ACTIVE: ContextVar[bool] = ContextVar("real_subsets", default=False)

_CFF = b"CFF "
_DROPPED = (b"BASE", b"GDEF", b"GPOS", b"GSUB", b"JSTF", b"MATH", b"VORG", b"cmap", b"kern", b"morx", b"vhea", b"vmtx")


def _index(data: bytes | memoryview, at: int) -> tuple[list[bytes | memoryview], int]:
    """The entries of the CFF INDEX at ``at``, and the offset after it."""
    count = int.from_bytes(data[at : at + 2], "big")
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    offsets = [int.from_bytes(data[at + 3 + n * size : at + 3 + (n + 1) * size], "big") for n in range(count + 1)]
    base = at + 2 + (count + 1) * size
    return [data[base + offsets[n] : base + offsets[n + 1]] for n in range(count)], base + offsets[-1]


def _dict(data: bytes | memoryview) -> dict[int, list[float]]:
    """A CFF DICT: operator (12 x as 1200 + x) → operands."""
    entries: dict[int, list[float]] = {}
    operands: list[float] = []
    at = 0
    while at < len(data):
        byte = data[at]
        if byte <= 21:
            operator = 1200 + data[at + 1] if byte == 12 else byte
            at += 2 if byte == 12 else 1
            entries[operator], operands = operands, []
        elif byte in {28, 29}:
            width = 2 if byte == 28 else 4
            operands.append(int.from_bytes(data[at + 1 : at + 1 + width], "big", signed=True))
            at += 1 + width
        elif byte == 30:  # a real number: nibbles up to 0xf (its value is not needed here)
            at += 1
            while at < len(data) and data[at] & 0x0F != 0x0F and data[at] >> 4 != 0x0F:
                at += 1
            at += 1
            operands.append(0.0)
        elif byte <= 246:
            operands.append(byte - 139)
            at += 1
        elif byte <= 254:
            sign, base = (1, 247) if byte <= 250 else (-1, 251)
            operands.append(sign * ((byte - base) * 256 + data[at + 1] + 108))
            at += 2
        else:
            raise ValueError("CFF DICT: reserved byte")
    return entries


def _charset_cids(cff: bytes | memoryview) -> list[int] | None:
    """The CID of every glyph of a CID-keyed CFF font (ROS), in glyph order; None for a name-keyed one.

    Read by hand (header, Name and Top DICT INDEXes, the charset): microseconds, where fontTools takes 60 ms
    for the 65,535 glyphs of a Noto CJK face.
    """
    try:
        _names, after = _index(cff, cff[2])
        tops, _after = _index(cff, after)
        top = _dict(tops[0])
        if 1230 not in top or 15 not in top or 17 not in top:  # ROS, charset, CharStrings
            return None
        glyphs = int.from_bytes(cff[int(top[17][0]) : int(top[17][0]) + 2], "big")
        at = int(top[15][0])
        form, at = cff[at], at + 1
        cids = [0]
        while len(cids) < glyphs:
            if form == 0:
                cids.append(int.from_bytes(cff[at : at + 2], "big"))
                at += 2
                continue
            first = int.from_bytes(cff[at : at + 2], "big")
            width = 1 if form == 1 else 2
            left = int.from_bytes(cff[at + 2 : at + 2 + width], "big")
            cids.extend(range(first, first + left + 1))
            at += 2 + width
        return cids[:glyphs]
    except (IndexError, ValueError, KeyError):
        return None


_IDENTITY: dict[bytes, bool] = {}


def _cid_is_glyph_id(hb_face: Any) -> bool:
    """Whether every glyph of the face's CFF has its glyph id as its CID (Noto CJK: Adobe-Identity-0)."""
    # Keyed by the table's header, Name and Top DICT (they differ between faces) and its length. The table is
    # read where HarfBuzz holds it, never copied: a Noto CJK face's CFF is megabytes, and copying it was a
    # fiftieth of a warm render (for the key) and 30 ms of a cold one (for the charset).
    key = _read_table(hb_face, lambda table: bytes(table[:1024]) + len(table).to_bytes(8, "big"))
    if key not in _IDENTITY:
        cids = _read_table(hb_face, lambda table: _charset_cids(table) if table else None)
        _IDENTITY[key] = cids is not None and cids == list(range(len(cids)))
    return _IDENTITY[key]


def _read_table(hb_face: Any, read: Callable[[memoryview], _T]) -> _T:
    """What ``read`` makes of the face's ``CFF `` table (empty if it has none), seen in place while HarfBuzz
    holds it: ``read`` must copy whatever it keeps."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(hb_face, harfbuzz.hb_tag_from_string(_CFF, -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        with memoryview(ffi.buffer(data, int(length[0])) if data != ffi.NULL else b"") as table:
            return read(table)
    finally:
        harfbuzz.hb_blob_destroy(blob)


def bare_cff_subset(hb_face: Any, glyphs: Iterable[int], hinting: bool) -> bytes | None:
    """The ``CFF `` table of ``hb_face`` cut down to ``glyphs`` (and .notdef, and the glyphs their outlines
    use), or None unless every CID of the face is its glyph id (else the pages' codes would name other glyphs).
    """
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if not _cid_is_glyph_id(hb_face):
        return None

    wanted = sorted({0, *glyphs})
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    if subset_input == ffi.NULL:
        return None
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted), len(wanted))
    # Desubroutinized: smaller once compressed than with subroutines. No layout closure: the substitutes a
    # glyph could become (vertical forms, variants) are not drawn; the pages name every glyph they draw.
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE | harfbuzz_subset.HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    # Only the CFF table is embedded: the others need not be subset (cmap's variation sequences would also
    # add glyphs).
    drop = harfbuzz_subset.hb_subset_input_set(subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROPPED)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(hb_face, subset_input), harfbuzz.hb_face_destroy)
    if face == ffi.NULL:
        return None
    cff = _read_table(face, bytes)
    cids = _charset_cids(cff) if cff else None
    if cids is None or not set(wanted) <= set(cids):
        return None
    return cff


def _side_by_side(jobs: list[tuple[Any, set[int]]], hinting: bool) -> list[bytes | None]:
    """:func:`bare_cff_subset` of each (face, glyphs), in order — the faces one thread each beside this one.

    HarfBuzz does the work with the interpreter's lock released (cffi releases it around every C call), on
    faces no other thread touches, so the faces are cut at once on a second core: the sample's three (4, 9 and
    5 ms warm, 11-15 ms each cold) take the time of the largest, while the PDF is written in one process alone.
    Each subset is the same bytes however the threads run: they share nothing."""
    import threading

    results: list[bytes | None] = [None] * len(jobs)
    errors: list[BaseException] = []

    def cut(index: int) -> None:
        face, glyphs = jobs[index]
        try:
            results[index] = bare_cff_subset(face, glyphs, hinting) if glyphs else None
        except BaseException as error:  # raised again in the writing thread
            errors.append(error)

    threads = [threading.Thread(target=cut, args=(n,), name="contractgen-font-subset") for n in range(1, len(jobs))]
    for thread in threads:
        thread.start()
    try:
        if jobs:
            cut(0)
    finally:
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return results


def _eligible(font: Any) -> bool:
    # The face's own tables, not ``font.type``: WeasyPrint reads that from the file, a collection (.ttc) for Noto CJK.
    return (
        "CFF " in font.tables
        and "glyf" not in font.tables
        and "fvar" not in font.tables
        and not (font.bitmap or font.png or font.svg or font.colr or font.missing or font.used_in_forms)
    )


def install(pdf_module: Any) -> None:
    """Make WeasyPrint's PDF writer (``weasyprint.pdf``) embed every eligible face as a bare CFF subset."""
    original: Callable[..., Any] = pdf_module.build_fonts_dictionary
    if getattr(original, "contractgen_bare_cff", False):
        return
    from weasyprint.pdf.fonts import Font

    class BareCFFFont(Font):  # type: ignore[misc]
        """A face whose ``file_content`` is already its bare CFF subset: nothing left to clean."""

        @property
        def type(self) -> str:
            return "otf"  # CIDFontType0 and FontFile3, as for the OpenType font it came from

        def clean(self, to_unicode: Any, hinting: Any) -> None:
            return None

    def build_fonts_dictionary(pdf: Any, fonts: dict[Any, Any], compress: bool, subset: bool, options: Any) -> Any:
        if not _ACTIVE.get():
            return original(pdf, fonts, compress, subset, options)
        groups: dict[str, list[Any]] = {}
        for font in fonts.values():
            groups.setdefault(font.hash, []).append(font)
        bare: list[bytes] = []
        eligible = [group for group in groups.values() if subset and _eligible(group[0])]
        hinting = bool(options["hinting"])
        jobs = [(group[0].hb_face, {glyph for font in group for glyph in font.to_unicode}) for group in eligible]
        for group, cff in zip(eligible, _side_by_side(jobs, hinting), strict=True):
            if cff is None:
                continue
            for font in group:
                font.file_content = cff
                font.__class__ = BareCFFFont
            bare.append(cff)
        first = len(pdf.objects)
        result = original(pdf, fonts, compress, subset, options)
        for obj in pdf.objects[first:]:
            stream = getattr(obj, "stream", None)
            if stream and any(stream[0] is cff for cff in bare):
                obj.extra["Subtype"] = "/CIDFontType0C"
        return result

    build_fonts_dictionary.contractgen_bare_cff = True  # type: ignore[attr-defined]
    build_fonts_dictionary.__wrapped__ = original  # type: ignore[attr-defined]  # WeasyPrint's own, for the tests
    pdf_module.build_fonts_dictionary = build_fonts_dictionary


def real_subsets() -> AbstractContextManager[None]:
    """PDFs that WeasyPrint writes inside the block embed bare CFF subsets (WeasyPrint 70; else unchanged)."""
    from contractgen.writers.weasyprint_loading import patched_for_block

    return patched_for_block(_ACTIVE, install, "weasyprint.pdf")


# --- the fonts of a written PDF ---------------------------------------------------------------------------

_SUBSET_PREFIX = re.compile(r"[A-Z]{6}\+")


def embedded_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(BaseFont name, embedded?) of every font the PDF's pages use, in order of first use."""
    from contractgen.writers.page_positions import pdf_reader

    reader = pdf_reader(pdf)
    found: dict[str, bool] = {}

    def visit(resources: Any, depth: int = 0) -> None:
        if resources is None or depth > 8:
            return
        resources = resources.get_object()
        for reference in (resources.get("/Font") or {}).values():
            font = reference.get_object()
            name = str(font.get("/BaseFont", ""))
            descriptor = None
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            elif "/FontDescriptor" in font:
                descriptor = font["/FontDescriptor"]
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.setdefault(name.lstrip("/"), embedded)
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"), depth + 1)

    for page in reader.pages:
        visit(page.get("/Resources"))
    return list(found.items())


def check_embedded(pdf: bytes, fonts: ResolvedFonts) -> None:
    """A FontError unless every font of ``pdf`` is a subset, embedded, of the configured families."""
    families = [family.replace(" ", "-") for family in fonts.fonts.families]
    allowed = {family + suffix for family in families for suffix in ("", "-Bold")}
    for name, embedded in embedded_fonts(pdf):
        base = _SUBSET_PREFIX.sub("", name, count=1)
        if not embedded or not _SUBSET_PREFIX.match(name):
            raise FontError(f"PDF 中的字体 {name} 没有以子集方式嵌入")
        if base not in allowed:
            raise FontError(
                f"PDF 使用了未指定的字体 {base}（应只用：{'、'.join(fonts.fonts.families)}），"
                f"说明有字符不在指定字体中。{INSTALL_HINT}"
            )
