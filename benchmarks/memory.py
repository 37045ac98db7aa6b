"""Worker memory: one warm worker renders 300 contracts; its resident memory is read every 25.

    .venv/bin/python benchmarks/memory.py [--contracts 300] [--every 25] [--to pdf]

The worker is the batch pool's (:mod:`contractgen.batch.pool`): forked from the fork server that imported
WeasyPrint and rendered the warm-up (:mod:`contractgen.batch.warm_start`), started like a ``render -j``
worker, and never recycled here (one worker, every contract), so what it keeps is what a leak would grow.
Each contract is the sample under its own contract number, rendered in memory (nothing written). Target: after
every 25, the resident memory stays within 10% of the figure after the first 25.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "customer-service.yaml"


def _resident_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def render_some(first: int, count: int, formats: tuple[str, ...]) -> tuple[int, float, float]:
    """In the worker: ``count`` contracts rendered; its pid, its resident MiB after them, the seconds."""
    from contractgen.document import load_contract
    from contractgen.writers.rendering import render_documents

    text = SAMPLE.read_text(encoding="utf-8")
    start = time.perf_counter()
    for n in range(first, first + count):
        spec = text.replace("contract_no: KF-2026-0001", f"contract_no: KF-MEM-{n:04d}")
        contract, _warnings = load_contract(f"memory-{n}.yaml", text=spec)
        render_documents(contract, formats=formats)
    return os.getpid(), _resident_mib(), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=300)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--to", default="pdf", help="formats, comma-separated (as render --to)")
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
            pid, mib, seconds = pool.submit(render_some, first, args.every, formats).result()
            pids.add(pid)
            first_mib = first_mib if first_mib is not None else mib
            change = (mib - first_mib) / first_mib * 100
            worst = max(worst, abs(change))
            done = first + args.every
            print(
                f"  after {done:4d}: {mib:7.1f} MiB resident ({change:+5.1f}% of after {args.every}), "
                f"{seconds / args.every:.2f} s a contract"
            )
    assert len(pids) == 1, "the contracts were rendered by more than one worker"
    verdict = "met" if worst <= 10 else "MISSED"
    print(
        f"largest change from the figure after {args.every}: {worst:.1f}% (target ≤ 10%: {verdict}); "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()
