"""The tokenizer and the text diff: two versions of a clause's text → the insertions and deletions between them.

Chinese has no spaces, so a word diff replaces whole sentences and a character diff interleaves digits
(``¥[-3-]6{+0+}0,000.00``). :func:`tokenize` keeps whole what a reader reads as one thing — an amount in figures
(``¥360,000.00``), a 大写 amount (``叁拾陆万元整``), a date (``二〇二六年十一月二十四日``,
``贰零贰陆年壹拾壹月贰拾肆日``, ``2026-11-24``), a rate (``百分之二十``, ``0.05%``), a Chinese number
(``三十``), and every run of ASCII letters and digits (a contract number, an account, an e-mail address) — and
cuts everything else into single characters.
It works in three passes so that no neighbour can split a protected token: dates first, then amounts, rates and
ASCII words in the gaps, then Chinese numbers and characters in what is left; the tokens always join back into
the text exactly. :func:`diff_text` aligns the tokens (difflib, without its junk heuristic: in Chinese every
common character would be junk) and returns operations that rebuild either version.

This module must not know about documents, specs or output formats.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = [
    "SUBSTANTIVE_KINDS",
    "Op",
    "Token",
    "diff_text",
    "is_cosmetic",
    "new_text",
    "old_text",
    "tokenize",
]

TokenKind = Literal["date", "amount", "capital", "rate", "word", "number", "space", "char"]
OpKind = Literal["equal", "delete", "insert"]

#: The kinds of token whose change makes a clause's change substantive (an amount, a date, a rate, a number).
SUBSTANTIVE_KINDS: frozenset[str] = frozenset({"date", "amount", "capital", "rate", "number"})

_CN_DIGIT = "〇零一二三四五六七八九"
_CAPITAL_DIGIT = "零壹贰叁肆伍陆柒捌玖"
_ALNUM = "0-9A-Za-z"

# Pass 1: dates. Chinese digits may stand before a date (三二〇二六年…): finditer then finds the date one later.
_DATES = re.compile(
    rf"[{_CN_DIGIT}]{{4}}年[一二三四五六七八九十]{{1,2}}月[一二三四五六七八九十]{{1,3}}日"
    rf"|[{_CAPITAL_DIGIT}]{{4}}年[{_CAPITAL_DIGIT}拾]{{1,4}}月[{_CAPITAL_DIGIT}拾]{{1,4}}日"
    rf"|(?<![{_ALNUM}.,])[0-9]{{4}}(?:-[0-9]{{1,2}}-[0-9]{{1,2}}|年[0-9]{{1,2}}月[0-9]{{1,2}}日)(?![{_ALNUM}])"
)
# Pass 2: amounts in figures, rates in words, 大写 amounts, ASCII words (numbers, percentages, contract numbers).
_AMOUNT = r"[¥￥][0-9]+(?:,[0-9]{3})*(?:\.[0-9]{1,2})?"
# A 百 or 千 that starts the next rate's 分之 is not this rate's: 百分之二十百分之三十 is two rates.
_RATE_WORDS = rf"[百千万]分之(?:[{_CN_DIGIT}十点]|[百千](?!分之))+"
_CAPITAL = rf"[{_CAPITAL_DIGIT}拾][{_CAPITAL_DIGIT}拾佰仟万亿元圆角分整正]*"
_WORD = rf"[{_ALNUM}]+(?:[-.,:/@_+][{_ALNUM}]+)*[%％]?"
_PROTECTED_KINDS: dict[str, TokenKind] = {"amount": "amount", "rate": "rate", "capital": "capital"}
_PROTECTED = re.compile(f"(?P<amount>{_AMOUNT})|(?P<rate>{_RATE_WORDS})|(?P<capital>{_CAPITAL})|(?P<word>{_WORD})")
# Pass 3: whitespace runs, Chinese numbers, single characters.
_REST_KINDS: dict[str, TokenKind] = {"space": "space", "number": "number", "char": "char"}
_REST = re.compile(rf"(?P<space>\s+)|(?P<number>[{_CN_DIGIT}十百千万两]+)|(?P<char>.)", re.DOTALL)


@dataclass(frozen=True)
class Token:
    text: str
    kind: TokenKind


def _word_kind(text: str) -> TokenKind:
    if text.endswith(("%", "％")):
        return "rate"
    return "number" if any(c.isdigit() for c in text) else "word"


def _rest(text: str) -> Iterable[Token]:
    for match in _REST.finditer(text):
        yield Token(match.group(), _REST_KINDS[str(match.lastgroup)])


def _protected(text: str) -> Iterable[Token]:
    end = 0
    for match in _PROTECTED.finditer(text):
        yield from _rest(text[end : match.start()])
        kind = match.lastgroup
        word = match.group()
        yield Token(word, _word_kind(word) if kind == "word" else _PROTECTED_KINDS[str(kind)])
        end = match.end()
    yield from _rest(text[end:])


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order; their texts joined are ``text``."""
    tokens: list[Token] = []
    end = 0
    for match in _DATES.finditer(text):
        tokens += _protected(text[end : match.start()])
        tokens.append(Token(match.group(), "date"))
        end = match.end()
    tokens += _protected(text[end:])
    return tokens


