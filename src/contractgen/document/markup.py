"""Markup: one rendered template (an XML fragment in the markup of ``docs/templates.md``) → document tree blocks.

The fragment is parsed strictly — expat, no DTD, no entities beyond XML's own five, only the elements and
attributes the markup defines — into :mod:`contractgen.document.tree` nodes. Whitespace containing a line break is
dropped (Chinese text is written across template lines without spaces). Bad markup is a
:class:`~contractgen.errors.TemplateError` naming the template and the line of the rendered output.

This module must not render templates, read files, or know any output format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

from contractgen.document.tree import (
    Align,
    Blank,
    Block,
    Bold,
    Box,
    Cell,
    Clause,
    Heading,
    Inline,
    Item,
    Keep,
    LineBreak,
    NoBreak,
    PageBreak,
    Paragraph,
    Row,
    SealSpot,
    Signature,
    SignatureSide,
    Spacer,
    Subtitle,
    Table,
    Text,
    Title,
    Underline,
)
from contractgen.errors import TemplateError

__all__ = ["MAX_BLANK_WIDTH", "MAX_EMPTY_ROWS", "parse_part"]

# A run of whitespace containing a line break is dropped: Chinese text is written across template lines
# without spaces. Other whitespace is kept as typed. (Not \s: that would also eat U+3000, a typed space.)
_BREAKING_WHITESPACE = re.compile(r"[ \t\r\n]*[\r\n][ \t\r\n]*")
_BLANK = re.compile(r"[ \t\r\n]*")

_BLOCKS = frozenset(
    {
        "title",
        "subtitle",
        "p",
        "heading",
        "clause",
        "item",
        "table",
        "keep",
        "signature",
        "pagebreak",
        "spacer",
    }
)
_INLINES = frozenset({"b", "u", "nobr", "blank", "box", "br"})
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "part": frozenset(),
    "title": frozenset(),
    "subtitle": frozenset(),
    "p": frozenset({"indent", "align"}),
    "heading": frozenset({"level"}),
    "clause": frozenset({"num", "incorporates"}),
    "item": frozenset({"label"}),
    "table": frozenset({"widths"}),
    "tr": frozenset({"header"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "emptyrows": frozenset({"count"}),
    "keep": frozenset(),
    "signature": frozenset(),
    "pagenote": frozenset(),
    "side": frozenset(),
    "line": frozenset(),
    "seal": frozenset({"party", "kind", "mm"}),
    "pagebreak": frozenset(),
    "spacer": frozenset(),
    "b": frozenset(),
    "u": frozenset(),
    "nobr": frozenset(),
    "blank": frozenset({"width"}),
    "box": frozenset(),
    "br": frozenset(),
}
_ALIGNS: tuple[Align, ...] = ("left", "center", "right", "justify")
MAX_EMPTY_ROWS = 200
MAX_BLANK_WIDTH = 40
#: A seal spot's size in millimetres: room for a hand signature (20) up to the largest round seal (45).
MIN_SEAL_MM, MAX_SEAL_MM = 20, 45
_PARTY = re.compile(r"[a-z]")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element | str] = field(default_factory=list)


class _MarkupError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _parse_xml(text: str) -> _Element:
    """Parse one XML fragment with expat, keeping line numbers; no DTD, no entities beyond XML's own five."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    root: list[_Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(tag, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].children.append(data)
        elif data.strip(" \t\r\n"):
            raise _MarkupError("根元素 <part> 之外不能有文字", parser.CurrentLineNumber)

    def refuse(what: str) -> Callable[..., None]:
        def handler(*_args: object) -> None:
            raise _MarkupError(f"不允许 {what}", parser.CurrentLineNumber)

        return handler

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse("DOCTYPE 声明")
    parser.EntityDeclHandler = refuse("实体声明")
    parser.ProcessingInstructionHandler = refuse("处理指令")

    def external_entity(*_args: object) -> int:
        raise _MarkupError("不允许外部实体", parser.CurrentLineNumber)

    parser.ExternalEntityRefHandler = external_entity
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        message = expat.errors.messages.get(error.code, str(error)) if error.code else str(error)
        raise _MarkupError(f"XML 格式错误：{message}", error.lineno) from None
    if len(root) != 1:
        raise _MarkupError("模板应输出恰好一个根元素 <part>", 1)
    return root[0]


def _fold(text: str) -> str:
    return _BREAKING_WHITESPACE.sub("", text)


