"""Hostile spec values print as typed, in both formats, and never change the documents' structure."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections import Counter

import pytest
from customer_service_model import Contract
from lxml import etree
from render_helpers import docx_text, normalise, pdf_page_bodies, sample_contract, with_party_a_name

from contractgen.writers.rendering import render_documents

HOSTILE = ['A&B <C> "D"', "{{ 7*7 }}", "</w:t><w:t>x", "{% raw %}]]>&amp;", '<w:fldSimple w:instr="PAGE"/>']
BENIGN = "上海明远科技有限公司"


def structure(docx: bytes) -> Counter[str]:
    """How many of each element the DOCX's XML parts hold (paragraphs, runs, fields, breaks …)."""
    counts: Counter[str] = Counter()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                root = etree.fromstring(archive.read(name), etree.XMLParser(recover=False, resolve_entities=False))
                counts.update(f"{name}:{element.tag}" for element in root.iter())
    return counts


@pytest.fixture(scope="module")
def baseline() -> bytes:
    return render_documents(sample_contract(), formats=["docx"])["KF-2026-0001.docx"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_party_name_is_text_in_the_docx_and_adds_no_structure(name: str, baseline: bytes) -> None:
    docx = render_documents(with_party_a_name(sample_contract(), name), formats=["docx"])["KF-2026-0001.docx"]
    # The text is the benign document's with the name swapped: printed as typed, never evaluated ({{ 7*7 }}).
    assert docx_text(docx).replace(normalise(name), BENIGN) == docx_text(baseline)
    assert normalise(name) in docx_text(docx)
    # Every part re-parses strictly, with exactly the paragraphs, runs, fields and breaks of the benign one.
    assert structure(docx) == structure(baseline)


@pytest.mark.slow
def test_hostile_values_print_literally_in_the_pdf() -> None:
    contract: Contract = with_party_a_name(sample_contract(), HOSTILE[0])
    contract = dataclasses.replace(
        contract,
        party_b=dataclasses.replace(contract.party_b, name=HOSTILE[1]),
        signing=dataclasses.replace(contract.signing, place=HOSTILE[2]),
    )
    files = render_documents(contract)
    pdf_text = "".join(pdf_page_bodies(files["KF-2026-0001.pdf"]))
    docx = docx_text(files["KF-2026-0001.docx"])
    for value in HOSTILE[:3]:
        assert normalise(value) in pdf_text, value
        assert pdf_text.count(normalise(value)) == docx.count(normalise(value)), value
