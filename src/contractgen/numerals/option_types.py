"""The typing names of the numeral API (``Rounding``, ``RateUnit``, ``AmountInput``).

What it does: defines the ``Literal`` and union types that annotate the public functions.

What it must not do: be imported at run time by the converters. Importing :mod:`typing` costs several
milliseconds; the converters import this module only under ``TYPE_CHECKING``, and
``contractgen.numerals`` loads it on first attribute access, so ``import contractgen.numerals`` stays cheap.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypeAlias

__all__ = ["AmountInput", "RateUnit", "Rounding"]

#: The only rounding an amount may undergo, and only when asked for: 四舍五入 to the cent.
Rounding: TypeAlias = Literal["half-up"]
#: How a rate is written: 百分之 / 千分之 / 万分之, or "auto" (see ``contractgen.numerals.to_rate_words``).
RateUnit: TypeAlias = Literal["auto", "percent", "permille", "permyriad"]
#: What the amount converters accept. ``float`` is deliberately absent.
AmountInput: TypeAlias = Decimal | int | str
