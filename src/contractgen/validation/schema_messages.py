"""jsonschema errors → Chinese messages a legal assistant can act on, one per problem, each with its field.

jsonschema says ``'12.345' is not a 'cny-amount'`` or ``Additional properties are not allowed ('nmae' was
unexpected)``. This module turns each error into :class:`SchemaProblem`\\ s: the dotted path of the field the
message is about, where to point (the value, the key, or — for a missing field — the mapping that lacks it),
and a message per validator keyword: 缺少必填字段 "x"（标题）, 未知字段 "x"（您是否想写 "y"？）, 只能是 …,
金额最多两位小数, and so on. Field-specific wording comes from the schema's ``x-message`` extension (a string,
or an object keyed by validator keyword) and from the ``cause`` of a format error
(:mod:`contractgen.validation.formats`).

This module must not run validation and must not know line numbers: it speaks in paths only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from jsonschema.exceptions import ValidationError

from contractgen.spec.yaml_compose import join_path
from contractgen.validation.formats import FormatProblem
from contractgen.validation.schema_index import SchemaIndex

__all__ = ["Anchor", "SchemaProblem", "did_you_mean", "explain", "show_value"]

Anchor = Literal["value", "key", "container"]

_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "object": "一组字段（在下一行缩进写“字段: 值”）",
    "array": "列表（每项以“- ”开头）",
    "boolean": "true 或 false",
    "null": "空值",
}

# Keywords whose failure only says "this is not the shape of that branch": for anyOf/oneOf, a branch failing
# only in other ways (a bad date in the date branch) is the one the user meant.
_SHAPE_KEYWORDS = frozenset({"type", "const", "enum", "pattern", "required", "additionalProperties"})


@dataclass(frozen=True)
class SchemaProblem:
    path: str
    anchor: Anchor
    message: str
    keyword: str


def show_value(value: Any) -> str:
    """How a received value is quoted in a message: ``"12.345"``, ``3``, ``true``, 空值, 一组字段, 列表."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f'"{shown}"'
    if isinstance(value, dict):
        return "一组字段"
    if isinstance(value, list):
        return "列表"
    return str(value)


def _received(value: Any) -> str:
    return f"，收到 {show_value(value)}"


def _normal(name: str) -> str:
    return re.sub(r"[-\s]+", "_", name.strip().lower())


