"""DOCX sections: a standalone annex (``standalone: true`` in parts.yaml) printed without the contract's furniture.

A form handed to someone outside the contract (附件五, the survey an end customer fills in) must print without the
contract's header (合同编号) and footer (第 X 页 共 Y 页). Word does that with sections, its own means: the body is cut
into runs of parts that share the flag, each run a section ending in a ``w:sectPr`` copied from the house
template's. The first section keeps the template's first-page header (``w:titlePg``); later ones do not, and
name the default header and footer again so that a section after a standalone one gets the furniture back; a
standalone section gets a header and a footer of its own, empty (python-docx adds the parts).

:func:`section_end` is what :mod:`contractgen.writers.docx` writes between two runs: a paragraph one twip high
(an ordinary empty line could push a full last page over onto a blank one) that carries an empty ``w:sectPr``,
which :func:`finish_sections` fills. This module must not write body text, nor change the house template's page
size, margins or the furniture's content.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from contractgen.document.tree import Document

__all__ = ["finish_sections", "section_end", "section_flags"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def section_end() -> str:
    """The paragraph that ends a section: too small to move anything, holding the section's properties."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
        '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr><w:sectPr/></w:pPr></w:p>'
    )


def section_flags(document: Document) -> list[bool]:
    """The standalone flag of each section of ``document``: one per run of parts that share it."""
    flags: list[bool] = []
    for n, part in enumerate(document.parts):
        if n == 0 or part.standalone != document.parts[n - 1].standalone:
            flags.append(part.standalone)
    return flags or [False]


def finish_sections(doc: Any, standalone: Sequence[bool]) -> None:
    """Fill the sections of ``doc`` (python-docx) whose runs of parts have the ``standalone`` flags given.

    ``standalone`` has one flag per section, in order: as many as :func:`section_end` paragraphs plus one.
    """
    body = doc.element.body
    template = body.find(f"{{{_W}}}sectPr")
    ends = [p for p in body.iter(f"{{{_W}}}sectPr") if p is not template and len(p) == 0]
    if len(ends) + 1 != len(standalone):
        raise AssertionError(f"{len(ends)} section ends for {len(standalone)} sections")  # a writer bug
    original = copy.deepcopy(template)
    for n, element in enumerate([*ends, template]):
        if element is not template:
            for child in original:
                element.append(copy.deepcopy(child))
        if n > 0:
            _drop(element, "titlePg")
            _drop_references(element, kind="first")
        if standalone[n]:
            _drop_references(element, kind=None)
    for n, flag in enumerate(standalone):
        if flag:  # no reference left: python-docx adds an empty header and footer of the section's own
            section = doc.sections[n]
            section.header.is_linked_to_previous = False
            section.footer.is_linked_to_previous = False


def _drop(element: Any, tag: str) -> None:
    for child in element.findall(f"{{{_W}}}{tag}"):
        element.remove(child)


def _drop_references(element: Any, *, kind: str | None) -> None:
    for tag in ("headerReference", "footerReference"):
        for child in element.findall(f"{{{_W}}}{tag}"):
            if kind is None or child.get(f"{{{_W}}}type") == kind:
                element.remove(child)
