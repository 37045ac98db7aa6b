"""Writes a non-negative integer below 10**16 in Chinese numerals, capital (壹拾…) or lower-case (一十…).

What it does: the one place where digits, units (拾佰仟, 万, 亿, 万亿) and the 零 rules meet. Two zero
policies exist, and both live here so that they can be compared side by side:

- ``capital_zeros=True`` — the canonical 大写 style of ``numerals.md``: one 零 for every internal run of
  zeros, except a run that ends at the 万位 when the 千位 and the 万 section are non-zero (壹拾万柒仟).
  A run ending at the 亿位 or 万亿位 keeps its 零 (壹拾亿零壹仟万), as the rules say for 亿 and do not
  exempt 万亿.
- ``capital_zeros=False`` — the ordinary written-number style (GB/T 15835 usage): a section's trailing zeros
  are never read, so a 零 stands only before a section that starts with 0 or after skipped all-zero sections
  (十万七千, 十亿一千万, 一亿零一千).

What it must not do: validate or accept anything but a string of ASCII digits without leading zeros; callers
do that once, at their boundary. It never writes 元, signs or fractions.

Speed: a number is written section by section (four digits at a time). Each section's words depend only on
its four digits, so they are memoised per writer: at most 10,000 entries, filled on first use rather than at
import (building them all would cost milliseconds of import time for sections most runs never see).
"""

from __future__ import annotations

__all__ = ["IntegerWriter"]

# Mark written after the section at index p (0 = ones, 1 = 万, 2 = 亿, 3 = 万亿). The 万亿 section carries 万;
# its 亿 is written after the 亿 section, which is where the whole upper group (a number of 亿) ends.
_SECTION_MARKS = ("", "万", "亿", "万")


class IntegerWriter:
    """Writes integers with one digit alphabet and one zero policy; instances are module-level constants."""

    __slots__ = ("_capital_zeros", "_digits", "_sections", "_units", "_zero")

    def __init__(self, digits: str, small_units: tuple[str, str, str, str], *, capital_zeros: bool) -> None:
        self._digits = digits
        self._zero = digits[0]
        self._units = small_units
        self._capital_zeros = capital_zeros
        # four-digit string -> (words without leading/trailing zeros, starts with 0, ends with 0)
        self._sections: dict[str, tuple[str, bool, bool]] = {}

    def _section(self, four: str) -> tuple[str, bool, bool]:
        words: list[str] = []
        zero_run = False
        started = False
        for index, char in enumerate(four):
            digit = ord(char) - 48
            if digit == 0:
                zero_run = started  # leading zeros are the caller's business, trailing ones are dropped
                continue
            if zero_run:
                words.append(self._zero)
                zero_run = False
            words.append(self._digits[digit] + self._units[3 - index])
            started = True
        entry = ("".join(words), four[0] == "0", four[3] == "0")
        self._sections[four] = entry
        return entry

    def write(self, digits: str) -> str:
        """``digits``: 1–16 ASCII digits, no leading zero, not "0" (zero has no section words)."""
        count = (len(digits) + 3) // 4
        padded = digits.zfill(count * 4)
        sections = self._sections
        zero = self._zero
        capital = self._capital_zeros
        out: list[str] = []
        started = False
        skipped = False  # an all-zero section lies between the last written one and the next
        previous_trails = False  # the last written section ends with 0
        previous_index = -1
        for number in range(count):
            index = count - 1 - number
            four = padded[number * 4 : number * 4 + 4]
            if four == "0000":
                if started:
                    skipped = True
                    if index == 2:
                        out.append("亿")  # closes a non-zero 万亿 section: 壹万亿, 壹万亿零伍元
                continue
            entry = sections.get(four)
            if entry is None:
                entry = self._section(four)
            words, leads, trails = entry
            if started:
                if capital:
                    need_zero = skipped or leads or previous_trails
                    # PBOC rule 4(三), first-listed form: the run that ends at the 万位 is not written
                    # when the 千位 is non-zero (壹拾万柒仟元, 壹佰玖拾万叁仟元).
                    if need_zero and index == 0 and previous_index == 1 and not (skipped or leads):
                        need_zero = False
                else:
                    need_zero = skipped or leads
                if need_zero:
                    out.append(zero)
            out.append(words)
            out.append(_SECTION_MARKS[index])
            started = True
            skipped = False
            previous_trails = trails
            previous_index = index
        return "".join(out)
