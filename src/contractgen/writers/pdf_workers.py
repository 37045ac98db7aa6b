"""Part workers: warm processes that lay out and draw the later runs of a contract's parts while this process
lays out the first run, for :mod:`contractgen.writers.pdf_parts` to join into the one-pass PDF's bytes.

    start_part_workers(1, warm=(stylesheet, asset_roots, font_rules))   # once; then every lay_out_pdf uses it
    stop_part_workers()

A worker imports WeasyPrint and loads the fonts once (a warm-up render at start), then serves one run at a
time over a pipe: the markup in, its page count out when its pages are made, its first page's number and the
total back in, its frozen pages out. Runs are consecutive parts of about equal layout work (by characters and
table cells); the first run, laid out here, is the smaller, since this process also writes the PDF. Anything a
worker cannot do exactly — an error, a warning, a crash, a page :mod:`~contractgen.writers.pdf_parts` cannot
join — makes :func:`lay_out_in_runs` answer None, and the caller lays the document out in one pass (which also
reports any real error properly).

It pays only when a core is free for each worker: on a busy machine the runs wait for each other. Workers are
off unless started; they are daemonic, so a process that is itself a daemonic pool worker cannot start them.

This module must not change what is drawn, nor write files.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import combinations, pairwise
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from contractgen.document.tree import Document, Table, iter_blocks, part_text

__all__ = ["lay_out_in_runs", "part_workers_running", "split_runs", "start_part_workers", "stop_part_workers"]

#: How much layout a table cell costs, in characters of running text (the sample: 963 cells, half the time).
CELL_COST = 14
#: The share of a run's work that writing the joined PDF adds to the first run's process.
WRITE_SHARE = 0.35

Markup = Callable[..., str]


class _Worker:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="contractgen-pdf-part")
        self.process.start()
        child.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(("stop",))
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
        self.conn.close()


_workers: list[_Worker] = []


def start_part_workers(count: int = 1, warm: tuple[Path, Sequence[Path], str] | None = None) -> None:
    """Start ``count`` part workers (stopping any running), each warmed with a render of ``warm``'s stylesheet,
    asset roots and font rules (:func:`contractgen.writers.pdf.font_css`)."""
    stop_part_workers()
    _workers.extend(_Worker() for _ in range(count))
    if warm is not None:
        stylesheet, roots, rules = warm
        for worker in _workers:
            worker.conn.send(("warm", _WARM_MARKUP, str(stylesheet), [str(root) for root in roots], rules))
        for worker in _workers:
            worker.conn.recv()


def stop_part_workers() -> None:
    while _workers:
        _workers.pop().stop()


def part_workers_running() -> int:
    return len(_workers)


_WARM_MARKUP = (
    '<html lang="zh-CN"><body><section class="part contract"><h1 class="title">合同</h1>'
    '<p class="body">甲方<b>乙方</b>合同编号：第 1 页 共 1 页</p></section></body></html>'
)


def _cost(document: Document, index: int) -> float:
    part = document.parts[index]
    cells = sum(len(row.cells) for block in iter_blocks(part.blocks) if isinstance(block, Table) for row in block.rows)
    return len(part_text(part)) + CELL_COST * cells


def split_runs(document: Document, runs: int) -> list[Document]:
    """``document``'s parts in ``runs`` consecutive runs whose largest work is least (the first one carrying
    the PDF's writing too); fewer when there are fewer parts."""
    costs = [_cost(document, n) for n in range(len(document.parts))]
    runs = min(runs, len(costs))
    extra = WRITE_SHARE * sum(costs) / max(runs, 1)

    def worst(cuts: tuple[int, ...]) -> float:
        bounds = (0, *cuts, len(costs))
        loads = [sum(costs[a:b]) for a, b in pairwise(bounds)]
        return max(loads[0] + extra, *loads[1:])

    cuts = min(combinations(range(1, len(costs)), runs - 1), key=worst)
    bounds = (0, *cuts, len(costs))
    return [replace(document, parts=document.parts[a:b]) for a, b in pairwise(bounds)]


def lay_out_in_runs(
    document: Document, html: Markup, *, stylesheet: Path, asset_roots: Sequence[Path], font_rules: str
) -> tuple[Any, bytes] | None:
    """The WeasyPrint layout and the PDF of ``document`` from runs of its parts laid out side by side, or None
    when there are no workers, too few parts, or the runs cannot be joined exactly."""
    from contractgen.writers import pdf_parts
    from contractgen.writers.html import spot_count

    if not _workers or len(document.parts) < 2 or not pdf_parts.supported():
        return None
    if pdf_parts.side_rules(stylesheet.read_text(encoding="utf-8")):
        return None
    runs = split_runs(document, len(_workers) + 1)
    if len(runs) < 2:
        return None
    conversation = _Conversation(_workers[: len(runs) - 1])
    try:
        spots = spot_count(runs[0]) + 1
        for n, run in enumerate(runs[1:]):
            markup = html(run, lead_page=True, first_spot=spots)
            spots += spot_count(run)
            conversation.stage[n] = "laying"
            conversation.send(n, ("later", markup, str(stylesheet), [str(root) for root in asset_roots], font_rules))
        return conversation.join(html(runs[0]), stylesheet, asset_roots, font_rules)
    except pdf_parts.Unjoinable:
        return None
    finally:
        conversation.finish()


