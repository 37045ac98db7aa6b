"""`contractgen bundle --format json`: each spec's status, its bundle, every file's SHA-256; exit codes unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import contractgen.bundling
from contractgen.batch import Outcome
from contractgen.bundling import Built, BundleReport
from contractgen.diagnostics import Diagnostic, diagnostic_objects

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
DECIMALS = ROOT / "tests" / "data" / "specs" / "invalid" / "schema-amount-decimals.yaml"


@pytest.mark.slow
def test_json_of_a_bundle_lists_every_file_and_its_hash(run_json: Callable[..., Any], tmp_path: Path) -> None:
    run = run_json("bundle", str(SAMPLE), "-o", str(tmp_path / "out"), "--zip")
    assert (run.code, run.envelope["ok"], run.envelope["message"]) == (0, True, "bundle：成功 1 份，失败 0 份")
    [spec] = run.envelope["files"]
    folder = tmp_path / "out" / "KF-2026-0001"
    assert spec["file"] == str(SAMPLE)
    assert (spec["status"], spec["exit_code"], spec["message"], spec["diagnostics"]) == ("bundled", 0, None, [])
    bundle = spec["bundle"]
    assert (bundle["path"], bundle["archive"], bundle["contract_no"]) == (
        str(folder),
        str(tmp_path / "out" / "KF-2026-0001.zip"),
        "KF-2026-0001",
    )
    sums = sorted(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines())
    assert [[f["file"], f["sha256"]] for f in bundle["files"]] == sums
    for file in bundle["files"]:
        data = (folder / file["file"]).read_bytes()
        assert (file["size"], file["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert run.envelope["summary"] == {"files": 1, "bundled": 1, "skipped": 0, "invalid": 0, "failed": 0}
    # verify counts what bundle lists.
    verified = run_json("verify", str(folder))
    assert verified.envelope["summary"]["files"] == len(bundle["files"])


def test_json_of_an_invalid_spec_gives_its_diagnostics(run_json: Callable[..., Any], tmp_path: Path) -> None:
    run = run_json("bundle", str(DECIMALS), "-o", str(tmp_path / "out"))
    assert run.code == 3
    [spec] = run.envelope["files"]
    assert (spec["status"], spec["exit_code"], spec["bundle"]) == ("invalid", 3, None)
    assert [(d["line"], d["column"], d["path"]) for d in spec["diagnostics"]] == [(26, 10, "fee.total")]
    assert run.envelope["summary"] == {"files": 1, "bundled": 0, "skipped": 0, "invalid": 1, "failed": 0}
    assert run.stderr.endswith("bundle：成功 0 份，失败 1 份\n")


def test_json_of_a_spec_that_failed_otherwise(
    run_json: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = Outcome(SAMPLE, code=5, message="PDF 渲染失败：缺少字体")
    monkeypatch.setattr(contractgen.bundling, "bundle", lambda *args, **kwargs: BundleReport((failed,), 5))
    run = run_json("bundle", str(SAMPLE), "-o", str(tmp_path / "out"))
    assert run.code == 5
    assert run.envelope["files"] == [
        {
            "file": str(SAMPLE),
            "status": "failed",
            "exit_code": 5,
            "message": "PDF 渲染失败：缺少字体",
            "diagnostics": [],
            "bundle": None,
        }
    ]


def test_json_of_a_bundled_spec_carries_its_warnings_and_the_files_its_sums_list(
    run_json: Callable[..., Any], small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warning = Diagnostic(str(SAMPLE), 30, 16, "penalty.breach_rate", "违约金为合同金额的 35%", "warning", "legal.x")
    built = Built("KF-TEST-0001", "KF-TEST-0001", small_bundle.parent, small_bundle, None, (warning,))
    report = BundleReport((Outcome(SAMPLE, value=built),), 0)
    monkeypatch.setattr(contractgen.bundling, "bundle", lambda *args, **kwargs: report)
    run = run_json("bundle", str(SAMPLE), "-o", str(small_bundle.parent))
    [spec] = run.envelope["files"]
    assert (spec["status"], spec["diagnostics"]) == ("bundled", diagnostic_objects([warning]))
    sums = (small_bundle / "SHA256SUMS").read_text("utf-8").splitlines()
    assert [f"{f['sha256']}  {f['file']}" for f in spec["bundle"]["files"]] == sorted(sums, key=lambda s: s[66:])
    assert (spec["bundle"]["path"], spec["bundle"]["archive"]) == (str(small_bundle), None)


# What stops bundle before any spec: the arguments after the specs → exit code, words the message holds
STOPS = {
    "no-key-file": (["--sign-key", "missing.p12"], 5, "签名密钥"),
    "password-no-key": (["--sign-password-env", "PW"], 3, "--sign-password-env 需要与 --sign-key 一起使用"),
}


@pytest.mark.parametrize("case", STOPS)
def test_json_when_bundle_stops_before_any_spec(
    run_json: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    extra, code, words = STOPS[case]
    monkeypatch.chdir(tmp_path)
    run = run_json("bundle", str(SAMPLE), "-o", "out", *extra)
    assert (run.code, run.envelope["files"], run.envelope["summary"]) == (code, [], None)
    assert words in run.envelope["message"]
    assert run.stderr == f"contractgen: 错误：{run.envelope['message']}\n"
    assert not (tmp_path / "out").exists()


def test_json_of_a_folder_without_specs(run_json: Callable[..., Any], tmp_path: Path) -> None:
    run = run_json("bundle", str(tmp_path), "-o", str(tmp_path / "out"))
    assert (run.code, run.envelope["files"], run.envelope["summary"]) == (3, [], None)
    assert run.envelope["message"].startswith("没有找到任何合同规格文件")


def test_bundle_prints_a_specs_warnings_as_render_does_and_passes_strict_on(
    small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from contractgen.cli import cli

    warning = Diagnostic(str(SAMPLE), 30, 16, "penalty.breach_rate", "违约金为合同金额的 35%", "warning", "legal.x")
    built = Built("KF-TEST-0001", "KF-TEST-0001", small_bundle.parent, small_bundle, None, (warning,))
    seen: list[bool] = []

    def fake_bundle(*args: Any, strict: bool = False, **kwargs: Any) -> BundleReport:
        seen.append(strict)
        return BundleReport((Outcome(SAMPLE, value=built),), 0)

    monkeypatch.setattr(contractgen.bundling, "bundle", fake_bundle)
    result = CliRunner().invoke(cli, ["bundle", str(SAMPLE), "-o", str(small_bundle.parent), "--strict"])
    assert result.exit_code == 0, result.output
    assert seen == [True]
    assert f"{SAMPLE}:30:16: penalty.breach_rate: 警告：违约金为合同金额的 35% [legal.x]" in result.stderr.splitlines()
