"""The merged tree: read without its deletions it is the new document, without its insertions the old one — for
any two versions (hypothesis), whatever was changed, added, removed, moved or renumbered."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.comparison.merged import Mark, merged_document
from contractgen.document.tree import (
    Blank,
    Bold,
    Cell,
    Clause,
    Document,
    Inline,
    Item,
    Keep,
    NoBreak,
    Paragraph,
    Part,
    Row,
    Table,
    Text,
    part_text,
)

OPEN = {"ins": "\u2039", "del": "\u00ab"}
CLOSE = {"ins": "\u203a", "del": "\u00bb"}
WHOLE = {"ins": "\u2020", "del": "\u2021"}  # a paragraph inserted or deleted whole, its number with it


class Marks:
    """Marks as brackets in the text itself, so that either version can be read back by dropping the other's."""

    def text(self, text: str, mark: Mark) -> Inline:
        return Text(f"{OPEN[mark]}{text}{CLOSE[mark]}")

    def label(self, old: str, new: str) -> tuple[str, tuple[Inline, ...]]:
        return f"{OPEN['del']}{old}{CLOSE['del']}{OPEN['ins']}{new}{CLOSE['ins']}", ()

    def whole(self, mark: Mark) -> tuple[Inline, ...]:
        return (Text(WHOLE[mark]),)

    def row(self, mark: Mark) -> tuple[Inline, ...]:
        return ()

    def number(self, num: str, mark: Mark) -> tuple[str, tuple[Inline, ...]]:
        return num, ()

    def blank(self, blank: Blank, mark: Mark) -> tuple[Inline, ...]:
        return Text(OPEN[mark]), blank, Text(CLOSE[mark])


def _read(text: str, keep: Mark) -> str:
    drop = "del" if keep == "ins" else "ins"
    if WHOLE[drop] in text:
        return ""
    out, dropping = [], False
    for char in text:
        if char == OPEN[drop]:
            dropping = True
        elif char == CLOSE[drop]:
            dropping = False
        elif char not in (OPEN[keep], CLOSE[keep], WHOLE[keep]) and not dropping:
            out.append(char)
    return "".join(out)


def _seen(runs: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``runs`` with each blank as underscores, as many as it is wide, so that the text shows blanks too."""
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Blank):
            out.append(Text("_" * run.width))
        elif isinstance(run, Bold | NoBreak):
            out.append(type(run)(_seen(run.children)))
        else:
            out.append(run)
    return tuple(out)


def _visible(block: Any) -> Any:
    if isinstance(block, Keep):
        return Keep(tuple(_visible(b) for b in block.blocks))
    if isinstance(block, Table):
        rows = tuple(replace(r, cells=tuple(replace(c, runs=_seen(c.runs)) for c in r.cells)) for r in block.rows)
        return replace(block, rows=rows)
    return replace(block, runs=_seen(block.runs))


def _texts(document: Document) -> list[str]:
    parts = [replace(part, blocks=tuple(_visible(b) for b in part.blocks)) for part in document.parts]
    return [line for part in parts for line in part_text(part).split("\n")]


def side(document: Document, keep: Mark) -> list[str]:
    """The lines of ``document`` (a merged one) with one kind of mark dropped, empty lines left out."""
    return [line for line in (_read(t, keep) for t in _texts(document)) if line.strip()]


def lines(document: Document) -> list[str]:
    return [line for line in _texts(document) if line.strip()]


WORDS = ["甲方", "乙方", "应", "支付", "叁拾陆万元整", "¥360,000.00", "¥600,000.00", "三日内", "，", "。"]
words = st.sampled_from(WORDS)
texts = st.lists(words, min_size=1, max_size=6).map("".join)
runs = st.one_of(
    texts.map(lambda t: (Text(t),)),
    st.tuples(texts, st.integers(1, 4)).map(lambda p: (Text(p[0]), Blank(p[1]))),
    st.tuples(texts, texts).map(lambda p: (Text(p[0]), NoBreak((Text(p[1]),)))),
    st.tuples(texts, texts).map(lambda p: (Bold((Text(p[0]),)), Text(p[1]))),
)
clauses = st.tuples(st.sampled_from(["1.1", "1.2", "2.1", "2.2", "3.1"]), runs).map(lambda c: Clause(c[0], c[1]))
items = st.tuples(st.sampled_from(["（1）", "（2）"]), runs).map(lambda i: Item(i[0], i[1]))
tables = st.lists(st.tuples(texts, texts), min_size=1, max_size=4).map(
    lambda rows: Table((1, 2), tuple(Row((Cell((Text(a),)), Cell((Text(b),)))) for a, b in rows))
)
blocks: Any = st.one_of(clauses, items, tables, runs.map(Paragraph))
bodies = st.lists(st.one_of(blocks, st.lists(blocks, min_size=1, max_size=3).map(lambda b: Keep(tuple(b)))), max_size=7)
documents = st.tuples(bodies, st.booleans()).map(
    lambda d: Document(
        "合同",
        "KF-1",
        (Part("contract", "contract", "合同", tuple(d[0])),)
        + ((Part("annex-01", "annex", "附件", (Paragraph((Text("附件一"),)),), 1, "一"),) if d[1] else ()),
    )
)


@settings(max_examples=300, deadline=None)
@given(documents, documents)
def test_the_merged_tree_reads_as_either_version(old: Document, new: Document) -> None:
    merged = merged_document(old, new, Marks())
    assert side(merged, "ins") == lines(new)
    assert side(merged, "del") == lines(old)


@settings(max_examples=50, deadline=None)
@given(documents)
def test_a_document_merged_with_itself_is_itself(document: Document) -> None:
    assert merged_document(document, document, Marks()) == document