class _Conversation:
    """The exchange with the workers of one document's later runs: counts, numbers, pages, always to the end."""

    def __init__(self, workers: list[_Worker]) -> None:
        self.workers = workers
        self.stage = ["idle"] * len(workers)
        self.final: list[Any] = [None] * len(workers)

    def send(self, n: int, message: tuple[Any, ...]) -> None:
        from contractgen.writers.pdf_parts import Unjoinable

        try:
            self.workers[n].conn.send(message)
        except OSError:
            self.stage[n] = "dead"
            raise Unjoinable("worker ended") from None

    def _receive(self, n: int) -> Any:
        from contractgen.writers.pdf_parts import Unjoinable

        try:
            message = self.workers[n].conn.recv()
        except (EOFError, OSError):
            self.stage[n] = "dead"
            raise Unjoinable("worker ended") from None
        if message[0] != "count":
            self.stage[n], self.final[n] = "done", message
        return message

    def on_paginated(self, first_count: int) -> tuple[int, int]:
        from contractgen.writers.pdf_parts import Unjoinable

        counts = [first_count]
        for n in range(len(self.workers)):
            message = self._receive(n)
            if message[0] != "count":
                raise Unjoinable(str(message[1:]))
            self.stage[n] = "counted"
            counts.append(message[1] - 1)  # its lead page is not one of the document's
        total, start = sum(counts), first_count + 1
        for n in range(len(self.workers)):
            self.stage[n] = "numbered"
            self.send(n, ("numbers", start - 2, total))  # a run's page k (lead page 0) has counter k + 1
            start += counts[n + 1]
        return 0, total

    def join(self, first_markup: str, stylesheet: Path, roots: Sequence[Path], font_rules: str) -> tuple[Any, bytes]:
        from contractgen.writers import pdf, pdf_parts
        from contractgen.writers.pdf_fonts import real_subsets

        with pdf.weasyprint_errors(), pdf_parts.paginated(self.on_paginated):
            first = pdf.render_markup(first_markup, stylesheet, roots, font_rules)
        parts = []
        for n in range(len(self.workers)):
            message = self.final[n] if self.stage[n] == "done" else self._receive(n)
            if message[0] != "pages":
                raise pdf_parts.Unjoinable(str(message[1:]))
            parts.append(message[1])
        with pdf.weasyprint_errors(), real_subsets():
            joined = pdf_parts.join(first, parts)
            data: bytes = joined.write_pdf()
        return joined, data

    def finish(self) -> None:
        """Bring every worker to the end of its run (an aborted one answers "unjoinable"), dropping dead ones."""
        for n, worker in enumerate(self.workers):
            try:
                if self.stage[n] == "laying":
                    message = worker.conn.recv()
                    self.stage[n] = "counted" if message[0] == "count" else "done"
                if self.stage[n] == "counted":
                    worker.conn.send(("abort",))
                    self.stage[n] = "numbered"
                if self.stage[n] == "numbered":
                    worker.conn.recv()
                    self.stage[n] = "done"
            except (EOFError, OSError):
                self.stage[n] = "dead"
            if self.stage[n] == "dead" and worker in _workers:
                _workers.remove(worker)
                worker.process.kill()


def _serve(conn: Connection) -> None:
    """A worker's loop: one run (or warm-up) per message, until "stop" or the pipe closes."""
    from contractgen.errors import ContractgenError
    from contractgen.writers import pdf, pdf_parts

    def on_paginated(count: int) -> tuple[int, int]:
        conn.send(("count", count))
        reply = conn.recv()
        if reply[0] != "numbers":
            raise pdf_parts.Unjoinable("aborted")
        return int(reply[1]), int(reply[2])

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        kind, markup, stylesheet, roots, rules = message
        paths = Path(stylesheet), [Path(root) for root in roots]
        try:
            with pdf.weasyprint_errors():
                if kind == "warm":  # imports, fonts, the stylesheet's parse: once, before the first document
                    pdf.render_markup(markup, *paths, rules).write_pdf()
                    reply: tuple[Any, ...] = ("warm",)
                else:
                    with pdf_parts.paginated(on_paginated):
                        laid_out = pdf.render_markup(markup, *paths, rules)
                    reply = ("pages", pdf_parts.freeze(laid_out, lead_page=True))
            conn.send(reply)
        except (pdf_parts.Unjoinable, ContractgenError) as error:
            conn.send(("unjoinable", str(error)))
        except Exception as error:
            conn.send(("unjoinable", repr(error)))
