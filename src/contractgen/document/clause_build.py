"""Model building for the clauses the spec adds beside the reference's: validated spec data → their frozen model
objects, one group of the spec each (``termination`` → :class:`~contractgen.document.model.Termination` …).

Each group is optional in the spec; a missing group, or a missing field, takes the schema's default, which the
model's own defaults repeat (a missing ``termination`` is ``Termination()``). Like
:mod:`contractgen.document.build`, which calls these, this stage runs only on data that passed validation: it must
not validate, must not report, and must never use ``float``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from contractgen.document.model import (
    AnyTimeTermination,
    CourtConnection,
    Dispute,
    DisputeMethod,
    Notices,
    PersonalInformation,
    Rate,
    Termination,
)

__all__ = ["build_dispute", "build_notices", "build_personal_information", "build_termination"]

Data = Mapping[str, Any]


def _rate(text: Any) -> Rate | None:
    """``"10%"`` → ``Rate("10%", Decimal("10"))``, as :func:`contractgen.document.build.to_rate` reads every rate
    (not imported: that module imports this one)."""
    return None if text is None else Rate(str(text), Decimal(str(text).removesuffix("%")))


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
