"""verify: every kind of tampering is caught and named; an untouched bundle passes.

Malformed files of every kind are in the data-driven corpus (test_verification_corpus.py), resource limits in
test_verification_limits.py; this module holds the tampering a forger would try, signatures under --trust first.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bundle_fixtures import reseal, strip_signature
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
    assert report.files == 6  # the five files the manifest lists, and manifest.json
    assert report.signatures == 0


@pytest.mark.parametrize("fixture", ["small_bundle", "signed_bundle", "pdfa_bundle"])
def test_the_file_count_is_what_sha256sums_lists(fixture: str, request: pytest.FixtureRequest) -> None:
    # The count a user reads after 校验通过 is the count of SHA256SUMS's lines, the one list anyone can check.
    root: Path = request.getfixturevalue(fixture)
    lines = (root / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    report = verify_report(root)
    assert report.problems == ()
    assert report.files == len(lines) == len(parse_sums((root / "SHA256SUMS").read_bytes())[0])


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
    entry = dict(manifest["files"]["copy-2.pdf"], sha256=sha256_file(small_bundle / "copy-2.pdf"), size=len(forged))
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
    # Manifest and sums rewritten to the longer file: only the signature's coverage gives it away.
    path = signed_bundle / "contract.pdf"
    path.write_bytes(path.read_bytes() + b"\n% appended after %%EOF\n")
    reseal(signed_bundle, changed=["contract.pdf"])
    problems = verify(signed_bundle, trust=pki.ca_pem)
    assert {p.path for p in problems} == {"contract.pdf"}
    assert any(p.kind == "signature" and "未覆盖整个文件" in p.message for p in problems)


def test_a_file_of_another_size_is_changed_and_never_parsed(signed_bundle: Path, pki: Pki) -> None:
    path = signed_bundle / "contract.pdf"
    path.write_bytes(path.read_bytes() + b"\n% appended after %%EOF\n")
    problems = verify(signed_bundle, trust=pki.ca_pem)
    assert [(p.path, p.kind) for p in problems] == [("contract.pdf", "changed")]
    assert "字节，清单为" in problems[0].message


def test_a_signature_removed_is_caught(signed_bundle: Path, small_files: dict[str, bytes]) -> None:
    # The unsigned copy put back in place of the signed one, manifest rewritten to match its hash.
    path = signed_bundle / "copy-2.pdf"
    path.write_bytes(small_files["copy-2.pdf"])
    manifest = json.loads((signed_bundle / "manifest.json").read_bytes())
    entry = dict(manifest["files"]["copy-2.pdf"], sha256=sha256_file(path), size=path.stat().st_size)
    _rewrite_manifest(signed_bundle, {"copy-2.pdf": entry})
    problems = verify(signed_bundle)
    assert _lines(problems) == ["copy-2.pdf: 清单记录已签名，但文件中没有签名"]


# --- under --trust every PDF must carry a trusted signature, whatever the manifest says -------------------------


def test_trust_on_an_unsigned_bundle_fails(small_bundle: Path, pki: Pki) -> None:
    report = verify_report(small_bundle, trust=pki.ca_pem)
    assert [(p.path, p.kind) for p in report.problems] == [
        (name, "signature") for name in ("contract.pdf", "copy-1.pdf", "copy-2.pdf")
    ]
    assert all("没有签名" in p.message for p in report.problems)
    assert report.trusted


@pytest.mark.parametrize("name", ["contract.pdf", "copy-1.pdf", "copy-2.pdf"])
def test_a_stripped_signature_with_the_manifest_rewritten_fails_under_trust(
    signed_bundle: Path, small_files: dict[str, bytes], pki: Pki, name: str
) -> None:
    # The forger puts the unsigned PDF back and rewrites every hash, signed: false, signing: null.
    strip_signature(signed_bundle, name, small_files[name])
    assert verify(signed_bundle) == []  # without a trust anchor nothing can tell: this is what --trust is for
    problems = verify(signed_bundle, trust=pki.ca_pem)
    assert [(p.path, p.kind) for p in problems] == [(name, "signature")]
    assert "没有签名" in problems[0].message


def test_every_signature_stripped_and_the_bundle_made_unsigned_fails_under_trust(
    signed_bundle: Path, small_files: dict[str, bytes], pki: Pki
) -> None:
    for name in ("contract.pdf", "copy-1.pdf", "copy-2.pdf"):
        strip_signature(signed_bundle, name, small_files[name])
    manifest = json.loads((signed_bundle / "manifest.json").read_bytes())
    assert manifest["signing"] is None
    assert not any(entry.get("signed") for entry in manifest["files"].values())
    assert {p.path for p in verify(signed_bundle, trust=pki.ca_pem)} == {"contract.pdf", "copy-1.pdf", "copy-2.pdf"}


@pytest.mark.parametrize("name", ["pdfa/contract.pdf", "pdfa/copy-2.pdf"])
def test_a_stripped_pdfa_signature_fails_under_trust(
    pdfa_bundle: Path, unsigned_pdfa_files: dict[str, bytes], pki: Pki, name: str
) -> None:
    strip_signature(pdfa_bundle, name, unsigned_pdfa_files[name])
    problems = verify(pdfa_bundle, trust=pki.ca_pem)
    assert (name, "signature") in [(p.path, p.kind) for p in problems]


def test_a_signed_bundle_with_one_pdf_marked_unsigned_is_caught_without_trust(
    signed_bundle: Path, small_files: dict[str, bytes]
) -> None:
    # A careless forger: copy-1 stripped and marked unsigned, but the manifest still records the signing key.
    (signed_bundle / "copy-1.pdf").write_bytes(small_files["copy-1.pdf"])

    def unsigned(manifest: dict[str, object]) -> None:
        manifest["files"]["copy-1.pdf"]["signed"] = False  # type: ignore[index]

    reseal(signed_bundle, changed=["copy-1.pdf"], edit=unsigned)
    assert _lines(verify(signed_bundle)) == ["copy-1.pdf: 清单记录了签名密钥（signing），但此文件标为未签名"]


def test_a_signature_by_another_ca_fails_under_trust(
    signed_bundle: Path, small_files: dict[str, bytes], pki: Pki, tmp_path: Path
) -> None:
    from bundle_fixtures import EPOCH

    from contractgen.bundling.signing import load_signing_key, sign_pdf

    forger = make_pki(tmp_path / "forger", ca_name="Forger CA")
    key = load_signing_key(forger.key_p12, forger.password)
    (signed_bundle / "copy-1.pdf").write_bytes(sign_pdf(small_files["copy-1.pdf"], key, page=1, when=EPOCH.utc))
    reseal(signed_bundle, changed=["copy-1.pdf"])
    assert verify(signed_bundle) == []
    problems = verify(signed_bundle, trust=pki.ca_pem)
    assert _lines(problems) == ["copy-1.pdf: 签名的证书不能链接到所给的信任证书"]


def test_a_copy_named_in_the_manifest_but_not_listed_is_caught(signed_bundle: Path, pki: Pki) -> None:
    (signed_bundle / "copy-2.pdf").unlink()
    reseal(signed_bundle, edit=lambda manifest: manifest["files"].pop("copy-2.pdf"))
    assert [(p.path, p.kind) for p in verify(signed_bundle, trust=pki.ca_pem)] == [("copy-2.pdf", "manifest")]


def test_a_counterpart_content_hash_rewritten_is_caught(small_bundle: Path) -> None:
    def other_content(manifest: dict[str, object]) -> None:
        manifest["files"]["copy-1.pdf"]["content_sha256"] = "0" * 64  # type: ignore[index]

    reseal(small_bundle, edit=other_content)
    problems = verify(small_bundle)
    assert [(p.path, p.kind) for p in problems] == [("copy-1.pdf", "content")]
    assert "base.content_sha256" in problems[0].message


def test_signatures_that_hold_are_noted_once_each(signed_bundle: Path, pki: Pki) -> None:
    report = verify_report(signed_bundle)
    assert report.notes == tuple(
        f"{name}: 签名完好；未给出 --trust，证书链未校验" for name in ("contract.pdf", "copy-1.pdf", "copy-2.pdf")
    )
    assert not report.trusted
    trusted = verify_report(signed_bundle, trust=pki.ca_pem)
    assert all("证书链可信" in note for note in trusted.notes)
    assert len(trusted.notes) == 3
