"""Benchmark: how fast the sample contract renders to DOCX and PDF, and how big, against LibreOffice.

    .venv/bin/python benchmarks/render.py            # 5 runs of each measurement, medians
    .venv/bin/python benchmarks/render.py --runs 9 --json

Measures, for ``samples/customer-service.yaml`` (the contract and its nine annexes):

- cold: ``python -m contractgen render SPEC --to docx`` (then ``pdf``) as a fresh process — imports,
  validation, rendering and writing, what a user waits for;
- warm: :func:`contractgen.writers.rendering.render_documents` in this process after a first render — the cost of one
  more document in a long-running service or a batch;
- pages and sizes of both files (DOCX pages as LibreOffice lays them out, when it is installed);
- LibreOffice's ``soffice --headless --convert-to pdf`` of the same DOCX, when LibreOffice is installed: cold, a
  fresh soffice process each run (user profile created beforehand); warm, the extra time per document when one
  soffice converts several copies at once.

Targets (from the issue): DOCX under 0.2 s warm, PDF under 1.0 s warm, the PDF at least 2x faster than
LibreOffice's conversion, the PDF under 1 MB. Run it on an otherwise idle machine: other processes on the same
cores slow every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "customer-service.yaml"

TARGET_DOCX_WARM = 0.2
TARGET_PDF_WARM = 1.0
TARGET_PDF_SIZE = 1_000_000
TARGET_LIBREOFFICE_RATIO = 2.0
BATCH = 5  # DOCX copies LibreOffice converts in one process, for its per-document (warm) cost


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold(fmt: str, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "contractgen", "render", str(SAMPLE), "-o", str(out), "--to", fmt],
        check=True,
        capture_output=True,
    )


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def libreoffice(docx: Path, work: Path, runs: int) -> dict[str, Any] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    profile = f"-env:UserInstallation=file://{work / 'lo-profile'}"
    out = work / "lo"

    def convert() -> None:
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
            check=True,
            capture_output=True,
            timeout=300,
        )

    convert()  # creates the user profile: a one-off cost not counted
    seconds = median_time(convert, runs)
    pdf = out / (docx.stem + ".pdf")
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False).stdout
    size = pdf.stat().st_size

    # LibreOffice's own "warm" figure: one soffice converting BATCH copies, less one conversion's time, per
    # copy — what one more document costs once LibreOffice is running, the counterpart of a warm render.
    copies = [work / "lo-batch" / f"{docx.stem}-{n}.docx" for n in range(BATCH)]
    copies[0].parent.mkdir()
    for copy in copies:
        shutil.copyfile(docx, copy)

    def convert_batch() -> None:
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, copies)],
            check=True,
            capture_output=True,
            timeout=300 * BATCH,
        )

    marginal = (median_time(convert_batch, max(1, runs // 2)) - seconds) / (BATCH - 1)
    return {
        "version": version.strip(),
        "seconds": seconds,
        "marginal_seconds": marginal,
        "pages": pdf_pages(pdf),
        "bytes": size,
    }


def measure(runs: int) -> dict[str, Any]:
    from contractgen.document import load_contract
    from contractgen.writers.rendering import render_documents

    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as temp:
        work = Path(temp)
        cold(",".join(("docx", "pdf")), work / "warmup")  # fills OS caches and fontconfig's cache
        cold_docx = median_time(lambda: cold("docx", work / "cold"), runs)
        cold_pdf = median_time(lambda: cold("pdf", work / "cold"), runs)

        contract, _ = load_contract(SAMPLE)
        files = render_documents(contract)  # first render: imports, template compilation, font lookup
        warm_docx = median_time(lambda: render_documents(contract, formats=["docx"]), runs)
        warm_pdf = median_time(lambda: render_documents(contract, formats=["pdf"]), runs)

        name = contract.contract_no
        docx_path, pdf_path = work / f"{name}.docx", work / f"{name}.pdf"
        docx_path.write_bytes(files[f"{name}.docx"])
        pdf_path.write_bytes(files[f"{name}.pdf"])
        office = libreoffice(docx_path, work, runs)

    result: dict[str, Any] = {
        "spec": str(SAMPLE.relative_to(ROOT)),
        "runs": runs,
        "cpus": os.cpu_count(),
        "docx": {
            "cold_seconds": cold_docx,
            "warm_seconds": warm_docx,
            "bytes": len(files[f"{name}.docx"]),
            "pages_in_libreoffice": office["pages"] if office else None,
        },
        "pdf": {
            "cold_seconds": cold_pdf,
            "warm_seconds": warm_pdf,
            "bytes": len(files[f"{name}.pdf"]),
            "pages": pdf_pages_of(files[f"{name}.pdf"]),
        },
        "libreoffice": office,
    }
    targets = {
        "docx_warm_under_0.2s": warm_docx < TARGET_DOCX_WARM,
        "pdf_warm_under_1.0s": warm_pdf < TARGET_PDF_WARM,
        "pdf_under_1MB": result["pdf"]["bytes"] < TARGET_PDF_SIZE,
    }
    if office:
        # Two fair pairings, both reported, both judged: a command against a command, and one more document in
        # a running program against one more document in a running soffice.
        result["libreoffice_ratio_cold"] = office["seconds"] / cold_pdf
        result["libreoffice_ratio_warm"] = office["marginal_seconds"] / warm_pdf
        result["libreoffice_ratio_warm_vs_command"] = office["seconds"] / warm_pdf
        targets["pdf_2x_faster_than_libreoffice_cold"] = result["libreoffice_ratio_cold"] >= TARGET_LIBREOFFICE_RATIO
        targets["pdf_2x_faster_than_libreoffice_warm"] = result["libreoffice_ratio_warm"] >= TARGET_LIBREOFFICE_RATIO
    result["targets"] = targets
    return result


def pdf_pages_of(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def report(result: dict[str, Any]) -> str:
    docx, pdf, office = result["docx"], result["pdf"], result["libreoffice"]
    lines = [
        f"{result['spec']}: medians of {result['runs']} runs on {result['cpus']} CPUs",
        "",
        f"{'':28}{'cold command':>14}{'warm in-process':>17}{'pages':>8}{'size':>12}",
        f"{'DOCX (contractgen)':28}{docx['cold_seconds']:>13.3f}s{docx['warm_seconds']:>16.3f}s"
        f"{docx['pages_in_libreoffice'] or '–':>8}{docx['bytes'] / 1024:>10.1f}KB",
        f"{'PDF (contractgen)':28}{pdf['cold_seconds']:>13.3f}s{pdf['warm_seconds']:>16.3f}s"
        f"{pdf['pages']:>8}{pdf['bytes'] / 1024:>10.1f}KB",
    ]
    if office:
        lines.append(
            f"{'PDF (LibreOffice from DOCX)':28}{office['seconds']:>13.3f}s{office['marginal_seconds']:>16.3f}s"
            f"{office['pages']:>8}{office['bytes'] / 1024:>10.1f}KB"
        )
        lines += [
            "",
            f"LibreOffice: {office['version']} (warm: per document when one soffice converts {BATCH})",
            f"LibreOffice takes {result['libreoffice_ratio_cold']:.2f}x the time of contractgen's cold PDF command, "
            f"{result['libreoffice_ratio_warm']:.2f}x its warm render per document "
            f"({result['libreoffice_ratio_warm_vs_command']:.2f}x for its command against contractgen warm); "
            "target >= 2x",
        ]
    else:
        lines += ["", "LibreOffice is not installed, no comparison: apt-get install libreoffice-writer-nogui"]
    lines.append("")
    lines += [f"{'PASS' if ok else 'FAIL'}  {name}" for name, ok in result["targets"].items()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = measure(max(1, args.runs))
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else report(result))
    return 0 if all(result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
