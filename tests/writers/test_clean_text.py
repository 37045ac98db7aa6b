"""Clean text in every output: no invisible code point, and every amount, date and contract number findable.

A lawyer searches the Word file for 人民币叁拾陆万元整 or 二〇二六年十一月二十四日 and copies clauses out of it;
both fail silently when invisible characters sit between the visible ones. For every sample, the DOCX (its text
through python-docx and, where LibreOffice is installed, through LibreOffice's own text export) and the PDF's
text layer are searched for each filled-in value exactly as written, and for every code point the spec rules
refuse as invisible (spec/text_rules.py): none may appear anywhere.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from contractgen.spec.text_rules import find_bad_chars

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))

pytestmark = pytest.mark.slow


def _values(context: dict[str, Any]) -> list[str]:
    """Every value a reader searches for: amounts in figures and in 大写, dates, the contract number."""
    keys = [k for k in context if k.endswith(("_capital", "_figures", "_cn")) and isinstance(context[k], str)]
    values = [context["contract_no"], *(context[k] for k in keys)]
    # Dates and amounts only: counts such as 三 are everywhere and prove nothing.
    return sorted({v for v in values if len(v) >= 4 and re.search(r"[年元¥0-9]", v)})


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def rendered(request: pytest.FixtureRequest) -> dict[str, Any]:
    from contractgen.document import load_contract
    from contractgen.document.context import build_context
    from contractgen.writers.rendering import render_documents, template_folder

    contract, _ = load_contract(request.param)
    folder = template_folder(contract.type)
    context = build_context(contract, folder.parts, folder.title)
    files = render_documents(contract)
    docx = next(data for name, data in files.items() if name.endswith(".docx"))
    pdf = next(data for name, data in files.items() if name.endswith(".pdf"))
    return {"values": _values(context), "docx": docx, "pdf": pdf}


def _docx_xml_text(docx: bytes) -> str:
    """Every w:t of every part (body, header, footer), raw: what Word's Find and a copy see."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _python_docx_text(docx: bytes) -> str:
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(docx))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(texts)


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _joined(text: str) -> str:
    # A value may wrap at a line's end in the PDF and sits in one paragraph in the DOCX: line breaks and the
    # spaces an extractor puts at them do not count, every other character does.
    return re.sub(r"\s+", "", text)


def _invisible(text: str) -> list[str]:
    return sorted({f"U+{ord(bad.char):04X}" for bad in find_bad_chars(text)})


def test_no_output_holds_an_invisible_code_point(rendered: dict[str, Any]) -> None:
    assert _invisible(_docx_xml_text(rendered["docx"])) == []
    assert _invisible(_python_docx_text(rendered["docx"])) == []
    assert _invisible(_pdf_text(rendered["pdf"])) == []


@pytest.mark.parametrize("extract", [_python_docx_text, _pdf_text], ids=["docx", "pdf"])
def test_every_amount_date_and_contract_number_is_found_as_written(rendered: dict[str, Any], extract: Any) -> None:
    text = _joined(extract(rendered["docx"] if extract is _python_docx_text else rendered["pdf"]))
    assert len(rendered["values"]) >= 7  # a contract without dates still has its number and five amounts
    missing = [value for value in rendered["values"] if _joined(value) not in text]
    assert not missing


def test_libreoffice_reads_the_same_text(rendered: dict[str, Any], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "contract.docx"
    source.write_bytes(rendered["docx"])
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            *("--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(source)),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / "contract.txt").read_text(encoding="utf-8-sig")
    assert _invisible(text) == []
    missing = [value for value in rendered["values"] if _joined(value) not in _joined(text)]
    assert not missing
