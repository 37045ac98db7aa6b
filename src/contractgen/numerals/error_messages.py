"""Builds the Chinese error messages of the numeral converters, so that all of them read alike.

What it does: turns (input, 0-based position, reason) into a :class:`~contractgen.errors.NumeralError` (or
:class:`~contractgen.errors.AmountError`) whose message names the input, the 1-based character a person counts
to, and what is wrong there; the exception keeps the 0-based ``position`` for programs.

What it must not do: decide what is an error. Callers decide; this module only words it.
"""

from __future__ import annotations

from decimal import Decimal

from contractgen.errors import NumeralError

__all__ = ["position_error", "quote"]


def quote(value: object) -> str:
    """The input as it appears in a message: text in double quotes, anything else by its repr."""
    if isinstance(value, str | Decimal):
        return f'"{value}"'
    if isinstance(value, int) and value.bit_length() > 4000:
        # repr() of a huge int raises ValueError (CPython's 4300-digit limit): a message must never fail.
        return f"一个约 {value.bit_length() * 30103 // 100000 + 1} 位的整数"
    return repr(value)


def position_error(
    error: type[NumeralError], what: str, text: str, position: int, reason: str
) -> NumeralError:
    """``error`` for ``text`` with the problem at ``position`` (``len(text)`` means "at the end")."""
    where = "结尾" if position >= len(text) else f'第 {position + 1} 个字符"{text[position]}"'
    return error(f"{what} {quote(text)} {where}：{reason}", value=text, position=position)
