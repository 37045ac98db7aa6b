"""contractgen.numerals: exact Chinese numerals for contracts — 人民币大写, figures, counts, dates and rates.

    >>> from contractgen.numerals import to_capital, parse_capital
    >>> to_capital("1680.32")
    '壹仟陆佰捌拾元零叁角贰分'
    >>> parse_capital("人民币壹拾万柒仟元零伍角叁分")
    Decimal('107000.53')

The rules are ``shared/reference/numerals.md`` (PBOC 《支付结算办法》附件一, and PBOC's first-listed form
where two are allowed). Modules, each small and named for what it does:

- :mod:`.amount_input` — ``parse_amount``: ``Decimal``/``int``/text → exact ``Decimal`` (never ``float``);
- :mod:`.capital` — ``to_capital``; :mod:`.capital_parse` — ``parse_capital``;
- :mod:`.figures` — ``to_figures``;
- :mod:`.chinese_number` — counts and ordinals; :mod:`.dates` — body and bill dates; :mod:`.rates` — rates;
- :mod:`.periods` — terms, due dates and quarters counted by 《民法典》第二百零一条至第二百零四条 (imported
  from the module itself, ``from contractgen.numerals.periods import term_last_day``: calendar arithmetic,
  not a numeral, so it is not part of this package's converter API);
- :mod:`.integer_words` / :mod:`.integer_parse` — the integer writer and reader they share;
- :mod:`.characters` — the character tables; :mod:`.error_messages` — how errors are worded.

This package uses the standard library only and must stay cheap to import: no :mod:`typing` or :mod:`re` at
run time (the typing names below are loaded on first access), tables built from literals, per-section words
memoised lazily. Every error is a :class:`~contractgen.errors.NumeralError` (amounts:
:class:`~contractgen.errors.AmountError`) with a Chinese message naming the input, and the 0-based
``position`` of the problem for text. It must never use ``float``, never round silently (more than two decimals is
an error unless half-up rounding is asked for), and must not depend on any other stage.
"""

from __future__ import annotations

from contractgen.numerals.amount_input import parse_amount
from contractgen.numerals.capital import to_capital
from contractgen.numerals.capital_parse import parse_capital
from contractgen.numerals.chinese_number import (
    parse_chinese_number,
    parse_ordinal,
    to_chinese_number,
    to_ordinal,
    to_outline_label,
)
from contractgen.numerals.dates import parse_bill_date, parse_chinese_date, to_bill_date, to_chinese_date
from contractgen.numerals.figures import to_figures
from contractgen.numerals.rates import parse_rate_words, to_rate_text, to_rate_words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contractgen.numerals.option_types import AmountInput, RateUnit, Rounding

__all__ = [
    "AmountInput",
    "RateUnit",
    "Rounding",
    "parse_amount",
    "parse_bill_date",
    "parse_capital",
    "parse_chinese_date",
    "parse_chinese_number",
    "parse_ordinal",
    "parse_rate_words",
    "to_bill_date",
    "to_capital",
    "to_chinese_date",
    "to_chinese_number",
    "to_figures",
    "to_ordinal",
    "to_outline_label",
    "to_rate_text",
    "to_rate_words",
]

_TYPE_NAMES = frozenset({"AmountInput", "RateUnit", "Rounding"})


def __getattr__(name: str) -> object:
    # The typing names need typing.Literal; importing typing costs more than this whole package, so they
    # are built only when someone asks for them at run time (annotations under TYPE_CHECKING never do).
    if name in _TYPE_NAMES:
        from contractgen.numerals import option_types

        value: object = getattr(option_types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'contractgen.numerals' has no attribute {name!r}")
