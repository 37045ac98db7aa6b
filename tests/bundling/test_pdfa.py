"""PDF/A-3b copies: the structure PDF/A-3b asks for, the attachments, the same bytes every time."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pki import Pki
from pypdf import PdfReader

from contractgen.bundling.manifest import sha256_bytes
from contractgen.bundling.pdfa import to_pdfa
from contractgen.bundling.verification import verify_report


def test_pdfa_files_are_declared_and_carry_their_attachments(pdfa_files: dict[str, bytes]) -> None:
    assert {n for n in pdfa_files if n.startswith("pdfa/")} == {
        "pdfa/contract.pdf",
        "pdfa/copy-1.pdf",
        "pdfa/copy-2.pdf",
    }
    for name in ("pdfa/contract.pdf", "pdfa/copy-1.pdf"):
        data = pdfa_files[name]
        assert data.startswith(b"%PDF-1.7")
        reader = PdfReader(io.BytesIO(data))
        xmp = reader.root_object["/Metadata"].get_object().get_data().decode("utf-8")
        assert "<pdfaid:part>3</pdfaid:part>" in xmp
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        (intent,) = reader.root_object["/OutputIntents"]
        assert intent.get_object()["/S"] == "/GTS_PDFA1"
        assert len(reader.trailer["/ID"][0]) == 16
        attachments = {a.name: a for a in reader.attachment_list}
        assert attachments["spec.yaml"].content == pdfa_files["spec.yaml"]
        relationships = {
            f.get_object()["/F"]: f.get_object()["/AFRelationship"] for f in reader.root_object["/AF"]
        }
        assert relationships == {"manifest.json": "/Data", "spec.yaml": "/Source"}
        inner = json.loads(attachments["manifest.json"].content)
        outer = json.loads(pdfa_files["manifest.json"])["files"]
        assert {m: e["sha256"] for m, e in inner["files"].items()} == {
            m: outer[m]["unsigned_sha256"] for m in ("contract.pdf", "copy-1.pdf", "copy-2.pdf")
        }


def test_pdfa_keeps_every_page_and_the_marker(pdfa_files: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfa_files["pdfa/copy-2.pdf"]))
    assert len(reader.pages) == 2
    assert all("正本 · 乙方执" in page.extract_text() for page in reader.pages)
    manifest = json.loads(pdfa_files["manifest.json"])
    assert manifest["files"]["pdfa/copy-2.pdf"]["pdfa"] == "PDF/A-3b"
    assert manifest["files"]["pdfa/copy-2.pdf"]["content_sha256"] == manifest["base"]["content_sha256"]


def test_pdfa_is_deterministic(small_pdf: bytes) -> None:
    from bundle_fixtures import EPOCH

    first = to_pdfa(small_pdf, attachments={"spec.yaml": b"a: 1"}, epoch=EPOCH, title="t")
    assert to_pdfa(small_pdf, attachments={"spec.yaml": b"a: 1"}, epoch=EPOCH, title="t") == first
    assert sha256_bytes(first) != sha256_bytes(small_pdf)


def test_a_signed_pdfa_bundle_verifies(pdfa_bundle: Path, pki: Pki) -> None:
    report = verify_report(pdfa_bundle, trust=pki.ca_pem)
    assert report.problems == ()
    assert report.signatures == 6
