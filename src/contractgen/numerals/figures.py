"""Writes an amount in figures the way a contract prints it: ``¥360,000.00``.

What it does: :func:`to_figures` — currency sign, thousands separators, always exactly two decimals.

What it must not do: round (an amount with a third non-zero decimal is refused, as by ``to_capital``), or
write ``-¥0.00``.
"""

from __future__ import annotations

from contractgen.numerals.amount_input import parse_amount

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contractgen.numerals.option_types import AmountInput

__all__ = ["to_figures"]


def to_figures(amount: AmountInput, *, symbol: str = "¥") -> str:
    """``amount`` as ``¥360,000.00`` (negative: ``-¥100.00``; zero, even -0: ``¥0.00``).

    Accepts what :func:`~contractgen.numerals.parse_amount` accepts; refuses more than two decimals.
    """
    exact = parse_amount(amount, max_decimals=2)
    # Decimal's own formatting is exact: ",.2f" on a value already at two places only inserts separators.
    figures = format(exact.copy_abs(), ",.2f")
    return f"-{symbol}{figures}" if exact < 0 else f"{symbol}{figures}"
