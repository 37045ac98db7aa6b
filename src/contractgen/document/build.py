"""Model building: a validated spec's data → the typed, frozen :class:`~contractgen.document.model.Contract`.

Money becomes ``Decimal`` straight from the text the user wrote, read by the numerals' one reader of amounts
(:func:`~contractgen.numerals.parse_amount`: ``360,000.00`` and ``360000.00`` are the same amount); rates keep
that text beside their exact value (``Rate("0.05%", Decimal("0.05"))``); dates become ``datetime.date``;
integers may arrive as ``int`` (the typed view) or as their text (the loader's data) and mean the same.
Defaults are the schema's: a missing ``kind`` is a company, a missing ``term.start`` means from signing, a
missing ``payment`` is annual, a missing ``signing.date`` (or ``signing``) is a date left for the pen.

This stage runs only on data that passed validation: it must not validate, must not report, and must never use
``float``. Fed anything else it may raise ``KeyError``/``ValueError`` — a bug in the caller, not a user error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

from contractgen.document.clause_build import (
    build_dispute,
    build_notices,
    build_personal_information,
    build_termination,
)
from contractgen.document.model import (
    BankAccount,
    Contact,
    Contract,
    Fee,
    Instalment,
    Party,
    PartyKind,
    PaymentMode,
    Penalty,
    Period,
    Rate,
    ReportCycle,
    ServiceLevels,
    Signing,
    Term,
)
from contractgen.numerals import parse_amount

__all__ = ["build_contract", "to_rate"]

Data = Mapping[str, Any]


def to_rate(text: str) -> Rate:
    """``"20%"`` → ``Rate("20%", Decimal("20"))``."""
    return Rate(text, Decimal(text.removesuffix("%")))


#: The room a seal spot reserves when the spec does not say: a 42 mm square, the usual company seal's size.
DEFAULT_SEAL_MM = 42


def _text(data: Data, key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _int(value: Any) -> int:
    return int(value)


def _party(data: Data) -> Party:
    contact = data.get("contact")
    bank = data.get("bank")
    return Party(
        kind=cast(PartyKind, data.get("kind", "company")),
        name=str(data["name"]),
        address=str(data["address"]),
        credit_code=_text(data, "credit_code"),
        id_number=_text(data, "id_number"),
        legal_representative=_text(data, "legal_representative"),
        representative=_text(data, "representative"),
        contact=Contact(str(contact["name"]), _text(contact, "phone"), _text(contact, "email")) if contact else None,
        bank=BankAccount(str(bank["name"]), "".join(str(bank["account"]).split())) if bank else None,
    )


def _term(data: Data) -> Term:
    start = data.get("start", "signing")
    return Term(years=_int(data["years"]), start=None if start == "signing" else date.fromisoformat(start))


def _instalment(data: Data) -> Instalment:
    return Instalment(
        due=date.fromisoformat(data["due"]) if "due" in data else None,
        amount=parse_amount(data["amount"]) if "amount" in data else None,
        percent=to_rate(data["percent"]) if "percent" in data else None,
        note=_text(data, "note"),
    )


def _fee(data: Data) -> Fee:
    return Fee(
        total=parse_amount(data["total"]),
        payment=cast(PaymentMode, data.get("payment", "annual")),
        capital=_text(data, "capital"),
        due_days=_int(data.get("due_days", 15)),
        instalments=tuple(_instalment(item) for item in data.get("instalments", ())),
    )


def _penalty(data: Data) -> Penalty:
    period = data.get("overdue_period")
    return Penalty(
        breach_rate=to_rate(data["breach_rate"]),
        overdue_rate=to_rate(data["overdue_rate"]),
        overdue_period=cast(Period, period) if period is not None else None,
        overdue_cap=_optional_rate(data, "overdue_cap"),
        late_payment_rate=_optional_rate(data, "late_payment_rate"),
        late_payment_cap=_optional_rate(data, "late_payment_cap"),
    )


def _optional_rate(data: Data, key: str) -> Rate | None:
    value = data.get(key)
    return None if value is None else to_rate(value)


def _service(data: Data | None) -> ServiceLevels:
    defaults = ServiceLevels()
    if not data:
        return defaults
    target = data.get("satisfaction_target")
    return ServiceLevels(
        response_hours=_int(data.get("response_hours", defaults.response_hours)),
        complaint_days=_int(data.get("complaint_days", defaults.complaint_days)),
        satisfaction_target=to_rate(target) if target is not None else defaults.satisfaction_target,
        report_cycle=cast(ReportCycle, data.get("report_cycle", defaults.report_cycle)),
    )


def build_contract(data: Data) -> Contract:
    """The :class:`Contract` for ``data``, which must have passed :func:`contractgen.validation.validator.validate`."""
    signing = data.get("signing") or {}
    signed = signing.get("date")
    return Contract(
        type=str(data["type"]),
        contract_no=str(data["contract_no"]),
        party_a=_party(data["party_a"]),
        party_b=_party(data["party_b"]),
        term=_term(data["term"]),
        fee=_fee(data["fee"]),
        penalty=_penalty(data["penalty"]),
        validity_years=_int(data["validity_years"]),
        copies=_int(data["copies"]),
        signing=Signing(
            date=date.fromisoformat(signed) if signed else None,
            place=_text(signing, "place"),
            seal_mm=_int(signing.get("seal_mm", DEFAULT_SEAL_MM)),
            cross_page_seal=signing.get("cross_page_seal") is True,
        ),
        service=_service(data.get("service")),
        title=_text(data, "title"),
        termination=build_termination(data.get("termination")),
        dispute=build_dispute(data.get("dispute")),
        notices=build_notices(data.get("notices")),
        personal_information=build_personal_information(data.get("personal_information")),
        standard_terms=data.get("standard_terms") is True,
    )
