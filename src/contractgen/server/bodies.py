"""Request bodies: a spec sent as YAML text or as a JSON object, read up to 1 MiB, given back as YAML bytes.

A YAML body goes to the loader byte for byte, so its encoding, characters and YAML traps (aliases, tags) are
judged by :mod:`contractgen.spec.loading`, as for a file. A JSON object is written out as YAML text first —
every string quoted, every integer as its digits — and then takes the same road, so both kinds of body get
the same diagnostics by the same field paths. A JSON number with a fraction or an exponent is refused here,
naming its field: money and rates are text (``"360000.00"``), and a binary float cannot say what was typed.

This module must not validate a spec, and must never turn a JSON number into a float.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from contractgen.spec.loading import LIMITS

__all__ = ["MAX_BODY", "BodyError", "spec_bytes"]

#: Request bodies above this are refused (413): the loader's own limit for a spec file.
MAX_BODY = LIMITS.max_bytes

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
JSON_TYPES = ("application/json",)


@dataclass(frozen=True)
class BodyError(Exception):
    """A body that cannot be a spec: its HTTP status and a Chinese message (naming the field, when there is one)."""

    status: int
    message: str
    path: str = ""


class _Fraction:
    """A JSON number that is not an integer, kept as its text (never a float) until it is refused."""

    def __init__(self, text: str) -> None:
        self.text = text


def _refuse_fractions(value: Any, path: str) -> None:
    if isinstance(value, _Fraction):
        raise BodyError(
            400,
            f'{path or "（根）"}：JSON 数字 {value.text} 不被接受：金额、比例等请写成文本（如 "360000.00"），'
            "以免被当作二进制小数而改变数值",
            path,
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_fractions(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _refuse_fractions(item, f"{path}[{n}]")


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)  # exact: an integer's digits are what was sent
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _yaml_lines(value: Any, indent: str) -> list[str]:
    """Block YAML of a JSON value: mappings and sequences as blocks, scalars in JSON's own quoting."""
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    for key, item in items:
        lead = f"{indent}{_yaml_scalar(str(key))}:" if key is not None else f"{indent}-"
        if isinstance(item, (dict, list)) and item:
            lines.append(lead)
            lines += _yaml_lines(item, indent + "  ")
        elif isinstance(item, dict):
            lines.append(f"{lead} {{}}")
        elif isinstance(item, list):
            lines.append(f"{lead} []")
        else:
            lines.append(f"{lead} {_yaml_scalar(item)}")
    return lines


def json_to_yaml(data: bytes) -> bytes:
    """A JSON object's text as YAML bytes the loader reads to the same data (numbers with a fraction refused)."""
    try:
        value = json.loads(data.decode("utf-8"), parse_float=_Fraction, parse_constant=_Fraction)
    except UnicodeDecodeError:
        raise BodyError(400, "请求正文不是 UTF-8 编码的 JSON") from None
    except json.JSONDecodeError as error:
        raise BodyError(400, f"请求正文不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列") from None
    if not isinstance(value, dict):
        raise BodyError(400, "JSON 请求正文应是一个对象（{...}），即合同规格的各字段")
    _refuse_fractions(value, "")
    return ("\n".join(_yaml_lines(value, "")) + "\n").encode("utf-8")


def spec_bytes(content_type: str, body: bytes) -> bytes:
    """The spec as YAML bytes from a body of ``content_type`` (its parameters, e.g. charset, ignored)."""
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    if kind in JSON_TYPES:
        return json_to_yaml(body)
    if kind in YAML_TYPES or kind == "":
        return body
    raise BodyError(415, f"不支持的请求正文类型 {kind}：请用 application/yaml（YAML 文本）或 application/json")
