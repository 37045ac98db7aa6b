"""A bundle's ``signing-positions.json`` checked against the PDFs it describes.

The file must be the JSON :mod:`.positions` writes (format ``contractgen-signing-positions/1``, units ``pt``,
origin ``lower-left``). Every document it names must be a PDF of the bundle, and every PDF of the bundle that
carries signature fields must be named. Each entry's page must exist in its PDF and its ``page_size`` must be
that page's MediaBox; an entry with a ``field`` must lie on that PDF's signature field of the name, on the same
page, with the same rectangle; and every signature field of the PDF must have such an entry. Sizes and
rectangles are compared within :data:`TOLERANCE_PT` (the file rounds to 0.01 pt). An unsigned PDF has no
fields: then only its pages are checked, unless its manifest entry says it is signed.

:func:`pdf_facts` reads what is needed of one PDF (page sizes, signature fields) while the verify stage holds
its bytes; :func:`check_positions` compares. Problems come back as ``(file, message)`` pairs, which
:mod:`.verification` turns into its ``Problem`` — this module does not import it, so there is no cycle.

The PDFs come from someone else: whatever pypdf raises on them is that file's problem, never passed on, and
field trees are walked to a bounded depth and count. This module must not print, must not open any file, and
must not repair or change anything: it compares bytes it is handed.
"""

# pypdf is imported inside the function that uses it, so that `import contractgen` stays instant.

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from contractgen.bundling.manifest import ManifestError, load_json
from contractgen.bundling.positions import FORMAT, POSITIONS_NAME
from contractgen.bundling.signature_check import error_text, printable

__all__ = ["TOLERANCE_PT", "PdfFacts", "check_positions", "pdf_facts"]

#: How far a size or a rectangle may differ, in points.
TOLERANCE_PT = 0.5
#: Signature fields read from one PDF, and how deep a field tree is followed: a real bundle has two, one deep.
_MAX_FIELDS = 200
_MAX_DEPTH = 16
#: Problems reported per file: one wrong rectangle in every entry of a big file need not be said a thousand times.
_MAX_PROBLEMS = 50

_PARTIES = {"a": "甲方", "b": "乙方"}
_KINDS = {"seal": "盖章", "signature": "签字"}

Rect = tuple[float, float, float, float]


@dataclass
class PdfFacts:
    """What the positions are checked against, of one PDF: each page's MediaBox size and its signature fields."""

    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    fields: dict[str, list[tuple[int | None, Rect]]] = field(default_factory=dict)  # name → (1-based page, rect)
    error: str | None = None  # the PDF could not be read: nothing is checked against it


def pdf_facts(data: bytes) -> PdfFacts:
    """The page sizes and signature fields of the PDF ``data``; ``error`` set when pypdf cannot read them."""
    import io

    from pypdf import PdfReader

    facts = PdfFacts()
    try:
        reader = PdfReader(io.BytesIO(data))
        for number, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            facts.page_sizes.append((float(box.width), float(box.height)))
            for annotation in _array(page.get("/Annots")):
                _add_widget(facts, annotation.get_object(), number)
        root: Any = reader.trailer["/Root"].get_object()
        acroform = root.get("/AcroForm")
        for top in _array(acroform.get_object().get("/Fields") if acroform is not None else None):
            _add_field(facts, top.get_object(), "", 0)
    except Exception as error:  # a hostile PDF can break pypdf's parser in any way
        facts.error = f"PDF 结构无法解析，签名位置无法核对（{error_text(error)}）"
    return facts


def _array(value: Any) -> list[Any]:
    value = value.get_object() if value is not None else None
    return list(value)[: _MAX_FIELDS * 10] if isinstance(value, list) else []


def _add_widget(facts: PdfFacts, widget: Any, page: int) -> None:
    """A page's annotation: when it is (the widget of) a signature field, that field's place on ``page``."""
    if not isinstance(widget, dict) or widget.get("/Subtype") != "/Widget" or len(facts.fields) >= _MAX_FIELDS:
        return
    node, names, kind = widget, [], None
    for _ in range(_MAX_DEPTH):
        kind = kind or node.get("/FT")
        if "/T" in node:
            names.append(str(node["/T"]))
        parent = node.get("/Parent")
        if parent is None:
            break
        node = parent.get_object()
    if kind != "/Sig" or not names:
        return
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    facts.fields.setdefault(".".join(reversed(names)), []).append((page, rect))


def _add_field(facts: PdfFacts, node: Any, prefix: str, depth: int) -> None:
    """A field of the AcroForm tree: a signature field that no page shows is still a field (on no page)."""
    if not isinstance(node, dict) or depth >= _MAX_DEPTH or len(facts.fields) >= _MAX_FIELDS:
        return
    name = f"{prefix}.{node['/T']}" if prefix and "/T" in node else str(node.get("/T", prefix))
    kids = _array(node.get("/Kids"))
    if node.get("/FT") == "/Sig" and not any("/T" in kid.get_object() for kid in kids):
        facts.fields.setdefault(name, [])
        return
    for kid in kids:
        _add_field(facts, kid.get_object(), name, depth + 1)


def check_positions(
    data: bytes, files: dict[str, Any], pdfs: set[str], facts: dict[str, PdfFacts]
) -> list[tuple[str, str]]:
    """Problems of ``signing-positions.json`` (``data``) as ``(file, message)``.

    ``files`` is the manifest's files table, ``pdfs`` the names of the bundle's PDFs, ``facts`` what was read of
    each PDF that could be read (a PDF missing here is already a problem of its own and is not checked again).
    """
    problems = list(_problems(data, files, pdfs, facts))
    if len(problems) > _MAX_PROBLEMS:
        more = len(problems) - _MAX_PROBLEMS
        problems = [*problems[:_MAX_PROBLEMS], (POSITIONS_NAME, f"另有 {more} 处不符，未一一列出")]
    return problems


