"""Loading a contract: a spec validated and, when it holds no error, built into the typed model.

The one door from a spec file to a :class:`~contractgen.document.model.Contract`: every stage after this one
(context, compose, writers, bundles) starts from what :func:`load_contract` returns.

This module must not render, and must never build a model from data that validation did not pass.
"""

from __future__ import annotations

import os

from contractgen.diagnostics import Diagnostic
from contractgen.document.build import build_contract
from contractgen.document.model import Contract
from contractgen.errors import SpecError
from contractgen.spec import Spec
from contractgen.validation import Source, check_spec

__all__ = ["load_contract"]


def load_contract(
    source: Source, *, strict: bool = False, text: str | bytes | None = None
) -> tuple[Contract, list[Diagnostic]]:
    """Load (from ``source``, or from ``text`` named ``source``), validate and build the model.

    Raises :class:`SpecError` with every diagnostic if any is an error; otherwise returns the contract and the
    warnings (as errors they would have raised, with ``strict``).
    """
    report = check_spec(source, strict=strict, text=text)
    if not report.ok:
        name = report.spec.path if report.spec else os.fspath(source) if not isinstance(source, Spec) else ""
        raise SpecError(f"{name}：有 {len(report.errors)} 个错误", report.diagnostics)
    return build_contract(report.data), list(report.diagnostics)
