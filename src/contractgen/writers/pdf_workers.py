"""Part processes: the later runs of a contract's parts laid out and drawn in forked copies of this process while
this process lays out and draws the first run, for :mod:`contractgen.writers.pdf_parts` to join into the
one-pass PDF's bytes.

    with part_processes(1):        # or set_part_processes(1); 0, the default, lays out in one pass
        lay_out_pdf(...)

A layout's children are forked the first time one is needed, once its markup is made, and then stand for the
layouts that follow (:mod:`contractgen.writers.part_children`): a child starts with everything this process has
loaded — WeasyPrint, the fonts and the glyphs already measured, the parsed stylesheet — so it is warm from its
first instruction and needs no warm-up. For each layout it gets its run's markup over its pipe, sends its page
count when its pages are made, gets its first page's number and the total back, and sends its frozen pages.
Meanwhile this process draws its own run's pages, so the drawing too is shared. Runs are consecutive parts of
about equal layout work (by characters and table cells).

Anything a child cannot do exactly — an error, a warning, a crash, a page :mod:`~contractgen.writers.pdf_parts`
cannot join, no answer within :data:`ANSWER_SECONDS` — makes :func:`lay_out_in_runs` answer None, ends that
child, and the caller lays the document out in one pass (which also reports any real error properly). A process
with other threads running uses no part processes (a child forked from it would inherit locks they hold), except
for threads known to hold none.

It pays only when a core is free for each child: :func:`part_processes_for` gives the count for a number of
parallel jobs from the CPUs this process may use.

This module must not change what is drawn, nor write files.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from itertools import combinations, pairwise
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

from contractgen.document.tree import Document, Table, iter_blocks, part_text
from contractgen.writers.part_children import Child, children_for, end_part_processes, release

__all__ = [
    "available_cpus",
    "end_part_processes",
    "lay_out_in_runs",
    "part_processes",
    "part_processes_for",
    "set_part_processes",
    "split_runs",
]

#: What a part's layout and drawing cost, in characters of running text: a table cell as 14 characters, and a
#: part itself (its title, its page break, its pages' furniture) as 1,500. Fitted to the 24 parts of three
#: samples, each laid out and drawn alone and timed (5 December): 0.033 s a part, 21 µs a character, 0.30 ms a
#: cell.
CELL_COST = 14
PART_COST = 1500
#: At most this many children per layout: beyond four runs the parts are too few to balance.
MAX_PART_PROCESSES = 3
#: A child that has not answered in this long is taken for stuck: killed, and the document laid out in one pass.
ANSWER_SECONDS = 60.0
#: cgroup v2's CPU quota of this process's container ("max 100000", or "150000 100000" for 1.5 CPUs).
CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
#: Threads that never hold a lock a forked child could need: batch/pool.py's watch of its parent (in select),
#: and bundling/provenance.py's hashing of font files (only a file and a hash of its own).
QUIET_THREADS = frozenset({"contractgen-parent-watch", "contractgen-font-digests"})

Markup = Callable[..., str]


class _Setting:
    processes = 0  # children per layout: 0 lays out in one pass


def set_part_processes(count: int) -> None:
    """Lay out every later PDF with ``count`` child processes beside this one (0: in one pass)."""
    _Setting.processes = max(0, min(int(count), MAX_PART_PROCESSES))


@contextlib.contextmanager
def part_processes(count: int) -> Iterator[None]:
    """:func:`set_part_processes` for the block, then the previous count."""
    previous = _Setting.processes
    set_part_processes(count)
    try:
        yield
    finally:
        set_part_processes(previous)


def available_cpus() -> int:
    """The CPUs this process may run on: its affinity, bounded by a cgroup v2 CPU quota (a container's)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    with contextlib.suppress(OSError, ValueError):
        quota, period = CPU_MAX.read_text(encoding="ascii").split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    return max(cpus, 1)


def part_processes_for(jobs: int, cpus: int | None = None) -> int:
    """Children per layout for ``jobs`` layouts running side by side: one for each CPU that none of them uses."""
    cpus = available_cpus() if cpus is None else cpus
    return max(0, min(cpus // max(jobs, 1) - 1, MAX_PART_PROCESSES))


def _cost(document: Document, index: int) -> float:
    part = document.parts[index]
    cells = sum(len(row.cells) for block in iter_blocks(part.blocks) if isinstance(block, Table) for row in block.rows)
    return PART_COST + len(part_text(part)) + CELL_COST * cells


def split_runs(document: Document, runs: int) -> list[Document]:
    """``document``'s parts in ``runs`` consecutive runs whose largest work is least; fewer when there are fewer
    parts. Of two splits as good, the one with the larger first run (this process has no pages to send)."""
    costs = [_cost(document, n) for n in range(len(document.parts))]
    runs = max(1, min(runs, len(costs)))

    def worst(cuts: tuple[int, ...]) -> tuple[float, float]:
        bounds = (0, *cuts, len(costs))
        loads = [sum(costs[a:b]) for a, b in pairwise(bounds)]
        return max(loads), -loads[0]

    cuts = min(combinations(range(1, len(costs)), runs - 1), key=worst)
    bounds = (0, *cuts, len(costs))
    return [replace(document, parts=document.parts[a:b]) for a, b in pairwise(bounds)]


def _forkable() -> bool:
    if not hasattr(os, "fork"):
        return False
    main = threading.main_thread()
    return threading.current_thread() is main and all(
        thread is main or thread.name in QUIET_THREADS for thread in threading.enumerate()
    )


def lay_out_in_runs(
    document: Document, html: Markup, *, stylesheet: Path, asset_roots: Sequence[Path], font_rules: str
) -> tuple[Any, bytes] | None:
    """The WeasyPrint layout and the PDF of ``document`` from runs of its parts laid out side by side, or None
    when no part processes are set, there are too few parts, or the runs cannot be joined exactly."""
    from contractgen.writers import pdf_parts
    from contractgen.writers.html import SPOT_ID
    from contractgen.writers.weasyprint_loading import internals_known

    if _Setting.processes < 1 or len(document.parts) < 2 or not internals_known() or not _forkable():
        return None
    if pdf_parts.side_rules(stylesheet.read_text(encoding="utf-8")):
        return None
    runs = split_runs(document, _Setting.processes + 1)
    if len(runs) < 2:
        return None
    # Each run numbers its seal spots on from the runs before it, as the whole document's markup does.
    first = html(runs[0])
    later, spots = [], len(SPOT_ID.findall(first)) + 1
    for run in runs[1:]:
        later.append(html(run, lead_page=True, first_spot=spots))
        spots += len(SPOT_ID.findall(later[-1]))
    try:
        conversation = _Conversation(children_for(len(later), _lay_out_later_run))
    except OSError:  # no fork now (out of processes or memory): one pass
        return None
    joined = None
    try:
        for child, markup in zip(conversation.children, later, strict=True):
            conversation.send(child, ("run", _LaterRun(markup, stylesheet, asset_roots, font_rules)))
        joined = conversation.join(first, stylesheet, asset_roots, font_rules)
    except pdf_parts.Unjoinable:
        pass
    finally:
        release(conversation.children, ok=joined is not None)  # a child of a failed conversation is ended
    return joined


class _LaterRun(NamedTuple):
    """What a child lays out: its run's markup, and what :func:`contractgen.writers.pdf.render_markup` needs."""

    markup: str
    stylesheet: Path
    roots: Sequence[Path]
    font_rules: str


class _Conversation:
    """The exchange with the children of one document's later runs: counts, numbers, pages; then their end."""

    def __init__(self, children: list[Child]) -> None:
        self.children = children

    def send(self, child: Child, message: tuple[Any, ...]) -> None:
        from contractgen.writers.pdf_parts import Unjoinable

        try:
            child.conn.send(message)
        except OSError:
            raise Unjoinable("a part process ended") from None

    def _receive(self, child: Child) -> Any:
        from contractgen.writers.pdf_parts import Unjoinable

        try:
            if not child.conn.poll(ANSWER_SECONDS):
                raise Unjoinable("a part process did not answer")
            return child.conn.recv()
        except (EOFError, OSError):
            raise Unjoinable("a part process ended") from None

    def on_paginated(self, first_count: int) -> tuple[int, int]:
        from contractgen.writers.pdf_parts import Unjoinable

        counts = [first_count]
        for child in self.children:
            message = self._receive(child)
            if message[0] != "count":
                raise Unjoinable(str(message[1:]))
            counts.append(message[1] - 1)  # its lead page is not one of the document's
        total, start = sum(counts), first_count + 1
        for child, count in zip(self.children, counts[1:], strict=True):
            self.send(child, ("numbers", start - 2, total))  # a run's page k (lead page 0) has counter k + 1
            start += count
        return 0, total

    def join(self, first_markup: str, stylesheet: Path, roots: Sequence[Path], font_rules: str) -> tuple[Any, bytes]:
        from contractgen.writers import pdf, pdf_parts
        from contractgen.writers.pdf_fonts import real_subsets

        with pdf.weasyprint_errors():  # one block: one collection of what the layout left, at its end
            with pdf_parts.paginated(self.on_paginated):
                first = pdf.render_markup(first_markup, stylesheet, roots, font_rules)
            # This run's pages are drawn now, while the children draw theirs; the PDF is written once all are in.
            fonts: dict[Any, Any] = {}
            parts = [pdf_parts.freeze(first, lead_page=False, fonts=fonts)]
            for child in self.children:
                message = self._receive(child)
                if message[0] != "pages":
                    raise pdf_parts.Unjoinable(str(message[1:]))
                parts.append(message[1])
            with real_subsets():
                joined = pdf_parts.join(first, parts, fonts=fonts)
                data: bytes = joined.write_pdf()
        return joined, data


def _lay_out_later_run(conn: Connection, run: _LaterRun) -> bool:
    """One run laid out in a child and talked through with the parent; whether its pages went back (a child
    that could not lay a run out ends: part_children)."""
    from contractgen.errors import ContractgenError
    from contractgen.writers import pdf, pdf_parts

    def on_paginated(count: int) -> tuple[int, int]:
        conn.send(("count", count))
        reply = conn.recv()
        if reply[0] != "numbers":
            raise pdf_parts.Unjoinable("aborted")
        return int(reply[1]), int(reply[2])

    try:
        with pdf.weasyprint_errors():
            with pdf_parts.paginated(on_paginated):
                laid_out = pdf.render_markup(run.markup, run.stylesheet, run.roots, run.font_rules)
            reply: tuple[Any, ...] = ("pages", pdf_parts.freeze(laid_out, lead_page=True))
        conn.send(reply)
        return True
    except (pdf_parts.Unjoinable, ContractgenError) as error:
        conn.send(("unjoinable", str(error)))
    except Exception as error:  # anything at all: the parent lays the document out in one pass
        conn.send(("unjoinable", repr(error)))
    return False
