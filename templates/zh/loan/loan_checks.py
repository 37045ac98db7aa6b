"""The loan contract's legal checks: the statutory interest caps, advance deductions, interest-free loans, the
lender that is a financial institution, and the LPR the spec states against the type's dated table.

The rules, as the texts say them (checked against the reprints of LawRefBook/Laws, which compiles them from the
国家法律法规数据库; the court's own 公报 text was not reached):

- 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》（法释〔2020〕17号, as amended 2020-12-23, in force
  2021-01-01; the August 2020 version, 法释〔2020〕6号, numbered these articles 第二十六条, 第二十九条, 第三十条):
  第一条第二款 经金融监管部门批准设立的从事贷款业务的金融机构及其分支机构，因发放贷款等相关金融业务引发的纠纷，
  不适用本规定。第二十四条第一款 借贷双方没有约定利息，出借人主张支付利息的，人民法院不予支持。第二十五条第一款
  出借人请求借款人按照合同约定利率支付利息的，人民法院应予支持，但是双方约定的利率超过合同成立时一年期贷款市场报价
  利率四倍的除外。第二十六条 ……预先在本金中扣除利息的，人民法院应当将实际出借的金额认定为本金。第二十八条第一款
  借贷双方对逾期利率有约定的，从其约定，但是以不超过合同成立时一年期贷款市场报价利率四倍为限。第二十九条
  出借人与借款人既约定了逾期利率，又约定了违约金或者其他费用，出借人可以选择主张逾期利息、违约金或者其他费用，
  也可以一并主张，但是总计超过合同成立时一年期贷款市场报价利率四倍的部分，人民法院不予支持。
- 《民法典》第六百七十条 借款的利息不得预先在本金中扣除。利息预先在本金中扣除的，应当按照实际借款数额返还借款
  并计算利息。第六百八十条第二款 借款合同对支付利息没有约定的，视为没有利息。

Exactly four times the LPR passes: the articles bar what *exceeds* it. Each diagnostic carries its rule id
(``loan.*``) and citation. A passing check says nothing: it never tells anyone that a clause is safe. This module
must not give advice beyond what the cited rule says, and must not word the contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from loan_consistency import CHECKS as CONSISTENCY_CHECKS
from loan_context import LPR_MULTIPLE

from contractgen.diagnostics import Diagnostic
from contractgen.numerals import to_chinese_date, to_figures
from contractgen.validation.checks import Check, CheckContext
from contractgen.validation.reference_tables import load_reference_table

__all__ = ["CHECKS", "CITATIONS", "LPR_TABLE"]

LPR_TABLE = Path(__file__).with_name("lpr-1y.yaml")
_RULES = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》（法释〔2020〕17号）"
CITATIONS = {
    "scope": f"{_RULES}第一条第二款",
    "rate-cap": f"{_RULES}第二十五条",
    "overdue-cap": f"{_RULES}第二十八条第一款",
    "overdue-total-cap": f"{_RULES}第二十九条",
    "advance-deduction": f"《民法典》第六百七十条；{_RULES}第二十六条",
    "interest-free": f"《民法典》第六百八十条第二款；{_RULES}第二十四条第一款",
    "lpr": f"{_RULES}第二十五条第二款",
}
_CAP_WORDS = "合同成立时一年期贷款市场报价利率（LPR）四倍"


def _shown(percent: Decimal) -> str:
    return f"{percent.normalize():f}%"


def _regulated(ctx: CheckContext) -> bool:
    """Whether the private-lending rules govern the loan (not a licensed lender's: 第一条第二款)."""
    return ctx.get("financial_institution") is not True


def _agreed(ctx: CheckContext) -> tuple[Decimal, str] | None:
    """The agreed annual rate in percent and the field it is written in; None when none is agreed or readable."""
    kind = ctx.get("interest.kind")
    if kind == "fixed":
        rate = ctx.decimal("interest.rate")
        return (rate, "interest.rate") if rate is not None else None
    if kind == "lpr":
        lpr, spread = ctx.decimal("interest.lpr"), ctx.integer("interest.spread_bp")
        return (lpr + Decimal(spread) / 100, "interest.spread_bp") if lpr is not None and spread is not None else None
    return None


def rate_cap(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    lpr, agreed = ctx.decimal("interest.lpr"), _agreed(ctx)
    if not _regulated(ctx) or lpr is None or agreed is None:
        return
    rate, where = agreed
    cap = lpr * LPR_MULTIPLE
    if rate > cap:
        yield ctx.report(
            where,
            f"约定的借期内年利率 {_shown(rate)} 超过{_CAP_WORDS}（{_shown(lpr)} × 4 = {_shown(cap)}）："
            "出借人请求借款人按照合同约定利率支付利息的，人民法院应予支持，但是双方约定的利率超过"
            "合同成立时一年期贷款市场报价利率四倍的除外",
            rule="loan.rate-cap",
            citation=CITATIONS["rate-cap"],
        )


def overdue_cap(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    lpr = ctx.decimal("interest.lpr")
    if not _regulated(ctx) or lpr is None:
        return
    cap = lpr * LPR_MULTIPLE
    overdue = ctx.decimal(f"{path}.rate")
    if overdue is not None and overdue > cap:
        yield ctx.report(
            f"{path}.rate",
            f"逾期利率 {_shown(overdue)} 超过{_CAP_WORDS}（{_shown(cap)}）：借贷双方对逾期利率有约定的，从其约定，"
            "但是以不超过合同成立时一年期贷款市场报价利率四倍为限",
            rule="loan.overdue-cap",
            citation=CITATIONS["overdue-cap"],
        )
        return
    extras = [
        (ctx.decimal(f"{path}.{key}"), name) for key, name in (("penalty_rate", "违约金"), ("fee_rate", "其他费用"))
    ]
    agreed = [(value, name) for value, name in extras if value is not None]
    if not agreed:
        return
    if overdue is None:  # the contract says the agreed rate runs on as the overdue rate (第二十八条第二款第二项)
        rate = _agreed(ctx)
        overdue = rate[0] if rate is not None else None
    if overdue is None:
        return
    total = overdue + sum((value for value, _ in agreed), Decimal(0))
    if total > cap:
        parts = "、".join(f"{name} {_shown(value)}" for value, name in agreed)
        yield ctx.report(
            path,
            f"逾期利息 {_shown(overdue)} 与{parts}合计年 {_shown(total)}，超过{_CAP_WORDS}（{_shown(cap)}）："
            "出借人可以选择主张逾期利息、违约金或者其他费用，也可以一并主张，但是总计超过合同成立时一年期贷款市场"
            "报价利率四倍的部分，人民法院不予支持",
            rule="loan.overdue-total-cap",
            citation=CITATIONS["overdue-total-cap"],
        )


def advance_deduction(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    fees = ctx.get(path)
    principal = ctx.decimal("loan.principal")
    if not isinstance(fees, list):
        return
    deducted = Decimal(0)
    for n in range(len(fees)):
        amount = ctx.decimal(f"{path}[{n}].amount")
        if ctx.get(f"{path}[{n}].deducted") is not True or amount is None:
            continue
        deducted += amount
        paid = f"，借款人实际取得 {to_figures(principal - deducted)}" if principal and principal > deducted else ""
        yield ctx.report(
            f"{path}[{n}].deducted",
            f"提供借款时从本金中预先扣除{ctx.text(f'{path}[{n}].name')}（{to_figures(amount)}）{paid}："
            "借款的利息不得预先在本金中扣除。利息预先在本金中扣除的，应当按照实际借款数额返还借款并计算利息；"
            "预先在本金中扣除利息的，人民法院应当将实际出借的金额认定为本金",
            rule="loan.advance-deduction",
            citation=CITATIONS["advance-deduction"],
        )


def interest_free(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    persons = all(ctx.get(f"{party}.kind") == "person" for party in ("lender", "borrower"))
    if ctx.get(f"{path}.kind") != "none" or not persons:
        return
    yield ctx.report(
        f"{path}.kind",
        "自然人之间的借款，本合同不约定利息：本借款不计利息（合同第四条写明）。借款合同对支付利息没有约定的，"
        "视为没有利息；借贷双方没有约定利息，出借人主张支付利息的，人民法院不予支持",
        rule="loan.interest-free",
        severity="warning",
        citation=CITATIONS["interest-free"],
    )


def financial_institution(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    if ctx.get(path) is not True:
        return
    if ctx.get("lender.kind") == "person":
        yield ctx.report(
            path,
            "出借人是自然人（lender.kind: person），不是经金融监管部门批准设立的从事贷款业务的金融机构",
            rule="loan.financial-institution",
            citation=CITATIONS["scope"],
        )
        return
    yield ctx.report(
        path,
        "出借人为经金融监管部门批准设立的从事贷款业务的金融机构：其因发放贷款等相关金融业务引发的纠纷，不适用"
        "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》。因此不按该规定检查借期内利率、逾期利率和"
        "违约金、其他费用的上限（loan.rate-cap、loan.overdue-cap、loan.overdue-total-cap），也不检查金融机构"
        "贷款应当遵守的其他规定；利息不得预先在本金中扣除（《民法典》第六百七十条）仍然检查",
        rule="loan.financial-institution",
        severity="warning",
        citation=CITATIONS["scope"],
    )


def lpr_table(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    stated = ctx.decimal(path)
    if stated is None:
        return
    signed = ctx.calendar_date("signing.date")
    table = load_reference_table(LPR_TABLE)
    if signed is None:
        if ctx.get("signing.date") is None:
            yield ctx.report(
                path,
                f"没有写签订日期（signing.date），无法用{table.name}表核对 {_shown(stated)} 是否为合同成立时的一年期 "
                "LPR；请以中国人民银行授权全国银行间同业拆借中心公布的数值为准",
                rule="loan.lpr-table-gap",
                severity="warning",
                citation=CITATIONS["lpr"],
            )
        return
    row = table.find(signed)
    if row is None:
        yield ctx.report(
            path,
            f"{table.gap(signed)}，无法核对 {_shown(stated)} 是否为签订日期适用的一年期 LPR；请以中国人民银行授权"
            "全国银行间同业拆借中心公布的数值为准",
            rule="loan.lpr-table-gap",
            severity="warning",
            citation=CITATIONS["lpr"],
        )
    elif row.value != stated:
        yield ctx.report(
            path,
            f"签订日期{to_chinese_date(signed)}适用的一年期 LPR 是 {_shown(row.value)}"
            f"（自{to_chinese_date(row.effective)}起，出处：{row.source}），规格写的是 {_shown(stated)}；"
            "利率上限以合同成立时的一年期 LPR 的四倍计算",
            rule="loan.lpr-table",
            severity="warning",
            citation=CITATIONS["lpr"],
        )


CHECKS: dict[str, Check] = {
    "loan-rate-cap": rate_cap,
    "loan-overdue-cap": overdue_cap,
    "loan-advance-deduction": advance_deduction,
    "loan-interest-free": interest_free,
    "loan-financial-institution": financial_institution,
    "loan-lpr-table": lpr_table,
    **CONSISTENCY_CHECKS,
}
