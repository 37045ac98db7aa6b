"""YAML composition for specs: text → plain data, with a line and column for every path.

The composer reads the parser's *events* (never ``yaml.safe_load``), so it sees what a loader hides: anchors,
aliases, tags, merge keys, duplicate keys, and where each scalar was written. It builds plain
``dict``/``list`` data in which every scalar is the text the user typed — only plain ``true``, ``false`` and
``null`` (and an empty plain value, which YAML reads as null) are typed — so ``0755`` stays ``"0755"``,
``1.10`` stays ``"1.10"`` and ``1234567.89`` stays exact until a typed layer converts it. Alongside it records
``path → (line, column)`` for every node and every key, and the span of every scalar so that a bad character
can be traced to its field.

It must not: follow an alias, honour a tag or a merge key, keep either of two duplicate keys silently, build
more than :class:`Limits` allows, or know anything about contracts. Problems are returned as diagnostics,
never raised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from contractgen.diagnostics import Diagnostic
from contractgen.spec.flow_depth import too_deep

__all__ = ["Composition", "Limits", "Scalar", "compose", "join_path"]

# libyaml is about twenty times faster than the pure-Python parser, which matters for a file at the size cap;
# both give the same events and character-based marks.
_PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_KEY = re.compile(r"[^\s.\[\]\"'\\]+")
_CORE_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Limits:
    """The loader's caps. A real spec is a few KB, 4 levels deep, about 150 nodes: these leave ample room."""

    max_bytes: int = 1 << 20  # 1 MiB
    max_depth: int = 16
    max_nodes: int = 5_000
    max_scalar: int = 10_000  # characters in one scalar; the schema's own caps are far lower
    max_diagnostics: int = 200


@dataclass(frozen=True, slots=True)  # slots: one per key and value of every spec, built on every request
class Scalar:
    """Where one scalar (a key or a value) was written: its span in the text and its 1-based position."""

    start: int
    end: int
    path: str
    is_key: bool
    double_quoted: bool
    value: str
    line: int
    column: int


@dataclass
class Composition:
    data: Any = None
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    scalars: list[Scalar] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fatal: bool = False  # nothing usable came out: the data must not be validated


class _Mark(Protocol):
    """What both parsers' marks offer (PyYAML's and libyaml's are different classes)."""

    line: int
    column: int
    index: int


def _end(event: yaml.Event) -> int:
    mark = event.end_mark
    assert mark is not None
    return mark.index


def _start(event: yaml.Event) -> _Mark:
    mark = event.start_mark
    assert mark is not None  # the parsers mark every event they emit
    return mark


#: How far past ``max_depth`` flow collections may nest before the text is refused unparsed (.flow_depth): far
#: enough that the composer's own depth problem, with its field path, is what a user normally sees.
FLOW_SLACK = 64


class _Abort(Exception):
    """Composition cannot go on (too many nodes); the diagnostic is already recorded."""


