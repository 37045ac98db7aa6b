"""The formats the spec schemas name — ``cny-amount``, ``percent``, ``date`` — checked with Chinese reasons.

A schema pairs each of these with a ``pattern`` (which editors check as the user types); this module is what
contractgen checks, and it says *why* a value is wrong in words a legal assistant can act on:
"金额最多两位小数" rather than "does not match". Each checker accepts the text as written in the spec (the
loader keeps scalars as source text) and raises :class:`FormatProblem` with the reason; jsonschema keeps it as
the error's ``cause``.

This module must not convert values for later use (that is :mod:`contractgen.document.build`), and must never use
``float``: amounts and rates are read with ``Decimal``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from jsonschema import FormatChecker

from contractgen.numerals.digit_grouping import grouping_problem

__all__ = ["FORMATS", "FormatProblem", "amount_problem", "date_problem", "percent_problem"]

# The spec's own grammar for amounts and rates: stricter than what contractgen.numerals accepts on the command
# line (no ¥, no full-width digits or comma: what a Chinese input method types is refused with a hint to
# switch it), so that a spec has one way to write each character. Thousands separators follow the command
# line's rule; _GROUPED is the shape that rule is asked about (digits, commas, one point).
_AMOUNT = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
_GROUPED = re.compile(r"[0-9,]+(\.[0-9,]*)?")
_PERCENT = re.compile(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?%")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LOOSE_DATE = re.compile(r"([0-9]{4})\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*(?:[-/.]|月)\s*([0-9]{1,2})\s*日?")
_FULL_WIDTH = re.compile(r"[０-９．％，]")
_CAPITAL_CHARS = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿一二三四五六七八九十百千]")

MAX_AMOUNT = Decimal("999999999999.99")
FIRST_YEAR, LAST_YEAR = 1990, 2100


class FormatProblem(ValueError):
    """Why a value does not have its format, in Chinese."""


def amount_problem(text: str) -> str | None:
    """Why ``text`` is not a positive amount of yuan with at most two decimals, or ``None``.

    Thousands separators are welcome where they belong (``360,000.00``) and refused, in the words of the
    command line's ``contractgen amount``, where they do not (``36,0000.00``): one rule, in
    :mod:`contractgen.numerals.digit_grouping`, for every amount contractgen reads.
    """
    if "," in text and _GROUPED.fullmatch(text):
        problem = grouping_problem(text, 0, len(text))
        if problem is not None:
            return problem[1]
        text = text.replace(",", "")
    if _AMOUNT.fullmatch(text):
        value = Decimal(text)
        if value == 0:
            return "金额必须大于零"
        if value > MAX_AMOUNT:
            return "金额过大，不能超过 999999999999.99"
        return None
    if "，" in text:
        return "千位分隔符请用半角逗号 “,”（输入法切换到英文）"
    if _FULL_WIDTH.search(text):
        return "请用半角数字和小数点（输入法切换到英文）"
    if text.startswith("-"):
        return "金额必须大于零，不能是负数"
    if any(sign in text for sign in "¥￥元$"):
        return "金额只写数字，不写 ¥ 或“元”"
    if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
        return "金额最多两位小数"
    if re.fullmatch(r"0[0-9]+(\.[0-9]+)?", text):
        return "金额不能以 0 开头"
    if re.fullmatch(r"[0-9.]+[eE][-+]?[0-9]+", text):
        return "金额请写成普通数字，不用科学计数法"
    if _CAPITAL_CHARS.search(text):
        return "金额用阿拉伯数字填写；大写金额请写在 capital"
    return "金额应写成数字，最多两位小数，如 360000.00"


def percent_problem(text: str) -> str | None:
    """Why ``text`` is not a rate above 0% and at most 100% (``20%``, ``0.05%``), or ``None``."""
    if _PERCENT.fullmatch(text):
        value = Decimal(text[:-1])
        if value == 0:
            return "比例必须大于 0%"
        if value > 100:
            return "比例不能超过 100%"
        return None
    if _FULL_WIDTH.search(text):
        return "请用半角数字和百分号 %（输入法切换到英文）"
    if text.startswith("-"):
        return "比例必须大于 0%，不能是负数"
    if _NUMBER.fullmatch(text):
        return f"比例须带百分号，如 {text}%"
    if re.fullmatch(r"[0-9]+\.[0-9]{5,}%", text):
        return "比例最多四位小数"
    if "分之" in text or _CAPITAL_CHARS.search(text):
        return "比例请写成数字加百分号，如 20% 或 0.05%（合同中会自动写出“百分之二十”）"
    return "比例应写成数字加百分号，如 20% 或 0.05%"


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a real calendar date written YYYY-MM-DD (years 1990–2100), or ``None``."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        loose = _LOOSE_DATE.fullmatch(text)
        if loose:
            year, month, day = (int(g) for g in loose.groups())
            return f"日期请写成 {year:04d}-{month:02d}-{day:02d}（YYYY-MM-DD）"
        return "日期应写成 YYYY-MM-DD，如 2026-11-24"
    year, month, day = (int(g) for g in match.groups())
    shown_year = match.group(1)
    if not 1 <= month <= 12:
        return f"不是有效日期：没有 {month} 月"
    days = calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= days:
        return f"不是有效日期：{year} 年 {month} 月只有 {days} 天"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"年份 {shown_year} 不合理，应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"
    date(year, month, day)  # cannot fail after the checks above; kept as the final word on validity
    return None


FORMATS = FormatChecker(formats=())


@FORMATS.checks("cny-amount", raises=FormatProblem)
def _is_amount(instance: object) -> bool:
    return _verdict(instance, amount_problem)


@FORMATS.checks("percent", raises=FormatProblem)
def _is_percent(instance: object) -> bool:
    return _verdict(instance, percent_problem)


@FORMATS.checks("date", raises=FormatProblem)
def _is_date(instance: object) -> bool:
    return _verdict(instance, date_problem)


def _verdict(instance: object, find: Callable[[str], str | None]) -> bool:
    # Only text has a format: a number, list or null is the "type" keyword's business.
    if not isinstance(instance, str):
        return True
    reason = find(instance)
    if reason is not None:
        raise FormatProblem(reason)
    return True