def _check_attributes(element: _Element) -> None:
    allowed = _ATTRIBUTES.get(element.tag)
    if allowed is None:
        raise _MarkupError(f"未知元素 <{element.tag}>", element.line)
    unknown = set(element.attrs) - allowed
    if unknown:
        names = ", ".join(sorted(unknown))
        raise _MarkupError(f"<{element.tag}> 不支持属性 {names}", element.line)


def _int_attr(element: _Element, name: str, default: int, low: int, high: int) -> int:
    raw = element.attrs.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not low <= int(raw) <= high:
        raise _MarkupError(f"<{element.tag}> 的 {name} 应为 {low}–{high} 的整数，收到 {raw!r}", element.line)
    return int(raw)


def _align_attr(element: _Element, default: Align | None) -> Align | None:
    raw = element.attrs.get("align")
    if raw is None:
        return default
    if raw not in _ALIGNS:
        raise _MarkupError(f"<{element.tag}> 的 align 应为 left/center/right/justify，收到 {raw!r}", element.line)
    return raw


def _only_elements(element: _Element) -> list[_Element]:
    """The element children of a container; text other than line-breaking whitespace is an error."""
    out: list[_Element] = []
    for child in element.children:
        if isinstance(child, str):
            if not _BLANK.fullmatch(child):
                snippet = child.strip()[:20]
                raise _MarkupError(f"<{element.tag}> 中不能直接写文字（“{snippet}”）：请放进 <p> 等元素", element.line)
        else:
            _check_attributes(child)
            out.append(child)
    return out


def _inlines(element: _Element) -> tuple[Inline, ...]:
    runs: list[Inline] = []
    for child in element.children:
        if isinstance(child, str):
            text = _fold(child)
            if text:
                runs.append(Text(text))
            continue
        _check_attributes(child)
        if child.tag not in _INLINES:
            raise _MarkupError(f"<{child.tag}> 不能放在 <{element.tag}> 里（只能放文字和行内元素）", child.line)
        if child.tag == "b":
            runs.append(Bold(_inlines(child)))
        elif child.tag == "u":
            runs.append(Underline(_inlines(child)))
        elif child.tag == "nobr":
            if any(isinstance(c, _Element) and c.tag == "br" for c in child.children):
                raise _MarkupError("<nobr> 里不能换行（<br/>）", child.line)
            runs.append(NoBreak(_inlines(child)))
        elif child.tag == "blank":
            _empty(child)
            runs.append(Blank(_int_attr(child, "width", 8, 1, MAX_BLANK_WIDTH)))
        elif child.tag == "br":
            _empty(child)
            runs.append(LineBreak())
        else:
            _empty(child)
            runs.append(Box())
    return tuple(runs)


def _empty(element: _Element) -> None:
    if any(not isinstance(c, str) or _fold(c) for c in element.children):
        raise _MarkupError(f"<{element.tag}> 应为空元素", element.line)


def _table(element: _Element) -> Table:
    raw_widths = element.attrs.get("widths")
    widths: tuple[int, ...] = ()
    if raw_widths is not None:
        if not re.fullmatch(r"[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,19}", raw_widths.replace(" ", "")):
            raise _MarkupError(f"<table> 的 widths 应为逗号分隔的正整数，收到 {raw_widths!r}", element.line)
        widths = tuple(int(w) for w in raw_widths.replace(" ", "").split(","))
    rows: list[Row] = []
    for child in _only_elements(element):
        if child.tag == "tr":
            header = child.attrs.get("header", "0")
            if header not in ("0", "1"):
                raise _MarkupError(f"<tr> 的 header 应为 1 或 0，收到 {header!r}", child.line)
            cells: list[Cell] = []
            for cell in _only_elements(child):
                if cell.tag not in ("th", "td"):
                    raise _MarkupError(f"<tr> 里只能放 <th> 和 <td>，收到 <{cell.tag}>", cell.line)
                default: Align | None = "center" if cell.tag == "th" else None
                cells.append(Cell(_inlines(cell), cell.tag == "th", _align_attr(cell, default)))
            if not cells:
                raise _MarkupError("<tr> 至少要有一个单元格", child.line)
            if not widths:
                widths = (1,) * len(cells)
            if len(cells) != len(widths):
                raise _MarkupError(f"这一行有 {len(cells)} 个单元格，表格有 {len(widths)} 列", child.line)
            rows.append(Row(tuple(cells), header == "1"))
        elif child.tag == "emptyrows":
            _empty(child)
            if not widths:
                raise _MarkupError("<emptyrows/> 之前须有 widths 或一行表头，才知道有几列", child.line)
            count = _int_attr(child, "count", 1, 1, MAX_EMPTY_ROWS)
            rows.extend(Row(tuple(Cell(()) for _ in widths)) for _ in range(count))
        else:
            raise _MarkupError(f"<table> 里只能放 <tr> 和 <emptyrows/>，收到 <{child.tag}>", child.line)
    if not rows:
        raise _MarkupError("<table> 至少要有一行", element.line)
    return Table(widths, tuple(rows))


