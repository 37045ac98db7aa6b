"""flow_depth: brackets nested past the bound are found in linear time, before PyYAML (whose time grows with the
square of the depth) reads them; quoted text, comments and plain text never count; nothing parseable within the
bound is refused."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from contractgen.spec.flow_depth import too_deep
from contractgen.validation import check_spec


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: " + "[" * 5 + "]" * 5, None),
        ("a: " + "[" * 6, (1, 9)),
        ("a: 1\nb:\n  - " + "{x: " * 6, (3, 25)),
        ("a: '" + "[" * 50 + "'\n", None),  # inside quotes
        ('a: "' + "{" * 50 + '\\"' + "[" * 50 + '"\n', None),  # an escaped quote does not end it
        ("a: 1  # " + "[" * 50 + "\n", None),  # a comment
        ("a: x " + "[" * 50 + "\n", None),  # plain text: no flow collection starts inside a word
    ],
    ids=["balanced", "too-deep", "maps", "single-quoted", "double-quoted", "comment", "plain"],
)
def test_where_the_nesting_goes_past_the_bound(text: str, found: tuple[int, int] | None) -> None:
    assert too_deep(text, 5) == found


def test_a_megabyte_of_brackets_is_refused_at_once_with_its_place() -> None:
    text = b"type: customer-service\nservice: " + b"[" * ((1 << 20) - 100)  # just under the 1 MiB limit
    start = time.perf_counter()
    report = check_spec("deep.yaml", text=text)
    assert time.perf_counter() - start < 2  # was quadratic: 32,000 brackets took 7 s, a megabyte hours
    [problem] = report.diagnostics
    assert (problem.line, problem.column, problem.rule) == (2, 10 + 80, "yaml.limit")
    assert "嵌套层数过深" in problem.message


nested = st.recursive(
    st.sampled_from(["1", "x", "'a[b'", '"c{d"']),
    lambda inner: st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    | st.lists(inner, max_size=3).map(lambda items: "{" + ", ".join(f"k{n}: {v}" for n, v in enumerate(items)) + "}"),
    max_leaves=40,
)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@given(nested)
def test_nothing_nested_within_the_bound_is_refused(flow: str) -> None:
    text = f"a: {flow}\n"
    depth = _depth(yaml.safe_load(text)["a"])
    assert too_deep(text, depth) is None
    if depth:
        assert too_deep(text, depth - 1) is not None  # and the bound is where the parser says it is
