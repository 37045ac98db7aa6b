"""verify: every kind of tampering is caught and named; an untouched bundle passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pki import Pki, make_pki

from contractgen.bundling.archive import write_zip
from contractgen.bundling.manifest import canonical_json, parse_sums, sha256_file
from contractgen.bundling.verification import Problem, verify, verify_report
from contractgen.errors import InputError


def _lines(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def _rewrite_manifest(root: Path, change: dict[str, object]) -> None:
    """Change the manifest and re-seal SHA256SUMS, as an attacker who rewrites both would."""
    manifest = json.loads((root / "manifest.json").read_bytes())
    manifest["files"].update(change)
    (root / "manifest.json").write_bytes(canonical_json(manifest))
    sums, _ = parse_sums((root / "SHA256SUMS").read_bytes())
    sums["manifest.json"] = sha256_file(root / "manifest.json")
    for name, entry in change.items():
        sums[name] = entry["sha256"]  # type: ignore[index]
    (root / "SHA256SUMS").write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())))


def test_an_untouched_bundle_passes(small_bundle: Path) -> None:
    report = verify_report(small_bundle)
    assert report.problems == ()
    assert report.files == 5
    assert report.signatures == 0


def test_a_flipped_byte_is_named(small_bundle: Path) -> None:
    path = small_bundle / "copy-2.pdf"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    problems = verify(small_bundle)
    assert [(p.path, p.kind) for p in problems][:1] == [("copy-2.pdf", "changed")]
    assert all(p.path == "copy-2.pdf" for p in problems)


def test_a_changed_spec_is_named(small_bundle: Path) -> None:
    (small_bundle / "spec.yaml").write_bytes(b"type: customer-service\ncontract_no: KF-TEST-0002\n")
    assert [(p.path, p.kind) for p in verify(small_bundle)] == [("spec.yaml", "changed")]


def test_a_missing_file_is_named(small_bundle: Path) -> None:
    (small_bundle / "copy-1.pdf").unlink()
    assert [(p.path, p.kind) for p in verify(small_bundle)] == [("copy-1.pdf", "missing")]


def test_an_extra_file_is_named(small_bundle: Path) -> None:
    (small_bundle / "pdfa").mkdir()
    (small_bundle / "pdfa" / "notes.txt").write_text("extra")
    (small_bundle / "copy-3.pdf").write_bytes(b"%PDF-1.7")
    assert _lines(verify(small_bundle)) == [
        "copy-3.pdf: 多出的文件（不在清单中）",
        "pdfa/notes.txt: 多出的文件（不在清单中）",
    ]


@pytest.mark.parametrize("name", ["../outside.txt", "pdfa/../../outside.txt", "/etc/passwd", "SHA256SUMS"])
def test_an_unsafe_manifest_path_is_named_and_never_read(small_bundle: Path, name: str) -> None:
    (small_bundle.parent / "outside.txt").write_text("secret")
    entry = {"sha256": sha256_file(small_bundle.parent / "outside.txt"), "size": 6, "pages": None}
    _rewrite_manifest(small_bundle, {name: entry})
    problems = [p for p in verify(small_bundle) if p.kind == "unsafe-path"]
    assert [p.path for p in problems] == [name]


def test_a_symlinked_file_is_not_followed(small_bundle: Path) -> None:
    target = small_bundle.parent / "elsewhere.yaml"
    shutil.move(small_bundle / "spec.yaml", target)
    (small_bundle / "spec.yaml").symlink_to(target)
    assert [(p.path, p.kind) for p in verify(small_bundle)] == [("spec.yaml", "unsafe-path")]


def test_a_changed_manifest_is_caught_by_the_sums(small_bundle: Path) -> None:
    manifest = json.loads((small_bundle / "manifest.json").read_bytes())
    manifest["contract_no"] = "KF-FORGED"
    (small_bundle / "manifest.json").write_bytes(canonical_json(manifest))
    assert [(p.path, p.kind) for p in verify(small_bundle)] == [("manifest.json", "changed")]


def test_a_missing_manifest_is_one_problem(small_bundle: Path) -> None:
    (small_bundle / "manifest.json").unlink()
    assert [(p.path, p.kind) for p in verify(small_bundle)] == [("manifest.json", "missing")]


def test_a_counterpart_with_other_content_is_caught(small_bundle: Path) -> None:
    # A consistent forgery: copy-2 replaced by a different PDF, manifest and sums rewritten to match.
    from weasyprint import HTML

    forged = HTML(string='<p style="font-family: Noto Serif CJK SC">另一份合同</p>').write_pdf()
    (small_bundle / "copy-2.pdf").write_bytes(forged)
    manifest = json.loads((small_bundle / "manifest.json").read_bytes())
    entry = dict(
        manifest["files"]["copy-2.pdf"], sha256=sha256_file(small_bundle / "copy-2.pdf"), size=len(forged)
    )
    _rewrite_manifest(small_bundle, {"copy-2.pdf": entry})
    assert [(p.path, p.kind) for p in verify(small_bundle)] == [("copy-2.pdf", "content")]


def test_a_zip_bundle_verifies(small_bundle: Path, tmp_path: Path) -> None:
    archive = tmp_path / "KF-TEST-0001.zip"
    write_zip(small_bundle, archive, epoch_seconds=0)
    assert verify(archive) == []


def test_not_a_bundle_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        verify(tmp_path / "nothing")


# --- signatures --------------------------------------------------------------------------------------------


def test_a_signed_bundle_passes_with_its_trust_root(signed_bundle: Path, pki: Pki) -> None:
    report = verify_report(signed_bundle, trust=pki.ca_pem)
    assert report.problems == ()
    assert report.signatures == 3


def test_another_trust_root_is_refused(signed_bundle: Path, tmp_path: Path) -> None:
    other = make_pki(tmp_path / "other", ca_name="Some Other CA")
    problems = verify(signed_bundle, trust=other.ca_pem)
    assert {(p.path, p.kind) for p in problems} == {
        (n, "signature") for n in ("contract.pdf", "copy-1.pdf", "copy-2.pdf")
    }
    assert all("信任证书" in p.message for p in problems)


def test_an_incremental_update_after_signing_is_caught(signed_bundle: Path, pki: Pki) -> None:
    import io

    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    path = signed_bundle / "copy-1.pdf"
    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()))
    writer.root[NameObject("/Lang")] = TextStringObject("en-US")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    # Even with manifest and sums rewritten to the new bytes, the signature's coverage gives it away.
    manifest = json.loads((signed_bundle / "manifest.json").read_bytes())
    entry = dict(manifest["files"]["copy-1.pdf"], sha256=sha256_file(path), size=path.stat().st_size)
    _rewrite_manifest(signed_bundle, {"copy-1.pdf": entry})
    problems = verify(signed_bundle, trust=pki.ca_pem)
    assert [(p.path, p.kind) for p in problems] == [("copy-1.pdf", "signature")]
    assert "未覆盖整个文件" in problems[0].message


def test_bytes_after_eof_are_caught(signed_bundle: Path, pki: Pki) -> None:
    path = signed_bundle / "contract.pdf"
    path.write_bytes(path.read_bytes() + b"\n% appended after %%EOF\n")
    problems = verify(signed_bundle, trust=pki.ca_pem)
    assert {p.path for p in problems} == {"contract.pdf"}
    assert {("contract.pdf", "changed"), ("contract.pdf", "signature")} <= {
        (p.path, p.kind) for p in problems
    }
    assert any("未覆盖整个文件" in p.message for p in problems)


def test_a_signature_removed_is_caught(signed_bundle: Path, small_files: dict[str, bytes]) -> None:
    # The unsigned copy put back in place of the signed one, manifest rewritten to match its hash.
    path = signed_bundle / "copy-2.pdf"
    path.write_bytes(small_files["copy-2.pdf"])
    manifest = json.loads((signed_bundle / "manifest.json").read_bytes())
    entry = dict(manifest["files"]["copy-2.pdf"], sha256=sha256_file(path), size=path.stat().st_size)
    _rewrite_manifest(signed_bundle, {"copy-2.pdf": entry})
    problems = verify(signed_bundle)
    assert _lines(problems) == ["copy-2.pdf: 清单记录已签名，但文件中没有签名"]
