"""Table headers never break inside a word: each header line (a template breaks a long header with ``<br/>`` between
words) fits its column, in the DOCX's measure (the PDF's columns are as wide, its table font the same 10.5 pt).

Before the rule 附件九 printed 提供方经/办人 and 接收方签/收; and the PDF must break where the template does (the fast
XML path once lost the user-agent rule that makes <br/> a break, and printed the same).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from render_helpers import SAMPLES

from contractgen.document import load_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.tree import Table, inline_text, iter_blocks
from contractgen.writers.docx import CELL_MARGINS_TWIPS, TABLE_CHAR_TWIPS, TEXT_WIDTH_TWIPS
from contractgen.writers.labels import text_width_em
from contractgen.writers.rendering import template_folder


def _headers(sample: str) -> list[tuple[str, str, float]]:
    """(part id, header line, room in em) of every header cell of the sample's tables."""
    contract, _warnings = load_contract(SAMPLES / sample)
    folder = template_folder(contract.type)
    document = compose(folder, build_context(contract, folder.parts, folder.title))
    out = []
    for part in document.parts:
        for table in (b for b in iter_blocks(part.blocks) if isinstance(b, Table)):
            scale = sum(table.widths)
            for row in table.rows:
                for cell, width in zip(row.cells, table.widths, strict=False):
                    if not (row.header or cell.header):
                        continue
                    room = (TEXT_WIDTH_TWIPS * width / scale - CELL_MARGINS_TWIPS) / TABLE_CHAR_TWIPS
                    out.extend((part.id, line, room) for line in inline_text(cell.runs).split("\n"))
    return out


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_every_header_line_fits_its_column(sample: str) -> None:
    too_wide = [(part, line, round(room, 1)) for part, line, room in _headers(sample) if text_width_em(line) > room]
    assert too_wide == []


@pytest.mark.slow
def test_the_pdf_breaks_each_header_where_the_template_does(sample_pdf: bytes, tmp_path: Path) -> None:
    # Each header line is a line of its own in the PDF, whole: the <br/> is a line break there too.
    (tmp_path / "sample.pdf").write_bytes(sample_pdf)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "sample.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(re.findall(r">([^<]+)</word>", bbox))
    lines = [line for _part, line, _room in _headers("customer-service.yaml")]
    assert {"提供方", "经办人", "接收方", "签收"} <= set(lines)  # 附件九's two broken headers
    assert [line for line in lines if line not in words] == []
