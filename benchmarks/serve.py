"""Benchmark: ``contractgen serve`` — validate latency under load, a PDF from the warm pool, and memory over renders.

    .venv/bin/python benchmarks/serve.py            # 200 validates (20 in flight), 200 renders, 7 rounds of peers
    .venv/bin/python benchmarks/serve.py --quick    # a smoke run: fewer of each
    .venv/bin/python benchmarks/serve.py --jobs 2 --json

Starts ``contractgen serve --no-browser --host 127.0.0.1 --port 0`` as a process (as tests/server's process tests
do), reads the URL with its token from the first line of standard output, and sends every request with the token
header and the server's own ``Origin`` (what the guard asks of a POST from a page; see docs/serve.md). Measures,
for ``samples/customer-service.yaml``:

- validate: ``POST /api/validate`` of the sample as ``application/yaml``, ``--requests`` times with
  ``--in-flight`` at once (aiohttp's client), each from sending to the whole answer read; p50 and p95, after a
  warm-up round not counted (the server's first validate compiles the schema) and after the workers have started
  (their start-up would take the CPUs); also one at a time, for the time a request takes without queueing;
- PDF per request from the warm pool: ``POST /api/render?format=pdf``, one at a time, against its peers in the
  same run, interleaved round by round so a change in the machine's load hits them all alike:
  ``contractgen render --to pdf`` as a command (a fresh process each time), LibreOffice's
  ``soffice --headless --convert-to pdf`` of the sample's DOCX (rendered once beforehand with ``contractgen render
  --to docx``; its user profile created by a conversion not counted), and the worker's own task (``render_task``)
  in this process after a first render — a warm batch worker: serve adds the pool, pickling and HTTP to it.
  Medians of those rounds and the ratios; then all the renders' median, p95, max, and the first (it waits);
- memory: VmRSS from /proc/<pid>/status, summed over the server process and every process under it (the
  multiprocessing fork server, its resource tracker, and the worker processes the fork server forks — see
  src/contractgen/server/workers.py and src/contractgen/batch/pool.py), after 20 and after 200 renders, each
  read once the processes are settled (a worker is replaced after 100 tasks by one the fork server forks).
  Forked workers share pages with the fork server, so the sum counts those pages more than once; PSS (from
  /proc/<pid>/smaps_rollup), which shares them out, is shown beside it.

Targets (from the issue): validate p95 under 50 ms; a warm PDF faster than LibreOffice's command; memory after 200
renders within 10% of memory after 20. Run it on an otherwise idle machine: other processes on the same cores slow
every figure (the load averages before and after the run are printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "customer-service.yaml"
COMMAND = [sys.executable, "-m", "contractgen"]

TARGET_VALIDATE_P95 = 0.050
TARGET_MEMORY_GROWTH = 0.10


class Server:
    """``contractgen serve`` as a process: its base URL, token, and the headers every POST carries."""

    def __init__(self, work: Path, jobs: int) -> None:
        self.log = (work / "serve.stderr").open("wb")
        self.process = subprocess.Popen(
            [*COMMAND, "serve", "--no-browser", "--host", "127.0.0.1", "--port", "0", "-j", str(jobs)],
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=work,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline().decode("utf-8").strip() if ready else ""
        url = urlsplit(line)
        if not line or url.port is None:
            self.stop()
            raise SystemExit(f"contractgen serve printed no URL: {line!r}\n{(work / 'serve.stderr').read_text()}")
        self.base = f"http://127.0.0.1:{url.port}"
        self.headers = {
            "X-Contractgen-Token": url.query.removeprefix("token="),
            "Origin": self.base,  # same-origin, as the page's own requests
            "Content-Type": "application/yaml",
        }

    def render_pdf(self, body: bytes) -> float:
        """One ``POST /api/render?format=pdf``: seconds from sending to the last byte of the PDF."""
        request = urllib.request.Request(
            f"{self.base}/api/render?format=pdf", data=body, method="POST", headers=self.headers
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as response:
            data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200 or not data.startswith(b"%PDF"):
            raise SystemExit(f"render answered {response.status} with {data[:200]!r}")
        return elapsed

    def stop(self) -> int:
        self.process.terminate()  # SIGTERM: serve's normal stop, workers stopped on the way out
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.log.close()
        return code


async def validate_latencies(server: Server, body: bytes, requests: int, in_flight: int) -> tuple[list[float], float]:
    """Each request's seconds, ``in_flight`` at a time, and the wall time of the whole round."""
    import aiohttp

    latencies: list[float] = []
    gate = asyncio.Semaphore(in_flight)
    connector = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=connector, headers=server.headers) as session:

        async def one() -> None:
            async with gate:
                start = time.perf_counter()
                async with session.post(f"{server.base}/api/validate", data=body) as response:
                    answer = await response.json()
                latencies.append(time.perf_counter() - start)
                if response.status != 200 or answer != {"ok": True, "diagnostics": []}:
                    raise SystemExit(f"validate answered {response.status}: {answer}")

        await asyncio.gather(*(one() for _ in range(in_flight)))  # warm-up: schema compiled, connections open
        latencies.clear()
        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        return latencies, time.perf_counter() - start


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def tree(root: int) -> list[int]:
    """``root`` and every live process under it, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _kib(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(root: int) -> dict[str, Any]:
    pids = tree(root)
    return {
        "processes": len(pids),
        "rss_kib": sum(_kib(f"/proc/{pid}/status", "VmRSS") for pid in pids),
        "pss_kib": sum(_kib(f"/proc/{pid}/smaps_rollup", "Pss") for pid in pids),
        "server_rss_kib": _kib(f"/proc/{root}/status", "VmRSS"),
    }


def settled_memory(root: int, timeout: float = 20.0) -> dict[str, Any]:
    """:func:`memory` once the process tree and its RSS have stopped changing (a replaced worker warmed up)."""
    deadline = time.monotonic() + timeout
    last = memory(root)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = memory(root)
        steady = (
            now["processes"] == last["processes"] and abs(now["rss_kib"] - last["rss_kib"]) < 0.005 * now["rss_kib"]
        )
        last = now
        if steady:
            break
    return last


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def libreoffice(work: Path, docx: Path) -> tuple[Callable[[], None] | None, str | None]:
    """LibreOffice's conversion of ``docx`` as a command (its user profile made first, not counted), its version."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None, None
    profile = f"-env:UserInstallation=file://{work / 'lo-profile'}"
    command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]

    def convert() -> None:
        subprocess.run(command, check=True, capture_output=True, timeout=300)

    convert()
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False).stdout
    return convert, version.strip()


