"""verify and signing-positions.json: the file must describe the PDFs as they are.

The sample is bundled twice (unsigned, and signed so that its PDFs carry the PartyA/PartyB fields); each
tampered case edits a copy's ``signing-positions.json`` and reseals the manifest and SHA256SUMS as a forger would
(:func:`bundle_fixtures.reseal`), so that the positions problem is the only one left.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_fixtures import reseal
from pki import Pki

pytest.importorskip("contractgen.writers.rendering", reason="the render stage has not landed yet")

from contractgen.bundling import bundle
from contractgen.bundling.positions import POSITIONS_NAME
from contractgen.bundling.positions_check import PdfFacts, check_positions
from contractgen.bundling.verification import Problem, verify

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
NAME = "KF-2026-0001"

Entries = list[dict[str, Any]]


def _bundled(out: Path, **options: Any) -> Path:
    report = bundle([SAMPLE], out, **options)
    assert report.ok, [o.message for o in report.outcomes]
    return out / NAME


@pytest.fixture(scope="module")
def unsigned_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bundled(tmp_path_factory.mktemp("unsigned"))


@pytest.fixture(scope="module")
def signed_sample(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Path:
    return _bundled(tmp_path_factory.mktemp("signed"), sign_key=pki.key_p12, sign_password=pki.password)


@pytest.fixture
def forged(signed_sample: Path, tmp_path: Path) -> Callable[[Callable[[Entries], None]], Path]:
    """A copy of the signed sample whose positions ``edit`` changed, manifest and sums resealed."""

    def make(edit: Callable[[Entries], None]) -> Path:
        root = tmp_path / NAME
        shutil.copytree(signed_sample, root)
        body = json.loads((root / POSITIONS_NAME).read_bytes())
        edit(body["positions"])
        (root / POSITIONS_NAME).write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        reseal(root, changed=[POSITIONS_NAME])
        return root

    return make


def _index(entries: Entries, document: str, field: str) -> int:
    return next(i for i, e in enumerate(entries) if e["document"] == document and e.get("field") == field)


def _moved(rect: list[float]) -> list[float]:
    """``rect`` 5 pt to the right."""
    return [round(v + 5, 2) if n % 2 == 0 else v for n, v in enumerate(rect)]


def _positions(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.kind == "positions"]


def _entries(root: Path) -> Entries:
    entries: Entries = json.loads((root / POSITIONS_NAME).read_bytes())["positions"]
    return entries


def test_the_sample_bundles_verify_clean(unsigned_sample: Path, signed_sample: Path, pki: Pki) -> None:
    assert verify(unsigned_sample) == []
    assert verify(signed_sample, trust=pki.ca_pem) == []
    fields = [(e["document"], e["field"]) for e in _entries(signed_sample) if "field" in e]
    assert sorted(fields) == [
        (d, f) for d in ("contract.pdf", "copy-1.pdf", "copy-2.pdf") for f in ("PartyA", "PartyB")
    ]


def test_a_rect_moved_by_5_pt_is_named(signed_sample: Path, forged: Callable[..., Path]) -> None:
    entries = _entries(signed_sample)
    index = _index(entries, "contract.pdf", "PartyA")
    page = entries[index]["page"]

    def move(entries: Entries) -> None:
        entries[index]["rect"] = _moved(entries[index]["rect"])

    assert verify(forged(move)) == [
        Problem(
            POSITIONS_NAME,
            "positions",
            f"第 {index + 1} 项（contract.pdf 第 {page} 页 PartyA）：位置与 PDF 的签名域不符",
        )
    ]


def test_a_rect_within_half_a_point_still_holds(forged: Callable[..., Path]) -> None:
    def nudge(entries: Entries) -> None:
        for entry in entries:
            entry["rect"] = [v + 0.4 for v in entry["rect"]]

    assert verify(forged(nudge)) == []


def test_a_field_on_the_wrong_page_is_named(signed_sample: Path, forged: Callable[..., Path]) -> None:
    entries = _entries(signed_sample)
    index = _index(entries, "copy-1.pdf", "PartyB")
    page = entries[index]["page"]

    def turn(entries: Entries) -> None:
        entries[index]["page"] = page + 1

    assert verify(forged(turn)) == [
        Problem(
            POSITIONS_NAME,
            "positions",
            f"第 {index + 1} 项（copy-1.pdf 第 {page + 1} 页 PartyB）：签名域 PartyB 不在此页（PDF 中在第 {page} 页）",
        )
    ]


def test_a_page_past_the_end_is_named(signed_sample: Path, forged: Callable[..., Path]) -> None:
    manifest = json.loads((signed_sample / "manifest.json").read_bytes())
    pages = manifest["files"]["copy-2.pdf"]["pages"]
    index = next(i for i, e in enumerate(_entries(signed_sample)) if e["document"] == "copy-2.pdf" and "field" not in e)

    def past(entries: Entries) -> None:
        entries[index]["page"] = pages + 1

    [problem] = _positions(verify(forged(past)))
    assert problem.startswith(f"{POSITIONS_NAME}: 第 {index + 1} 项（copy-2.pdf 第 {pages + 1} 页 ")
    assert problem.endswith(f"）：页码超出 PDF 的页数（共 {pages} 页）")


def test_a_page_size_that_is_not_the_mediabox_is_named(signed_sample: Path, forged: Callable[..., Path]) -> None:
    index = _index(_entries(signed_sample), "contract.pdf", "PartyA")
    page = _entries(signed_sample)[index]["page"]

    def letter(entries: Entries) -> None:
        entries[index]["page_size"] = [612, 792]

    assert _positions(verify(forged(letter))) == [
        f"{POSITIONS_NAME}: 第 {index + 1} 项（contract.pdf 第 {page} 页 PartyA）："
        "page_size 与 PDF 该页的 MediaBox 不符（PDF 为 595.28 × 841.89 pt）"  # A4, as WeasyPrint writes it
    ]


def test_a_document_not_in_the_bundle_is_named(signed_sample: Path, forged: Callable[..., Path]) -> None:
    entries = _entries(signed_sample)
    index = next(i for i, e in enumerate(entries) if e["kind"] == "signature" and e["party"] == "a")
    page = entries[index]["page"]

    def rename(entries: Entries) -> None:
        entries[index]["document"] = "copy-9.pdf"

    assert verify(forged(rename)) == [
        Problem(
            POSITIONS_NAME,
            "positions",
            f"第 {index + 1} 项（copy-9.pdf 第 {page} 页 甲方签字）：bundle 中没有此 PDF 文件",
        )
    ]


def test_a_field_without_an_entry_is_named(signed_sample: Path, forged: Callable[..., Path]) -> None:
    index = _index(_entries(signed_sample), "copy-1.pdf", "PartyB")

    def drop(entries: Entries) -> None:
        del entries[index]

    assert verify(forged(drop)) == [
        Problem(POSITIONS_NAME, "positions", "copy-1.pdf 的签名域 PartyB 没有对应的条目（field）")
    ]


def test_a_signed_pdf_left_out_is_named(forged: Callable[..., Path]) -> None:
    def leave_out(entries: Entries) -> None:
        entries[:] = [e for e in entries if e["document"] != "copy-2.pdf"]

    assert _positions(verify(forged(leave_out))) == [
        f"{POSITIONS_NAME}: 未列出 copy-2.pdf，但该 PDF 含签名域（PartyA、PartyB）"
    ]


def test_bad_json_is_named(signed_sample: Path, tmp_path: Path) -> None:
    root = tmp_path / NAME
    shutil.copytree(signed_sample, root)
    (root / POSITIONS_NAME).write_bytes(b'{"format": "contractgen-signing-positions/1", ')
    reseal(root, changed=[POSITIONS_NAME])
    [problem] = verify(root)
    assert (problem.path, problem.kind) == (POSITIONS_NAME, "positions")
    assert problem.message.startswith("签署位置文件无法读取：不是有效的 JSON：第 1 行")


def test_another_format_is_named(signed_sample: Path, tmp_path: Path) -> None:
    root = tmp_path / NAME
    shutil.copytree(signed_sample, root)
    body = json.loads((root / POSITIONS_NAME).read_bytes())
    body["units"] = "mm"
    (root / POSITIONS_NAME).write_text(json.dumps(body), encoding="utf-8")
    reseal(root, changed=[POSITIONS_NAME])
    assert _positions(verify(root)) == [f"{POSITIONS_NAME}: units 应为 'pt'，实际为 'mm'"]


def test_a_tampered_file_not_resealed_is_named_among_the_hash_problems(signed_sample: Path, tmp_path: Path) -> None:
    # The same number of bytes (a file whose size differs is never read): the rectangle 5 pt to the right.
    root = tmp_path / NAME
    shutil.copytree(signed_sample, root)
    data = (root / POSITIONS_NAME).read_bytes()
    body = json.loads(data)
    index = _index(body["positions"], "contract.pdf", "PartyA")
    body["positions"][index]["rect"] = _moved(body["positions"][index]["rect"])
    tampered = (json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    assert len(tampered) == len(data)
    (root / POSITIONS_NAME).write_bytes(tampered)
    problems = verify(root)
    page = body["positions"][index]["page"]
    message = f"第 {index + 1} 项（contract.pdf 第 {page} 页 PartyA）：位置与 PDF 的签名域不符"
    assert Problem(POSITIONS_NAME, "positions", message) in problems
    assert {p.kind for p in problems} == {"changed", "positions"}


def test_a_malformed_entry_is_named_without_a_crash() -> None:
    body = {
        "format": "contractgen-signing-positions/1",
        "units": "pt",
        "origin": "lower-left",
        "positions": [{"document": "contract.pdf", "page": "6"}, 7],
    }
    found = check_positions(json.dumps(body).encode(), {}, {"contract.pdf"}, {"contract.pdf": PdfFacts([(595, 842)])})
    assert found == [
        (POSITIONS_NAME, "第 1 项：party 应为字符串"),
        (POSITIONS_NAME, "第 2 项：不是 JSON 对象"),
    ]
