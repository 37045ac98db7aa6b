"""The customer-service contract's cross-field rules: what no single field's schema can say — that the fields
of a spec agree with each other.

- ``fee-capital``: the 大写 the user typed is the same amount as ``total`` (read with ``parse_capital``; the
  message shows both and the canonical form); the same amount written otherwise than canonically (三十六万元整,
  …零伍分整) is a warning, ``cross.fee-capital-form``, naming what differs and the canonical form.
- ``fee-instalments``: all instalments written the same way (all amounts, or all percentages — mixing is
  refused: a schedule half in yuan and half in percent is hard to read and easy to get wrong), amounts summing
  exactly to ``total`` or percentages to exactly 100%, every percentage giving a whole number of fen, and due
  dates in order.
- ``annual-split``: paying by year, a ``total`` that does not divide into equal yearly payments of whole fen is
  a warning naming the payments: every year gets the share rounded down to the fen, the last year the remainder
  (the schedule still adds up to the total exactly, and the contract's wording states both amounts).
- ``term-within-validity``: the contract does not lapse (7.2) before the service period (4.1) ends. Both count
  their first day (:func:`~contractgen.numerals.periods.term_last_day`, 《民法典》第二百零二条). Without a
  signing date: from signing, a validity shorter than the term; from a fixed start, a validity shorter than
  the term (an error) or exactly as long (a warning naming the earliest signing date that still covers it).
- ``schedule-dates`` (warnings): service start and instalments not before signing, dues within the term; the
  comparisons with signing are skipped when the signing date is not written.
- ``distinct-parties``: 甲方 and 乙方 are not the same party.

Each check is named in the schema (``x-checks``) at the place whose fields it reads, and reads them through
:class:`~contractgen.validation.checks.CheckContext`, so a value the schema already rejected is never judged again. This
module must not repeat what the schema checks, and must never use ``float``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from customer_service_penalties import whole_fen_rates

from contractgen.diagnostics import Diagnostic
from contractgen.errors import NumeralError
from contractgen.numerals import parse_amount, to_figures
from contractgen.numerals.periods import term_last_day
from contractgen.validation.capitals import capital_agrees
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS"]

_FEN = Decimal("0.01")


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def _amount(ctx: CheckContext, path: str) -> Decimal | None:
    """The amount at ``path`` when the schema accepted it, read as the model reads it: ``360,000.00`` is
    360000.00 (:meth:`CheckContext.decimal` reads plain numbers only, and would take it for no number)."""
    text = ctx.text(path)
    try:
        return None if text is None else parse_amount(text)
    except NumeralError:  # the schema let through text that is no amount: not a check's business
        return None


def fee_capital(ctx: CheckContext, fee: str) -> Iterator[Diagnostic]:
    total = _amount(ctx, _join(fee, "total"))
    path = _join(fee, "capital")
    capital = ctx.text(path)
    if total is None or capital is None:
        return
    yield from capital_agrees(
        ctx, path, capital, total, "total", rule="cross.fee-capital", form_rule="cross.fee-capital-form"
    )


def fee_instalments(ctx: CheckContext, fee: str) -> Iterator[Diagnostic]:
    if ctx.get(_join(fee, "payment")) != "instalments":
        return
    base = _join(fee, "instalments")
    items = ctx.get(base)
    total = _amount(ctx, _join(fee, "total"))
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
    read = _amount if kind == "amount" else CheckContext.decimal
    values = [read(ctx, f"{base}[{i}].{kind}") for i in range(count)]
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
            rates = whole_fen_rates(total, percent)
            nearest = f"（如 {' 或 '.join(f'{r:f}%' for r in rates)}）" if rates else ""
            yield ctx.report(
                f"{base}[{i}].percent",
                f"第 {i + 1} 期 {percent.normalize():f}% 折合 {amount.normalize():f} 元，不是整分金额："
                f"请调整比例{nearest}，或改用 amount 写明每期金额",
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
    total = _amount(ctx, _join(root, "fee.total"))
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
    """The term's first day: term.start, else the signing date (``None`` when that is not written)."""
    signed = ctx.calendar_date(_join(root, "signing.date"))
    start = ctx.get(_join(root, "term.start"))
    if start is None and _join(root, "term.start") not in ctx.reported:
        return signed  # not written: "自双方签字之日起计算"
    if start == "signing":
        return signed
    return ctx.calendar_date(_join(root, "term.start"))