def render_command(spec: Path, out: Path, fmt: str) -> None:
    subprocess.run(
        [*COMMAND, "render", str(spec), "-o", str(out), "--to", fmt, "--overwrite"],
        check=True,
        capture_output=True,
    )


def measure(*, requests: int, in_flight: int, renders: int, early: int, runs: int, jobs: int) -> dict[str, Any]:
    from contractgen.server.tasks import Job, render_task

    body = SAMPLE.read_bytes()
    in_process = partial(render_task, Path(SAMPLE.name), Job(body))  # what a worker does with a render request
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as temp:
        work = Path(temp)
        render_command(SAMPLE, work / "docx", "docx")  # the DOCX LibreOffice converts; warms OS and font caches
        convert, office_version = libreoffice(work, next((work / "docx").glob("*.docx")))
        server = Server(work, jobs)
        try:
            # The first render waits for the workers' start-up (the fork server's imports and warm-up render): not
            # counted, and done before the validates so that start-up does not take the CPUs from them.
            first = server.render_pdf(body)
            settled_memory(server.process.pid)
            alone, _ = asyncio.run(validate_latencies(server, body, min(requests, 50), 1))
            latencies, wall = asyncio.run(validate_latencies(server, body, requests, in_flight))

            done, warm, command, office, inside = 1, [], [], [], []
            marks: dict[int, dict[str, Any]] = {}
            in_process()  # this process's first render: imports, templates, fonts
            for _ in range(runs):  # side by side, a round each
                warm.append(server.render_pdf(body))
                done += 1
                command.append(timed(lambda: render_command(SAMPLE, work / "cold", "pdf")))
                if convert is not None:
                    office.append(timed(convert))
                inside.append(timed(in_process))
                if done == early:
                    marks[early] = settled_memory(server.process.pid)
            while done < renders:
                warm.append(server.render_pdf(body))
                done += 1
                if done == early:
                    marks[early] = settled_memory(server.process.pid)
            marks[renders] = settled_memory(server.process.pid)
            pids = tree(server.process.pid)
        finally:
            code = server.stop()
        time.sleep(0.5)
        left = [pid for pid in pids if Path(f"/proc/{pid}").exists() and _kib(f"/proc/{pid}/status", "VmRSS")]

    warm_median = statistics.median(warm[:runs])  # the rounds beside its peers: the ratios compare like with like
    result: dict[str, Any] = {
        "spec": str(SAMPLE.relative_to(ROOT)),
        "cpus": os.cpu_count(),
        "load_average_before": load,
        "load_average_after": os.getloadavg(),
        "jobs": jobs,
        "validate": {
            "requests": requests,
            "in_flight": in_flight,
            "p50_seconds": percentile(latencies, 0.50),
            "p95_seconds": percentile(latencies, 0.95),
            "max_seconds": max(latencies),
            "per_second": requests / wall,
            "alone_p50_seconds": percentile(alone, 0.50),
            "alone_p95_seconds": percentile(alone, 0.95),
        },
        "pdf": {
            "warm_renders": len(warm),
            "warm_median_seconds": warm_median,
            "warm_all_median_seconds": statistics.median(warm),
            "warm_p95_seconds": percentile(warm, 0.95),
            "warm_max_seconds": max(warm),  # a load spike, or the first render of a worker that replaced one
            "first_seconds": first,
            "command_runs": len(command),
            "command_median_seconds": statistics.median(command),
            "command_ratio": statistics.median(command) / warm_median,
            "in_process_runs": len(inside),
            "in_process_median_seconds": statistics.median(inside),
            "in_process_ratio": statistics.median(inside) / warm_median,
        },
        "libreoffice": None,
        "memory": {str(count): figures for count, figures in sorted(marks.items())},
        "server_exit_code": code,
        "processes_left": left,
    }
    if office:
        result["libreoffice"] = {
            "version": office_version,
            "runs": len(office),
            "median_seconds": statistics.median(office),
            "ratio": statistics.median(office) / warm_median,
        }
    targets = {"validate_p95_under_50ms": result["validate"]["p95_seconds"] < TARGET_VALIDATE_P95}
    if office:
        targets["warm_pdf_faster_than_libreoffice_command"] = result["libreoffice"]["ratio"] > 1.0
    if early in marks and renders in marks and early != renders:
        ratio = marks[renders]["rss_kib"] / marks[early]["rss_kib"]
        result["memory_ratio"] = ratio
        targets[f"memory_after_{renders}_within_10%_of_after_{early}"] = ratio <= 1 + TARGET_MEMORY_GROWTH
    targets["server_stopped_cleanly"] = code == 0 and not left
    result["targets"] = targets
    return result


