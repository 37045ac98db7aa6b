"""Revisions: the marks of a merged tree, written by the DOCX writer as text, turned into Word's tracked changes.

The DOCX writer writes text as it reads (:mod:`contractgen.writers.docx`); it has no notion of a revision. So
:class:`DocxMarks` marks the merged tree's text with Unicode noncharacters — U+FDD0…U+FDD7, which Unicode keeps for
a program's internal use and which neither version's text may hold — and :func:`revise` then walks the written
``word/document.xml`` in document order: each run is cut where a mark opens or closes, inserted pieces are wrapped
in ``w:ins``, deleted ones in ``w:del`` with their ``w:t`` as ``w:delText``; a paragraph marked whole has its
paragraph mark inserted or deleted too (so accepting or rejecting leaves no empty paragraph), a row marked whole
is an inserted or deleted row (``w:trPr``), and a table all of whose rows with text are so marked has its empty
rows marked with them. Every revision has the author ``contractgen``, the given date and an id in document order,
so the same comparison gives the same bytes. No mark character is left in the file.

This module must not change a word, and must not read the clock.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from contractgen.comparison.merged import Mark
from contractgen.document.tree import Blank, Inline, Text

__all__ = ["MARK_CHARACTERS", "DocxMarks", "revise"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "contractgen"

OPEN = {"ins": "\ufdd0", "del": "\ufdd2"}
CLOSE = {"ins": "\ufdd1", "del": "\ufdd3"}
WHOLE = {"ins": "\ufdd4", "del": "\ufdd5"}
ROW = {"ins": "\ufdd6", "del": "\ufdd7"}
MARK_CHARACTERS = frozenset("".join((*OPEN.values(), *CLOSE.values(), *WHOLE.values(), *ROW.values())))
_STATE_OF = {OPEN["ins"]: "ins", OPEN["del"]: "del", CLOSE["ins"]: None, CLOSE["del"]: None}


class DocxMarks:
    """The merged tree's marks as noncharacters in its text, for :func:`revise` to find."""

    def text(self, text: str, mark: Mark) -> Inline:
        return Text(f"{OPEN[mark]}{text}{CLOSE[mark]}")

    def label(self, old: str, new: str) -> tuple[str, tuple[Inline, ...]]:
        return f"{OPEN['del']}{old}{CLOSE['del']}{OPEN['ins']}{new}{CLOSE['ins']}", ()

    def whole(self, mark: Mark) -> tuple[Inline, ...]:
        return (Text(WHOLE[mark]),)

    def row(self, mark: Mark) -> tuple[Inline, ...]:
        return (Text(ROW[mark]),)

    def number(self, num: str, mark: Mark) -> tuple[str, tuple[Inline, ...]]:
        return num, ()  # the whole paragraph's revision takes its number with it

    def blank(self, blank: Blank, mark: Mark) -> tuple[Inline, ...]:
        return Text(OPEN[mark]), blank, Text(CLOSE[mark])  # the writer's run between: marked as it stands


class _Revisions:
    def __init__(self, when: datetime) -> None:
        self.ids = itertools.count(1)
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def element(self, mark: str) -> Any:
        return etree.Element(f"{W}{mark}", {f"{W}id": str(next(self.ids)), f"{W}author": AUTHOR, f"{W}date": self.date})


def _segments(run: Any, state: str | None) -> Iterator[tuple[str | None, Any]]:
    """The content of ``run`` as (state, element) pieces: its ``w:t`` cut at every mark, other content whole."""
    for child in run:
        if child.tag == f"{W}rPr":
            continue
        if child.tag != f"{W}t":
            yield state, child
            continue
        piece = ""
        for char in child.text or "":
            if char in _STATE_OF:
                if piece:
                    yield state, piece
                piece, state = "", _STATE_OF[char]
            elif char not in MARK_CHARACTERS:
                piece += char
        if piece:
            yield state, piece
    yield "end", state  # the state the next run starts in


def _run(template: Any, content: Any, deleted: bool) -> Any:
    run = etree.Element(f"{W}r")
    properties = template.find(f"{W}rPr")
    if properties is not None:
        run.append(copy.deepcopy(properties))
    if isinstance(content, str):
        text = etree.SubElement(run, f"{W}delText" if deleted else f"{W}t")
        text.set(XML_SPACE, "preserve")
        text.text = content
    else:
        run.append(copy.deepcopy(content))
    return run


def _paragraph_text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def _revise_paragraph(paragraph: Any, revisions: _Revisions) -> str | None:
    """Cut and wrap the runs of ``paragraph``; return the row mark it carries, if any."""
    text = _paragraph_text(paragraph)
    whole = next((mark for mark, char in WHOLE.items() if char in text), None)
    row = next((mark for mark, char in ROW.items() if char in text), None)
    state: str | None = None
    for run in [child for child in paragraph if child.tag == f"{W}r"]:
        out: list[Any] = []
        for piece_state, content in _segments(run, state):
            if piece_state == "end":
                state = content
                continue
            mark = whole or piece_state
            element = _run(run, content, mark == "del")
            if mark is None:
                out.append(element)
            elif out and out[-1].tag == f"{W}{mark}":
                out[-1].append(element)
            else:
                wrapper = revisions.element(mark)
                wrapper.append(element)
                out.append(wrapper)
        for element in out:
            run.addprevious(element)
        paragraph.remove(run)
    if whole:
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            properties = etree.Element(f"{W}pPr")
            paragraph.insert(0, properties)
        marks = properties.find(f"{W}rPr")
        if marks is None:
            marks = etree.Element(f"{W}rPr")
            section = properties.find(f"{W}sectPr")
            (section.addprevious if section is not None else properties.append)(marks)
        marks.insert(0, revisions.element(whole))  # CT_ParaRPr: the revision mark comes first
    return row


def _has_text(element: Any) -> bool:
    return any((t.text or "").strip() for tag in ("t", "delText") for t in element.iter(f"{W}{tag}"))


def _mark_row(row: Any, mark: str, revisions: _Revisions) -> None:
    properties = row.find(f"{W}trPr")
    if properties is None:
        properties = etree.Element(f"{W}trPr")
        row.insert(0, properties)
    if properties.find(f"{W}{mark}") is None:
        properties.append(revisions.element(mark))


def revise(xml: bytes, when: datetime) -> bytes:
    """``word/document.xml`` with its marks made Word revisions dated ``when``."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    revisions = _Revisions(when)
    rows: dict[Any, str] = {}
    for paragraph in list(root.iter(f"{W}p")):
        if not MARK_CHARACTERS & set(_paragraph_text(paragraph)):
            continue
        row_mark = _revise_paragraph(paragraph, revisions)
        row = next(paragraph.iterancestors(f"{W}tr"), None)
        if row_mark and row is not None:
            rows[row] = row_mark
    for row, mark in rows.items():
        _mark_row(row, mark, revisions)
    for table in root.iter(f"{W}tbl"):
        own = [r for r in table if r.tag == f"{W}tr"]
        found = {rows.get(r) for r in own if _has_text(r) or r in rows}
        whole = found.pop() if len(found) == 1 else None
        if whole is not None:
            for r in own:
                _mark_row(r, whole, revisions)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
