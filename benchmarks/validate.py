"""Validation speed: the sample spec in-process (first call, warm) and `contractgen validate` as a command.

    .venv/bin/python benchmarks/validate.py [--rounds 50] [--runs 15]

In-process: ``validate(samples/customer-service.yaml)`` — reading the file, decoding, composing the YAML, the
JSON Schema, the cross-field and legal checks. The *first* call in a fresh process also reads and compiles the
schema; it is timed in ``--runs`` fresh processes (after the imports, which the command timing covers), warm
calls ``--rounds`` times in this one. Median and worst are reported.

As a command: ``contractgen validate samples/customer-service.yaml`` in a fresh process, ``--runs`` times,
wall clock from spawn to exit (interpreter start, imports, validation, output), with bytecode caching on, as
for an installed wheel. Also the largest spec the loader accepts (1 MiB of instalment lines) to show the caps
keep the worst case bounded.

Targets: under 50 ms in-process (first call); under 0.4 s as a command.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
COMMAND = [sys.executable, "-m", "contractgen", "validate", str(SAMPLE)]

FIRST_CALL = """
import sys, time
from contractgen.validation import validate
start = time.perf_counter()
diagnostics = validate(sys.argv[1])
print(time.perf_counter() - start)
assert diagnostics == [], diagnostics
"""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def first_calls(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_CALL, str(SAMPLE)], check=True, capture_output=True, text=True
        ).stdout
        times.append(float(out))
    return times


def warm_calls(rounds: int) -> list[float]:
    from contractgen.validation import validate

    validate(SAMPLE)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        validate(SAMPLE)
        times.append(time.perf_counter() - start)
    return times


def command_runs(command: list[str], runs: int, expect: int = 0) -> list[float]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    subprocess.run(command, check=False, capture_output=True, env=env)  # warm bytecode and file caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, check=False, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        assert result.returncode == expect, result.stderr.decode()
    return times


def report(label: str, times: list[float], target: float | None = None) -> None:
    verdict = ""
    if target is not None:
        verdict = "  ok" if statistics.median(times) < target else f"  OVER TARGET ({_ms(target).strip()})"
    print(f"{label:<46} median {_ms(statistics.median(times))}   worst {_ms(max(times))}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; spec {SAMPLE.relative_to(ROOT)}")
    report("validate() in-process, first call", first_calls(args.runs), 0.050)
    report("validate() in-process, warm", warm_calls(args.rounds))
    report("`contractgen validate SPEC` as a command", command_runs(COMMAND, args.runs), 0.400)
    report("`python -c pass` (interpreter alone)", command_runs([sys.executable, "-c", "pass"], args.runs))

    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.yaml"
        item = "  - {due: 2027-01-01, amount: 1.00}\n"
        body = SAMPLE.read_text(encoding="utf-8") + "extra:\n"
        body += item * (((1 << 20) - len(body.encode()) - 100) // len(item))
        big.write_text(body, encoding="utf-8")
        command = [sys.executable, "-m", "contractgen", "validate", str(big)]
        report(
            f"command on a {big.stat().st_size // 1024} KB spec (node cap hit)", command_runs(command, 5, 3)
        )


if __name__ == "__main__":
    main()
