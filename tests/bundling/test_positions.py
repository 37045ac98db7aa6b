"""signing-positions.json and the signature fields: where each party's seal goes, from the layout, on every PDF.

A small contract page with a seal spot per party is laid out by the PDF writer (the spots' rectangles come from
WeasyPrint's boxes); the bundle then lists each spot on every PDF, and a signed bundle's fields lie exactly on the
spots — the signed party's filled, the other empty, neither drawing anything over the seal.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from bundle_fixtures import small_source
from pki import Pki
from render_helpers import ROOT

from contractgen.bundling.assembly import assemble
from contractgen.bundling.positions import FORMAT, POSITIONS_NAME, FieldSpot
from contractgen.document.tree import Document, Paragraph, Part, SealSpot, Signature, SignatureSide, Text
from contractgen.writers.fonts import resolve
from contractgen.writers.pdf import lay_out_pdf

pytestmark = pytest.mark.slow

LANGUAGE_FOLDER = ROOT / "templates" / "zh"


def _side(role: str, party: str) -> SignatureSide:
    return SignatureSide(((Text(f"{role}（盖章）："),), SealSpot(party, "seal", 42), (Text("名称"),)))


@pytest.fixture(scope="module")
def spotted() -> tuple[bytes, tuple[FieldSpot, ...]]:
    signature = Signature((_side("甲方", "a"), _side("乙方", "b")))
    blocks = (Paragraph((Text("正文。"),)), Paragraph((Text("（以下无正文）"),)), signature)
    document = Document("测试", "KF-TEST-0001", (Part("contract", "contract", "测试", blocks),))
    laid_out = lay_out_pdf(
        document,
        stylesheet=LANGUAGE_FOLDER / "print.css",
        asset_roots=(LANGUAGE_FOLDER,),
        fonts=resolve(),
        when=datetime(2026, 1, 1),
    )
    keywords = {"a": "甲方（盖章）", "b": "乙方（盖章）"}
    spots = tuple(FieldSpot(s.party, s.kind, s.page, s.rect, s.page_size, keywords[s.party]) for s in laid_out.spots)
    return laid_out.data, spots


def test_every_pdf_lists_every_spot(spotted: tuple[bytes, tuple[FieldSpot, ...]]) -> None:
    pdf, spots = spotted
    files = assemble(dataclasses.replace(small_source(pdf), spots=spots))
    positions = json.loads(files[POSITIONS_NAME])
    assert positions["format"] == FORMAT
    assert (positions["units"], positions["origin"]) == ("pt", "lower-left")
    documents = sorted(name for name in files if name.endswith(".pdf"))
    assert (
        sorted({p["document"] for p in positions["positions"]})
        == documents
        == ["contract.pdf", "copy-1.pdf", "copy-2.pdf"]
    )
    for entry in positions["positions"]:
        spot = next(s for s in spots if s.party == entry["party"])
        assert entry["rect"] == list(spot.rect)
        assert entry["page"] == 1
        assert entry["keyword"] == {"a": "甲方（盖章）", "b": "乙方（盖章）"}[entry["party"]]
        assert entry["field"] == {"a": "PartyA", "b": "PartyB"}[entry["party"]]
    manifest = json.loads(files["manifest.json"])
    assert manifest["files"][POSITIONS_NAME]["kind"] == "signing-positions"
    assert "\\u7532" not in files[POSITIONS_NAME].decode()  # Chinese written as Chinese


def test_the_signature_fields_lie_on_the_spots(spotted: tuple[bytes, tuple[FieldSpot, ...]], pki: Pki) -> None:
    from pypdf import PdfReader

    from contractgen.bundling.signing import load_signing_key

    pdf, spots = spotted
    key = load_signing_key(pki.key_p12, pki.password, party="b")
    files = assemble(dataclasses.replace(small_source(pdf), spots=spots), key=key)
    rects = {s.party: s.rect for s in spots}
    for name in ("contract.pdf", "copy-1.pdf", "copy-2.pdf"):
        reader = PdfReader(io.BytesIO(files[name]))
        fields = {}
        for annotation in reader.pages[0]["/Annots"]:
            widget = annotation.get_object()
            fields[str(widget["/T"])] = ([float(x) for x in widget["/Rect"]], "/V" in widget)
        assert fields["PartyA"][0] == pytest.approx(list(rects["a"]), abs=0.5)
        assert fields["PartyB"][0] == pytest.approx(list(rects["b"]), abs=0.5)
        assert (fields["PartyA"][1], fields["PartyB"][1]) == (False, True)  # the key's party signed, the other not


def test_signing_draws_nothing_over_the_seal(
    spotted: tuple[bytes, tuple[FieldSpot, ...]], pki: Pki, tmp_path: Path
) -> None:
    import subprocess

    from contractgen.bundling.signing import load_signing_key

    pdf, spots = spotted
    key = load_signing_key(pki.key_p12, pki.password)
    signed = assemble(dataclasses.replace(small_source(pdf), spots=spots), key=key)["contract.pdf"]
    pages = []
    for n, data in enumerate((pdf, signed)):
        (tmp_path / f"{n}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(tmp_path / f"{n}.pdf"), str(tmp_path / f"p{n}")], check=True
        )
        pages.append(next(tmp_path.glob(f"p{n}*.png")).read_bytes())
    assert pages[0] == pages[1]  # pixel for pixel: the signed page looks as the unsigned one


def test_signing_an_undated_bundle_says_how_to_give_the_signing_time(small_pdf: bytes, pki: Pki) -> None:
    from contractgen.bundling.manifest import Epoch
    from contractgen.bundling.signing import SigningKeyError, load_signing_key

    key = load_signing_key(pki.key_p12, pki.password)
    undated = dataclasses.replace(small_source(small_pdf), epoch=Epoch(315532800, "undated"))  # 1980-01-01
    with pytest.raises(SigningKeyError) as caught:
        assemble(undated, key=key)
    assert "尚未生效" in caught.value.message
    assert "bundle 的日期为 1980-01-01" in caught.value.message
    assert "SOURCE_DATE_EPOCH" in caught.value.message
