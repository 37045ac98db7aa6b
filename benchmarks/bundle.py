"""Bundle throughput and size: bundles per minute for 20 specs with -j 1 and -j 2, the bytes of one bundle, what
signing adds per PDF, and LibreOffice's conversion of the same DOCX in the same run.

With -j 1 on two CPUs, bundle lays each PDF's later parts out in a forked child (writers/pdf_workers.py); -j 1 is
also measured in one pass (no child), the figure the -j 2 speed-up is measured against: how well processes scale.

    .venv/bin/python benchmarks/bundle.py [--specs 20] [--sign-runs 20] [--libreoffice-runs 3]

Makes 20 specs from samples/customer-service.yaml (only the contract number differs), bundles them once with
one process and once with two (cold worker processes included), then times PAdES signing of the sample's
contract PDF with a throw-away RSA-2048 key. Targets: -j 2 at least 1.7x the throughput of -j 1 on 2 cores; a
bundle of the sample under 1.5 MB (issue 15). LibreOffice's command (soffice --convert-to pdf of the bundle's
DOCX, benchmarks/render.py) is the peer: the ratios are contractgen's over LibreOffice's, so below 1 is better.
The load average (1 minute) is printed before each measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
TARGET_BUNDLE_BYTES = 1_500_000
LEDGER = "batch.jsonl"


def bundle_sizes(folder: Path) -> dict[str, int]:
    """Every file of one bundle folder and its size, and the total under ``""``."""
    sizes = {str(path.relative_to(folder)): path.stat().st_size for path in sorted(folder.rglob("*")) if path.is_file()}
    sizes[""] = sum(sizes.values())
    return sizes


def make_specs(folder: Path, count: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    paths = []
    for n in range(1, count + 1):
        path = folder / f"spec-{n:02d}.yaml"
        path.write_text(text.replace("contract_no: KF-2026-0001", f"contract_no: KF-BENCH-{n:04d}"), "utf-8")
        paths.append(path)
    return paths


def time_bundles(specs: list[Path], out: Path, jobs: int, one_pass: bool = False) -> float:
    from unittest import mock

    from contractgen.bundling import bundle, placement

    start = time.perf_counter()
    one = mock.patch.object(placement, "part_processes_for", return_value=0)
    with one if one_pass else contextlib.nullcontext():
        report = bundle(specs, out, jobs=jobs)
    elapsed = time.perf_counter() - start
    if not report.ok:
        failed = [f"{o.spec}: {o.message}" for o in report.outcomes if not o.ok]
        raise SystemExit("bundle failed:\n" + "\n".join(failed))
    return elapsed


def make_key(folder: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "benchmark")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    path = folder / "bench.p12"
    p12 = pkcs12.serialize_key_and_certificates(b"b", key, cert, None, serialization.NoEncryption())
    path.write_bytes(p12)
    return path


def time_signing(pdf: bytes, key_path: Path, runs: int) -> list[float]:
    from contractgen.bundling.signing import find_signature_page, load_signing_key, sign_pdf

    key = load_signing_key(key_path, None)
    signer = key.signer()
    page = find_signature_page(pdf)
    when = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    sign_pdf(pdf, key, page=page, when=when, signer=signer)  # warm-up: pyHanko imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sign_pdf(pdf, key, page=page, when=when, signer=signer)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", type=int, default=20)
    parser.add_argument("--sign-runs", type=int, default=20)
    parser.add_argument("--libreoffice-runs", type=int, default=3, help="0: no LibreOffice comparison")
    args = parser.parse_args()
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as temp:
        folder = Path(temp)
        (folder / "specs").mkdir()
        specs = make_specs(folder / "specs", args.specs)
        print(f"{len(specs)} specs, {os.cpu_count()} CPUs")
        rates = {}
        for label, jobs, one_pass in (("1 one pass", 1, True), ("1", 1, False), ("2", 2, False)):
            load = os.getloadavg()[0]
            note = ": other processes share the CPUs" if load > 0.5 else ""
            print(f"  (load average {load:.2f} before -j {label}{note})")
            cpu = time.process_time()
            elapsed = time_bundles(specs, folder / f"out-j{label.replace(' ', '-')}", jobs, one_pass)
            cpu = time.process_time() - cpu
            rates[label] = len(specs) / elapsed * 60
            each = elapsed / len(specs)
            print(f"-j {label}: {elapsed:6.1f} s  {rates[label]:6.1f} bundles/min  ({each:.2f} s each)")
            if one_pass:
                # With -j 1 all the work is in this process: CPU time over wall time shows how much of a
                # core it got. Well under 100% means other processes took CPU, and -j 2 will get less too.
                share, per = cpu / elapsed, cpu / len(specs)
                print(f"       CPU {per:.2f} s per bundle; this process got {share:.0%} of a core")
        first = sorted((folder / "out-j1").rglob("*"))
        second = sorted((folder / "out-j2").rglob("*"))
        for a, b in zip(first, second, strict=True):
            # The ledger records each spec's seconds and worker: the one file that may differ between runs.
            if a.is_file() and a.name != LEDGER and a.read_bytes() != b.read_bytes():
                raise SystemExit(f"-j 1 and -j 2 differ: {a.relative_to(folder)}")
        for other in ("out-j1-one-pass",):
            for a, b in zip(first, sorted((folder / other).rglob("*")), strict=True):
                if a.is_file() and a.name != LEDGER and a.read_bytes() != b.read_bytes():
                    raise SystemExit(f"-j 1 with and without part processes differ: {a.relative_to(folder)}")
        speedup = rates["2"] / rates["1 one pass"]
        verdict = "meets" if speedup >= 1.7 else "MISSES"
        print(
            f"speed-up -j 2 / -j 1 one pass: {speedup:.2f}x ({verdict} the 1.7x target); -j 1 with its part process"
            f" {rates['1'] / rates['1 one pass']:.2f}x one pass; outputs byte-identical but {LEDGER}"
        )

        one = folder / "out-j1" / "KF-BENCH-0001"
        sizes = bundle_sizes(one)
        verdict = "meets" if sizes[""] < TARGET_BUNDLE_BYTES else "MISSES"
        print(f"one bundle: {sizes[''] / 1024:.1f} KB ({verdict} the < 1.5 MB target)")
        for name, size in sizes.items():
            if name:
                print(f"  {name:40} {size / 1024:8.1f} KB")
        office = None
        if args.libreoffice_runs:
            from render import LibreOffice, median_time  # benchmarks/render.py, beside this script

            docx = next(one.rglob("*.docx"), None)
            if docx is not None:
                print(f"  (load average {os.getloadavg()[0]:.2f} before LibreOffice)")
                (folder / "lo-work").mkdir()
                soffice = LibreOffice.find(docx, folder / "lo-work")
                if soffice is not None:
                    seconds = median_time(lambda: soffice.convert(soffice.docx), args.libreoffice_runs)
                    office = soffice.figures(seconds)
        if office is not None:
            per_bundle = 60 / rates["1"]
            pdf_size = (one / "contract.pdf").stat().st_size
            print(
                f"LibreOffice ({office['version']}): {office['seconds']:.2f} s a command,"
                f" {office['bytes'] / 1024:.1f} KB;"
                f" contractgen / LibreOffice: one bundle with -j 1 {per_bundle / office['seconds']:.2f}x the time,"
                f" its contract.pdf {pdf_size / office['bytes']:.2f}x the size, the whole bundle"
                f" {sizes[''] / office['bytes']:.2f}x"
            )

        pdf = (one / "contract.pdf").read_bytes()
        times = time_signing(pdf, make_key(folder), args.sign_runs)
        print(
            f"signing adds per PDF ({len(pdf) // 1024} KB, {args.sign_runs} runs): "
            f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
