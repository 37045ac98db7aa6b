"""Character tables shared by every numeral writer and reader.

What it does: holds, once, which characters mean which digit or unit — the canonical characters contractgen
writes and every variant its parsers accept (see ``shared/reference/numerals.md``).

What it must not do: hold logic. It is data only, built at import time from literals, so importing it costs a
few dictionary literals and nothing else.
"""

from __future__ import annotations

__all__ = [
    "ARABIC_DIGITS",
    "BIG",
    "CAPITAL_DIGITS",
    "CAPITAL_SMALL_UNITS",
    "DIGIT",
    "KNOWN_CHARACTERS",
    "LOWER_DIGITS",
    "LOWER_SMALL_UNITS",
    "NUMERAL_TABLE",
    "SPACE",
    "SPACES",
    "TENS",
    "TRADITIONAL",
    "UNIT",
    "YEAR_DIGITS",
]

# Written forms. Index = digit value.
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
LOWER_DIGITS = "零一二三四五六七八九"
# Year digits in body dates are read one by one and written with 〇, never 零 (二〇二六年).
YEAR_DIGITS = "〇一二三四五六七八九"
# Index = position inside a four-digit section (0 = ones).
CAPITAL_SMALL_UNITS = ("", "拾", "佰", "仟")
LOWER_SMALL_UNITS = ("", "十", "百", "千")

# Traditional output is the simplified output with these characters swapped: only these differ in 大写
# (壹肆伍柒捌玖拾佰仟零角分整 are the same in both scripts). 负/币 are swapped too so that a Hong Kong or
# Taiwan counterpart never sees a mixed-script amount.
TRADITIONAL = str.maketrans("贰叁陆万亿元负币", "貳參陸萬億圓負幣")

# Token kinds of the lenient readers.
DIGIT = 0  # value 0–9
UNIT = 1  # 拾 佰 仟: value 10, 100, 1000
BIG = 2  # 万 亿: value 10**4, 10**8
TENS = 3  # 廿 卅 卌 念: a digit and 拾 in one character, value 20, 30, 40
SPACE = 4  # skipped: people type spaces inside long amounts

SPACES = " \t\u3000"

_DIGIT_VARIANTS = {
    0: "零〇○另",  # ○ (U+25CB) is what many IMEs give for 〇; 另 is an old hand-written 零
    1: "壹一弌",
    2: "贰貳二两兩弍",
    3: "叁參叄参三弎",
    4: "肆四",
    5: "伍五",
    6: "陆陸六",
    7: "柒七",
    8: "捌八",
    9: "玖九",
}

NUMERAL_TABLE: dict[str, tuple[int, int]] = {}
for _value, _chars in _DIGIT_VARIANTS.items():
    for _char in _chars:
        NUMERAL_TABLE[_char] = (DIGIT, _value)
for _chars, _value in (("拾十", 10), ("佰百", 100), ("仟千", 1000)):
    for _char in _chars:
        NUMERAL_TABLE[_char] = (UNIT, _value)
for _chars, _value in (("万萬", 10**4), ("亿億", 10**8)):
    for _char in _chars:
        NUMERAL_TABLE[_char] = (BIG, _value)
for _chars, _value in (("廿念", 20), ("卅", 30), ("卌", 40)):
    for _char in _chars:
        NUMERAL_TABLE[_char] = (TENS, _value)
for _char in SPACES:
    NUMERAL_TABLE[_char] = (SPACE, 0)
del _value, _chars, _char

# ASCII and full-width Arabic digits -> their value.
ARABIC_DIGITS: dict[str, int] = {str(d): d for d in range(10)}
ARABIC_DIGITS.update({chr(0xFF10 + d): d for d in range(10)})

# Characters that mean something in some numeral; used only to word error messages ("misplaced" vs "unknown").
KNOWN_CHARACTERS = frozenset(
    [*NUMERAL_TABLE, *ARABIC_DIGITS, *"元圆圓块塊角毛分整正人民币幣负負点點年月日号之百千万萬%％‰‱.,，．"]
)
