"""Cross-field rules: what no single field's schema can say — that the fields of a spec agree with each other.

- ``fee-capital``: the 大写 the user typed is the same amount as ``total`` (read with ``parse_capital``; the
  message shows both and the canonical form).
- ``fee-instalments``: all instalments written the same way (all amounts, or all percentages — mixing is
  refused: a schedule half in yuan and half in percent is hard to read and easy to get wrong), amounts summing
  exactly to ``total`` or percentages to exactly 100%, every percentage giving a whole number of fen, and due
  dates in order.
- ``annual-split``: paying by year, a ``total`` that does not divide into equal yearly payments of whole fen is
  a warning naming the payments: every year gets the share rounded down to the fen, the last year the remainder
  (the schedule still adds up to the total exactly, and the contract's wording states both amounts).
- ``term-within-validity``: the contract does not lapse (7.2) before the service period (4.1) ends.
- ``schedule-dates`` (warnings): service start and instalments not before signing, dues within the term.
- ``distinct-parties``: 甲方 and 乙方 are not the same party.

Each check is named in the schema (``x-checks``) at the place whose fields it reads, and reads them through
:class:`~contractgen.validation.checks.CheckContext`, so a value the schema already rejected is never judged again. This
module must not repeat what the schema checks, and must never use ``float``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from contractgen.diagnostics import Diagnostic
from contractgen.errors import NumeralError
from contractgen.numerals import parse_capital, to_capital, to_figures
from contractgen.validation.checks import Check, CheckContext, add_years

__all__ = ["CHECKS"]

_FEN = Decimal("0.01")


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def fee_capital(ctx: CheckContext, fee: str) -> Iterator[Diagnostic]:
    total = ctx.decimal(_join(fee, "total"))
    path = _join(fee, "capital")
    capital = ctx.text(path)
    if total is None or capital is None:
        return
    canonical = to_capital(total)
    try:
        value = parse_capital(capital)
    except NumeralError as error:
        yield ctx.report(
            path, f"{error.message}（total 的规范大写为：{canonical}）", rule="cross.fee-capital"
        )
        return
    if value != total:
        yield ctx.report(
            path,
            f'大写金额与 total 不一致：大写 "{capital}" 是 {to_figures(value)}，total 是 {to_figures(total)}'
            f"（{to_figures(total)} 的规范大写为：{canonical}）",
            rule="cross.fee-capital",
        )


def fee_instalments(ctx: CheckContext, fee: str) -> Iterator[Diagnostic]:
    if ctx.get(_join(fee, "payment")) != "instalments":
        return
    base = _join(fee, "instalments")
    items = ctx.get(base)
    total = ctx.decimal(_join(fee, "total"))
    if not isinstance(items, list):
        return
    kinds: list[str] = []
    for item in items:
        if not isinstance(item, dict) or ("amount" in item) == ("percent" in item):
            return  # the schema has said what is wrong with this item; sums would only add noise
        kinds.append("amount" if "amount" in item else "percent")
    if len(set(kinds)) > 1:
        other = kinds.index(next(k for k in kinds if k != kinds[0]))
        words = {"amount": "金额（amount）", "percent": "比例（percent）"}
        yield ctx.report(
            f"{base}[{other}].{kinds[other]}",
            f"各期须用同一种写法：第 1 期写的是{words[kinds[0]]}，"
            f"第 {other + 1} 期写的是{words[kinds[other]]}；请全部写金额或全部写比例",
            rule="cross.instalments-mixed",
            key=True,
        )
        return
    yield from _instalment_sums(ctx, base, len(items), kinds[0] if kinds else "", total)
    yield from _instalment_order(ctx, base, len(items))


def _instalment_sums(
    ctx: CheckContext, base: str, count: int, kind: str, total: Decimal | None
) -> Iterator[Diagnostic]:
    values = [ctx.decimal(f"{base}[{i}].{kind}") for i in range(count)]
    if kind == "amount":
        if total is None or None in values:
            return
        paid = sum((v for v in values if v is not None), Decimal(0))
        if paid != total:
            yield ctx.report(
                base,
                f"各期金额合计 {to_figures(paid)}，与总额 total {to_figures(total)} 不一致"
                f"（相差 {to_figures(abs(paid - total))}）",
                rule="cross.instalments-sum",
                key=True,
            )
        return
    if None not in values:
        share = sum((v for v in values if v is not None), Decimal(0))
        if share != 100:
            yield ctx.report(
                base,
                f"各期比例合计 {share.normalize():f}%，应为 100%",
                rule="cross.instalments-sum",
                key=True,
            )
    if total is None:
        return
    for i, percent in enumerate(values):
        if percent is None:
            continue
        amount = total * percent / 100
        if amount != amount.quantize(_FEN):
            yield ctx.report(
                f"{base}[{i}].percent",
                f"第 {i + 1} 期 {percent.normalize():f}% 折合 {amount.normalize():f} 元，不是整分金额："
                "请调整比例，或改用 amount 写明每期金额",
                rule="cross.instalments-fen",
            )


def _instalment_order(ctx: CheckContext, base: str, count: int) -> Iterator[Diagnostic]:
    previous: date | None = None
    for i in range(count):
        due = ctx.calendar_date(f"{base}[{i}].due")
        if due is not None and previous is not None and due <= previous:
            yield ctx.report(
                f"{base}[{i}].due",
                f"第 {i + 1} 期付款日期 {due} 不晚于第 {i} 期（{previous}）：各期应按先后顺序排列",
                rule="cross.instalments-order",
            )
        previous = due if due is not None else previous


def annual_split(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    payment = ctx.get(_join(root, "fee.payment"))
    if payment not in (None, "annual"):
        return
    total = ctx.decimal(_join(root, "fee.total"))
    years = ctx.integer(_join(root, "term.years"))
    if total is None or years is None or years < 1:
        return
    fen = int(total * 100)
    if fen % years:
        share = Decimal(fen // years) / 100
        last = total - share * (years - 1)
        where = _join(root, "fee.payment" if payment else "fee.total")
        yield ctx.report(
            where,
            f"按年度支付时，总额 {to_figures(total)} 不能平均分成 {years} 个年度的整分金额："
            f"前 {years - 1} 个服务年度每年度 {to_figures(share)}，"
            f"最后一个服务年度 {to_figures(last)}（尾差计入最后一期）",
            severity="warning",
            rule="cross.annual-split",
        )


def _service_start(ctx: CheckContext, root: str) -> date | None:
    signed = ctx.calendar_date(_join(root, "signing.date"))
    start = ctx.get(_join(root, "term.start"))
    if start is None and _join(root, "term.start") not in ctx.reported:
        return signed  # not written: "自双方签字之日起计算"
    if start == "signing":
        return signed
    return ctx.calendar_date(_join(root, "term.start"))


def term_within_validity(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    years = ctx.integer(_join(root, "term.years"))
    validity = ctx.integer(_join(root, "validity_years"))
    signed = ctx.calendar_date(_join(root, "signing.date"))
    start = _service_start(ctx, root)
    if years is None or validity is None or signed is None or start is None:
        return
    service_end = add_years(start, years)
    lapse = add_years(signed, validity)
    if service_end > lapse:
        needed = validity
        while add_years(signed, needed) < service_end:
            needed += 1
        yield ctx.report(
            _join(root, "validity_years"),
            f"合同有效期 {validity} 年（{signed} 起，至 {lapse - timedelta(days=1)}）短于服务期限"
            f"（{start} 起 {years} 年，至 {service_end - timedelta(days=1)}）：服务尚未结束合同就已失效；"
            f"validity_years 至少应为 {needed}",
            rule="cross.validity-term",
        )


def schedule_dates(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    signed = ctx.calendar_date(_join(root, "signing.date"))
    if signed is None:
        return
    start = _service_start(ctx, root)
    if start is not None and start < signed:
        yield ctx.report(
            _join(root, "term.start"),
            f"服务期限起算日 {start} 早于签订日期 {signed}（倒签）：请确认这是双方的真实约定",
            rule="cross.start-before-signing",
            severity="warning",
        )
    if ctx.get(_join(root, "fee.payment")) != "instalments":
        return
    items = ctx.get(_join(root, "fee.instalments"))
    years = ctx.integer(_join(root, "term.years"))
    end = add_years(start, years) if start is not None and years is not None else None
    for i in range(len(items) if isinstance(items, list) else 0):
        path = _join(root, f"fee.instalments[{i}].due")
        due = ctx.calendar_date(path)
        if due is not None and due < signed:
            yield ctx.report(
                path,
                f"第 {i + 1} 期付款日期 {due} 早于签订日期 {signed}",
                rule="cross.due-before-signing",
                severity="warning",
            )
        elif due is not None and end is not None and due >= end:
            yield ctx.report(
                path,
                f"第 {i + 1} 期付款日期 {due} 在服务期限届满（{end - timedelta(days=1)}）之后",
                rule="cross.due-after-term",
                severity="warning",
            )


def distinct_parties(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    for field, label in (("credit_code", "统一社会信用代码"), ("id_number", "身份证号码"), ("name", "名称")):
        a = ctx.text(_join(root, f"party_a.{field}"))
        b = ctx.text(_join(root, f"party_b.{field}"))
        if a is not None and b is not None and "".join(a.split()) == "".join(b.split()):
            yield ctx.report(
                _join(root, f"party_b.{field}"),
                f"甲乙双方的{label}相同：合同双方不能是同一主体",
                rule="cross.same-party",
            )
            return


CHECKS: dict[str, Check] = {
    "fee-capital": fee_capital,
    "fee-instalments": fee_instalments,
    "annual-split": annual_split,
    "term-within-validity": term_within_validity,
    "schedule-dates": schedule_dates,
    "distinct-parties": distinct_parties,
}
