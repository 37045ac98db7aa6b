"""The merged tree: read without its deletions it is the new document, without its insertions the old one — for
any two versions (hypothesis), whatever was changed, added, removed, moved or renumbered."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.comparison.merged import Mark, merged_document
from contractgen.document.tree import (
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


def side(document: Document, keep: Mark) -> list[str]:
    """The lines of ``document`` (a merged one) with one kind of mark dropped, empty lines left out."""
    lines = []
    for part in document.parts:
        lines += [line for line in (_read(t, keep) for t in part_text(part).split("\n")) if line.strip()]
    return lines


def lines(document: Document) -> list[str]:
    return [line for part in document.parts for line in part_text(part).split("\n") if line.strip()]


WORDS = ["甲方", "乙方", "应", "支付", "叁拾陆万元整", "¥360,000.00", "¥600,000.00", "三日内", "，", "。"]
words = st.sampled_from(WORDS)
texts = st.lists(words, min_size=1, max_size=6).map("".join)
runs = st.one_of(
    texts.map(lambda t: (Text(t),)),
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
