"""A spec's amounts and ``contractgen amount`` follow one rule for thousands separators, in the same words.

Correctly grouped amounts are the same amount as written without commas — to the format check, the schema's
pattern (what an editor checks as the user types), the cross-field checks and the contract model; wrongly grouped
ones get, in the spec, exactly the reason the command line gives.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractgen.errors import AmountError
from contractgen.numerals import parse_amount
from contractgen.resources import data_dir
from contractgen.validation.formats import MAX_AMOUNT, amount_problem

SCHEMA = json.loads((data_dir("schemas") / "customer-service.schema.json").read_text(encoding="utf-8"))
PATTERN = re.compile(SCHEMA["$defs"]["amount"]["pattern"])

# Every amount a spec may hold: up to 999999999999.99, with no, one or two decimals as typed.
amounts = st.builds(
    lambda whole, fraction: Decimal(f"{whole}{fraction}"),
    st.integers(0, int(MAX_AMOUNT)),
    st.sampled_from(["", ".0", ".5", ".00", ".05", ".99"]),
).filter(lambda amount: amount > 0)


@given(amounts)
@example(Decimal("360000.00"))
@example(MAX_AMOUNT)
def test_grouped_or_not_the_spec_takes_the_same_amounts(amount: Decimal) -> None:
    plain, grouped = f"{amount:f}", f"{amount:,f}"
    assert amount_problem(grouped) is None
    assert amount_problem(plain) is None
    assert PATTERN.fullmatch(grouped)
    assert PATTERN.fullmatch(plain)
    assert parse_amount(grouped).as_tuple() == Decimal(plain).as_tuple()


@pytest.mark.parametrize(
    "text",
    ["36,0000.00", "1,2345", "3,60,000.00", "1234,567", ",100", "1,,000", "100,", "0,50", "012,345", "1.000,5"],
)
def test_a_wrong_grouping_has_the_command_lines_words(text: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    reason = amount_problem(text)
    assert reason is not None
    assert caught.value.message.endswith(f"：{reason}"), (caught.value.message, reason)
    assert not PATTERN.fullmatch(text)


@given(st.integers(1000, 999_999_999_999).map(str), st.data())
def test_any_wrong_grouping_is_refused_alike(digits: str, data: st.DataObject) -> None:
    correct = {i for i in range(1, len(digits)) if (len(digits) - i) % 3 == 0}
    cuts = data.draw(st.sets(st.integers(1, len(digits) - 1), min_size=1).filter(lambda c: c != correct))
    text = "".join(("," if i in cuts else "") + d for i, d in enumerate(digits))
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    reason = amount_problem(text)
    assert reason is not None
    assert caught.value.message.endswith(f"：{reason}")
    assert not PATTERN.fullmatch(text)
