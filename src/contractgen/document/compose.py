"""Compose: the wording templates of a contract type, filled from the context, as one document tree.

Each part listed in the folder's ``parts.yaml`` (:mod:`contractgen.document.templates`) is rendered exactly once
from the context and its output parsed (:mod:`contractgen.document.markup`) into blocks; an annex part gets its
heading (附件一：<title>) from ``parts.yaml`` and its number from the context's annex list.

This module must not compute wording from the contract (that is :mod:`contractgen.document.context`), nor know
any file format, nor name a contract type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contractgen.document.markup import parse_part
from contractgen.document.structure import check_structure
from contractgen.document.templates import PARTS_FILE, TemplateFolder, present_parts, render_template
from contractgen.document.tree import Block, Document, Part, Text, Title
from contractgen.errors import TemplateError

__all__ = ["ANNEX_HEADING", "compose"]

#: How an annex's heading is made from its number and its title in parts.yaml.
ANNEX_HEADING = "附件{number_cn}：{title}"


def compose(folder: TemplateFolder, context: Mapping[str, Any]) -> Document:
    """Every part of ``folder`` the contract has (:func:`present_parts`), rendered from ``context``, as one
    document tree.

    ``context`` is what :func:`contractgen.document.context.build_context` returns; an annex template also sees
    ``annex`` (the entry of ``context["annexes"]`` whose ``id`` is the part's id).
    """
    annexes = {a.id: a for a in context.get("annexes", ())}
    parts: list[Part] = []
    for spec in present_parts(folder.parts, (entry.key for entry in context.get("parties", ()))):
        part_context = dict(context)
        number: int | None = None
        number_cn: str | None = None
        blocks: tuple[Block, ...] = ()
        title = str(context.get("title", folder.title))
        if spec.kind == "annex":
            annex = annexes.get(spec.id)
            if annex is None:
                raise TemplateError(f"{folder.path / PARTS_FILE}: 上下文中没有附件 {spec.id}")
            part_context["annex"] = annex
            number, number_cn, title = annex.number, annex.number_cn, annex.title
            heading = ANNEX_HEADING.format(number_cn=number_cn, title=title)
            blocks = (Title((Text(heading),), level=2),)
        elif spec.title:
            title = spec.title
        xml = render_template(folder, spec.template, part_context)
        blocks += parse_part(xml, source=str(folder.path / spec.template))
        parts.append(Part(spec.id, spec.kind, title, blocks, number, number_cn, spec.standalone))
    document = Document(str(context.get("title", folder.title)), str(context["contract_no"]), tuple(parts))
    check_structure(document, str(folder.path))
    return document