def join_path(parent: str, key: str | int) -> str:
    """The dotted path of ``key`` under ``parent``: ``signing.date``, ``acknowledge[1]``, ``a["x.y"]``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _PLAIN_KEY.fullmatch(key):
        return f"{parent}.{key}" if parent else key
    quoted = '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{parent}[{quoted}]"


def _position(mark: _Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


# The only plain scalars that are typed: YAML's booleans and nulls (an empty plain value is a null).
_TYPED_PLAIN: dict[str, bool | None] = {"true": True, "false": False, "null": None, "": None}


def _is_plain(event: yaml.ScalarEvent) -> bool:
    return event.style in (None, "") and event.tag is None


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE_TAG) :] if tag.startswith(_CORE_TAG) else tag


class _Composer:
    def __init__(self, text: str, file: str, limits: Limits) -> None:
        self.text = text
        self.file = file
        self.limits = limits
        self.out = Composition()
        self.nodes = 0
        self.events: Iterator[yaml.Event] = iter(())

    # -- reporting -------------------------------------------------------------------------------------------

    def problem(self, mark: _Mark | None, path: str, message: str, rule: str) -> None:
        line, column = _position(mark) if mark is not None else (0, 0)
        self.out.diagnostics.append(Diagnostic(self.file, line, column, path, message, rule=f"yaml.{rule}"))

    def count(self, event: yaml.Event) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self.problem(
                _start(event),
                "",
                f"内容过多：超过 {self.limits.max_nodes} 个字段和值，不像是一份合同规格",
                "limit",
            )
            raise _Abort

    def check_properties(self, event: yaml.NodeEvent, path: str) -> None:
        if event.anchor is not None:
            self.problem(
                _start(event),
                path,
                f"不允许使用锚点 &{event.anchor}（YAML 引用）：请把内容直接写出来",
                "anchor",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.problem(
                _start(event),
                path,
                f"不允许使用 YAML 标签 {_show_tag(tag)}：请直接写值（如需写成文本，请加引号）",
                "tag",
            )

    # -- composing -------------------------------------------------------------------------------------------

    def stream(self, events: Iterator[yaml.Event]) -> None:
        self.events = events
        next(events)  # StreamStartEvent
        event = next(events)
        if isinstance(event, yaml.StreamEndEvent):
            self.problem(None, "", "文件是空的：请参照示例填写（contractgen init <合同类型>）", "empty")
            self.out.fatal = True
            return
        root = next(events)  # the DocumentStartEvent was `event`
        self.out.data = self.node(root, "", 0, record=True)
        next(events)  # DocumentEndEvent
        event = next(events)
        if isinstance(event, yaml.DocumentStartEvent):
            # Later documents are not read: their problems would only distract from this one.
            self.problem(
                _start(event), "", "一个文件只能写一份合同：这里开始了第二个 YAML 文档（---）", "documents"
            )

    def node(self, event: yaml.Event, path: str, depth: int, *, record: bool) -> Any:
        self.count(event)
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                _start(event),
                path,
                f"不允许使用别名 *{event.anchor}（YAML 引用）：请把内容直接写出来",
                "alias",
            )
            return None
        assert isinstance(event, yaml.NodeEvent)
        self.check_properties(event, path)
        mark = _start(event)
        if record:
            self.out.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event, mark, path, is_key=False)
            value = event.value
            if value in _TYPED_PLAIN and _is_plain(event):
                return _TYPED_PLAIN[value]
            return value
        if depth >= self.limits.max_depth:
            self.problem(mark, path, f"嵌套层数过深：超过 {self.limits.max_depth} 层", "limit")
            self.skip()
            return None
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth, record=record)
        return self.sequence(path, depth, record=record)

    def scalar(self, event: yaml.ScalarEvent, mark: _Mark, path: str, *, is_key: bool) -> None:
        value = event.value
        self.out.scalars.append(
            Scalar(mark.index, _end(event), path, is_key, event.style == '"', value, mark.line + 1, mark.column + 1)
        )
        if len(value) > self.limits.max_scalar:
            self.problem(mark, path, f"内容过长：{len(value)} 个字符，最多 {self.limits.max_scalar} 个", "limit")

    def mapping(self, path: str, depth: int, *, record: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        while True:
            event = next(self.events)
            if isinstance(event, yaml.MappingEndEvent):
                return result
            if not isinstance(event, yaml.ScalarEvent):
                self.count(event)
                self.problem(_start(event), path, "字段名必须是简单的文字，不能是列表、对象或引用", "key")
                if not isinstance(event, yaml.AliasEvent):
                    self.skip()
                self.node(next(self.events), join_path(path, "?"), depth + 1, record=False)
                continue
            self.count(event)
            key = event.value
            key_path = join_path(path, key)
            self.check_properties(event, key_path)
            mark = _start(event)
            self.scalar(event, mark, key_path, is_key=True)
            line = mark.line + 1
            value = next(self.events)
            if key == "<<" and _is_plain(event):
                self.problem(
                    _start(event), key_path, "不允许使用合并键 <<：请把要合并的字段直接写出来", "merge"
                )
                self.node(value, key_path, depth + 1, record=False)
            elif key in seen:
                self.problem(
                    _start(event),
                    key_path,
                    f'重复的字段 "{key}"：第 {seen[key]} 行和第 {line} 行都写了它，请只保留一个',
                    "duplicate",
                )
                self.node(value, key_path, depth + 1, record=False)
            else:
                seen[key] = line
                if record:
                    self.out.key_positions[key_path] = (line, mark.column + 1)
                result[key] = self.node(value, key_path, depth + 1, record=record)

    def sequence(self, path: str, depth: int, *, record: bool) -> list[Any]:
        result: list[Any] = []
        while True:
            event = next(self.events)
            if isinstance(event, yaml.SequenceEndEvent):
                return result
            result.append(self.node(event, join_path(path, len(result)), depth + 1, record=record))

    def skip(self) -> None:
        """Consume the rest of a collection whose start event was just read, counting its nodes."""
        level = 1
        while level:
            event = next(self.events)
            if isinstance(event, yaml.CollectionStartEvent):
                level += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                level -= 1
                continue
            self.count(event)

    # -- syntax errors ---------------------------------------------------------------------------------------

    def syntax_error(self, error: yaml.YAMLError) -> None:
        """Report a parse failure where the user made it: an unclosed quote where it opens, a typing slip
        (:mod:`contractgen.spec.slips`) at its own character, else where the parser stopped, explained."""
        from contractgen.spec.slips import find_slip

        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        opened = getattr(error, "context_mark", None)
        problem = str(getattr(error, "problem", None) or error)
        context = str(getattr(error, "context", None) or "")
        unclosed = "end of stream" in problem or "document separator" in problem
        if opened is not None and "quoted scalar" in context and unclosed:
            where = f"第 {opened.line + 1} 行第 {opened.column + 1} 列"
            self.problem(opened, "", f"YAML 格式错误：{where}开始的引号没有闭合（同一种引号要成对）", "syntax")
            return
        slip = find_slip(self.text, mark.line + 1) if mark is not None else None
        if slip is not None:
            self.out.diagnostics.append(
                Diagnostic(self.file, slip.line, slip.column, "", f"YAML 格式错误：{slip.message}", rule="yaml.syntax")
            )
            return
        if opened is not None and "flow" in context:
            bracket = self.text[opened.index] if opened.index < len(self.text) else "["
            where = f"第 {opened.line + 1} 行第 {opened.column + 1} 列"
            self.problem(opened, "", f"YAML 格式错误：{where}的“{bracket}”没有闭合，或项之间缺少半角逗号“,”", "syntax")
            return
        char = self.text[mark.index] if mark is not None and mark.index < len(self.text) else ""
        self.problem(mark, "", "YAML 格式错误：" + _explain(problem, context, char), "syntax")


# Both parsers' wordings (libyaml and PyYAML differ) → what a legal assistant can act on.
_EXPLANATIONS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "此处不能出现“: ”（冒号加空格）；如果它是内容的一部分，请给整个值加引号",
    ),
    ("could not find expected ':'", "缺少“: ”：字段名后面要写英文冒号和一个空格"),
    ("did not find expected key", "缩进不一致：这一行和同级的字段没有对齐"),
    ("expected <block end>", "缩进不一致：这一行和同级的字段没有对齐"),
    ("block sequence entries are not allowed", "这里不能开始列表项“- ”：请检查缩进"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("while parsing a quoted scalar", "引号没有闭合"),
    ("while scanning a double-quoted scalar", "引号没有闭合"),
    ("unknown escape character", "双引号内的反斜杠转义无效；要写反斜杠本身，请改用单引号"),
    ("invalid Unicode character escape", "双引号内的 \\u 转义不是有效字符"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号 { } 没有闭合，或字段之间缺少逗号"),
    ("expected a comment or a line break", "值后面多了内容；要写注释，# 前面须有空格"),
    ("while scanning an anchor", "& 不能作为值的开头；如果它是内容的一部分，请给整个值加引号"),
    ("while scanning an alias", "* 不能作为值的开头；如果它是内容的一部分，请给整个值加引号"),
    ("expected the node content", "此处缺少值"),
    ("did not find expected node content", "此处缺少值"),
    ("expected <document start>", "文件结构有误：此处多出了内容"),
    ("did not find expected <document start>", "文件结构有误：此处多出了内容"),
    ("while scanning a directive", "以 % 开头的行是 YAML 指令；如果它是内容，请加引号"),
    ("found incompatible YAML document", "不支持的 YAML 版本声明"),
    ("while scanning a block scalar", "| 或 > 之后的写法有误"),
    ("while scanning a tag", "标签写法有误"),
    ("simple key", "字段名过长或缺少“: ”"),
)


def _explain(problem: str, context: str, char: str) -> str:
    if char == "\t" or "tab" in problem.lower():
        return "不能用 Tab 缩进或分隔，请改用空格"
    if "cannot start any token" in problem:
        if char in "@`":
            return f"{char} 不能作为值的开头：请给整个值加引号"
        return "此字符不能出现在这里；如果它是内容的一部分，请给整个值加引号"
    # The problem is more specific than the context ("while parsing a quoted scalar" holds many problems).
    for text in (problem, context):
        for needle, explanation in _EXPLANATIONS:
            if needle in text:
                return explanation
    return f"{context} {problem}".strip()


def compose(text: str, file: str, limits: Limits) -> Composition:
    """Compose ``text`` (already decoded and neutralised) into plain data, positions and diagnostics."""
    composer = _Composer(text, file, limits)
    deep = too_deep(text, limits.max_depth + FLOW_SLACK)
    if deep is not None:  # never handed to PyYAML: its time grows with the square of the depth (.flow_depth)
        message = f"嵌套层数过深：超过 {limits.max_depth} 层（方括号或花括号一层套一层）"
        composer.out.diagnostics.append(Diagnostic(file, *deep, "", message, rule="yaml.limit"))
        composer.out.fatal = True
        return composer.out
    try:
        composer.stream(yaml.parse(text, Loader=_PARSER))
    except yaml.YAMLError as error:
        composer.syntax_error(error)
        composer.out.fatal = True
    except _Abort:
        composer.out.fatal = True
    except StopIteration:  # pragma: no cover - the parser ends every stream properly or raises
        composer.out.fatal = True
    return composer.out
