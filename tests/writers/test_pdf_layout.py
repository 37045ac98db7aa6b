"""Layout of the PDF at the extremes: nothing a spec can hold may run outside the page's text area.

A long 大写 (an amount of a hundred million yuan takes 27 characters) once ran past the right border of
附件八's payment table; `pdftotext -bbox` gives every word's box, so the check is geometric, not visual.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"

A4_WIDTH_PT = 595.28
RIGHT_MARGIN_PT = 26 / 25.4 * 72  # templates/zh/print.css: margin 25mm 26mm 25mm 28mm
LEFT_MARGIN_PT = 28 / 25.4 * 72
TOLERANCE_PT = 0.5

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def _render_with_total(tmp_path: Path, total: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  total: .*$", f"  total: {total}", text)
    text = re.sub(r"(?m)^  capital: .*\n", "", text)
    # Rates whose amounts of these totals are whole 分 (any other is refused: cross.rate-fen).
    text = re.sub(r"(?m)^  (breach_rate|overdue_rate|overdue_cap): \S+", r"  \1: 12.5%", text)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "contractgen", "render", str(spec), "-o", str(out), "--to", "pdf"],
        check=True,
        capture_output=True,
    )
    (pdf,) = out.glob("*.pdf")
    return pdf


# A hundred million, and the largest amount the schema accepts of which 12.5% is a whole 分.
@pytest.mark.parametrize("total", ["123456789.12", "999999999999.92"])
def test_long_amounts_stay_inside_the_text_area(tmp_path: Path, total: str) -> None:
    pdf = _render_with_total(tmp_path, total)
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = WORD.findall(boxes)
    assert words
    right = A4_WIDTH_PT - RIGHT_MARGIN_PT + TOLERANCE_PT
    left = LEFT_MARGIN_PT - TOLERANCE_PT
    outside = [word for x0, x1, word in words if float(x1) > right or float(x0) < left]
    assert outside == []
