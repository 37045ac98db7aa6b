"""Numerals speed: to_capital / parse_capital against cn2an, per call, in one run; and the import time.

    .venv/bin/pip install 'cn2an==0.5.*'     # the bench extra: never a runtime dependency
    .venv/bin/python benchmarks/numerals.py [--amounts 2000] [--rounds 15] [--import-runs 15]

One fixed, seeded set of amounts (two decimals, 1 to 16 integer digits, a third of them zero-heavy, plus
the PBOC examples) is converted by ``contractgen.numerals.to_capital`` and by cn2an's ``an2cn(x, "rmb")``,
and read back by ``parse_capital`` and by cn2an's ``cn2an(x)``. Each function is timed over the whole set
``--rounds`` times; a round's time divided by the number of calls is its per-call time, and the median over
rounds is reported. cn2an's reader fails on many forms (元零X分, amounts below one yuan, …): both readers
are timed on the amounts cn2an reads correctly, each reading its own writer's output, so they do the same
work.

Import time is ``python -X importtime -c "import contractgen.numerals"`` in fresh processes with bytecode
caching on (as for an installed wheel), median over ``--import-runs``: the numerals subtree itself, and the
total including the parent package ``contractgen`` (whose own import is not numerals' code).
Targets: at least 2x faster than cn2an per call; import under 10 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

PBOC = ["1409.50", "6007.14", "1680.32", "107000.53", "16409.02", "325.04"]


def fixed_amounts(count: int, seed: int = 20261124) -> list[str]:
    """The same amounts on every run: varied magnitudes, many zero runs, always two decimals, as text."""
    rng = random.Random(seed)
    amounts = list(PBOC)
    while len(amounts) < count:
        digits = rng.randint(1, 16)
        if rng.random() < 1 / 3:  # zero-heavy: the 零 rules are where converters go wrong
            rest = "".join(rng.choice("0000000123456789") for _ in range(digits - 1))
            integer = str(rng.randint(1, 9)) + rest
        else:
            integer = str(rng.randint(10 ** (digits - 1), 10**digits - 1))
        cents = rng.choice(["00", "00", f"{rng.randint(0, 99):02d}", f"0{rng.randint(1, 9)}"])
        amounts.append(f"{integer}.{cents}")
    return amounts


def per_call(function: Callable[[Any], object], inputs: Sequence[object], rounds: int) -> float:
    """Median over rounds of (time for one pass over ``inputs``) / len(inputs), in microseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for value in inputs:
            function(value)
        samples.append((time.perf_counter_ns() - start) / len(inputs) / 1000)
    return statistics.median(samples)


def import_times(runs: int) -> tuple[float, float, float]:
    """Median import times in ms: numerals' own, the parent package, total fresh processes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as cache:
        env["PYTHONPYCACHEPREFIX"] = cache
        command = [sys.executable, "-X", "importtime", "-c", "import contractgen.numerals"]
        subprocess.run(command, env=env, check=True, capture_output=True)  # writes the bytecode once
        own: list[float] = []
        parent: list[float] = []
        for _ in range(runs):
            lines = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stderr
            cumulative: dict[str, float] = {}
            for line in lines.splitlines():
                _, _, rest = line.partition("import time:")
                fields = rest.split("|")
                if len(fields) == 3 and fields[1].strip().isdigit():  # skips the header line
                    cumulative[fields[2].strip()] = int(fields[1]) / 1000
            own.append(cumulative["contractgen.numerals"])
            parent.append(cumulative["contractgen"])
    # The parent package is imported first, inside numerals' cumulative time: subtract it for numerals' own.
    total_ms, parent_ms = statistics.median(own), statistics.median(parent)
    own_ms = statistics.median(o - p for o, p in zip(own, parent, strict=True))
    return own_ms, parent_ms, total_ms


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--amounts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--import-runs", type=int, default=15)
    options = parser.parse_args(argv)

    from contractgen.numerals import parse_capital, to_capital

    try:
        import cn2an
    except ImportError:
        print("cn2an is missing: .venv/bin/pip install 'cn2an==0.5.*' (benchmark only)", file=sys.stderr)
        return 2

    amounts = fixed_amounts(options.amounts)
    ours = [to_capital(a) for a in amounts]
    theirs = [cn2an.an2cn(a, "rmb") for a in amounts]
    differ = sum(o != t for o, t in zip(ours, theirs, strict=True))

    # Readers: keep the amounts cn2an reads back correctly (exactly, compared as decimals).
    readable = []
    for amount, written in zip(amounts, theirs, strict=True):
        try:
            value = cn2an.cn2an(written)
        except (ValueError, KeyError, IndexError):
            continue
        if Decimal(str(value)).quantize(Decimal("0.01")) == Decimal(amount):
            readable.append(amount)
    ours_readable = [to_capital(a) for a in readable]
    theirs_readable = [cn2an.an2cn(a, "rmb") for a in readable]
    assert all(parse_capital(w) == Decimal(a) for w, a in zip(ours_readable, readable, strict=True))

    def an2cn(value: str) -> object:
        return cn2an.an2cn(value, "rmb")

    rounds = options.rounds
    write_ours = per_call(to_capital, amounts, rounds)
    write_theirs = per_call(an2cn, amounts, rounds)
    decimals: list[Decimal] = [Decimal(a) for a in amounts]
    write_ours_decimal = per_call(to_capital, decimals, rounds)
    read_ours = per_call(parse_capital, ours_readable, rounds)
    read_theirs = per_call(cn2an.cn2an, theirs_readable, rounds)
    read_ours_all = per_call(parse_capital, ours, rounds)
    own_ms, parent_ms, total_ms = import_times(options.import_runs)

    print(f"Python {sys.version.split()[0]}, cn2an {getattr(cn2an, '__version__', '?')}")
    print(f"{len(amounts)} amounts, {rounds} rounds; per-call medians in µs")
    print(f"  to_capital(str)              {write_ours:7.2f}")
    print(f"  to_capital(Decimal)          {write_ours_decimal:7.2f}")
    print(f"  cn2an.an2cn(x, 'rmb')        {write_theirs:7.2f}   ratio {write_theirs / write_ours:5.1f}x")
    print(f"    (cn2an's output differs from the canonical form for {differ} of {len(amounts)} amounts)")
    print(f"  parse_capital                {read_ours:7.2f}   ({len(readable)} amounts cn2an reads right)")
    print(f"  cn2an.cn2an(x)               {read_theirs:7.2f}   ratio {read_theirs / read_ours:5.1f}x")
    print(f"  parse_capital, all amounts   {read_ours_all:7.2f}")
    print("import contractgen.numerals (ms, median of fresh processes, cached bytecode)")
    print(f"  numerals subtree             {own_ms:7.2f}")
    print(f"  parent package contractgen   {parent_ms:7.2f}")
    print(f"  total                        {total_ms:7.2f}")
    ok = write_theirs / write_ours >= 2 and read_theirs / read_ours >= 2
    print(f"target 2x faster than cn2an: {'met' if ok else 'NOT met'}; "
          f"import under 10 ms: subtree {'met' if own_ms < 10 else 'NOT met'}, "
          f"total {'met' if total_ms < 10 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