def _from_signing(ctx: CheckContext, root: str) -> bool:
    """Whether the term counts from signing (term.start absent or ``signing``), as the validity always does."""
    return ctx.get(_join(root, "term.start")) in (None, "signing") and _join(root, "term.start") not in ctx.reported


def term_within_validity(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    years = ctx.integer(_join(root, "term.years"))
    validity = ctx.integer(_join(root, "validity_years"))
    if years is None or validity is None:
        return
    signed = ctx.calendar_date(_join(root, "signing.date"))
    start = _service_start(ctx, root)
    path = _join(root, "validity_years")
    if signed is None:
        if _join(root, "signing.date") in ctx.reported:
            return  # written, but not a date: the schema has said so
        from_signing = _from_signing(ctx, root)
        yield from _validity_without_signing_date(ctx, path, years, validity, start=start, from_signing=from_signing)
        return
    if start is None:
        return
    service_end = term_last_day(start, years=years)
    lapse = term_last_day(signed, years=validity)
    if service_end > lapse:
        needed = validity
        while term_last_day(signed, years=needed) < service_end:
            needed += 1
        yield ctx.report(
            path,
            f"合同有效期 {validity} 年（{signed} 起，至 {lapse}）短于服务期限"
            f"（{start} 起 {years} 年，至 {service_end}）：服务尚未结束合同就已失效；"
            f"validity_years 至少应为 {needed}",
            rule="cross.validity-term",
        )


def _validity_without_signing_date(
    ctx: CheckContext, path: str, years: int, validity: int, *, start: date | None, from_signing: bool
) -> Iterator[Diagnostic]:
    """With the signing date left to the pen, what can still be told: the validity (from signing) against the
    term — from signing too, or from a fixed start, taking the contract to be signed no later than that start
    (a later signing is 倒签, which ``cross.start-before-signing`` questions once the date is written)."""
    if from_signing:
        if validity < years:
            yield ctx.report(
                path,
                f"合同有效期 {validity} 年短于服务期限 {years} 年（二者都自双方签字之日起计算）："
                f"服务尚未结束合同就已失效；validity_years 至少应为 {years}",
                rule="cross.validity-term",
            )
        return
    if start is None:
        return
    service_end = term_last_day(start, years=years)
    if term_last_day(start, years=validity) < service_end:
        yield ctx.report(
            path,
            f"合同有效期 {validity} 年（自签订之日起）短于服务期限（{start} 起 {years} 年，至 {service_end}）："
            f"在服务期限开始之日或之前签订的，服务尚未结束合同就已失效；validity_years 至少应为 {years}",
            rule="cross.validity-term",
        )
    elif validity == years:
        earliest = start
        while term_last_day(earliest - timedelta(days=1), years=validity) >= service_end:
            earliest -= timedelta(days=1)  # at most a few days, at month ends (2月29日)
        yield ctx.report(
            path,
            f"合同有效期 {validity} 年自签订之日起计算，服务期限自 {start} 起 {years} 年（至 {service_end}）："
            f"{earliest} 之前签订的，服务尚未结束合同就已失效；签订日期未写，请确认签订日期，"
            f"或将 validity_years 改为 {years + 1}",
            rule="cross.validity-term",
            severity="warning",
        )


def schedule_dates(ctx: CheckContext, root: str) -> Iterator[Diagnostic]:
    signed = ctx.calendar_date(_join(root, "signing.date"))
    start = _service_start(ctx, root)
    if signed is not None and start is not None and start < signed:
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
    end = term_last_day(start, years=years) if start is not None and years is not None and years > 0 else None
    for i in range(len(items) if isinstance(items, list) else 0):
        path = _join(root, f"fee.instalments[{i}].due")
        due = ctx.calendar_date(path)
        if due is not None and signed is not None and due < signed:
            yield ctx.report(
                path,
                f"第 {i + 1} 期付款日期 {due} 早于签订日期 {signed}",
                rule="cross.due-before-signing",
                severity="warning",
            )
        elif due is not None and end is not None and due > end:
            yield ctx.report(
                path,
                f"第 {i + 1} 期付款日期 {due} 在服务期限届满（{end}）之后",
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
