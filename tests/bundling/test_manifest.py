"""manifest.json and SHA256SUMS: canonical bytes, what they record, and `sha256sum -c` accepting them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from contractgen.bundling.manifest import (
    FORMAT,
    canonical_json,
    format_sums,
    is_safe_member,
    parse_sums,
    sha256_bytes,
)


def test_canonical_json_is_sorted_utf8_with_one_newline() -> None:
    data = canonical_json({"b": 1, "a": {"甲": "乙方执", "c": [2, 1]}})
    expected = '{\n  "a": {\n    "c": [\n      2,\n      1\n    ],\n    "甲": "乙方执"\n  },\n  "b": 1\n}\n'
    assert data == expected.encode()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("contract.pdf", True),
        ("pdfa/copy-1.pdf", True),
        ("../etc/passwd", False),
        ("pdfa/../../x", False),
        ("/etc/passwd", False),
        ("a\\b.pdf", False),
        ("./contract.pdf", False),
        ("", False),
        ("C:/x.pdf", False),
        ("a//b", False),
    ],
)
def test_safe_member_names(name: str, safe: bool) -> None:
    assert is_safe_member(name) is safe


def test_sums_are_sorted_and_round_trip() -> None:
    text = format_sums([("b.pdf", "1" * 64), ("a.pdf", "2" * 64)])
    assert text == f"{'2' * 64}  a.pdf\n{'1' * 64}  b.pdf\n".encode()
    assert parse_sums(text) == ({"a.pdf": "2" * 64, "b.pdf": "1" * 64}, [])
    assert parse_sums(b"nonsense\n")[1] == ["nonsense"]


def test_sums_refuse_unsafe_names() -> None:
    with pytest.raises(ValueError, match="unsafe"):
        format_sums([("../x", "0" * 64)])


def test_bundle_manifest_records_every_file(small_files: dict[str, bytes]) -> None:
    manifest = json.loads(small_files["manifest.json"])
    assert manifest["format"] == FORMAT
    assert set(manifest["files"]) == set(small_files) - {"manifest.json", "SHA256SUMS"}
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == sha256_bytes(small_files[name]), name
        assert entry["size"] == len(small_files[name]), name
    assert manifest["files"]["contract.pdf"]["pages"] == 2
    assert manifest["files"]["copy-1.pdf"]["pages"] == 2
    assert manifest["files"]["contract.docx"]["pages"] is None
    assert manifest["spec"]["sha256"] == sha256_bytes(small_files["spec.yaml"])
    assert manifest["epoch"] == {
        "seconds": 1795478400,
        "iso": "2026-11-24T00:00:00+00:00",
        "source": "signing.date",
    }
    assert [(c["copy"], c["holder"], c["file"]) for c in manifest["copies"]] == [
        (1, "甲方执", "copy-1.pdf"),
        (2, "乙方执", "copy-2.pdf"),
    ]
    assert manifest["signing"] is None


def test_counterparts_are_recorded_as_the_base_plus_a_marker(small_files: dict[str, bytes]) -> None:
    manifest = json.loads(small_files["manifest.json"])
    base = manifest["base"]
    assert base["sha256"] == sha256_bytes(small_files["contract.pdf"])
    for copy in (1, 2):
        entry = manifest["files"][f"copy-{copy}.pdf"]
        assert entry["base_sha256"] == base["sha256"]
        assert entry["content_sha256"] == base["content_sha256"]
        assert entry["holder"] == ("甲方执" if copy == 1 else "乙方执")
    assert manifest["files"]["contract.pdf"]["content_sha256"] == base["content_sha256"]


def test_sha256sum_accepts_the_sums(small_bundle: Path) -> None:
    result = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"],
        cwd=small_bundle,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    checked = [line for line in result.stdout.splitlines() if line.endswith(": OK")]
    assert len(checked) == len(list(small_bundle.iterdir())) - 1  # every file but SHA256SUMS itself
