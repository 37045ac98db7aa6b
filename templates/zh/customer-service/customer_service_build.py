"""The customer-service contract's model building: validated spec data → :class:`Contract`.

Money becomes ``Decimal`` straight from the text the user wrote (:func:`~contractgen.numerals.parse_amount`:
``360,000.00`` and ``360000.00`` are the same amount); rates keep that text beside their exact value; dates become
``datetime.date``. Defaults are the schema's: a missing ``term.start`` means from signing, a missing ``payment`` is
annual; each group the spec adds beside the reference's clauses (``termination`` …) is optional, and a missing
group or field takes the schema's default, which the model's own defaults repeat. The parties and the signing are
built by the core (:mod:`contractgen.document.build`).

This stage runs only on data that passed validation: it must not validate, must not report, and must never use
``float``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from customer_service_model import (
    AnyTimeTermination,
    Contract,
    CourtConnection,
    Dispute,
    DisputeMethod,
    Fee,
    Instalment,
    Notices,
    PaymentMode,
    Penalty,
    Period,
    PersonalInformation,
    ReportCycle,
    ServiceLevels,
    Term,
    Termination,
)

from contractgen.document.build import build_party, build_signing, optional_text, to_rate
from contractgen.document.model import Rate
from contractgen.numerals import parse_amount

__all__ = ["build_dispute", "build_model", "build_notices", "build_personal_information", "build_termination"]

Data = Mapping[str, Any]


def _term(data: Data) -> Term:
    start = data.get("start", "signing")
    return Term(years=int(data["years"]), start=None if start == "signing" else date.fromisoformat(start))


def _instalment(data: Data) -> Instalment:
    return Instalment(
        due=date.fromisoformat(data["due"]) if "due" in data else None,
        amount=parse_amount(data["amount"]) if "amount" in data else None,
        percent=to_rate(data["percent"]) if "percent" in data else None,
        note=optional_text(data, "note"),
    )


def _fee(data: Data) -> Fee:
    return Fee(
        total=parse_amount(data["total"]),
        payment=cast(PaymentMode, data.get("payment", "annual")),
        capital=optional_text(data, "capital"),
        due_days=int(data.get("due_days", 15)),
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
        response_hours=int(data.get("response_hours", defaults.response_hours)),
        complaint_days=int(data.get("complaint_days", defaults.complaint_days)),
        satisfaction_target=to_rate(target) if target is not None else defaults.satisfaction_target,
        report_cycle=cast(ReportCycle, data.get("report_cycle", defaults.report_cycle)),
    )


def _rate(text: Any) -> Rate | None:
    return None if text is None else to_rate(str(text))


def build_termination(data: Data | None) -> Termination:
    """第八条's values; ``data`` is the spec's ``termination`` group or ``None``."""
    defaults = Termination()
    if not data:
        return defaults
    return Termination(
        cure_days=int(data.get("cure_days", defaults.cure_days)),
        any_time=cast(AnyTimeTermination, data.get("any_time", defaults.any_time)),
        notice_days=int(data.get("notice_days", defaults.notice_days)),
        compensation_rate=_rate(data.get("compensation_rate")),
        refund_days=int(data.get("refund_days", defaults.refund_days)),
        handover_days=int(data.get("handover_days", defaults.handover_days)),
    )


def build_dispute(data: Data | None) -> Dispute:
    """第六条's forum; ``data`` is the spec's ``dispute`` group or ``None`` (the reference's court clause)."""
    if not data:
        return Dispute()
    connection = data.get("court_connection")
    commission = data.get("commission")
    return Dispute(
        method=cast(DisputeMethod, data.get("method", "court")),
        court_connection=cast(CourtConnection, connection) if connection is not None else None,
        commission=None if commission is None else str(commission),
    )


def build_notices(data: Data | None) -> Notices:
    """第十条's values; ``electronic`` stays ``None`` when the spec leaves it out (see the model)."""
    defaults = Notices()
    if not data:
        return defaults
    electronic = data.get("electronic")
    return Notices(
        electronic=electronic if isinstance(electronic, bool) else None,
        change_days=int(data.get("change_days", defaults.change_days)),
    )


def build_personal_information(data: Data | None) -> PersonalInformation:
    """第九条's and 附件五's values; ``data`` is the spec's ``personal_information`` group or ``None``."""
    defaults = PersonalInformation()
    if not data:
        return defaults
    return PersonalInformation(
        kinds=str(data.get("kinds", defaults.kinds)),
        retention_months=int(data.get("retention_months", defaults.retention_months)),
    )


def build_model(data: Data) -> Contract:
    """The :class:`Contract` for ``data``, which must have passed :func:`contractgen.validation.validator.validate`."""
    return Contract(
        type=str(data["type"]),
        contract_no=str(data["contract_no"]),
        party_a=build_party(data["party_a"]),
        party_b=build_party(data["party_b"]),
        term=_term(data["term"]),
        fee=_fee(data["fee"]),
        penalty=_penalty(data["penalty"]),
        validity_years=int(data["validity_years"]),
        copies=int(data["copies"]),
        signing=build_signing(data.get("signing")),
        service=_service(data.get("service")),
        title=optional_text(data, "title"),
        termination=build_termination(data.get("termination")),
        dispute=build_dispute(data.get("dispute")),
        notices=build_notices(data.get("notices")),
        personal_information=build_personal_information(data.get("personal_information")),
        standard_terms=data.get("standard_terms") is True,
    )
