"""Legal checks: what the law and the national standards say about a spec's values, each with its citation.

- ``uscc`` (error): a 统一社会信用代码 whose check character is wrong (GB 32100—2015).
- ``resident-id`` (error): a 居民身份证号码 whose check digit or birth date is wrong (GB 11643—1999). The
  region code is not judged: codes are reassigned over the years, and a number issued after a change keeps a
  code that did not exist at its holder's birth.
- ``adult-person``: a natural-person party who is not an adult on the signing date (a warning from 8, an
  error under 8: 无民事行为能力人实施的民事法律行为无效).

python-stdnum does the checksum arithmetic. Each diagnostic carries a rule id (``legal.*``) and a citation.
This module must not check form (the schema's patterns do) nor give advice beyond what the cited rule says.
"""

from __future__ import annotations

from collections.abc import Iterator

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from contractgen.diagnostics import Diagnostic
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS", "CITATIONS"]

CITATIONS = {
    "uscc": "GB 32100—2015《法人和其他组织统一社会信用代码编码规则》",
    "resident-id": "GB 11643—1999《公民身份号码》",
    "minor": "《民法典》第十九条、第一百四十五条",
    "child": "《民法典》第二十条、第一百四十四条",
}

ADULT, CAPABLE = 18, 8


def _parent(path: str) -> str:
    return path.rpartition(".")[0]


def credit_code(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    code = ctx.text(path)
    if code is None:
        return
    try:
        uscc.validate(code)
    except InvalidChecksum:
        expected = uscc.calc_check_digit(code[:-1])
        yield ctx.report(
            path,
            f"统一社会信用代码校验位错误：按前 17 位计算，最后一位应为 {expected}，收到 {code[-1]}；请对照营业执照核对",
            rule="legal.uscc",
            citation=CITATIONS["uscc"],
        )
    except ValidationError:
        yield ctx.report(path, "统一社会信用代码不符合编码规则", rule="legal.uscc", citation=CITATIONS["uscc"])


def resident_id(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    number = ctx.text(path)
    if number is None:
        return
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        yield ctx.report(
            path,
            f"身份证号码校验位错误：按前 17 位计算，最后一位应为 {expected}，收到 {number[-1]}；请对照身份证核对",
            rule="legal.resident-id",
            citation=CITATIONS["resident-id"],
        )
        return
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        yield ctx.report(
            path,
            f"身份证号码中的出生日期 {shown} 不存在；请对照身份证核对",
            rule="legal.resident-id",
            citation=CITATIONS["resident-id"],
        )
        return
    signed = ctx.calendar_date("signing.date")
    if signed is not None and born > signed:
        yield ctx.report(
            path,
            f"身份证号码中的出生日期 {born} 晚于签订日期 {signed}；请对照身份证核对",
            rule="legal.resident-id",
            citation=CITATIONS["resident-id"],
        )


def adult_person(ctx: CheckContext, party: str) -> Iterator[Diagnostic]:
    if ctx.get(f"{party}.kind") != "person":
        return
    path = f"{party}.id_number"
    number = ctx.text(path)
    signed = ctx.calendar_date("signing.date")
    if number is None or signed is None:
        return
    if number[-1] != ric.calc_check_digit(number):
        return  # resident-id reports it
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        return  # resident-id reports it
    age = signed.year - born.year - ((signed.month, signed.day) < (born.month, born.day))
    if age < 0 or age >= ADULT:
        return
    if age < CAPABLE:
        yield ctx.report(
            path,
            f"自然人一方签订时仅 {age} 周岁（出生于 {born}），是无民事行为能力人：其实施的民事法律行为无效，"
            "应由法定代理人代理",
            rule="legal.adult-person",
            citation=CITATIONS["child"],
        )
        return
    yield ctx.report(
        path,
        f"自然人一方签订时未满十八周岁（{age} 周岁，出生于 {born}）：限制民事行为能力人订立此合同，"
        "须经法定代理人同意或者追认（十六周岁以上、以自己的劳动收入为主要生活来源的除外）",
        rule="legal.adult-person",
        severity="warning",
        citation=CITATIONS["minor"],
    )


CHECKS: dict[str, Check] = {
    "uscc": credit_code,
    "resident-id": resident_id,
    "adult-person": adult_person,
}