def did_you_mean(word: str, candidates: dict[str, str]) -> str | None:
    """The candidate key ``word`` most likely meant: same key up to case/-/space, a title, or a near spelling.

    ``candidates`` maps each allowed key to its Chinese title, so ``名称`` finds ``name`` (名称或姓名).
    """
    normal = _normal(word)
    for key in candidates:
        if _normal(key) == normal:
            return key
    if word.strip():
        for key, title in candidates.items():
            if title and (word in title or title.split("（")[0] == word):
                return key
    close = difflib.get_close_matches(normal, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def _x_message(schema: Any, keyword: str) -> str | None:
    if not isinstance(schema, dict):
        return None
    custom = schema.get("x-message")
    if isinstance(custom, dict):
        found = custom.get(keyword)
        return found if isinstance(found, str) else None
    if isinstance(custom, str) and keyword in ("pattern", "format", "not", "anyOf", "oneOf", "const", "enum"):
        return custom
    return None


def explain(error: ValidationError, index: SchemaIndex) -> Iterator[SchemaProblem]:
    """The problems one jsonschema error stands for (``additionalProperties`` may name several keys)."""
    parts: Sequence[str | int] = list(error.absolute_path)
    path = ""
    for part in parts:
        path = join_path(path, part)
    keyword = str(error.validator)
    value = error.instance
    custom = _x_message(error.schema, keyword)

    if keyword == "required":
        missing = _missing_property(error)
        child = join_path(path, missing)
        title = index.title([*parts, missing])
        message = (
            f'缺少必填字段 "{missing}"'
            + (f"（{title}）" if title else "")
            + (f"：{custom}" if custom else "")
        )
        yield SchemaProblem(child, "container", message, keyword)
    elif keyword == "additionalProperties":
        allowed = index.properties(parts)
        for key in value if isinstance(value, dict) else ():
            if key in allowed:
                continue
            suggestion = did_you_mean(key, allowed)
            hint = f'（您是否想写 "{suggestion}"？）' if suggestion else ""
            yield SchemaProblem(join_path(path, key), "key", f'未知字段 "{key}"{hint}', keyword)
    elif keyword in ("anyOf", "oneOf"):
        yield SchemaProblem(path, "value", _alternatives(error, index, custom), keyword)
    else:
        # A whole list, or a field that should not be there, is pointed at by its key.
        anchor: Anchor = "key" if keyword in ("minItems", "maxItems", "not") else "value"
        if keyword == "type" and value is None:
            message = _blank_message(error.validator_value, index, parts)
        else:
            message = _simple(error, keyword, value, custom)
        yield SchemaProblem(path, anchor, message, keyword)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _missing_property(error: ValidationError) -> str:
    # jsonschema raises one error per missing property, worded "'name' is a required property".
    for name in _listed(error.validator_value):
        if (
            isinstance(error.instance, dict)
            and name not in error.instance
            and error.message.startswith(repr(name))
        ):
            return str(name)
    match = re.match(r"'(.*)' is a required property", error.message)
    return match.group(1) if match else "?"


def _simple(error: ValidationError, keyword: str, value: Any, custom: str | None) -> str:
    limit = error.validator_value
    if keyword == "type":
        return _type_message(limit, value)
    if keyword == "format":
        cause = error.cause
        reason = str(cause) if isinstance(cause, FormatProblem) else (custom or f"不是有效的 {limit}")
        return reason + _received(value)
    if keyword == "pattern":
        return (custom or "格式不正确") + _received(value)
    if keyword == "enum":
        return _enum_message(error, value, custom)
    if keyword == "const":
        return custom or f'只能是 "{limit}"' + _received(value)
    if keyword == "minLength":
        return "不能为空" if value == "" else f"至少 {limit} 个字" + _received(value)
    if keyword == "maxLength":
        return f"最多 {limit} 个字，现有 {len(value)} 个"
    if keyword in ("minimum", "exclusiveMinimum"):
        word = "不能小于" if keyword == "minimum" else "必须大于"
        return f"{word} {limit}" + _received(value)
    if keyword in ("maximum", "exclusiveMaximum"):
        word = "不能大于" if keyword == "maximum" else "必须小于"
        return f"{word} {limit}" + _received(value)
    if keyword == "minItems":
        return custom or f"至少要有 {limit} 项，现有 {len(value)} 项"
    if keyword == "maxItems":
        return custom or f"最多 {limit} 项，现有 {len(value)} 项"
    if keyword == "not":
        return custom or "此处不应填写这一项"
    if keyword == "uniqueItems":
        return "列表中有重复的项"
    return custom or f"不符合要求（{keyword}）"


def _blank_message(expected: Any, index: SchemaIndex, parts: Sequence[str | int]) -> str:
    """A field left blank (``total:`` with nothing after it): say what belongs there."""
    wanted = expected[0] if isinstance(expected, list) else expected
    if wanted in ("object", "array"):
        return "不能为空（这一组不需要时，请连同这一行一起删除）"
    title = index.title(parts)
    examples = index.first(parts, "examples")
    example = examples[0] if isinstance(examples, list) and examples else None
    message = f"不能为空：请填写{title}" if title else "不能为空"
    if isinstance(example, str | int) and not isinstance(example, bool):
        message += f"，例：{example}"
    return message


def _type_message(expected: Any, value: Any) -> str:
    wanted = expected[0] if isinstance(expected, list) else expected
    name = _TYPE_NAMES.get(str(wanted), str(wanted))
    if wanted == "integer" and isinstance(value, str):
        if re.fullmatch(r"0[0-9]+", value):
            return f"应为整数，不要以 0 开头{_received(value)}"
        return f"应为整数{_received(value)}"
    if wanted == "string" and isinstance(value, bool):
        return f"应为{name}{_received(value)}（如果就是这个词，请加引号）"
    if wanted == "object" and isinstance(value, str):
        slip = _colon_slip(value)
        if slip:
            return f"应为{name}{_received(value)}：{slip}"
    return f"应为{name}{_received(value)}"


# A lone "key：value" or "key:value" where fields were expected: YAML read the typing slip as one text.
_COLON_SLIP = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?P<colon>[：:])(?P<after>\S?)")


def _colon_slip(value: str) -> str:
    match = _COLON_SLIP.match(value)
    if match is None:
        return ""
    if match["colon"] == "：":
        return "这里用了全角冒号“：”，YAML 需要半角“:”加一个空格"
    return "冒号后面缺少空格：字段名后面要写“: ”（冒号加一个空格）" if match["after"] else ""


def _enum_message(error: ValidationError, value: Any, custom: str | None) -> str:
    if custom:
        return custom + _received(value)
    options = _listed(error.validator_value)
    labels = error.schema.get("enumDescriptions", []) if isinstance(error.schema, dict) else []
    shown = [
        f"{option}（{labels[i]}）" if i < len(labels) else str(option) for i, option in enumerate(options)
    ]
    message = "只能是 " + "、".join(shown) + "之一" + _received(value)
    if isinstance(value, str):
        suggestion = did_you_mean(
            value, {str(o): (labels[i] if i < len(labels) else "") for i, o in enumerate(options)}
        )
        if suggestion and suggestion != value:
            message += f'（您是否想写 "{suggestion}"？）'
    return message


def _alternatives(error: ValidationError, index: SchemaIndex, custom: str | None) -> str:
    """anyOf/oneOf: the error of the branch the user evidently meant, else the schema's own wording."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else -1
        branches.setdefault(int(branch), []).append(sub)
    for subs in branches.values():
        if all(sub.validator not in _SHAPE_KEYWORDS for sub in subs):
            first = min(subs, key=lambda sub: len(sub.path))
            return next(iter(explain(first, index))).message
    if custom:
        return custom + (_received(error.instance) if not isinstance(error.instance, dict) else "")
    return "不符合任何一种允许的写法" + _received(error.instance)
