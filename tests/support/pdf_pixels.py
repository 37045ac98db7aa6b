"""The pixels of a rectangle of a PDF page, as poppler renders it: to see that nothing is drawn somewhere."""

from __future__ import annotations

import subprocess
from pathlib import Path


def gray_inside(pdf: Path, page: int, rect: tuple[float, ...], page_height: float, inset: float = 1.5) -> bytes:
    """The grey pixels (255: white paper) of ``rect`` (PDF points, origin lower left) on ``page`` of ``pdf``,
    ``inset`` points in from its edges, at 72 dpi: one pixel a point."""
    x0, y0, x1, y1 = rect
    dpi = 72
    crop = [round(x0 + inset), round(page_height - y1 + inset), int(x1 - x0 - 2 * inset), int(y1 - y0 - 2 * inset)]
    command = ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page)]
    command += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3]), str(pdf)]
    data = subprocess.run(command, capture_output=True, check=True).stdout
    header_end = 0
    for _ in range(3):  # P5, width height, maxval
        header_end = data.index(b"\n", header_end) + 1
    return data[header_end:]
