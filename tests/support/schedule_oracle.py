"""An independent restatement of the repayment-schedule convention, in exact fractions, for the tests.

contractgen.numerals.schedules works in ``Decimal`` with a 50-digit context and finds the level payment from a
power of ``1 + r``; this oracle uses :class:`fractions.Fraction` (no precision at all to run out of), rounds with
its own half-up to the 分, and multiplies ``1 + r`` out term by term, so the two cannot share an arithmetic
mistake. It states the same convention (module docstring of schedules): monthly rate = annual/12, leftover days
at annual/360, interest rounded per instalment from the shown balance, the remainder of the principal on the last.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

FEN = Fraction(1, 100)


def round_fen(value: Fraction) -> Fraction:
    """Half up to the 分 (values here are never negative)."""
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def cut_fen(value: Fraction) -> Fraction:
    cents = value * 100
    return Fraction(cents.numerator // cents.denominator, 100)


def level_payment(principal: Fraction, annual: Fraction, n: int) -> Fraction:
    r = annual / 100 / 12
    if r == 0:
        return principal / n
    growth = Fraction(1)
    for _ in range(n):
        growth *= 1 + r
    return principal * r * growth / (growth - 1)


def rows(
    principal: Decimal, annual: Decimal, method: str, periods: list[tuple[int, int]]
) -> list[tuple[Decimal, Decimal, Decimal, Decimal]]:
    """(principal part, interest, total, balance after) of every instalment."""
    p, a = Fraction(principal), Fraction(annual)
    n = len(periods)
    monthly = a / 100 / 12
    share = round_fen(p / n)
    if share * (n - 1) > p:
        share = cut_fen(p / n)
    payment = share if a == 0 else round_fen(level_payment(p, a, n))
    balance = p
    out: list[tuple[Decimal, Decimal, Decimal, Decimal]] = []
    for k, (months, days) in enumerate(periods, 1):
        factor = a / 100 * months / 12 + a / 100 * days / 360
        interest = round_fen(balance * factor)
        if k == n:
            repaid = balance
        elif method == "annuity":
            repaid = payment - round_fen(balance * monthly)
        elif method == "equal_principal":
            repaid = share
        else:
            repaid = Fraction(0)
        repaid = min(max(repaid, Fraction(0)), balance)
        balance -= repaid
        out.append((_decimal(repaid), _decimal(interest), _decimal(repaid + interest), _decimal(balance)))
    return out


def _decimal(value: Fraction) -> Decimal:
    cents = value * 100
    assert cents.denominator == 1, value
    return Decimal(cents.numerator).scaleb(-2)
