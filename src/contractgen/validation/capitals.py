"""Capitals: the 大写 typed beside an amount in figures says that same amount — one check that every contract type
runs on its own fields.

An unreadable 大写 is an error with the reader's message; another amount is an error naming both; the right amount
written another way (lower-case numerals, 千 for 仟 …) is, where the caller names a ``form_rule``, a warning that
gives the canonical form the contract prints. Each message ends with the canonical 大写 of the amount.

This module must not know any type's fields (the caller names the paths, the amount's name and the rules), and
must never use ``float``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from contractgen.diagnostics import Diagnostic
from contractgen.errors import NumeralError
from contractgen.numerals import parse_capital, to_capital, to_figures
from contractgen.numerals.capital_form import capital_form_notes
from contractgen.validation.checks import CheckContext

__all__ = ["capital_agrees"]


def capital_agrees(
    ctx: CheckContext,
    path: str,
    written: str,
    amount: Decimal,
    amount_name: str,
    *,
    rule: str,
    form_rule: str | None = None,
) -> Iterator[Diagnostic]:
    """What is wrong with ``written`` (the 大写 at ``path``) as the 大写 of ``amount`` (the field ``amount_name``)."""
    canonical = to_capital(amount)
    try:
        value = parse_capital(written)
    except NumeralError as error:
        yield ctx.report(path, f"{error.message}（{amount_name} 的规范大写为：{canonical}）", rule=rule)
        return
    if value != amount:
        yield ctx.report(
            path,
            f'大写金额与 {amount_name} 不一致：大写 "{written}" 是 {to_figures(value)}，{amount_name} 是 '
            f"{to_figures(amount)}（{to_figures(amount)} 的规范大写为：{canonical}）",
            rule=rule,
        )
        return
    notes = capital_form_notes(written, canonical) if form_rule is not None else None
    if form_rule is not None and notes is not None:
        # The right amount, written another way: the contract prints the canonical form whatever was typed,
        # so this is a warning, with what differs, that lets the form the user keeps match the contract.
        detail = f"，{'；'.join(notes)}" if notes else ""
        yield ctx.report(
            path,
            f'大写金额宜写作规范大写“{canonical}”：收到 "{written}"{detail}（合同中始终使用规范写法）',
            rule=form_rule,
            severity="warning",
        )
