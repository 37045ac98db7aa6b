"""Worker memory: one warm worker renders 300 contracts; its resident memory is read every 25.

    .venv/bin/python benchmarks/memory.py [--contracts 300] [--every 25] [--to pdf] [--part-processes 1]

The worker is the batch pool's (:mod:`contractgen.batch.pool`): forked from the fork server that imported
WeasyPrint and rendered the warm-up (:mod:`contractgen.batch.warm_start`), started like a ``render -j``
worker, and never recycled here (one worker, every contract), so what it keeps is what a leak would grow.
Each contract is the sample under its own contract number, rendered in memory (nothing written). Target: after
every 25, the resident memory stays within 10% of the figure after the first 25. With ``--part-processes``, each
PDF's later parts are laid out in the worker's standing children (:mod:`contractgen.writers.part_children`, replaced
after 50 layouts); their resident memory is printed beside the worker's.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "customer-service.yaml"


def _resident_mib(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def render_some(
    first: int, count: int, formats: tuple[str, ...], part_processes: int = 0
) -> tuple[int, float, float, list[float]]:
    """In the worker: ``count`` contracts rendered; its pid, its resident MiB after them, the seconds, and the
    resident MiB of each of its standing part processes."""
    from contractgen.document import load_contract
    from contractgen.writers.part_children import standing_pids
    from contractgen.writers.pdf_workers import set_part_processes
    from contractgen.writers.rendering import render_documents

    set_part_processes(part_processes)

    text = SAMPLE.read_text(encoding="utf-8")
    start = time.perf_counter()
    for n in range(first, first + count):
        spec = text.replace("contract_no: KF-2026-0001", f"contract_no: KF-MEM-{n:04d}")
        contract, _warnings = load_contract(f"memory-{n}.yaml", text=spec)
        render_documents(contract, formats=formats)
    seconds = time.perf_counter() - start
    return os.getpid(), _resident_mib(), seconds, [_resident_mib(pid) for pid in standing_pids()]


def _children(mibs: list[float]) -> str:
    if not mibs:
        return "none standing (the last one was replaced after its share of layouts)"
    return ", ".join(f"{mib:.1f} MiB" for mib in mibs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=300)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--to", default="pdf", help="formats, comma-separated (as render --to)")
    parser.add_argument("--part-processes", type=int, default=0, help="children laying out each PDF's later parts")
    args = parser.parse_args()
    from contractgen.batch.pool import _pool_context, _warm_worker_init

    formats = tuple(args.to.split(","))
    context = _pool_context(["contractgen.writers.rendering", "weasyprint", "contractgen.batch.warm_start"])
    forked = context.get_start_method() == "forkserver"
    print(f"one worker, {args.contracts} contracts ({args.to}), load average {os.getloadavg()[0]:.2f} at start")
    first_mib = None
    worst = 0.0
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_warm_worker_init, initargs=(os.getpid(), forked)
    ) as pool:
        pids = set()
        for first in range(0, args.contracts, args.every):
            pid, mib, seconds, children = pool.submit(
                render_some, first, args.every, formats, args.part_processes
            ).result()
            pids.add(pid)
            first_mib = first_mib if first_mib is not None else mib
            change = (mib - first_mib) / first_mib * 100
            worst = max(worst, abs(change))
            done = first + args.every
            print(
                f"  after {done:4d}: {mib:7.1f} MiB resident ({change:+5.1f}% of after {args.every}), "
                f"{seconds / args.every:.2f} s a contract"
                + (f"; part processes: {_children(children)}" if args.part_processes else "")
            )
    assert len(pids) == 1, "the contracts were rendered by more than one worker"
    verdict = "met" if worst <= 10 else "MISSED"
    print(
        f"largest change from the figure after {args.every}: {worst:.1f}% (target ≤ 10%: {verdict}); "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()
