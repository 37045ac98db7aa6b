"""The sample contract, bundled end to end: files, hashes, counterparts, reproducibility, batch, safety."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from output_listing import entries
from pki import Pki
from pypdf import PdfReader

from contractgen.batch.ledger import LEDGER_NAME
from contractgen.writers.output_records import RECORDS_NAME

pytest.importorskip("contractgen.validation.validator", reason="the validate stage has not landed yet")
pytest.importorskip("contractgen.writers.rendering", reason="the render stage has not landed yet")

from contractgen.bundling import bundle
from contractgen.bundling.manifest import sha256_file
from contractgen.bundling.verification import verify, verify_report

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
NAME = "KF-2026-0001"
EXPECTED = {"contract.docx", "contract.pdf", "copy-1.pdf", "copy-2.pdf", "spec.yaml"}
EXPECTED |= {"manifest.json", "SHA256SUMS", "signing-positions.json"}


def _spec_copy(folder: Path, name: str, contract_no: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace(f"contract_no: {NAME}", f"contract_no: {contract_no}")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sample_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundles")
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        report = bundle([SAMPLE], out, zip=True)
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    assert report.ok, [o.message for o in report.outcomes]
    return out / NAME


def test_bundle_holds_every_file(sample_bundle: Path) -> None:
    assert {p.name for p in entries(sample_bundle)} == EXPECTED
    assert (sample_bundle.parent / f"{NAME}.zip").is_file()
    assert (sample_bundle / "spec.yaml").read_bytes() == SAMPLE.read_bytes()
    assert not list(sample_bundle.parent.glob(".contractgen-*"))


def test_manifest_describes_the_bundle(sample_bundle: Path) -> None:
    manifest = json.loads((sample_bundle / "manifest.json").read_bytes())
    assert manifest["contract_no"] == NAME
    assert manifest["spec"]["sha256"] == sha256_file(SAMPLE)
    assert manifest["epoch"]["source"] == "signing.date"
    assert manifest["epoch"]["iso"] == "2026-11-24T00:00:00+00:00"
    assert [(c["copy"], c["holder"]) for c in manifest["copies"]] == [(1, "甲方执"), (2, "乙方执")]
    assert manifest["templates"]["files"]
    assert {f["family"] for f in manifest["fonts"]} >= {"Noto Serif CJK SC", "Noto Sans CJK SC"}
    assert all(len(f["sha256"]) == 64 for f in manifest["fonts"])
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == sha256_file(sample_bundle / name), name
        assert entry["size"] == (sample_bundle / name).stat().st_size, name
        if name.endswith(".pdf"):
            assert entry["pages"] == len(PdfReader(sample_bundle / name).pages), name


def test_sha256sum_accepts_the_bundle(sample_bundle: Path) -> None:
    command = ["sha256sum", "--strict", "-c", "SHA256SUMS"]
    result = subprocess.run(command, cwd=sample_bundle, capture_output=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.decode().count(": OK") == len(EXPECTED) - 1


@pytest.mark.parametrize(("copy", "holder", "other"), [(1, "甲方执", "乙方执"), (2, "乙方执", "甲方执")])
def test_each_counterpart_is_marked_on_every_page(
    sample_bundle: Path, copy: int, holder: str, other: str
) -> None:
    base = PdfReader(sample_bundle / "contract.pdf")
    marked = PdfReader(sample_bundle / f"copy-{copy}.pdf")
    assert len(marked.pages) == len(base.pages) > 10
    for number, (page, base_page) in enumerate(zip(marked.pages, base.pages, strict=True), 1):
        text = page.extract_text()
        assert f"正本 · {holder}" in text, f"page {number}"
        assert f"正本 · {other}" not in text, f"page {number}"
        # Equal apart from the marker: the same text once the marker is taken out.
        unmarked = text.replace(f"正本 · {holder}", "")
        assert unmarked.split() == base_page.extract_text().split(), f"page {number}"


def test_the_bundle_verifies(sample_bundle: Path) -> None:
    assert verify(sample_bundle) == []
    assert verify(sample_bundle.parent / f"{NAME}.zip") == []


def test_verify_counts_the_files_sha256sums_lists(sample_bundle: Path) -> None:
    # Issue 18: verify said 6 files of a bundle whose SHA256SUMS lists 7 — it counted the manifest's table,
    # which leaves out manifest.json itself.
    lines = (sample_bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(EXPECTED) - 1  # every file but SHA256SUMS
    assert verify_report(sample_bundle).files == len(lines)
    assert verify_report(sample_bundle.parent / f"{NAME}.zip").files == len(lines)


# --- reproducibility -------------------------------------------------------------------------------------

# The CLI with the wall clock shifted by years: if a byte depended on the clock, the bundles would differ.
_SHIFTED_CLOCK = """
import datetime, sys, time
offset = float(sys.argv.pop(1))
real_time, real_time_ns = time.time, time.time_ns
time.time = lambda: real_time() + offset
time.time_ns = lambda: real_time_ns() + int(offset * 1e9)
class ShiftedDateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def utcnow(cls):
        return datetime.datetime.fromtimestamp(time.time(), datetime.timezone.utc).replace(tzinfo=None)
    @classmethod
    def today(cls):
        return cls.now()
