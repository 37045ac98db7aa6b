"""Probe: how fast could the sample's PDF be if its parts were rendered in parallel processes?

    .venv/bin/python benchmarks/render_parallel.py            # 2 workers (one per core here), 5 runs
    .venv/bin/python benchmarks/render_parallel.py --workers 3 --runs 7

Every part of a contract starts on a new page, so the parts can be laid out independently: each worker renders
a run of consecutive parts to its own PDF, and a real implementation would then join the PDFs, merge their font
subsets and stamp 第 X 页 共 Y 页 on every page. This probe measures only the part that can run in parallel —
workers already warm, no joining, no footers, no font merging — so its time is a floor for that design, and the
size of the plainly concatenated files shows what the duplicated font subsets cost. It is the evidence for not
building the design on a 2-core machine (see the README's performance section).
"""

from __future__ import annotations

import argparse
import io
import sys
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from render import median_time  # benchmarks/render.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "customer-service.yaml"

_state: dict[str, Any] = {}


def _prepare() -> None:
    """Worker start-up (and the parent's): the sample's document and everything write_pdf needs, warmed."""
    from contractgen.document import load_contract
    from contractgen.document.compose import compose
    from contractgen.document.context import build_context
    from contractgen.writers.fonts import resolve
    from contractgen.writers.rendering import PRINT_STYLESHEET, document_date, template_folder

    contract, _ = load_contract(SAMPLE)
    folder = template_folder(contract.type)
    document = compose(folder, build_context(contract, folder.parts, folder.title))
    _state.update(
        document=document,
        stylesheet=folder.asset(PRINT_STYLESHEET),
        roots=folder.asset_roots,
        fonts=resolve(),
        when=document_date(contract),
    )
    _render(tuple(part.id for part in document.parts))  # warm: font lookup, stylesheets, first layout


def _render(part_ids: tuple[str, ...]) -> bytes:
    from contractgen.document.tree import Document
    from contractgen.writers.pdf import write_pdf

    whole: Document = _state["document"]
    chunk = Document(whole.title, whole.contract_no, tuple(p for p in whole.parts if p.id in part_ids))
    return write_pdf(
        chunk, stylesheet=_state["stylesheet"], asset_roots=_state["roots"], fonts=_state["fonts"], when=_state["when"]
    )


def _balanced(costs: list[tuple[str, float]], workers: int) -> list[tuple[str, ...]]:
    """Consecutive runs of parts whose largest summed cost is smallest (parts must stay in order)."""
    best: tuple[float, list[tuple[str, ...]]] | None = None

    def split(start: int, left: int, chunks: list[tuple[str, ...]]) -> None:
        nonlocal best
        if left == 1:
            chunks = [*chunks, tuple(name for name, _ in costs[start:])]
            worst = max(sum(c for name, c in costs if name in chunk) for chunk in chunks)
            if best is None or worst < best[0]:
                best = (worst, chunks)
            return
        for end in range(start + 1, len(costs) - left + 2):
            split(end, left - 1, [*chunks, tuple(name for name, _ in costs[start:end])])

    split(0, workers, [])
    assert best is not None
    return best[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from pypdf import PdfReader, PdfWriter

    _prepare()
    ids = [part.id for part in _state["document"].parts]
    whole = median_time(lambda: _render(tuple(ids)), args.runs)
    costs = [(part, median_time(lambda p=part: _render((p,)), max(1, args.runs // 2))) for part in ids]
    chunks = _balanced(costs, args.workers)

    with get_context("forkserver").Pool(args.workers, initializer=_prepare) as pool:
        pool.map(_render, chunks)  # every worker has started and warmed up
        parallel = median_time(lambda: pool.map(_render, chunks), args.runs)
        pieces = pool.map(_render, chunks)
    joined = PdfWriter()
    for piece in pieces:
        joined.append(PdfReader(io.BytesIO(piece)))
    buffer = io.BytesIO()
    joined.write(buffer)

    print(f"{SAMPLE.relative_to(ROOT)}: medians of {args.runs} runs, {args.workers} warm worker processes")
    print(f"  whole PDF in one process        {whole:7.3f} s  {len(_render(tuple(ids))) / 1024:8.1f} KB")
    print(f"  each part alone, summed         {sum(c for _, c in costs):7.3f} s  (fixed cost per PDF: fonts)")
    print(f"  {len(chunks)} runs of parts in parallel     {parallel:7.3f} s  floor: no joining, footers or font merge")
    print(f"  the pieces concatenated         {'':9}  {len(buffer.getvalue()) / 1024:8.1f} KB  (font subsets repeated)")
    print("  runs of parts: " + " | ".join(",".join(chunk) for chunk in chunks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
