"""The loan contract's model built from a validated spec (its rules' ``build_model``).

Money becomes ``Decimal`` through the numerals' one reader of amounts, rates keep the text the spec wrote beside
their exact value, dates are parsed from the spec. Defaults are the schema's.

This module runs only on data that passed validation: it must not validate, must not report, and must never use
``float``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from loan_model import (
    Contract,
    Dispute,
    EarlyRepayment,
    Fee,
    Guarantee,
    Interest,
    InterestKind,
    Loan,
    Notices,
    Overdue,
    Repayment,
    RepaymentMethod,
    Term,
)

from contractgen.document.build import build_party, build_signing, optional_text, to_rate
from contractgen.document.model import Rate
from contractgen.numerals import parse_amount

__all__ = ["build_model"]

Data = Mapping[str, Any]


def _rate(data: Data, key: str) -> Rate | None:
    value = data.get(key)
    return None if value is None else to_rate(str(value))


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _loan(data: Data) -> Loan:
    term = data["term"]
    return Loan(
        principal=parse_amount(data["principal"]),
        purpose=str(data["purpose"]),
        disbursement_date=date.fromisoformat(str(data["disbursement_date"])),
        term=Term(int(term["months"]) if "months" in term else None, _date(term.get("end"))),
    )


def _interest(data: Data) -> Interest:
    lpr = _rate(data, "lpr")
    assert lpr is not None  # required by the schema
    spread = data.get("spread_bp")
    return Interest(
        kind=cast(InterestKind, data["kind"]),
        lpr=lpr,
        rate=_rate(data, "rate"),
        spread_bp=int(spread) if spread is not None else None,
    )


def build_model(data: Data) -> Contract:
    """``data`` (validated) → :class:`Contract`."""
    repayment = data["repayment"]
    early = data.get("early_repayment") or {}
    overdue = data.get("overdue") or {}
    guarantee = data.get("guarantee")
    dispute = data.get("dispute") or {}
    notices = data.get("notices") or {}
    electronic = notices.get("electronic")
    return Contract(
        type=str(data["type"]),
        contract_no=str(data["contract_no"]),
        title=optional_text(data, "title"),
        copies=int(data["copies"]),
        signing=build_signing(data.get("signing")),
        lender=build_party(data["lender"]),
        borrower=build_party(data["borrower"]),
        guarantor=build_party(data["guarantor"]) if data.get("guarantor") else None,
        loan=_loan(data["loan"]),
        interest=_interest(data["interest"]),
        repayment=Repayment(
            method=cast(RepaymentMethod, repayment["method"]),
            first_date=_date(repayment.get("first_date")),
            day=int(repayment["day"]) if repayment.get("day") is not None else None,
        ),
        early_repayment=EarlyRepayment(
            allowed=early.get("allowed", True) is not False, notice_days=int(early.get("notice_days", 15))
        ),
        overdue=Overdue(
            rate=_rate(overdue, "rate"),
            penalty_rate=_rate(overdue, "penalty_rate"),
            fee_rate=_rate(overdue, "fee_rate"),
            acceleration_instalments=int(overdue.get("acceleration_instalments", 2)),
        ),
        fees=tuple(
            Fee(str(f["name"]), parse_amount(f["amount"]), f.get("deducted") is True) for f in data.get("fees") or ()
        ),
        guarantee=(
            Guarantee(method=guarantee["method"], period_months=int(guarantee["period_months"])) if guarantee else None
        ),
        financial_institution=data.get("financial_institution") is True,
        dispute=Dispute(
            method="arbitration" if dispute.get("method") == "arbitration" else "court",
            court_connection=optional_text(dispute, "court_connection"),
            commission=optional_text(dispute, "commission"),
        ),
        notices=Notices(
            electronic=electronic if isinstance(electronic, bool) else None,
            change_days=int(notices.get("change_days", 3)),
        ),
    )
