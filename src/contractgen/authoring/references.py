"""References: ``附件X《…》`` and ``第X条`` in what the templates write, each checked against what exists.

Templates write their references with numbers and titles from the context (``附件{{ a.number_cn }}《{{ a.title
}}》``) or as typed text (``本合同第五条``), so they are read from the rendered text of every sample
(:mod:`.tracing` says which template line wrote each character) and held against the composed document tree:

- ``附件X`` must be one of the annexes, and a title written with it (``附件X《T》``, ``附件X：《T》``) must be that
  annex's title in parts.yaml — the annex list, which also makes the annex's own heading; a ``<title>`` an
  annex template writes for itself must say the same;
- ``第X条`` and ``第N.M条`` after ``本合同`` (or 《the contract's title》), or in a list that began so
  (``本合同第2.2条、第六条``), must be an article heading or a clause number of the agreement's text; after
  another ``本…`` (``本制度第三条``) one of the part's own. Any other 第X条 is a law's article
  (《民法典》第六百七十条) and is not this check's business. A heading's own ``第X条`` is no reference.

This module must not render (it is given the traced text and the tree), nor reword anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from contractgen.authoring.tracing import Place, TracedText
from contractgen.document.tree import Clause, Document, Heading, Part, Title, inline_text, iter_blocks

__all__ = ["Reference", "annex_title_problems", "reference_problems", "visible_text"]

_NUMERAL = "〇零一二三四五六七八九十百"
_ANNEX = re.compile(rf"附件([{_NUMERAL}]+)(?:[：:]?《([^》]{{1,80}})》)?")
_ARTICLE = re.compile(rf"第([{_NUMERAL}]+|\d+(?:\.\d+)*)条")
_OWNER = re.compile(r"本([\u4e00-\u9fff]{1,4}?)(?=第)|《([^》]{1,80})》(?=第)")
_BLOCK_TAGS = re.compile(r"<(?!/?(?:b|u|nobr|blank|box|br)\b)[^>]*>")
_LIST = re.compile(rf"^(?:条)?(?:[、，和或与及至]|或者|以及)?(?:本合同)?第([{_NUMERAL}]+|\d+(?:\.\d+)*)条")


@dataclass(frozen=True)
class Reference:
    """A problem found: the place that wrote it, the rule, the message."""

    place: Place | None
    rule: str
    message: str


def visible_text(traced: TracedText) -> TracedText:
    """The text a reader sees: block tags as line ends, inline tags and the template's line breaks removed."""
    text, places = traced.text, traced.places
    out: list[str] = []
    where: list[Place | None] = []
    index = 0
    while index < len(text):
        if text[index] == "<":
            end = text.find(">", index)
            end = len(text) - 1 if end < 0 else end
            tag = text[index : end + 1]
            if _BLOCK_TAGS.fullmatch(tag):
                out.append("\n")
                where.append(places[index])
            index = end + 1
            continue
        if text[index] == "\n":  # a template's line break inside a paragraph: markup folds it away
            index += 1
            while index < len(text) and text[index] in " \t":
                index += 1
            continue
        out.append(text[index])
        where.append(places[index])
        index += 1
    return TracedText("".join(out), tuple(where))


def _labels(parts: Sequence[Part]) -> set[str]:
    found: set[str] = set()
    for part in parts:
        for block in iter_blocks(part.blocks):
            if isinstance(block, Clause):
                found.add(block.num)
            elif isinstance(block, Heading):
                head = inline_text(block.runs).split(" ", 1)[0]
                if _ARTICLE.fullmatch(head):
                    found.add(head)
    return found


def _owner(line: str, start: int, title: str) -> str | None:
    """Whose article a 第X条 starting at ``start`` of ``line`` is: "contract", "part", or None (a law's)."""
    owner = None
    for match in _OWNER.finditer(line[: start + 1]):  # the 第 itself too: the pattern looks ahead at it
        owner = match
    if owner is None:
        return None
    between = line[owner.end() : start]
    if between and not _chained(between):
        return None
    if owner.group(2) is not None:
        return "contract" if owner.group(2) == title else None
    return "contract" if owner.group(1).startswith(("合同", "协议")) else "part"


def _chained(between: str) -> bool:
    """Whether ``between`` is a list of articles (``第2.2条、第六条、``): the owner named before it still holds."""
    rest = between
    while rest:
        match = _LIST.match(rest) or re.match(r"^(?:条)?(?:[、，和或与及至]|或者|以及)", rest)
        if match is None or match.end() == 0:
            return False
        rest = rest[match.end() :]
    return True


def reference_problems(parts: Sequence[tuple[Part, TracedText]], document: Document, title: str) -> Iterator[Reference]:
    """Every 附件X and 第X条 of ``parts`` (their visible, traced text) that points at nothing in ``document``."""
    annexes = {p.number_cn: p for p in document.parts if p.kind == "annex"}
    agreed = _labels([p for p in document.parts if p.kind != "annex"])
    for part, traced in parts:
        own = _labels([part])
        for line_start, line in _lines(traced.text):
            for match in _ANNEX.finditer(line):
                number, named = match.group(1), match.group(2)
                place = traced.place(line_start + match.start())
                annex = annexes.get(number)
                if annex is None:
                    message = f"引用了附件{number}，但合同只有 {len(annexes)} 个附件（parts.yaml）"
                    yield Reference(place, "lint.annex-missing", message)
                elif named is not None and named != annex.title:
                    message = (
                        f"附件{number}在此写作《{named}》，与附件列表（parts.yaml）中的标题《{annex.title}》不一致"
                    )
                    yield Reference(place, "lint.annex-title", message)
            for match in _ARTICLE.finditer(line):
                if match.start() == 0 and line[match.end() : match.end() + 1] in (" ", "　"):
                    continue  # a heading's own number
                whose = _owner(line, match.start(), title)
                label = match.group(0)
                targets = agreed if whose == "contract" else own
                if whose is None or label in targets or label[1:-1] in targets:
                    continue
                where = "合同正文" if whose == "contract" else f"本部分（{part.title}）"
                yield Reference(traced.place(line_start + match.start()), "lint.article-missing",
                                f"引用了{label}，但{where}中没有这一条")  # fmt: skip


def _lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def annex_title_problems(part: Part, traced: TracedText) -> Iterator[Reference]:
    """A ``<title>`` an annex template writes for itself that is not its title in parts.yaml."""
    for block in part.blocks[1:]:  # the first is the heading compose made from parts.yaml
        if not isinstance(block, Title):
            continue
        written = inline_text(block.runs)
        plain = re.sub(rf"^附件[{_NUMERAL}]+[：:]\s*", "", written).strip("《》")
        if plain != part.title:
            index = traced.text.find(written[:8])
            message = f"附件的标题在此写作“{written}”，与附件列表（parts.yaml）中的“{part.title}”不一致"
            yield Reference(traced.place(index), "lint.annex-title", message)
