"""Fixtures shared by tests/bundling and tests/cli: a small two-page contract PDF, a test CA, bundles.

Also what a forger does to a bundle folder he controls: :func:`reseal` rewrites ``manifest.json`` and
``SHA256SUMS`` so that every hash matches the files as they now are, and :func:`strip_signature` puts an
unsigned PDF back in place of a signed one and reseals the bundle to say it was never signed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from pki import Pki, make_pki

from contractgen.bundling import BundleSource, assemble, write_tree
from contractgen.bundling.manifest import Epoch, canonical_json, format_sums, sha256_bytes, sha256_file

SMALL_CONTRACT_HTML = """<html lang="zh-CN"><head><style>
@page { size: A4; margin: 25mm }
body { font-family: "Noto Serif CJK SC"; font-size: 12pt }
</style></head><body>
<h1>客户服务管理合同</h1><p>合同编号：KF-TEST-0001</p><p>第一条 服务内容</p>
<p style="break-before: page">甲方（盖章）：上海明远科技有限公司</p>
<p>乙方（盖章）：杭州恒信客户服务外包有限公司</p><p>签订日期：二〇二六年十一月二十四日</p>
</body></html>"""

EPOCH = Epoch(1795478400, "signing.date")  # 2026-11-24T00:00:00Z


@pytest.fixture(scope="session")
def small_pdf() -> bytes:
    from weasyprint import HTML

    data: bytes = HTML(string=SMALL_CONTRACT_HTML).write_pdf()
    return data


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def small_source(pdf: bytes, *, copies: int = 2) -> BundleSource:
    return BundleSource(
        spec=b"type: customer-service\ncontract_no: KF-TEST-0001\n",
        spec_name="small.yaml",
        contract_no="KF-TEST-0001",
        contract_type="customer-service",
        copies=copies,
        docx=b"PK\x03\x04 not really a docx",
        pdf=pdf,
        epoch=EPOCH,
        provenance={"templates": {"sha256": "0" * 64, "files": {}}},
    )


@pytest.fixture(scope="session")
def small_files(small_pdf: bytes) -> dict[str, bytes]:
    return assemble(small_source(small_pdf))


@pytest.fixture(scope="session")
def signed_files(small_pdf: bytes, pki: Pki) -> dict[str, bytes]:
    from contractgen.bundling.signing import load_signing_key

    key = load_signing_key(pki.key_p12, pki.password)
    return assemble(small_source(small_pdf), key=key)


@pytest.fixture
def small_bundle(tmp_path: Path, small_files: dict[str, bytes]) -> Path:
    root = tmp_path / "KF-TEST-0001"
    write_tree(root, small_files)
    return root


@pytest.fixture
def signed_bundle(tmp_path: Path, signed_files: dict[str, bytes]) -> Path:
    root = tmp_path / "KF-TEST-0001"
    write_tree(root, signed_files)
    return root


@pytest.fixture(scope="session")
def pdfa_files(small_pdf: bytes, pki: Pki) -> dict[str, bytes]:
    from contractgen.bundling.signing import load_signing_key

    key = load_signing_key(pki.key_p12, pki.password)
    return assemble(small_source(small_pdf), key=key, pdfa=True)


@pytest.fixture(scope="session")
def unsigned_pdfa_files(small_pdf: bytes) -> dict[str, bytes]:
    return assemble(small_source(small_pdf), pdfa=True)


@pytest.fixture
def pdfa_bundle(tmp_path: Path, pdfa_files: dict[str, bytes]) -> Path:
    root = tmp_path / "KF-TEST-0001"
    write_tree(root, pdfa_files)
    return root


def reseal(root: Path, *, changed: Iterable[str] = (), edit: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Rewrite manifest.json and SHA256SUMS consistently: ``changed`` files get their new SHA-256 and size,
    ``edit`` changes the parsed manifest before it is written, and the sums follow the manifest."""
    manifest = json.loads((root / "manifest.json").read_bytes())
    for name in changed:
        path = root / name
        manifest["files"][name].update(sha256=sha256_file(path), size=path.stat().st_size)
    if edit is not None:
        edit(manifest)
    data = canonical_json(manifest)
    (root / "manifest.json").write_bytes(data)
    hashes = [(name, entry["sha256"]) for name, entry in manifest["files"].items()]
    (root / "SHA256SUMS").write_bytes(format_sums([*hashes, ("manifest.json", sha256_bytes(data))]))


def strip_signature(root: Path, name: str, unsigned: bytes) -> None:
    """Put the unsigned ``unsigned`` in place of the signed ``name``; reseal, saying it was never signed and
    (as a careful forger would) that the bundle records no signing key."""
    (root / name).write_bytes(unsigned)

    def never_signed(manifest: dict[str, Any]) -> None:
        entry = manifest["files"][name]
        entry["signed"] = False
        entry.pop("unsigned_sha256", None)
        manifest["signing"] = None

    reseal(root, changed=[name], edit=never_signed)