def _seal(element: _Element) -> SealSpot:
    _empty(element)
    party = element.attrs.get("party", "")
    if not _PARTY.fullmatch(party):
        raise _MarkupError(f"<seal/> 的 party 应为 a、b、c 等小写字母，收到 {party!r}", element.line)
    kind = element.attrs.get("kind", "seal")
    if kind not in ("seal", "signature"):
        raise _MarkupError(f"<seal/> 的 kind 应为 seal 或 signature，收到 {kind!r}", element.line)
    mm = _int_attr(element, "mm", 42, MIN_SEAL_MM, MAX_SEAL_MM)
    return SealSpot(party, "seal" if kind == "seal" else "signature", mm)


def _signature(element: _Element) -> Signature:
    sides: list[SignatureSide] = []
    note: tuple[Inline, ...] = ()
    for side in _only_elements(element):
        if side.tag not in ("side", "pagenote"):
            raise _MarkupError(f"<signature> 里只能放 <pagenote> 和 <side>，收到 <{side.tag}>", side.line)
        if side.tag == "pagenote":
            if note or sides:
                raise _MarkupError("<pagenote> 只能有一个，且在第一个 <side> 之前", side.line)
            note = _inlines(side)
            continue
        lines: list[tuple[Inline, ...] | SealSpot] = []
        for line in _only_elements(side):
            if line.tag == "seal":
                lines.append(_seal(line))
            elif line.tag != "line":
                raise _MarkupError(f"<side> 里只能放 <line> 和 <seal/>，收到 <{line.tag}>", line.line)
            else:
                lines.append(_inlines(line))
        sides.append(SignatureSide(tuple(lines)))
    if not 1 <= len(sides) <= 4:
        raise _MarkupError("<signature> 应有一至四个 <side>", element.line)
    return Signature(tuple(sides), note)


def _blocks(element: _Element) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for child in _only_elements(element):
        tag = child.tag
        if tag not in _BLOCKS:
            raise _MarkupError(f"<{tag}> 不能放在 <{element.tag}> 里（只能放块元素）", child.line)
        if tag == "title":
            blocks.append(Title(_inlines(child)))
        elif tag == "subtitle":
            blocks.append(Subtitle(_inlines(child)))
        elif tag == "p":
            indent = child.attrs.get("indent", "2")
            if indent not in ("0", "2"):
                raise _MarkupError(f"<p> 的 indent 应为 0 或 2，收到 {indent!r}", child.line)
            align = _align_attr(child, "justify") or "justify"
            blocks.append(Paragraph(_inlines(child), indent == "2", align))
        elif tag == "heading":
            blocks.append(Heading(_inlines(child), _int_attr(child, "level", 1, 1, 2)))
        elif tag == "clause":
            num = _fold(child.attrs.get("num", "")).strip()
            if not num:
                raise _MarkupError("<clause> 缺少 num", child.line)
            blocks.append(Clause(num, _inlines(child), tuple(child.attrs.get("incorporates", "").split())))
        elif tag == "item":
            label = _fold(child.attrs.get("label", "")).strip()
            if not label:
                raise _MarkupError("<item> 缺少 label", child.line)
            blocks.append(Item(label, _inlines(child)))
        elif tag == "table":
            blocks.append(_table(child))
        elif tag == "keep":
            blocks.append(Keep(_blocks(child)))
        elif tag == "signature":
            blocks.append(_signature(child))
        elif tag == "pagebreak":
            _empty(child)
            blocks.append(PageBreak())
        else:
            _empty(child)
            blocks.append(Spacer())
    return tuple(blocks)


def parse_part(xml: str, *, source: str = "<template>") -> tuple[Block, ...]:
    """The blocks of one rendered template (its ``<part>`` root), or a TemplateError naming ``source``."""
    try:
        root = _parse_xml(xml)
        if root.tag != "part":
            raise _MarkupError(f"根元素应为 <part>，收到 <{root.tag}>", root.line)
        _check_attributes(root)
        return _blocks(root)
    except _MarkupError as error:
        lines = xml.splitlines()
        excerpt = lines[error.line - 1].strip()[:60] if 0 < error.line <= len(lines) else ""
        near = f"（渲染结果第 {error.line} 行：{excerpt}）" if excerpt else f"（渲染结果第 {error.line} 行）"
        raise TemplateError(f"{source}: {error.message}{near}") from None
