"""The customer-service contract's rules: what this type gives the core (see :mod:`contractgen.catalog`).

Its model (:mod:`customer_service_model`, built by :mod:`customer_service_build`), its derived values
(:mod:`customer_service_context`), its checks — cross-field (:mod:`customer_service_consistency`), penalties
(:mod:`customer_service_penalties`) and the clauses added beside the reference's (:mod:`customer_service_clauses`)
— and what a diff says of its fields.

This module must not compute or check anything itself: it only names what the modules beside it provide.
"""

from __future__ import annotations

from datetime import date

from customer_service_build import build_model
from customer_service_clauses import CHECKS as CLAUSE_CHECKS
from customer_service_consistency import CHECKS as CONSISTENCY_CHECKS
from customer_service_context import build_context
from customer_service_model import Contract
from customer_service_penalties import CHECKS as PENALTY_CHECKS

from contractgen.validation.checks import Check

__all__ = [
    "CHECKS",
    "DERIVED_NAMES",
    "DOCUMENT_DATE_SOURCE",
    "SUBSTANTIVE_FIELDS",
    "build_context",
    "build_model",
    "document_date",
]

CHECKS: dict[str, Check] = {**CONSISTENCY_CHECKS, **PENALTY_CHECKS, **CLAUSE_CHECKS}

#: The top-level fields whose change is substantive whatever their value (beside the parties): the term, the money.
SUBSTANTIVE_FIELDS = frozenset({"term", "fee", "penalty", "validity_years"})

#: The derived values a change list names, by context path (``*``: every index of a list), with their names.
DERIVED_NAMES: tuple[tuple[str, str], ...] = (
    ("service_start_cn", "服务期限起始日"),
    ("service_end_cn", "服务期限届满日"),
    ("breach_amount_text", "违约金金额"),
    ("overdue_amount_text", "逾期违约金金额（每期）"),
    ("overdue_cap_figures", "逾期违约金总额上限"),
    ("compensation_figures", "随时解除的赔偿金金额"),
    ("instalments_count_cn", "付款期数"),
    ("instalments[*].text", "第{n}期付款金额"),
    ("instalments[*].due_cn", "第{n}期最后付款日"),
    ("copies_a_cn", "甲方所执份数"),
    ("copies_b_cn", "乙方所执份数"),
)


#: How a bundle's manifest names the date :func:`document_date` gives when it is not the signing date.
DOCUMENT_DATE_SOURCE = "term.start"


def document_date(contract: Contract) -> date | None:
    """The date the files carry: the signing date, else the fixed first day of the term."""
    return contract.signing.date or contract.term.start
