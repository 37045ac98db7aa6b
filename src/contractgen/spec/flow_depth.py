"""Flow depth: how deep ``[`` and ``{`` nest in a spec's text, found before the YAML parser reads it.

PyYAML's scanner spends time proportional to the flow depth on every token, and reads a whole nested flow
collection ahead before it gives the first event: brackets nested without end cost the square of their number
(32,000 took 7 s; a 1 MiB spec of them would take hours), long before the composer's depth limit can say a word.
So the text is scanned once, in linear time, for the point where flow collections nest past a bound far above
that limit, and such a spec is refused there without being parsed.

The scan is an upper bound that errs towards fewer: a bracket counts only where a flow collection can begin (at
the start of a value, after ``- ``, ``,``, ``[`` or ``{``), quoted scalars and comments are passed over, and any
closing bracket counts. It must never refuse a spec the parser would read within the limit, and it must not parse.
"""

from __future__ import annotations

__all__ = ["too_deep"]

_OPENS_AFTER = frozenset("\n:-,[{?")


def _quote_end(text: str, start: int) -> int:
    """The index just past the quoted scalar opening at ``start`` ('' and \\" escapes), or the end of the text."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and text.startswith("''", i):
                i += 2
                continue
            return i + 1
        i += 1
    return len(text)


def too_deep(text: str, bound: int) -> tuple[int, int] | None:
    """The 1-based (line, column) of the first ``[``/``{`` nested deeper than ``bound``, or ``None``."""
    if text.count("[") + text.count("{") <= bound:  # every spec people write: no scan at all
        return None
    depth, i, previous = 0, 0, "\n"
    while i < len(text):
        c = text[i]
        if c in " \t\r":
            i += 1
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\r\n"):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        can_start = previous in _OPENS_AFTER
        if c in "'\"" and can_start:
            i, previous = _quote_end(text, i), c
            continue
        if c in "[{" and can_start:
            depth += 1
            if depth > bound:
                line = text.count("\n", 0, i) + 1
                return line, i - (text.rfind("\n", 0, i) + 1) + 1
        elif c in "]}" and depth:
            depth -= 1
        # A bracket that opened nothing (inside plain text: "x [[") is text, and lets nothing after it open.
        previous = c if c not in "[{" or can_start else "x"
        i += 1
    return None
