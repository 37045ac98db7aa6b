"""The loan contract's model: the frozen objects its rules build from a valid spec.

The common parts (:class:`~contractgen.document.model.Party`, :class:`~contractgen.document.model.Rate`,
:class:`~contractgen.document.model.Signing`) are the core's; everything here is this type's own: the loan and its
term, the interest, the repayment, the overdue terms, the fees, the guarantee, the disputes and notices.

This module defines shapes only: it must not validate, compute derived values (that is :mod:`loan_context`), or
import anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from contractgen.document.model import Party, Rate, Signing

__all__ = [
    "Contract",
    "Dispute",
    "EarlyRepayment",
    "Fee",
    "Guarantee",
    "Interest",
    "InterestKind",
    "Loan",
    "Notices",
    "Overdue",
    "Repayment",
    "RepaymentMethod",
]

InterestKind = Literal["fixed", "lpr", "none"]
RepaymentMethod = Literal["annuity", "equal_principal", "interest_only", "bullet"]
GuaranteeMethod = Literal["joint", "general"]


@dataclass(frozen=True)
class Term:
    """The term as the spec gives it (the schema's ``loan.term``): a number of months, or its last day."""

    months: int | None
    end: date | None  # the last day (the last repayment date)


@dataclass(frozen=True)
class Loan:
    principal: Decimal
    purpose: str
    disbursement_date: date  # the day the lender provides the money; the term and the interest start on it
    term: Term


@dataclass(frozen=True)
class Interest:
    kind: InterestKind
    lpr: Rate  # the 1-year LPR when the contract is made, as the spec states it
    rate: Rate | None  # fixed: the agreed annual rate
    spread_bp: int | None  # lpr: basis points over the LPR

    @property
    def annual_percent(self) -> Decimal:
        """The agreed annual rate in percent: the fixed rate, LPR + spread, or 0."""
        if self.kind == "fixed" and self.rate is not None:
            return self.rate.percent
        if self.kind == "lpr" and self.spread_bp is not None:
            return self.lpr.percent + Decimal(self.spread_bp) / 100
        return Decimal(0)


@dataclass(frozen=True)
class Repayment:
    method: RepaymentMethod
    first_date: date | None  # the first instalment's date; None: a month after the disbursement
    day: int | None  # the day of the month; None: the first date's


@dataclass(frozen=True)
class EarlyRepayment:
    allowed: bool = True
    notice_days: int = 15


@dataclass(frozen=True)
class Overdue:
    rate: Rate | None = None  # None: the agreed rate runs on (规定第二十八条第二款第二项)
    penalty_rate: Rate | None = None
    fee_rate: Rate | None = None
    acceleration_instalments: int = 2


@dataclass(frozen=True)
class Fee:
    name: str
    amount: Decimal
    deducted: bool = False


@dataclass(frozen=True)
class Guarantee:
    method: GuaranteeMethod
    period_months: int


@dataclass(frozen=True)
class Dispute:
    method: Literal["court", "arbitration"] = "court"
    court_connection: str | None = None
    commission: str | None = None


@dataclass(frozen=True)
class Notices:
    electronic: bool | None = None
    change_days: int = 3


@dataclass(frozen=True)
class Contract:
    type: str
    contract_no: str
    title: str | None
    copies: int
    signing: Signing
    lender: Party
    borrower: Party
    guarantor: Party | None
    loan: Loan
    interest: Interest
    repayment: Repayment
    early_repayment: EarlyRepayment
    overdue: Overdue
    fees: tuple[Fee, ...]
    guarantee: Guarantee | None
    financial_institution: bool
    dispute: Dispute
    notices: Notices
