"""Tracing: a render that remembers where its text came from, and which spec fields it read.

Lint needs two things a plain render throws away:

- **where each character of the output was written** — the template file and line — so that a reference to
  附件十 or 第十二条 that points at nothing is reported at the line that wrote it, even when the number came from
  the context (``附件{{ a.number_cn }}``). :class:`TracingSandbox` parses every template as
  :class:`~contractgen.document.sandbox.GuardedSandbox` does, then puts an invisible marker (two private-use
  characters around an index into :attr:`TracingSandbox.places`) before every piece of output: one before each
  line of literal text, one before each ``{{ … }}``. :func:`traced_text` reads the markers back out.
- **which fields of the model were read** — by the type's derived values and by the templates alike. The model
  is wrapped in :class:`Recorder` proxies that note every attribute path taken (``seller.bank.account``;
  ``price.parts[].amount`` for the items of a sequence) and hand back the real values for everything that
  is not itself a model object. A property runs on the proxy, so what it reads is noted too.

This module must not decide what is a problem (the checks beside it do), and must not change what a template
writes apart from the markers: the markers carry no text of their own.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes

from contractgen.document.sandbox import GuardedSandbox

__all__ = ["Place", "Recorder", "TracedText", "TracingSandbox", "record", "traced_text"]

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: no template or spec holds them


@dataclass(frozen=True)
class Place:
    """A template file (as Jinja names it) and a 1-based line."""

    template: str
    line: int


class TracingSandbox(GuardedSandbox):
    """The render environment with a marker before every piece of output (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places: list[Place] = []

    def _marker(self, name: str | None, line: int, lineno: int) -> nodes.TemplateData:
        self.places.append(Place(name or "", line))
        return nodes.TemplateData(f"{_OPEN}{len(self.places) - 1}{_CLOSE}", lineno=lineno)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for output in tree.find_all(nodes.Output):
            marked: list[nodes.Expr] = []
            for child in output.nodes:
                if isinstance(child, nodes.TemplateData):
                    for offset, piece in enumerate(child.data.splitlines(keepends=True)):
                        marked += [self._marker(name, child.lineno + offset, child.lineno), nodes.TemplateData(piece)]
                else:
                    marked += [self._marker(name, child.lineno, child.lineno), child]
            output.nodes = marked
        return tree


@dataclass(frozen=True)
class TracedText:
    """Rendered text without markers, and for every character the place that wrote it (``None``: unknown)."""

    text: str
    places: tuple[Place | None, ...]

    def place(self, index: int) -> Place | None:
        return self.places[index] if 0 <= index < len(self.places) else None


def traced_text(marked: str, places: list[Place]) -> TracedText:
    """``marked`` (a :class:`TracingSandbox` render) as plain text with the place of each character."""
    text: list[str] = []
    where: list[Place | None] = []
    current: Place | None = None
    index = 0
    while index < len(marked):
        char = marked[index]
        if char == _OPEN:
            end = marked.index(_CLOSE, index)
            current = places[int(marked[index + 1 : end])]
            index = end + 1
            continue
        text.append(char)
        where.append(current)
        index += 1
    return TracedText("".join(text), tuple(where))


# --- recording what the model gives --------------------------------------------------------------------------


def _is_model(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def record(value: Any, path: str, seen: set[str]) -> Any:
    """``value`` (found at ``path``) as the templates and derived values should see it: model objects (and
    sequences of them) wrapped in recorders that add to ``seen``, anything else as it is."""
    if _is_model(value):
        return Recorder(value, path, seen)
    if isinstance(value, tuple | list) and any(_is_model(item) for item in value):
        items = [record(item, f"{path}[]", seen) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


class Recorder:
    """A model object that notes every attribute path read through it (see the module)."""

    __slots__ = ("_cg_path", "_cg_seen", "_cg_target")

    def __init__(self, target: Any, path: str, seen: set[str]) -> None:
        object.__setattr__(self, "_cg_target", target)
        object.__setattr__(self, "_cg_path", path)
        object.__setattr__(self, "_cg_seen", seen)

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_cg_target")
        prefix = object.__getattribute__(self, "_cg_path")
        seen: set[str] = object.__getattribute__(self, "_cg_seen")
        path = f"{prefix}.{name}" if prefix else name
        seen.add(path)
        static = inspect.getattr_static(target, name, None)
        if isinstance(static, property) and static.fget is not None:
            return record(static.fget(self), path, seen)  # what the property reads is noted too
        return record(getattr(target, name), path, seen)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(name)

    @property  # type: ignore[misc]  # isinstance() sees the model's class
    def __class__(self) -> type:
        return type(object.__getattribute__(self, "_cg_target"))

    def __bool__(self) -> bool:
        return bool(object.__getattribute__(self, "_cg_target"))

    def __eq__(self, other: object) -> bool:
        target = object.__getattribute__(self, "_cg_target")
        if isinstance(other, Recorder):
            other = object.__getattribute__(other, "_cg_target")
        return bool(target == other)

    def __hash__(self) -> int:
        return hash(object.__getattribute__(self, "_cg_target"))

    def __iter__(self) -> Iterator[Any]:
        return iter(object.__getattribute__(self, "_cg_target"))

    def __str__(self) -> str:
        return str(object.__getattribute__(self, "_cg_target"))

    def __repr__(self) -> str:
        return f"Recorder({object.__getattribute__(self, '_cg_target')!r})"