def _problems(
    data: bytes, files: dict[str, Any], pdfs: set[str], facts: dict[str, PdfFacts]
) -> Iterator[tuple[str, str]]:
    for name, found in sorted(facts.items()):
        if found.error is not None:
            yield name, found.error
    try:
        body = load_json(data)
    except ManifestError as error:
        yield POSITIONS_NAME, f"签署位置文件无法读取：{error}"
        return
    header = _header_issue(body)
    if header is not None:
        yield POSITIONS_NAME, header
        return
    entries: list[Any] = body["positions"]
    named: set[str] = set()
    covered: set[tuple[str, str]] = set()
    for number, entry in enumerate(entries, start=1):
        shape = _shape_issue(entry)
        if shape is not None:
            yield POSITIONS_NAME, f"第 {number} 项：{shape}"
            continue
        document: str = entry["document"]
        named.add(document)
        if "field" in entry:
            covered.add((document, entry["field"]))
        label = _label(number, entry)
        if document not in pdfs:
            yield POSITIONS_NAME, f"{label}：bundle 中没有此 PDF 文件"
            continue
        pdf = facts.get(document)
        if pdf is None or pdf.error is not None:
            continue  # an unreadable PDF is already a problem of its own
        signed = isinstance(files.get(document), dict) and files[document].get("signed") is True
        for issue in _entry_issues(entry, pdf, expect_fields=signed or bool(pdf.fields)):
            yield POSITIONS_NAME, f"{label}：{issue}"
    yield from _unlisted(facts, named, covered)


def _header_issue(body: Any) -> str | None:
    """What is wrong with the file as a whole: not an object, another format, other units or origin, no list."""
    if not isinstance(body, dict):
        return "签署位置文件不是 JSON 对象"
    wanted = {"format": FORMAT, "units": "pt", "origin": "lower-left"}
    for key, value in wanted.items():
        if body.get(key) != value:
            return f"{key} 应为 {value!r}，实际为 {printable(repr(body.get(key)), 80)}"
    if not isinstance(body.get("positions"), list):
        return "缺少 positions 列表"
    return None


def _shape_issue(entry: Any) -> str | None:
    """What is wrong with one entry's fields, as JSON: missing, or of the wrong type."""
    if not isinstance(entry, dict):
        return "不是 JSON 对象"
    for key in ("document", "party", "kind", "keyword"):
        if not isinstance(entry.get(key), str):
            return f"{key} 应为字符串"
    if "field" in entry and not isinstance(entry["field"], str):
        return "field 应为字符串"
    page = entry.get("page")
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        return "page 应为从 1 起的页码"
    for key, length in (("rect", 4), ("page_size", 2)):
        if not _numbers(entry.get(key), length):
            return f"{key} 应为 {length} 个数"
    return None


def _numbers(value: Any, length: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == length
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    )


def _label(number: int, entry: dict[str, Any]) -> str:
    """``第 3 项（contract.pdf 第 6 页 PartyA）``: the entry, as a person finds it in the file."""
    party = _PARTIES.get(entry["party"], entry["party"])
    who = entry.get("field") or f"{party}{_KINDS.get(entry['kind'], entry['kind'])}"
    return f"第 {number} 项（{printable(entry['document'], 80)} 第 {entry['page']} 页 {printable(who, 40)}）"


def _entry_issues(entry: dict[str, Any], facts: PdfFacts, *, expect_fields: bool) -> Iterator[str]:
    """One well-formed entry against its PDF: the page, its size, and (when it names one) the signature field."""
    page: int = entry["page"]
    if page > len(facts.page_sizes):
        yield f"页码超出 PDF 的页数（共 {len(facts.page_sizes)} 页）"
        return
    width, height = facts.page_sizes[page - 1]
    if not _close([width, height], entry["page_size"]):
        yield f"page_size 与 PDF 该页的 MediaBox 不符（PDF 为 {width:.2f} × {height:.2f} pt）"
    name = entry.get("field")
    if name is None or not expect_fields:
        return
    places = facts.fields.get(name)
    if places is None:
        yield f"PDF 中没有名为 {printable(name, 40)} 的签名域"
    elif not any(on == page for on, _ in places):
        pages = "、".join(str(on) for on, _ in places if on is not None) or "无"
        yield f"签名域 {printable(name, 40)} 不在此页（PDF 中在第 {pages} 页）"
    elif not any(on == page and _close(list(rect), entry["rect"]) for on, rect in places):
        yield "位置与 PDF 的签名域不符"


def _close(actual: list[float], expected: list[float]) -> bool:
    return all(abs(a - e) <= TOLERANCE_PT for a, e in zip(actual, expected, strict=True))


def _unlisted(facts: dict[str, PdfFacts], named: set[str], covered: set[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """PDFs with signature fields that the file does not name, and fields that no entry describes."""
    for document, found in sorted(facts.items()):
        if found.error is not None or not found.fields:
            continue
        shown = printable(document, 80)
        if document not in named:
            yield POSITIONS_NAME, f"未列出 {shown}，但该 PDF 含签名域（{'、'.join(sorted(found.fields))}）"
            continue
        for name in sorted(found.fields):
            if (document, name) not in covered:
                yield POSITIONS_NAME, f"{shown} 的签名域 {printable(name, 40)} 没有对应的条目（field）"
