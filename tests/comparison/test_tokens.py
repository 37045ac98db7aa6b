"""The tokenizer and the text diff: whole amounts, dates and rates; operations that rebuild both versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from contractgen.comparison.tokens import diff_text, is_cosmetic, new_text, old_text, tokenize
from contractgen.numerals import to_bill_date, to_capital, to_chinese_date, to_figures, to_rate_words

amounts = st.integers(min_value=1, max_value=10**12).map(lambda cents: Decimal(cents).scaleb(-2))
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100), places=4).filter(lambda d: d > 0)

#: What a reader reads as one thing: each is generated whole, and no change may start or end inside it.
atoms = st.one_of(
    amounts.map(to_figures),
    amounts.map(to_capital),
    dates.map(to_chinese_date),
    dates.map(to_bill_date),
    dates.map(date.isoformat),
    rates.map(lambda r: to_rate_words(r.normalize())),
    rates.map(lambda r: f"{r.normalize():f}%"),
)
# Around them: contract prose, digits, Chinese numerals and punctuation, so that neighbours try to split them —
# but never glued to one by ASCII (¥0. before 0.05% reads as ¥0.0 and .05%: no tokenizer can know otherwise, and
# a contract never prints it so).
_ASCII = "1234567890.-%¥"
filler = st.text(alphabet="甲乙方的应于日内年月元整零壹拾三十二〇百分之（）：，。、 " + _ASCII, max_size=6).map(
    lambda text: text + "，" if text and text[-1] in _ASCII else text
)
pieces = st.lists(st.tuples(filler, atoms), max_size=5)


def _text(parts: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for fill, atom in parts:
        text += fill
        spans.append((len(text), len(text) + len(atom)))
        text += atom
    return text, spans


def _cuts(ops: tuple, side: str) -> set[int]:
    """Where, in the old (or new) text, one operation ends and the next starts."""
    cuts, at = set(), 0
    for op in ops:
        if op.op != ("insert" if side == "old" else "delete"):
            at += len(op.text)
            cuts.add(at)
    return cuts


@settings(max_examples=300, deadline=None)
@given(pieces, pieces)
@example([("", "¥360,000.00")], [("", "¥600,000.00")])
@example([("三", "二〇二六年十一月二十四日")], [("三", "二〇二六年十二月一日")])
@example([("", "百分之零点零零零一"), ("", "百分之零点零零零一")], [("", "百分之零点零零零一")])
def test_no_amount_date_or_rate_is_ever_split(old_parts: list, new_parts: list) -> None:
    old, old_spans = _text(old_parts)
    new, new_spans = _text(new_parts)
    ops = diff_text(old, new)
    for side, spans in (("old", old_spans), ("new", new_spans)):
        cuts = _cuts(ops, side)
        for start, end in spans:
            assert not any(start < cut < end for cut in cuts), (side, old, new, ops)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_the_operations_rebuild_both_versions(old: str, new: str) -> None:
    ops = diff_text(old, new)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(op.text for op in ops)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_a_text_against_itself_has_no_change(text: str) -> None:
    assert all(op.op == "equal" for op in diff_text(text, text))
    assert "".join(t.text for t in tokenize(text)) == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("¥360,000.00", "amount"),
        ("叁拾陆万元整", "capital"),
        ("二〇二六年十一月二十四日", "date"),
        ("贰零贰陆年壹拾壹月贰拾肆日", "date"),
        ("2026-11-24", "date"),
        ("百分之二十", "rate"),
        ("0.05%", "rate"),
        ("KF-2026-0001", "number"),
        ("三十", "number"),
    ],
)
def test_each_kind_is_one_token(text: str, kind: str) -> None:
    tokens = tokenize(f"甲方{text}。")
    assert [t.text for t in tokens] == ["甲", "方", text, "。"]
    assert tokens[2].kind == kind


def test_an_amount_is_replaced_whole_and_the_brackets_stay() -> None:
    ops = diff_text("人民币叁拾陆万元整（¥360,000.00）", "人民币陆拾万元整（¥600,000.00）")
    assert [(op.op, op.text) for op in ops] == [
        ("equal", "人民币"),
        ("delete", "叁拾陆万元整"),
        ("insert", "陆拾万元整"),
        ("equal", "（"),
        ("delete", "¥360,000.00"),
        ("insert", "¥600,000.00"),
        ("equal", "）"),
    ]
    assert all(op.substantive for op in ops if op.op != "equal")


def test_a_rewording_is_not_substantive_and_punctuation_alone_is_cosmetic() -> None:
    ops = diff_text("乙方应在收到款项后开具发票", "乙方须于收到款项后开具发票")
    assert [(op.op, op.text) for op in ops if op.op != "equal"] == [("delete", "应在"), ("insert", "须于")]
    assert not any(op.substantive for op in ops)
    assert is_cosmetic("甲方，乙方", "甲方、乙方 ")
    assert not is_cosmetic("甲方", "乙方")
    assert not is_cosmetic("甲方", "甲方")