@dataclass(frozen=True)
class Op:
    """One operation of a diff: text both versions share (``equal``), or only the old (``delete``) or the new
    (``insert``) has. ``kinds`` are the kinds of the tokens it holds."""

    op: OpKind
    text: str
    kinds: frozenset[str] = frozenset()

    @property
    def substantive(self) -> bool:
        return self.op != "equal" and bool(self.kinds & SUBSTANTIVE_KINDS)


def _absorb_short_equalities(ops: list[tuple[str, list[Token]]]) -> list[tuple[str, list[Token]]]:
    """A single ideograph both versions share between two changes is folded into them: 甲方[-应于-]{+须在+} reads
    better than a rewording shredded around every 的 and 之 the two texts happen to share. Punctuation is left
    standing: [-叁拾陆万元整-]{+陆拾万元整+}（[-¥360,000.00-]{+¥600,000.00+}） shows the two amounts apart."""
    tags = [kind for kind, _ in ops]
    for n in range(1, len(ops) - 1):
        kind, tokens = ops[n]
        short = kind == "equal" and len(tokens) == 1 and unicodedata.category(tokens[0].text[0]) == "Lo"
        if short and tags[n - 1] != "equal" and tags[n + 1] != "equal":
            tags[n] = "replace"
    merged: list[tuple[str, list[Token]]] = []
    deleted: list[Token] = []
    inserted: list[Token] = []
    for tag, (_, tokens) in zip(tags, ops, strict=True):
        if tag == "equal":
            merged += [(k, t) for k, t in (("delete", deleted), ("insert", inserted)) if t]
            deleted, inserted = [], []
            merged.append((tag, tokens))
            continue
        if tag != "insert":
            deleted = deleted + tokens
        if tag != "delete":
            inserted = inserted + tokens
    merged += [(k, t) for k, t in (("delete", deleted), ("insert", inserted)) if t]
    return merged


_OPS: dict[str, OpKind] = {"equal": "equal", "delete": "delete", "insert": "insert"}


def diff_tokens(old: Sequence[Token], new: Sequence[Token]) -> tuple[Op, ...]:
    """The operations that turn the tokens ``old`` into ``new``: deletions before insertions at each change."""
    matcher = SequenceMatcher(None, [t.text for t in old], [t.text for t in new], autojunk=False)
    raw: list[tuple[str, list[Token]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("equal", list(new[j1:j2])))
            continue
        if i2 > i1:
            raw.append(("delete", list(old[i1:i2])))
        if j2 > j1:
            raw.append(("insert", list(new[j1:j2])))
    return tuple(
        Op(_OPS[kind], "".join(t.text for t in tokens), frozenset(t.kind for t in tokens))
        for kind, tokens in _absorb_short_equalities(raw)
        if tokens
    )


def diff_text(old: str, new: str) -> tuple[Op, ...]:
    """The operations that turn ``old`` into ``new``, token by token (:func:`tokenize`)."""
    if old == new:
        return (Op("equal", new),) if new else ()
    return diff_tokens(tokenize(old), tokenize(new))


def old_text(ops: Iterable[Op]) -> str:
    """The old version, rebuilt from ``ops``: what both share and what was deleted."""
    return "".join(op.text for op in ops if op.op != "insert")


def new_text(ops: Iterable[Op]) -> str:
    """The new version, rebuilt from ``ops``: what both share and what was inserted."""
    return "".join(op.text for op in ops if op.op != "delete")


def _bare(text: str) -> str:
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c)[0] in "PZ"))


def is_cosmetic(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` differ only in punctuation and whitespace (，for 、, a space, a full stop)."""
    return old != new and _bare(old) == _bare(new)
