"""Names: every name and attribute chain a template reads, checked against the context its type gives it.

The names a template reads from outside itself are Jinja's own answer (:func:`jinja2.meta.find_undeclared_variables`:
what ``set``, ``for``, macro arguments and imports do not define). Each is looked up in the contexts built from
the type's samples; a name none of them has is reported at every line that reads it.

Attribute chains (``seller.contact.email``, ``annexes[0].title``) are collected from the syntax tree, through
the local names that stand for a part of the context (``{% set a = annexes[0] %}``, ``{% for a in annexes %}``),
and followed through the samples' values. Where every sample has nothing there (an optional ``contact`` left
out), the chain is followed through the dataclass's declared field types instead, so a misspelt attribute
behind an optional field is found too. A macro's arguments are not followed: what a caller passes is not known
from the macro alone.

This module must not render; it reads syntax trees and values.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import meta, nodes

__all__ = ["Chain", "NameProblem", "check_names", "collect_chains"]

#: Names Jinja itself provides to every template.
JINJA_NAMES = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "self",
                         "super", "varargs", "kwargs"})  # fmt: skip
_PASS_THROUGH_FILTERS = frozenset({"list", "selectattr", "rejectattr", "sort", "reverse", "unique", "first", "last"})


@dataclass(frozen=True)
class Chain:
    """``root`` then its ``steps`` (``.name`` or ``[]``), read at ``line``."""

    root: str
    steps: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        return self.root + "".join(s if s == "[]" else f".{s}" for s in self.steps)


@dataclass(frozen=True)
class NameProblem:
    line: int
    rule: str
    path: str
    message: str


def _chain_of(node: nodes.Node, aliases: Mapping[str, Chain]) -> Chain | None:
    steps: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            steps.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                steps.append(arg.value)
            elif isinstance(arg, nodes.Slice):
                pass  # a slice of a sequence is the sequence
            else:
                steps.append("[]")
            node = node.node
        elif isinstance(node, nodes.Filter) and node.name in _PASS_THROUGH_FILTERS and node.node is not None:
            if node.name in ("first", "last"):
                steps.append("[]")
            node = node.node
        else:
            break
    if not isinstance(node, nodes.Name):
        return None
    steps.reverse()
    base = aliases.get(node.name)
    if base is not None:
        return Chain(base.root, base.steps + tuple(steps), node.lineno)
    return Chain(node.name, tuple(steps), node.lineno)


def _aliases(tree: nodes.Template, outside: set[str]) -> dict[str, Chain]:
    """Local names that stand for a chain of the context: ``set x = chain`` and ``for x in chain``."""
    found: dict[str, Chain] = {}
    for _ in range(2):  # an alias of an alias, once
        for node in tree.find_all((nodes.Assign, nodes.For)):
            assert isinstance(node, nodes.Assign | nodes.For)
            target, value = (node.target, node.node) if isinstance(node, nodes.Assign) else (node.target, node.iter)
            if not isinstance(target, nodes.Name):
                continue
            chain = _chain_of(value, found)
            if chain is not None and (chain.root in outside):
                steps = chain.steps + (("[]",) if isinstance(node, nodes.For) else ())
                found[target.name] = Chain(chain.root, steps, chain.line)
    return found


def collect_chains(tree: nodes.Template) -> tuple[set[str], list[Chain]]:
    """The names ``tree`` reads from its context, and every attribute chain rooted in one of them."""
    # Jinja counts a name set inside an {% if %} branch as undeclared even where that branch reads it.
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    outside = set(meta.find_undeclared_variables(tree)) - JINJA_NAMES - stored
    aliases = _aliases(tree, outside)
    chains: list[Chain] = []
    inner: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if id(node) in inner:
            continue
        child = getattr(node, "node", None)
        while isinstance(child, nodes.Getattr | nodes.Getitem | nodes.Filter):
            inner.add(id(child))
            child = getattr(child, "node", None)
        if child is not None:
            inner.add(id(child))
        if isinstance(node, nodes.Name) and node.ctx != "load":
            continue
        chain = _chain_of(node, aliases)
        if chain is not None and chain.root in outside:
            chains.append(chain)
    return outside, chains


def _declared_type(owner: Any, attr: str) -> Any:
    """The type ``owner``'s dataclass declares for ``attr`` (``X | None`` → ``X``), or None."""
    cls = owner if isinstance(owner, type) else type(owner)
    if not dataclasses.is_dataclass(cls):
        return None
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return None
    hint = hints.get(attr)
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next((a for a in args if a is not type(None)), None)
    elif typing.get_origin(hint) is tuple and args:
        return ("[]", args[0])
    return hint


def _has(value: Any, attr: str) -> bool:
    if isinstance(value, type):
        fields = {f.name for f in dataclasses.fields(value)} if dataclasses.is_dataclass(value) else set()
        return attr in fields or hasattr(value, attr)
    if isinstance(value, Mapping):
        return attr in value or hasattr(value, attr)
    return hasattr(value, attr)


def _step(value: Any, step: str) -> Iterator[Any]:
    """The values (or, where no value is known, the declared types) ``step`` leads to from ``value``."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "[]":  # a declared tuple[X, ...]
        if step == "[]":
            yield value[1]
        return
    if step == "[]":
        if isinstance(value, Sequence) and not isinstance(value, str):
            yield from value
        return
    if isinstance(value, type):
        declared = _declared_type(value, step)
        if declared is not None:
            yield declared
        return
    found = value.get(step) if isinstance(value, Mapping) else getattr(value, step, None)
    if found is None or (isinstance(found, Sequence) and not isinstance(found, str) and not found):
        declared = _declared_type(value, step)
        if declared is not None:
            yield declared
        return
    yield found


def _missing_step(chain: Chain, contexts: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    """(the chain up to the step that no value has, that step), or None when the chain holds somewhere."""
    values: list[Any] = [c[chain.root] for c in contexts if c.get(chain.root) is not None]
    for n, step in enumerate(chain.steps):
        if step == "[]" or not values:
            values = [v for value in values for v in _step(value, step)]
            continue
        known = [v for v in values if not isinstance(v, str | int | float | bool) or _has(v, step)]
        if any(_has(v, step) for v in values) or not known:
            values = [v for value in values if _has(value, step) for v in _step(value, step)]
            continue
        prefix = Chain(chain.root, chain.steps[:n], chain.line).text
        return prefix, step
    return None


def check_names(
    outside: set[str], chains: list[Chain], contexts: Sequence[Mapping[str, Any]], extra: frozenset[str]
) -> list[NameProblem]:
    """Names and chains that no context provides (``extra``: names the renderer adds, such as ``annex``)."""
    problems: list[NameProblem] = []
    known = set().union(*(c.keys() for c in contexts)) | extra if contexts else set(extra)
    unknown = outside - known
    for chain in chains:
        if chain.root in unknown:
            message = f"模板使用的名称 {chain.root} 不在上下文中：规格、派生值和公共上下文都没有它"
            problems.append(NameProblem(chain.line, "lint.undefined-name", chain.root, message))
        elif chain.root not in extra and chain.steps:
            missing = _missing_step(chain, contexts)
            if missing is not None:
                prefix, step = missing
                message = f"{chain.text}：{prefix} 没有属性 {step}"
                problems.append(NameProblem(chain.line, "lint.undefined-attribute", chain.text, message))
    return sorted(set(problems), key=lambda p: (p.line, p.path))
