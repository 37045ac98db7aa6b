"""Size limits on what a template computes: no value bigger than :data:`MAX_VALUE`, checked before it is made.

Jinja's sandbox stops a template from reaching Python's internals, not from exhausting memory:
``{{ "x" * 10**9 }}`` allocates a gigabyte in one C call, ``10 ** 10 ** 8`` computes for hours, and
``"%0999999999d"|format(1)`` or ``"x"|center(10**9)`` do the same through a width. A limit checked after the
fact comes too late for those, so the rule here is:

- every operation whose result can be much bigger than its inputs — repetition or padding by a number, a power,
  a width in a format, a join or replacement that multiplies one string by another's length — is estimated
  from its inputs *before* it runs (:func:`check_binop`, :func:`check_filter`, :func:`check_method`);
- every other result is bounded by a small multiple of its inputs, and is checked after it is made
  (:func:`check_value`), so that repeating a cheap step (doubling a string in a loop) stops at the limit too.

Sizes count what a value prints as (:func:`value_size`): the characters of a string, and for a collection its
items and theirs, through nested ones — a list holding one list a thousand times counts it a thousand times.

This module must not import Jinja's environment, nor know about files; it raises TemplateError only.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence, Sized
from typing import Any, NoReturn

from jinja2.utils import Namespace, generate_lorem_ipsum

from contractgen.errors import TemplateError

__all__ = [
    "MAX_INT_BITS",
    "MAX_VALUE",
    "check_binop",
    "check_filter",
    "check_format",
    "check_method",
    "check_str_format",
    "check_value",
    "value_size",
]

MAX_VALUE = 10_000_000  # characters or items of any one value a template computes
MAX_INT_BITS = 65_536  # an integer a template computes (about 20 000 digits; Python prints at most 4 300)


def _too_big(what: str, size: int) -> NoReturn:
    raise TemplateError(f"模板计算的值过大（{what}：约 {size} 个字符或元素，上限 {MAX_VALUE}）")


_COLLECTIONS = (list, tuple, set, frozenset, dict, Namespace)


def _children(item: object) -> Sequence[object] | None:
    """The items of a collection (keys and values of a dict, attributes of a namespace); None for a leaf."""
    if isinstance(item, list | tuple):
        return item
    if isinstance(item, set | frozenset):
        return list(item)
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, Namespace):
        return [*item._Namespace__attrs.values()]  # what its repr prints
    return None


def _flat_size(items: Sequence[object]) -> int | None:
    """The size of ``items`` if none of them is a collection (None otherwise), mostly computed in C: a list of
    a hundred thousand numbers or strings is measured in milliseconds, and often."""
    kinds = set(map(type, items))
    if any(issubclass(kind, _COLLECTIONS) for kind in kinds):
        return None
    texts = [issubclass(kind, str | bytes) for kind in kinds]
    if not any(texts):
        return 2 * len(items)  # each item: its place, and itself
    if all(texts):
        return len(items) + sum(map(len, items))  # type: ignore[arg-type]
    return len(items) + sum(len(c) if isinstance(c, str | bytes) else 1 for c in items)


def value_size(value: object, limit: int = MAX_VALUE) -> int:
    """What ``value`` prints as, in characters and items (see the module docstring); stops past ``limit``.

    Each collection is measured once however often it is referred to, so that a value built by doubling a
    shared reference costs as many steps as it has distinct parts, not as it prints; a cycle prints forever.
    """
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, _COLLECTIONS):
        return 1
    sizes: dict[int, int] = {}  # id of a measured collection -> its size
    pending: list[tuple[object, Sequence[object] | None]] = [(value, None)]
    while pending:
        item, children = pending.pop()
        if children is not None:  # all of item's children are measured: item's size is their sum
            size = len(children) + sum(sizes.get(id(c), len(c) if isinstance(c, str | bytes) else 1) for c in children)
        elif id(item) in sizes or (found := _children(item)) is None:
            continue
        elif len(found) > limit:
            return len(found)
        elif (flat := _flat_size(found)) is None:
            sizes[id(item)] = limit + 1  # while its children are measured: meeting it again is a cycle
            pending.append((item, found))
            pending.extend((c, None) for c in found if isinstance(c, _COLLECTIONS) and id(c) not in sizes)
            continue
        else:
            size = flat
        sizes[id(item)] = size
        if size > limit:
            return size
    return sizes[id(value)]


def check_value(value: object, what: str) -> Any:
    """``value``, unless it is bigger than :data:`MAX_VALUE`."""
    size = value_size(value)
    if size > MAX_VALUE:
        _too_big(what, size)
    return value


def _length(value: object) -> int:
    return value_size(value) if isinstance(value, str | Sized) else len(str(value))


def _within(size: int, what: str) -> None:
    if size > MAX_VALUE:
        _too_big(what, size)


def _count(value: object, what: str) -> int:
    """A width or count argument, as an int (non-int arguments are the filter's own business)."""
    if isinstance(value, int) and value > MAX_VALUE:
        _too_big(what, value)
    return value if isinstance(value, int) else 0


# --- operators --------------------------------------------------------------------------------------------

def _big(digits: str) -> bool:
    return len(digits) > 8 or int(digits) > MAX_VALUE  # (never int() of thousands of digits)


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_format(template: str, args: object, what: str) -> None:
    """``template % args`` (or the format filter) must not ask for a width or precision beyond the limit."""
    for match in _PERCENT_SPEC.finditer(template):
        for number in match.groups():
            if number == "*":
                raise TemplateError(f"模板的格式说明（{what}）不支持用 * 指定宽度")
            if number is not None and _big(number):
                _too_big(what, int(number[:16]))
    _within(len(template) + value_size(args), what)


def check_str_format(template: str, what: str) -> None:
    """``template.format(...)``: every field's width and precision within the limit, none computed."""
    for _, field, spec, _ in string.Formatter().parse(template):
        if field is None or not spec:
            continue
        if "{" in spec:
            raise TemplateError(f"模板的格式说明（{what}）不支持嵌套的 {{…}}")
        for number in re.findall(r"\d+", spec):
            if _big(number):
                _too_big(what, int(number[:16]))


def _int_bits(left: int, right: int, operator: str) -> int:
    """About how many bits ``left * right`` or ``left ** right`` has."""
    if operator == "*":
        return left.bit_length() + right.bit_length()
    if right <= 0 or abs(left) <= 1:
        return 1
    return left.bit_length() * min(right, MAX_INT_BITS + 1)


def check_binop(operator: str, left: object, right: object) -> None:
    """Refuse ``left <operator> right`` before it runs if its result would be too big (``*``, ``**``, ``%``)."""
    what = f"运算 {operator}"
    if operator in {"*", "**"} and isinstance(left, int) and isinstance(right, int):
        if _int_bits(left, right, operator) > MAX_INT_BITS:
            raise TemplateError(f"模板计算的整数过大（{what}，上限 {MAX_INT_BITS} 位二进制）")
    elif operator == "*" and isinstance(right, int) and isinstance(left, str | list | tuple):
        _within(value_size(left, MAX_VALUE // max(right, 1)) * max(right, 0), what)
    elif operator == "*" and isinstance(left, int) and isinstance(right, str | list | tuple):
        _within(value_size(right, MAX_VALUE // max(left, 1)) * max(left, 0), what)
    elif operator == "%" and isinstance(left, str):
        check_format(left, right, what)


# --- filters ----------------------------------------------------------------------------------------------
# Each check has the filter's own parameters (after Jinja's context or environment argument) and returns the
# value to filter: join and sum materialise an iterator, to measure it; the filter then gets the list.


def _lines(value: object) -> int:
    return str(value).count("\n") + 1


def _center(value: object, width: object = 80) -> object:
    _within(max(_length(value), _count(width, "过滤器 center")), "过滤器 center")
    return value


def _indent(s: object, width: object = 4, first: object = False, blank: object = False) -> object:
    pad = _count(width, "过滤器 indent") if isinstance(width, int) else len(str(width))
    _within(_length(s) + _lines(s) * pad, "过滤器 indent")
    return s


def _batch(value: object, linecount: object, fill_with: object = None) -> object:
    _count(linecount, "过滤器 batch")
    return value


def _slice(value: object, slices: object, fill_with: object = None) -> object:
    _count(slices, "过滤器 slice")
    return value


def _format(value: object, *args: object, **kwargs: object) -> object:
    if isinstance(value, str):
        check_format(value, kwargs or args, "过滤器 format")
    return value


def _join(value: object, d: object = "", attribute: object = None) -> object:
    items = value if isinstance(value, Sized) else list(value)  # type: ignore[call-overload]
    _within(value_size(items) + len(items) * _length(d), "过滤器 join")
    return items


def _replace(s: object, old: object = "", new: object = "", count: object = None) -> object:
    text, old_text, new_text = str(s), str(old), str(new)
    hits = len(text) + 1 if not old_text else text.count(old_text)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    _within(len(text) + hits * len(new_text), "过滤器 replace")
    return s


def _sum(iterable: object, attribute: object = None, start: object = 0) -> object:
    if isinstance(start, int | float):
        return iterable
    items = iterable if isinstance(iterable, Sized) else list(iterable)  # type: ignore[call-overload]
    _within(value_size(items) + value_size(start), "过滤器 sum")
    return items


def _wordwrap(
    s: object, width: object = 79, break_long_words: object = True, wrapstring: object = None, **_: object
) -> object:
    lines = _length(s) // max(width if isinstance(width, int) else 1, 1) + 1
    _within(_length(s) + lines * len(str(wrapstring or "\n")), "过滤器 wordwrap")
    return s


def _urlize(value: object, trim_url_limit: object = None, nofollow: object = False, **attributes: object) -> object:
    # Every link gets the target and rel attributes: at most one link per four characters.
    extra = sum(len(v) for v in attributes.values() if isinstance(v, str))
    _within(_length(value) + _length(value) // 4 * (64 + extra), "过滤器 urlize")
    return value


def _depth(value: object) -> int:
    """How deeply ``value``'s collections nest (its size is already known to be within the limit)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, list | tuple | set | frozenset | dict):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _indented(value: object, width: int, what: str) -> object:
    # Indented output repeats the indentation on every line, once per level of nesting.
    _within(value_size(value) * (8 + width * _depth(value)), what)
    return value


def _tojson(value: object, indent: object = None) -> object:
    width = len(indent) if isinstance(indent, str) else _count(indent, "过滤器 tojson")
    return _indented(value, width, "过滤器 tojson")


def _pprint(value: object) -> object:
    return _indented(value, 1, "过滤器 pprint")


_FILTERS: dict[str, Callable[..., object]] = {
    "center": _center,
    "indent": _indent,
    "batch": _batch,
    "slice": _slice,
    "format": _format,
    "join": _join,
    "replace": _replace,
    "sum": _sum,
    "wordwrap": _wordwrap,
    "urlize": _urlize,
    "tojson": _tojson,
    "pprint": _pprint,
}


def check_filter(name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
    """The filter ``name``'s arguments (without Jinja's first one), checked; the value may be materialised."""
    what = f"过滤器 {name}"
    for argument in (*args, *kwargs.values()):
        check_value(argument, what)
    check = _FILTERS.get(name)
    if check is None or not args:
        return args
    return (check(*args, **kwargs), *args[1:])


# --- methods and globals ----------------------------------------------------------------------------------

_STR_WIDTH = {"center", "ljust", "rjust", "zfill"}
_JINJAS = {"_loop_vars", "_block_vars"}  # what Jinja passes to a call for itself (and takes out again)


def _check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
    what = f"方法 {name}"
    if name in _STR_WIDTH and args:
        _within(max(len(text), _count(args[0], what)), what)
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        _within(len(text) + text.count("\t") * _count(size, what), what)
    elif name == "join" and args:
        items = args[0] if isinstance(args[0], Sized) else list(args[0])
        _within(value_size(items) + len(items) * len(text), what)
        return (items, *args[1:])
    elif name == "replace" and len(args) >= 2:
        _replace(text, *args)
    elif name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((_length(v) for v in args[0].values() if v is not None), default=1)
        _within(len(text) * longest, what)
    elif name in {"format", "format_map"}:
        check_str_format(text, what)
    return args


def check_method(function: object, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
    """A call's arguments, checked before the call; a ``join`` gets its iterator materialised."""
    for argument in (*args, *(v for k, v in kwargs.items() if k not in _JINJAS)):
        check_value(argument, "调用的参数")
    receiver = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if receiver is None and name in {"format", "format_map"}:  # the sandbox's wrapper of str.format
        receiver = getattr(getattr(function, "__wrapped__", None), "__self__", None)
    if isinstance(receiver, str):
        return _check_str_method(receiver, name, args, kwargs)
    if function is generate_lorem_ipsum:
        n, most = _lipsum(*args, **kwargs)
        _within(_count(n, "lipsum") * _count(most, "lipsum") * 12, "lipsum")
    return args


def _lipsum(n: object = 5, html: object = True, min: object = 20, max: object = 100) -> tuple[object, object]:
    return n, max  # lipsum's own parameters: n paragraphs of at most max words
