"""Every page of a PDF as poppler draws it, compared pixel for pixel: a change that must not move a pixel.

    .venv/bin/python tests/support/page_images.py BEFORE.pdf AFTER.pdf    # exit 1 and the pages that differ

``pdftoppm -r 100`` (the resolution the performance issue names) writes each page as a binary PPM; the pixel
bytes of two renders are compared as they are, so a single grey level anywhere counts.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

DPI = 100


def page_images(pdf: bytes | Path, dpi: int = DPI) -> list[bytes]:
    """Each page's header (size) and RGB pixels at ``dpi``, in page order."""
    with tempfile.TemporaryDirectory(prefix="page-images-") as temp:
        source = Path(temp) / "in.pdf"
        source.write_bytes(pdf if isinstance(pdf, bytes) else pdf.read_bytes())
        subprocess.run(["pdftoppm", "-r", str(dpi), str(source), str(Path(temp) / "p")], check=True)
        pages = sorted(Path(temp).glob("p-*.ppm"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        return [path.read_bytes() for path in pages]


def differing_pages(before: bytes | Path, after: bytes | Path, dpi: int = DPI) -> list[int]:
    """The 1-based numbers of the pages whose images differ (a page only one file has counts as differing)."""
    first, second = page_images(before, dpi), page_images(after, dpi)
    count = max(len(first), len(second))
    padded = [(first[n] if n < len(first) else b"", second[n] if n < len(second) else b"") for n in range(count)]
    return [n + 1 for n, (a, b) in enumerate(padded) if a != b]


def main(argv: list[str]) -> int:
    before, after = Path(argv[0]), Path(argv[1])
    pages = differing_pages(before, after)
    total = len(page_images(before))
    print(f"{total} pages; differing: {pages or 'none'}")
    return 1 if pages else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
