"""The loan contract's rules: what this type gives the core (see :mod:`contractgen.catalog`).

Its model (:mod:`loan_model`, built by :mod:`loan_build`), its repayment plan (:mod:`loan_plan`, on the core's
:mod:`contractgen.numerals.schedules`), its derived values (:mod:`loan_context`), its checks — legal
(:mod:`loan_checks`: the interest caps, advance deductions, the LPR table) and cross-field
(:mod:`loan_consistency`) — and what a diff says of its fields.

This module must not compute or check anything itself: it only names what the modules beside it provide.
"""

from __future__ import annotations

from datetime import date

from loan_build import build_model
from loan_checks import CHECKS, LPR_TABLE
from loan_context import build_context
from loan_model import Contract

from contractgen.validation.reference_tables import load_reference_table

__all__ = [
    "CHECKS",
    "DERIVED_NAMES",
    "SUBSTANTIVE_FIELDS",
    "build_context",
    "build_model",
    "document_date",
    "reference_tables",
]

#: The top-level fields whose change is substantive whatever their value (beside the parties).
SUBSTANTIVE_FIELDS = frozenset({"loan", "interest", "repayment", "overdue", "fees", "guarantee", "early_repayment"})

#: The derived values a change list names, by context path (``*``: every index of a list), with their names.
DERIVED_NAMES: tuple[tuple[str, str], ...] = (
    ("maturity_cn", "到期日"),
    ("annual_rate_text", "借期内年利率"),
    ("interest_total_figures", "利息合计"),
    ("repayment_total_figures", "本息合计"),
    ("instalments[*].total", "第{n}期应还金额"),
    ("instalments[*].due_cn", "第{n}期还款日"),
)


def document_date(contract: Contract) -> date | None:
    """The date the files carry: the signing date, else the day the money is provided."""
    return contract.signing.date or contract.loan.disbursement_date


def reference_tables() -> dict[str, str]:
    """The dated tables this type's checks read, by file name → SHA-256 (for a manifest to record)."""
    table = load_reference_table(LPR_TABLE)
    return {table.file: table.version}
