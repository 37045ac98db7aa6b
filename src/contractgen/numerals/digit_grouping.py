"""Thousands separators in an amount written in figures: the one rule, wherever money is read.

What it does: :func:`grouping_problem` says whether the separators of a number (``1,234,567.89``) stand where
they belong — from the ones digit leftward, one every three digits, as PBOC writes ￥1,409.50 — and, when they
do not, where the grouping goes wrong and what the number looks like grouped correctly. The command line's
reader (:mod:`.amount_input`) and the spec's ``cny-amount`` format both ask it, so a wrongly grouped amount
gets the same words in both places. ``,`` and the full-width ``，`` are both separators here; which characters a
caller lets through at all (the spec takes ASCII only) is the caller's business.

What it must not do: read the number's value, accept digits grouped any other way (``36,0000`` — grouping by
万 — is exactly the slip that turns 360,000 into something a reader can misread), or word anything but the
grouping.
"""

from __future__ import annotations

from contractgen.numerals.characters import ARABIC_DIGITS

__all__ = ["SEPARATORS", "grouping_problem"]

SEPARATORS = ",，"
_POINTS = ".．"
_WRONG = "千位分隔符的位置不对："
# A short last group may be a decimal comma (European 1,5 for 1.5): say so rather than guess.
_POINT_HINT = '；若是小数点，请写 "."'


def grouping_problem(text: str, start: int, end: int) -> tuple[int, str] | None:
    """``None`` when the separators of ``text[start:end]`` are well placed (or there are none), else the
    0-based position in ``text`` where the grouping goes wrong and the reason, in Chinese.

    ``text[start:end]`` must hold only digits (ASCII or full-width), separators and at most one decimal point:
    the caller has refused anything else.
    """
    point = next((i for i in range(start, end) if text[i] in _POINTS), end)
    for index in range(point, end):
        if text[index] in SEPARATORS:
            return index, "千位分隔符只能用在整数部分"
    cuts = [i for i in range(start, point) if text[i] in SEPARATORS]
    if not cuts:
        return None
    digits = "".join(str(ARABIC_DIGITS[c]) for c in text[start:point] if c not in SEPARATORS)
    fraction = "".join(str(ARABIC_DIGITS[c]) for c in text[point + 1 : end])
    rule = "应从个位起每三位一个"
    if digits and (digits[0] != "0" or len(digits) == 1):
        rule += f"：{int(digits):,}" + (f".{fraction}" if point < end else "")
    bounds = [start - 1, *cuts, point]  # group k is text[bounds[k] + 1 : bounds[k + 1]]
    for k in range(len(bounds) - 1):
        first, stop = bounds[k] + 1, bounds[k + 1]
        size = stop - first
        last = k == len(bounds) - 2
        if size == 0:
            if k == 0:
                return stop, f"{_WRONG}分隔符前没有数字（{rule}）"
            if last:
                return bounds[k], f"{_WRONG}分隔符后没有数字（{rule}）"
            return stop, f"{_WRONG}两个分隔符连在一起（{rule}）"
        group = text[first:stop]
        if k == 0 and ARABIC_DIGITS[group[0]] == 0:
            hint = _POINT_HINT if size == 1 else ""  # 0,5: a decimal comma, most likely
            return first, f'{_WRONG}"{group}" 以 0 开头（整数部分不能以 0 开头{hint}）'
        if size > 3:
            return first, f'{_WRONG}"{group}" 有 {size} 位（{rule}）'
        if k > 0 and size < 3:
            return first, f'{_WRONG}"{group}" 只有 {size} 位（{rule}{_POINT_HINT if last else ""}）'
    return None
