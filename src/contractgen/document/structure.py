"""Structure: the render-time check that everything the parties agree stands above their signatures.

A lawyer reads a contract's signature block as the end of what is agreed. Text after it, unsigned, is at best
an argument and at worst a trap, so every contract type's composed document is held to one shape:

1. the agreement's text (every part that is not an annex) holds exactly one signature block, in its last part;
2. directly before that block (blank lines aside) stands ``（以下无正文）`` — the reader's sign that the text ends
   there — and after it, in that part, nothing but blank lines;
3. after it come only annexes, and only annexes that an incorporation clause of the signed text names
   (``<clause incorporates="annex-01 …">``) as parts of the contract; the clause names no part that does not exist.

A breach is the template's fault, so it is a :class:`~contractgen.errors.TemplateError` (exit 4) naming the
template folder and what is out of place. This module reads the tree only: it must not render, reword or move
anything, and must not name a contract type.
"""

from __future__ import annotations

from contractgen.document.tree import (
    Block,
    Clause,
    Document,
    PageBreak,
    Paragraph,
    Part,
    Signature,
    Spacer,
    block_texts,
    inline_text,
    iter_blocks,
)
from contractgen.errors import TemplateError

__all__ = ["END_OF_TEXT", "check_structure"]

#: The line that closes the agreed text, directly above the signature block.
END_OF_TEXT = "（以下无正文）"

_BLANK = (Spacer, PageBreak)


def _first_text(block: Block) -> str:
    text = next((t for t in block_texts(block) if t.strip()), "")
    return text[:30]


def check_structure(document: Document, source: str) -> None:
    """Raise a TemplateError naming ``source`` unless ``document`` has the shape of the module docstring."""
    problem = _problem(document)
    if problem:
        raise TemplateError(f"{source}: 合同结构错误：{problem}")


def _problem(document: Document) -> str | None:
    text_parts = [p for p in document.parts if p.kind != "annex"]
    signed = [p for p in text_parts for b in iter_blocks(p.blocks) if isinstance(b, Signature)]
    if len(signed) != 1:
        return f"合同正文应有且只有一个签署栏（<signature>），实有 {len(signed)} 个"
    index = document.parts.index(signed[0])
    later = [p.id for p in document.parts[index + 1 :] if p.kind != "annex"]
    if later:
        return f"签署栏之后还有合同正文的部分 {'、'.join(later)}：双方约定的内容应全部在签署栏之上"
    return _end_problem(signed[0]) or _incorporation_problem(document, text_parts, index)


def _end_problem(part: Part) -> str | None:
    blocks = list(iter_blocks(part.blocks))
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Signature))
    after = [b for b in blocks[at + 1 :] if not isinstance(b, _BLANK)]
    if after:
        return f"签署栏之后还有正文（“{_first_text(after[0])}”）：双方约定的内容应全部在签署栏之上"
    before = [b for b in blocks[:at] if not isinstance(b, _BLANK)]
    if not before or not isinstance(before[-1], Paragraph) or inline_text(before[-1].runs) != END_OF_TEXT:
        return f"签署栏之前应紧接一行“{END_OF_TEXT}”"
    return None


def _incorporation_problem(document: Document, text_parts: list[Part], index: int) -> str | None:
    named = {
        part_id
        for part in text_parts
        for block in iter_blocks(part.blocks)
        if isinstance(block, Clause)
        for part_id in block.incorporates
    }
    unknown = sorted(named - {p.id for p in document.parts})
    if unknown:
        return f"并入条款列出了不存在的部分：{'、'.join(unknown)}"
    loose = [p for p in document.parts[index + 1 :] if p.id not in named]
    if loose:
        titles = "、".join(f"附件{p.number_cn}《{p.title}》" for p in loose)
        return f"{titles}在签署栏之后，但合同正文没有条款将其并入为合同的组成部分（<clause incorporates=…>）"
    return None
