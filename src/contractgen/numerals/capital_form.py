"""Says how a typed 大写 departs from the canonical form, once it is known to read as the right amount.

What it does: :func:`capital_form_notes` compares a 大写 a person typed (三十六万元整, 叁拾陆万千元整's
cousins, 叁拾陆万元零伍分整) with the canonical form contractgen writes for the same amount, and names what
differs, in Chinese: characters PBOC's rules do not use (lower-case 一…九 十百千, 两, 〇, 廿, traditional forms,
圆/块 for 元, 毛 for 角) and the form's second choices (正 for 整), the endings (整 after 分 or 角, no 整 after
元), a bare leading 拾, 零 where the canonical form has none or the other way round, and figures typed for
大写. ``shared/reference/numerals.md`` says what is canonical; a 人民币 right before the amount is part of it
(PBOC's rule 3), nothing else is.

What it must not do: read the amount (:func:`~contractgen.numerals.parse_capital` does; this module is only
asked once the amount is known to be right), decide whether a difference matters (callers do), or guess: a
difference it cannot name is still reported, without a name.
"""

from __future__ import annotations

from contractgen.numerals.characters import ARABIC_DIGITS, SPACES

__all__ = ["capital_form_notes"]

_PREFIX = "人民币"

# Every character parse_capital reads that the canonical form writes otherwise, and what it writes instead.
_CANONICAL_CHARACTERS = {
    **dict(zip("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟", strict=True)),
    **dict.fromkeys("二两兩貳弍", "贰"),
    **dict.fromkeys("三参叄參弎", "叁"),
    **dict.fromkeys("〇○另", "零"),
    "弌": "壹",
    "陸": "陆",
    "萬": "万",
    "億": "亿",
    **dict.fromkeys("圆圓块塊", "元"),
    "毛": "角",
    "正": "整",
    **dict.fromkeys("廿念", "贰拾"),
    "卅": "叁拾",
    "卌": "肆拾",
}
# What the amount itself may start with: anything before it is a label (（大写）, RMB, ¥), a sign or a gap.
_NUMERALS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整").union(_CANONICAL_CHARACTERS)
_MINUS = "负負-－"


def capital_form_notes(text: str, canonical: str) -> list[str] | None:
    """``None`` when ``text`` is ``canonical`` (``人民币`` before it allowed), else what differs — a list
    that is empty when the difference has no name here.

    >>> capital_form_notes("人民币叁拾陆万元整", "叁拾陆万元整") is None
    True
    >>> capital_form_notes("三十六万元整", "叁拾陆万元整")
    ['“三”“十”“六”应写作“叁”“拾”“陆”']
    """
    # Each kind of difference in the order a reader meets it (figures, what stands before the amount, gaps,
    # characters, the leading 拾, the ending, the zeros), each step reading what the one before made canonical,
    # so that one slip is named once and the steps after it see the text as if it had been typed right.
    amount = text.strip().removeprefix(_PREFIX)
    if amount == canonical:
        return None
    if any(char in ARABIC_DIGITS for char in amount):
        return ["大写金额应写汉字大写，不写阿拉伯数字"]
    notes: list[str] = []
    start = next((i for i, char in enumerate(amount) if char in _NUMERALS), 0)
    body = canonical.removeprefix("负")
    if amount[:start] != canonical[: len(canonical) - len(body)]:
        notes += _before(amount[:start], negative=body != canonical)
    if any(_is_space(char) for char in amount[start:]):
        notes.append("金额中间不留空格")
    amount = "".join(char for char in amount[start:] if not _is_space(char))
    closing = amount[-1] if amount.endswith("正") and amount[-2:-1] in "角毛分" else "整"
    if closing == "正":  # 伍角正: the note on the ending says it, in the character typed
        amount = amount[:-1] + "整"
    typed = [char for char in dict.fromkeys(amount) if char in _CANONICAL_CHARACTERS]
    if typed:
        wrote = "".join(f"“{char}”" for char in typed)
        should = "".join(f"“{_CANONICAL_CHARACTERS[char]}”" for char in typed)
        notes.append(f"{wrote}应写作{should}")
        amount = "".join(_CANONICAL_CHARACTERS.get(char, char) for char in amount)
    if amount.startswith("拾"):
        notes.append("开头的“拾”应写作“壹拾”")
        amount = "壹" + amount
    amount = _ending(amount, notes, closing)
    if amount != body and amount.replace("零", "") == body.replace("零", ""):
        notes.append(_zeros(amount.count("零"), body.count("零")))
    return notes


def _before(label: str, *, negative: bool) -> list[str]:
    """What to say of what was typed before the amount, where the canonical form has nothing (or 负)."""
    if negative and any(char in _MINUS for char in label):
        return ["负数写作“人民币负…”（“负”紧接在金额之前）"]
    named = label.replace(_PREFIX, "").strip()
    if named:
        return [f"金额前只写“人民币”，不写“{named}”"]
    return ["“人民币”和金额之间不留空格"] if label else []


def _zeros(typed: int, canonical: int) -> str:
    if typed < canonical:
        return "缺少规范写法中的“零”"
    if typed > canonical:
        return "多了规范写法中没有的“零”"
    return "“零”的位置与规范写法不同"


def _is_space(char: str) -> bool:
    return char in SPACES or char.isspace()


def _ending(amount: str, notes: list[str], closing: str) -> str:
    """``amount`` with its ending made canonical, noting each change (``closing``: the 整 or 正 typed)."""
    for zeros in ("零角零分", "零角", "零分"):
        if amount.endswith(("元" + zeros, "元" + zeros + "整")):
            notes.append(f"不写“{zeros}”，“元”后写“整”")
            return amount.removesuffix("整").removesuffix(zeros) + "整"
    if amount.startswith("零元") and amount not in ("零元", "零元整"):
        notes.append("不足一元的金额不写“零元”")
        amount = amount.removeprefix("零元").removeprefix("零")
    if amount.endswith("分整"):
        notes.append(f"“分”后不写“{closing}”")
        amount = amount[:-1]
    elif amount.endswith("角整"):
        notes.append(f"“角”后不写“{closing}”")
        amount = amount[:-1]
    elif amount.endswith("元"):
        notes.append("“元”后应写“整”")
        amount += "整"
    return amount