datetime.datetime = ShiftedDateTime
from contractgen.cli import main
sys.argv[0] = "contractgen"
main()
"""


def _bundle_in_a_process(spec: Path, out: Path, cwd: Path, *, tz: str, lang: str, offset: float) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(TZ=tz, LANG=lang, LC_ALL=lang, CI="true")
    cwd.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-c", _SHIFTED_CLOCK, str(offset), "bundle", str(spec), "-o", str(out), "--zip", "--pdfa"],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def test_bundles_are_byte_identical_across_processes_zones_locales_and_clocks(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    shutil.copy(SAMPLE, spec)
    a, b = tmp_path / "a", tmp_path / "b"
    _bundle_in_a_process(spec, a, tmp_path / "cwd-a", tz="Asia/Shanghai", lang="zh_CN.UTF-8", offset=-9.5e8)
    other_cwd = tmp_path / "x" / "cwd-b"
    _bundle_in_a_process(spec.resolve(), b, other_cwd, tz="America/New_York", lang="C", offset=4.2e8)
    # The bundles themselves; the folder's record of who made them names each run's own folder.
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if _bundle_file(p))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if _bundle_file(p))
    assert files_a == files_b
    assert Path(NAME, "pdfa", "copy-2.pdf") in files_a
    for name in files_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --- signing through the command line --------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    full_env.update(CI="true", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "contractgen", *args],
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_signed_bundle_verifies_against_the_ca(tmp_path: Path, pki: Pki) -> None:
    out = tmp_path / "out"
    result = _cli(
        "bundle", str(SAMPLE), "-o", str(out), "--sign-key", str(pki.key_p12), "--sign-password-env", "PW",
        env={"PW": pki.password},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    checked = _cli("verify", str(out / NAME), "--trust", str(pki.ca_pem))
    assert checked.returncode == 0, checked.stdout
    assert "3 个签名" in checked.stdout


@pytest.mark.parametrize("problem", ["wrong-password", "missing-key"])
def test_a_bad_key_fails_with_5_and_writes_nothing(tmp_path: Path, pki: Pki, problem: str) -> None:
    out = tmp_path / "out"
    key = pki.key_p12 if problem == "wrong-password" else tmp_path / "none.p12"
    result = _cli(
        "bundle", str(SAMPLE), "-o", str(out), "--sign-key", str(key), "--sign-password-env", "PW",
        env={"PW": "wrong"},
    )  # fmt: skip
    assert result.returncode == 5
    assert "签名密钥" in result.stderr
    assert not out.exists()


# --- batch -----------------------------------------------------------------------------------------------


def test_a_folder_with_valid_and_invalid_specs(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    _spec_copy(specs, "a.yaml", "KF-BATCH-0001")
    _spec_copy(specs, "b.yaml", "KF-BATCH-0002")
    (specs / "broken.yaml").write_text("type: customer-service\ncontract_no: [unclosed\n", encoding="utf-8")
    (specs / "incomplete.yaml").write_text("type: customer-service\ncontract_no: KF-X\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _cli("bundle", str(specs), "-o", str(out), "-j", "2")
    assert result.returncode == 3, result.stderr
    assert sorted(p.name for p in entries(out)) == ["KF-BATCH-0001", "KF-BATCH-0002"]
    assert all(verify(out / name) == [] for name in ("KF-BATCH-0001", "KF-BATCH-0002"))
    for name in ("broken.yaml", "incomplete.yaml"):
        assert f"{specs / name}: 失败（退出码 3）" in result.stderr
    assert "成功 2 份，失败 2 份" in result.stderr


def test_a_second_run_on_a_locked_output_directory_fails_fast(tmp_path: Path) -> None:
    from contractgen.writers.output import locked

    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        start = time.monotonic()
        result = _cli("bundle", str(SAMPLE), "-o", str(out))
        elapsed = time.monotonic() - start
    assert result.returncode == 5
    assert "正被另一个 contractgen 进程" in result.stderr
    assert elapsed < 10
    assert list(entries(out)) == []


def _wait_for_work(out: Path, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Return once the run has written something (a staging directory or a finished bundle) and is still going.

    A staging directory lives only while a bundle's files are written (milliseconds), so a finished bundle counts
    too: with more specs to go, the run is then mid-way either way.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the bundle run ended before it could be interrupted"
        if out.is_dir() and any(entries(out)):
            return
        time.sleep(0.005)
    raise AssertionError("the bundle run never started building")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_and_leaves_no_half_written_bundle(tmp_path: Path, jobs: str) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for n in range(6):
        _spec_copy(specs, f"{n}.yaml", f"KF-INT-{n:04d}")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    process = subprocess.Popen(
        [sys.executable, "-m", "contractgen", "bundle", str(specs), "-o", str(out), "-j", jobs],
        env={**env, "CI": "true"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _wait_for_work(out, process)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert not list(out.glob(".contractgen-*"))
    for bundle_dir in entries(out):
        assert verify(bundle_dir) == [], bundle_dir


def test_a_killed_run_leaves_only_complete_bundles(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for n in range(3):
        _spec_copy(specs, f"{n}.yaml", f"KF-KILL-{n:04d}")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "contractgen", "bundle", str(specs), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_work(out, process)
    process.kill()
    process.wait()
    for bundle_dir in (p for p in entries(out) if not p.name.startswith(".")):
        assert verify(bundle_dir) == [], bundle_dir
    # The next run clears what the killed one left and bundles everything.
    assert _cli("bundle", str(specs), "-o", str(out)).returncode == 0
    assert sorted(p.name for p in entries(out)) == [f"KF-KILL-{n:04d}" for n in range(3)]


def test_two_specs_with_one_contract_number_and_a_foreign_directory(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    _spec_copy(specs, "a.yaml", "KF-DUP-0001")
    _spec_copy(specs, "b.yaml", "KF-DUP-0001")
    _spec_copy(specs, "c.yaml", "KF-MINE-0001")
    out = tmp_path / "out"
    (out / "KF-MINE-0001").mkdir(parents=True)
    (out / "KF-MINE-0001" / "notes.txt").write_text("not a bundle")
    report = bundle([specs], out)
    codes = {o.spec.name: (o.code, o.message) for o in report.outcomes}
    assert codes["a.yaml"][0] == 0
    assert codes["b.yaml"][0] == 5
    assert "重名" in codes["b.yaml"][1]
    assert codes["c.yaml"][0] == 5
    assert "不是 bundle 目录" in codes["c.yaml"][1]
    assert (out / "KF-MINE-0001" / "notes.txt").read_text() == "not a bundle"  # never touched
    assert verify(out / "KF-DUP-0001") == []
    assert sorted(p.name for p in entries(out)) == ["KF-DUP-0001", "KF-MINE-0001"]


def _bundle_file(path: Path) -> bool:
    # The ledger records the run (its workers and seconds), not what was made: it is not part of the bundles.
    return path.is_file() and path.name not in (RECORDS_NAME, LEDGER_NAME)
