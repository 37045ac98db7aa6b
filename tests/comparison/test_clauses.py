"""The clause level on small trees: pairs by text and by number, renumbered, moved, added, removed, cosmetic."""

from __future__ import annotations

from contractgen.comparison.clauses import align_parts, clause_changes
from contractgen.document.tree import Cell, Clause, Document, Heading, Part, Row, Table, Text


def _doc(*blocks: object, annex: tuple[object, ...] = ()) -> Document:
    parts = [Part("contract", "contract", "合同", tuple(blocks))]  # type: ignore[arg-type]
    if annex:
        parts.append(Part("annex-01", "annex", "附件", tuple(annex), 1, "一"))  # type: ignore[arg-type]
    return Document("合同", "KF-1", tuple(parts))


def _clause(num: str, text: str) -> Clause:
    return Clause(num, (Text(text),))


def _changes(old: Document, new: Document) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.operation, c.where, c.old_label, c.new_label) for c in clause_changes(align_parts(old, new))]


A = "乙方应保证客户服务管理的专业性和高效性。"
B = "乙方应严格遵守国家相关法律法规，保护甲方的商业秘密。"
C = "甲方应按照合同约定向乙方支付服务费用。"
D = "甲方应对乙方提供的客户服务管理工作给予合理的评价和支持。"
X = "乙方应当为项目配备足够的客户服务人员并保持人员稳定。"


def test_an_inserted_clause_is_added_and_the_ones_after_it_renumbered() -> None:
    old = _doc(Heading((Text("第二条"),)), _clause("2.1", A), _clause("2.2", B), _clause("2.3", C))
    new = _doc(Heading((Text("第二条"),)), _clause("2.1", A), _clause("2.2", X), _clause("2.3", B), _clause("2.4", C))
    assert _changes(old, new) == [
        ("added", "2.2", None, "2.2"),
        ("renumbered", "2.3", "2.2", "2.3"),
        ("renumbered", "2.4", "2.3", "2.4"),
    ]


def test_a_clause_moved_to_another_article_is_moved() -> None:
    old = _doc(_clause("2.1", A), _clause("2.2", D), _clause("3.1", B), _clause("3.2", C))
    new = _doc(_clause("2.1", A), _clause("3.1", B), _clause("3.2", C), _clause("3.3", D))
    assert _changes(old, new) == [("moved", "3.3", "2.2", "3.3")]


def test_a_reworded_clause_keeps_its_number_and_a_removed_one_is_removed() -> None:
    old = _doc(_clause("2.1", A), _clause("2.2", B), _clause("2.3", C))
    new = _doc(_clause("2.1", A.replace("应保证", "须确保")), _clause("2.2", B))
    changes = clause_changes(align_parts(old, new))
    assert [(c.operation, c.where) for c in changes] == [("changed", "2.1"), ("removed", "2.3")]
    edits = [(op.op, op.text) for op in changes[0].ops if op.op != "equal"]
    assert edits == [("delete", "应保证"), ("insert", "须确保")]
    assert not changes[0].substantive
    assert not changes[0].cosmetic


def test_punctuation_only_is_cosmetic_and_a_number_is_substantive() -> None:
    old = _doc(_clause("2.1", "甲方应于三日内付款，乙方应开具发票。"))
    cosmetic = clause_changes(align_parts(old, _doc(_clause("2.1", "甲方应于三日内付款；乙方应开具发票。"))))
    weighty = clause_changes(align_parts(old, _doc(_clause("2.1", "甲方应于五日内付款，乙方应开具发票。"))))
    assert [(c.cosmetic, c.substantive) for c in cosmetic + weighty] == [(True, False), (False, True)]


def test_table_rows_are_aligned_inside_their_table_and_annexes_named_for_readers() -> None:
    def table(*rows: tuple[str, str]) -> Table:
        return Table((1, 1), tuple(Row((Cell((Text(a),)), Cell((Text(b),)))) for a, b in rows))

    old = _doc(_clause("1.1", A), annex=(table(("第一期", "¥90,000.00"), ("第二期", "¥90,000.00")),))
    new = _doc(
        _clause("1.1", A),
        annex=(table(("第一期", "¥90,000.00"), ("第二期", "¥60,000.00"), ("第三期", "¥30,000.00")),),
    )
    changes = clause_changes(align_parts(old, new))
    assert [(c.operation, c.where, c.place) for c in changes] == [
        ("changed", "附件一 表格1 第2行", "附件一"),
        ("added", "附件一 表格1 第3行", "附件一"),
    ]
    assert changes[0].new_text == "第二期 | ¥60,000.00"
