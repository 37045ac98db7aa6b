"""Scale: 4 shards side by side on this machine against one unsharded run, and 100,000 contracts extrapolated.

    .venv/bin/python benchmarks/scale.py [--specs 40] [--shards 4] [--zip]

Makes ``--specs`` specs from samples/customer-service.yaml (only the contract number differs), then, each as a
user runs it (``contractgen`` commands, cold processes included):

- one unsharded run: ``contractgen bundle specs -o all -j CORES``;
- ``--shards`` runs started together: ``contractgen bundle specs -o shard-K --shard K/N`` (``-j 1`` each:
  the shards are the parallelism, as on N machines — here all on this one).

It checks that the shards' bundles are the unsharded run's (the same names, the same manifest bytes) and that
``contractgen batch-report`` of the shards' ledgers exits 0, then prints bundles per minute and per core for
each, and what 100,000 contracts take at those rates on one machine like this and on 10 and 100 of them. The
machine may be shared: the load average before and after is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
CONTRACTGEN = [sys.executable, "-m", "contractgen"]
TARGET = 100_000


def make_specs(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(count):
        spec = text.replace("contract_no: KF-2026-0001", f"contract_no: KF-SCALE-{n:05d}")
        (folder / f"spec-{n:05d}.yaml").write_text(spec, encoding="utf-8")


def timed(commands: list[list[str]]) -> float:
    """Start every command at once; the seconds until the last one ends (each must exit 0)."""
    start = time.perf_counter()
    env = {**os.environ, "CI": "true"}
    running = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    for process in running:
        _, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{process.args!r} failed ({process.returncode}):\n{err.decode()}")
    return time.perf_counter() - start


def manifests(folder: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in folder.glob("*/manifest.json")}


def hours(count: int, per_minute: float) -> str:
    return f"{count / per_minute / 60:.1f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", type=int, default=40)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--zip", action="store_true", help="bundles with --zip, as the CI recipes make them")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    extra = ["--zip"] if args.zip else []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="contractgen-scale-") as work:
        root = Path(work)
        make_specs(root / "specs", args.specs)
        specs = str(root / "specs")
        one = timed([[*CONTRACTGEN, "bundle", specs, "-o", str(root / "all"), "-j", str(cores), *extra]])
        shard_commands = [
            [*CONTRACTGEN, "bundle", specs, "-o", str(root / f"shard-{k}"), "--shard", f"{k}/{args.shards}", *extra]
            for k in range(args.shards)
        ]
        sharded = timed(shard_commands)
        union: dict[str, bytes] = {}
        for k in range(args.shards):
            union.update(manifests(root / f"shard-{k}"))
        assert union == manifests(root / "all"), "the shards' bundles differ from the unsharded run's"
        report = subprocess.run(
            [*CONTRACTGEN, "batch-report", *(str(root / f"shard-{k}") for k in range(args.shards))],
            capture_output=True,
            text=True,
            check=False,
        )
        assert report.returncode == 0, report.stdout + report.stderr
    load_after = os.getloadavg()
    print(f"{args.specs} bundles of the sample{' (with --zip)' if args.zip else ''} on {cores} cores")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    rows = [(f"unsharded, -j {cores}", one), (f"{args.shards} shards side by side, -j 1 each", sharded)]
    for name, seconds in rows:
        per_minute = args.specs / seconds * 60
        print(f"  {name:34s} {seconds:7.1f} s  {per_minute:6.1f} bundles/min  {per_minute / cores:6.1f} per core")
    per_minute = args.specs / sharded * 60
    print(
        f"{TARGET:,} contracts at the sharded rate: {hours(TARGET, per_minute)} on one such machine, "
        f"{hours(TARGET, per_minute * 10)} on 10, {hours(TARGET, per_minute * 100)} on 100 "
        f"({per_minute / cores:.1f} bundles a minute a core)"
    )
    print(f"load average after:  {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print("batch-report of the shards: exit 0;", report.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
