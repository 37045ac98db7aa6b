"""A loan with a guarantor as a bundle: three counterparts, one for each party in signing order, and each
party's signature field on its spot of the signature block (signing-positions.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import contractgen

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def bundle_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("loan-bundle")
    contractgen.bundle([ROOT / "samples" / "loan-guaranteed.yaml"], out)
    return out / "JK-2026-0019"


def test_each_party_has_its_signature_field(bundle_folder: Path) -> None:
    positions = json.loads((bundle_folder / "signing-positions.json").read_text(encoding="utf-8"))["positions"]
    fields = {p["party"]: p for p in positions if "field" in p}
    assert sorted(fields) == ["a", "b", "c"]
    assert [fields[k]["keyword"] for k in "abc"] == ["出借人（签字并捺印）", "借款人（盖章）", "保证人（签字并捺印）"]
    assert len({fields[k]["page"] for k in "abc"}) == 1  # the one signature block


def test_three_counterparts_one_for_each_party(bundle_folder: Path) -> None:
    manifest = json.loads((bundle_folder / "manifest.json").read_text(encoding="utf-8"))
    assert [c["holder"] for c in manifest["copies"]] == ["出借人执", "借款人执", "保证人执"]


def test_the_manifest_records_the_version_of_the_lpr_table(bundle_folder: Path) -> None:
    from contractgen.validation.reference_tables import load_reference_table

    manifest = json.loads((bundle_folder / "manifest.json").read_text(encoding="utf-8"))
    table = load_reference_table(ROOT / "templates" / "zh" / "loan" / "lpr-1y.yaml")
    assert manifest["reference_tables"] == {"lpr-1y.yaml": table.version}
    assert manifest["templates"]["files"]["lpr-1y.yaml"] == table.version  # the version is the file's SHA-256
