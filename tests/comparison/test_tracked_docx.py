"""The tracked-changes DOCX: accepting every revision gives the new version's DOCX text, rejecting every one the
old version's; the package re-parses strictly, gives the same bytes twice, dates its revisions from the spec, and
LibreOffice opens it and shows the changes."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from installed import needs
from lxml import etree

from contractgen.comparison import diff
from contractgen.comparison.revisions import MARK_CHARACTERS
from contractgen.comparison.tracked_docx import tracked_docx
from contractgen.document import load_contract
from contractgen.writers.ooxml import check_xml_parts
from contractgen.writers.rendering import render_documents

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

TEN_FIELDS = {
    "fee.total": "600000.00",
    "fee.capital": "陆拾万元整",
    "term.years": "4",
    "validity_years": "4",
    "party_a.name": "上海明远智能科技有限公司",
    "party_b.address": "浙江省杭州市滨江区江南大道588号8楼",
    "penalty.breach_rate": "15%",
    "copies": "4",
    "signing.date": "2026-12-01",
    "party_a.contact.phone": "021-68889999",
}
CASES: dict[str, tuple[str, Any]] = {
    "ten-fields": ("customer-service.yaml", TEN_FIELDS),
    # Another sample as the new version: clauses the options leave out, blanks where the old had values.
    "blanks-and-options": ("customer-service-all-options.yaml", "customer-service-minimal.yaml"),
    "rows-and-vouchers-removed": ("customer-service.yaml", {"fee.payment": "lump_sum"}),
    "an-instalment-added": (
        "customer-service-instalments.yaml",
        {
            "fee.instalments[2].amount": "60000.00",
            "fee.instalments[3]": {"due": "2028-07-10", "amount": "60000.00", "note": "第二服务年度尾款"},
        },
    ),
}


def _document(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def paragraphs(root: Any) -> list[str]:
    """The text of every paragraph with text, in document order (table cells included)."""
    out = []
    for paragraph in root.iter(f"{W}p"):
        pieces = paragraph.iter(f"{W}t", f"{W}br", f"{W}tab")
        text = "".join(p.text or "" if p.tag == f"{W}t" else "\n" if p.tag == f"{W}br" else "\t" for p in pieces)
        if text.strip():
            out.append(text)
    return out


def resolve(data: bytes, *, accept: bool) -> list[str]:
    """What Word shows after accepting (or rejecting) every revision: the revisions of the other kind are dropped
    with the paragraphs and rows they mark, the kept ones unwrapped, deleted text made text again."""
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    root = _document(data)
    for marker in list(root.iter(f"{W}{drop}")):
        parent = marker.getparent()
        if parent.tag == f"{W}rPr" and parent.getparent().tag == f"{W}pPr":  # a paragraph mark
            paragraph = parent.getparent().getparent()
            paragraph.getparent().remove(paragraph)
        elif parent.tag == f"{W}trPr":
            row = parent.getparent()
            row.getparent().remove(row)
        elif parent is not None and marker.getroottree().getroot() is root:
            parent.remove(marker)
    for marker in list(root.iter(f"{W}{keep}")):
        parent = marker.getparent()
        at = parent.index(marker)
        for child in list(marker):
            parent.insert(at, child)
            at += 1
        parent.remove(marker)
    for text in root.iter(f"{W}delText"):
        text.tag = f"{W}t"
    return paragraphs(root)


def _docx_of(spec: Path) -> bytes:
    contract, _ = load_contract(spec)
    return next(data for name, data in render_documents(contract, formats=("docx",)).items() if name.endswith(".docx"))


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory, edit_into: Any) -> dict[str, tuple[Path, Path, bytes]]:
    out = {}
    for name, (sample, edit) in CASES.items():
        new = SAMPLES / edit if isinstance(edit, str) else edit_into(sample, edit, tmp_path_factory.mktemp(name))
        out[name] = (SAMPLES / sample, new, tracked_docx(diff(SAMPLES / sample, new)))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_accepting_all_gives_the_new_text_and_rejecting_all_the_old(case: str, tracked: dict[str, Any]) -> None:
    old, new, data = tracked[case]
    assert resolve(data, accept=True) == paragraphs(_document(_docx_of(new)))
    assert resolve(data, accept=False) == paragraphs(_document(_docx_of(old)))


def test_the_revisions_are_contractgens_dated_from_the_new_spec(tracked: dict[str, Any]) -> None:
    _, _, data = tracked["ten-fields"]
    root = _document(data)
    revisions = [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert len(revisions) > 50
    assert {(r.get(f"{W}author"), r.get(f"{W}date")) for r in revisions} == {("contractgen", "2026-12-01T00:00:00Z")}
    ids = [r.get(f"{W}id") for r in revisions]
    assert len(set(ids)) == len(ids)
    deleted = [t.text or "" for t in root.iter(f"{W}delText")]
    inserted = [t.text or "" for revision in root.iter(f"{W}ins") for t in revision.iter(f"{W}t")]
    assert "¥360,000.00" in deleted
    assert "¥600,000.00" in inserted
    # Amounts are deleted and inserted whole, never digit by digit: every ¥ in a revision starts a whole amount.
    for text in deleted + inserted:
        assert all(re.fullmatch(r"¥\d{1,3}(,\d{3})*\.\d{2}", a) for a in re.findall(r"¥[\d,.]+", text)), text


def test_the_package_is_strict_reproducible_and_free_of_marks(tracked: dict[str, Any]) -> None:
    old, new, data = tracked["ten-fields"]
    check_xml_parts(data)
    docx.Document(io.BytesIO(data))  # python-docx opens it
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        text = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
    assert not MARK_CHARACTERS & set(text)
    assert tracked_docx(diff(old, new)) == data


def test_source_date_epoch_dates_the_revisions(tracked: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, _ = tracked["ten-fields"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    root = _document(tracked_docx(diff(old, new)))
    assert {r.get(f"{W}date") for r in root.iter(f"{W}ins")} == {"2027-01-01T00:00:00Z"}


@needs("soffice", "LibreOffice opens the tracked-changes DOCX and prints its changes")
def test_libreoffice_opens_it_and_shows_both_versions(tracked: dict[str, Any], tmp_path: Path) -> None:
    _, _, data = tracked["ten-fields"]
    source = tmp_path / "tracked.docx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "tracked.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    # LibreOffice prints a document with its changes shown: the old amount struck out beside the new one.
    assert "叁拾陆万元整" in text
    assert "陆拾万元整" in text
    assert "上海明远智能科技有限公司" in text
