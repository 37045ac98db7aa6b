"""Parallel parts: the sample's warm PDF in one pass against the same PDF joined from part processes.

    .venv/bin/python benchmarks/render_parallel.py                 # 1 part process (2 processes: one per core here)
    .venv/bin/python benchmarks/render_parallel.py --processes 1 2 --rounds 7

Each round renders the PDF once in one pass and once with each count of part processes (children forked at the first
PDF that needs them and standing for the next ones, :mod:`contractgen.writers.part_children`), in turn, so that a
change in the machine's load falls on every figure alike; medians over the rounds. Every joined PDF must be the
one-pass PDF's bytes. The load average (1 minute) is printed before and after: with another process on the cores,
the runs wait for each other and the parallel figure says little.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "customer-service.yaml"


def timed(action: Any) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = action()
    return time.perf_counter() - start, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from contractgen.document import load_contract
    from contractgen.writers.pdf_workers import part_processes
    from contractgen.writers.rendering import render_documents

    contract, _ = load_contract(SAMPLE)
    name = f"{contract.contract_no}.pdf"

    def render() -> bytes:
        return render_documents(contract, formats=["pdf"])[name]

    one_pass = render()  # imports, templates, fonts
    times: dict[int, list[float]] = {0: [], **{count: [] for count in args.processes}}
    load_before = os.getloadavg()[0]
    for _ in range(args.rounds):
        for count, measured in times.items():
            with part_processes(count):
                seconds, data = timed(render)
            if data != one_pass:
                raise SystemExit(f"{count} part processes: the joined PDF differs from the one-pass PDF")
            measured.append(seconds)
    load_after = os.getloadavg()[0]

    base = statistics.median(times[0])
    size = len(one_pass) / 1024
    print(f"{SAMPLE.relative_to(ROOT)}: {size:.1f} KB, medians of {args.rounds} rounds, {os.cpu_count()} CPUs")
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    print(f"  one pass                     {base:7.3f} s")
    for count in args.processes:
        median = statistics.median(times[count])
        print(f"  {count} part process(es)         {median:7.3f} s  {median / base:5.2f}x one pass  same bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