def row(label: str, seconds: float, runs: int) -> str:
    return f"{label:44}{seconds:>8.3f}s{runs:>6}"


def report(result: dict[str, Any]) -> str:
    validate, pdf, office, marks = result["validate"], result["pdf"], result["libreoffice"], result["memory"]
    load, after = (", ".join(f"{x:.2f}" for x in result[f"load_average_{w}"]) for w in ("before", "after"))
    lines = [
        f"{result['spec']}: contractgen serve -j {result['jobs']} on {result['cpus']} CPUs "
        f"(load average before: {load}; after: {after})",
        "",
        f"validate: {validate['requests']} requests, {validate['in_flight']} in flight: "
        f"p50 {validate['p50_seconds'] * 1000:.1f} ms, p95 {validate['p95_seconds'] * 1000:.1f} ms, "
        f"max {validate['max_seconds'] * 1000:.1f} ms, {validate['per_second']:.0f} requests/s (target p95 < 50 ms)",
        f"          one at a time: p50 {validate['alone_p50_seconds'] * 1000:.1f} ms, "
        f"p95 {validate['alone_p95_seconds'] * 1000:.1f} ms (the time in the server, without queueing)",
        "",
        f"{'PDF of the sample, per document':44}{'median':>9}{'runs':>6}",
        row("serve: POST /api/render?format=pdf (warm)", pdf["warm_median_seconds"], pdf["command_runs"])
        + "   in the rounds beside the peers below",
        row("  all the warm renders", pdf["warm_all_median_seconds"], pdf["warm_renders"])
        + f"   p95 {pdf['warm_p95_seconds']:.3f}s, max {pdf['warm_max_seconds']:.3f}s, 1st {pdf['first_seconds']:.2f}s",
        row("contractgen render --to pdf (command)", pdf["command_median_seconds"], pdf["command_runs"])
        + f"   {pdf['command_ratio']:.2f}x the warm render",
        row("render_task in-process, warm (batch worker)", pdf["in_process_median_seconds"], pdf["in_process_runs"])
        + f"   {pdf['in_process_ratio']:.2f}x the warm render",
    ]
    if office:
        lines.append(row("soffice --headless --convert-to pdf (DOCX)", office["median_seconds"], office["runs"]))
        lines[-1] += f"   {office['ratio']:.2f}x the warm render (target > 1x)\nLibreOffice: {office['version']}"
    else:
        lines.append("LibreOffice is not installed, no comparison: apt-get install libreoffice-writer-nogui")
    lines += ["", "memory of the server and its processes (settled):"]
    for count, figures in marks.items():
        lines.append(
            f"  after {count:>4} renders: RSS {figures['rss_kib'] / 1024:7.1f} MiB summed over "
            f"{figures['processes']} processes (server {figures['server_rss_kib'] / 1024:.1f} MiB), "
            f"PSS {figures['pss_kib'] / 1024:7.1f} MiB"
        )
    if "memory_ratio" in result:
        lines.append(f"  ratio {result['memory_ratio']:.3f} (target <= 1.10)")
    stopped = f"exit code {result['server_exit_code']}, processes left: {result['processes_left'] or 0}"
    lines += [f"stopped with SIGTERM: {stopped}", ""]
    lines += [f"{'PASS' if ok else 'FAIL'}  {name}" for name, ok in result["targets"].items()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="validate requests timed")
    parser.add_argument("--in-flight", type=int, default=20, help="validate requests at once")
    parser.add_argument("--renders", type=int, default=200, help="PDF renders through the server in all")
    parser.add_argument("--early", type=int, default=20, help="the render count memory is first read at")
    parser.add_argument("--runs", type=int, default=7, help="rounds of serve, the command, LibreOffice, in-process")
    parser.add_argument("--jobs", type=int, default=1, help="serve's -j (its default is 1)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 40 validates, 12 renders, 1 run each")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.renders, args.early, args.runs = 40, 12, 4, 1
    renders = max(2, args.renders, args.runs + 1)
    result = measure(
        requests=max(1, args.requests),
        in_flight=max(1, args.in_flight),
        renders=renders,
        early=min(max(2, args.early), renders),
        runs=max(1, args.runs),
        jobs=max(1, args.jobs),
    )
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else report(result))
    return 0 if all(result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
