"""Batches across machines and in time, through the command line: ``--shard``, ``--resume``, the ledger and
``batch-report``, over one folder of 20 specs (8 that render, 12 invalid) rendered to PDF.

One unsharded run is shared by every test (module fixture); shard runs, kills and resumes are compared with it
byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from batch_specs import INVALID, VALID, make_folder
from click.testing import CliRunner
from output_listing import entries

from contractgen.batch import batch_report
from contractgen.batch.ledger import LEDGER_NAME, read_ledger
from contractgen.cli import cli

pytestmark = pytest.mark.slow


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"CI": "true"})
    return result.exit_code, result.stdout, result.stderr


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in entries(directory)}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``base/specs`` (the 20 specs) and ``base/out``, their one unsharded render to PDF."""
    base = tmp_path_factory.mktemp("batch")
    make_folder(base / "specs")
    code, _, _ = run("render", str(base / "specs"), "-o", str(base / "out"), "--to", "pdf")
    assert code == 3  # some specs are invalid
    assert len(listing(base / "out")) == VALID
    return base


@pytest.fixture
def workspace(base: Path, tmp_path: Path) -> Path:
    """A copy of ``base``: specs and outputs side by side as there, so the output records still hold."""
    shutil.copytree(base / "specs", tmp_path / "specs")
    shutil.copytree(base / "out", tmp_path / "out")
    return tmp_path


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_the_union_of_the_shards_is_the_unsharded_run(base: Path, tmp_path: Path, count: int) -> None:
    union: dict[str, bytes] = {}
    keys: list[str] = []
    for index in range(count):
        out = tmp_path / f"shard-{index}"
        run("render", str(base / "specs"), "-o", str(out), "--to", "pdf", "--shard", f"{index}/{count}")
        files = listing(out)
        assert not set(files) & set(union), "an output made by two shards"
        union.update(files)
        keys += [r["key"] for r in read_ledger(out).records if r["record"] == "spec"]
    assert union == listing(base / "out")  # the same files, the same bytes
    assert sorted(keys) == sorted(set(keys))  # every spec in exactly one shard …
    assert len(keys) == VALID + INVALID  # … and none left out
    shards = batch_report([tmp_path / f"shard-{index}" for index in range(count)])
    single = batch_report([base / "out"])
    assert shards.made() == single.made()
    assert shards.shards == tuple(f"{index}/{count}" for index in range(count))
    assert (shards.exit_code, shards.missing_shards, shards.unsettled) == (single.exit_code, (), 0) == (3, (), 0)


def test_the_ledger_has_a_line_for_every_spec_with_its_hashes(base: Path) -> None:
    records = read_ledger(base / "out").records
    run_line, *specs = records
    assert (run_line["record"], run_line["specs"], run_line["found"], run_line["shard"]) == ("run", 20, 20, None)
    assert [s["status"] for s in specs].count("rendered") == VALID
    assert sorted(s["key"] for s in specs) == sorted(p.relative_to(base / "specs").as_posix() for p in made_specs(base))
    assert any(s["key"].startswith("sub/") for s in specs)  # relative to the folder given, not file names
    for spec in specs:
        assert spec["spec_sha256"] is not None
        if spec["status"] == "rendered":
            ((output,),) = [spec["outputs"]]
            pdf = base / "out" / output["file"]
            assert output["file"] == f"{spec['contract_no']}.pdf"
            import hashlib

            assert hashlib.sha256(pdf.read_bytes()).hexdigest() == output["sha256"]
            assert set(spec["inputs"]) == {"contractgen", "templates_sha256", "fonts_sha256", "options_sha256"}
        else:
            assert spec["status"] == "invalid"
            assert spec["exit_code"] == 3
            assert spec["diagnostics"][0]["path"] == "fee.total"


def made_specs(base: Path) -> list[Path]:
    return sorted((base / "specs").rglob("*.yaml"))


def _recorded(out: Path) -> int:
    """How many specs the ledger in ``out`` records as rendered so far (its last line may be cut mid-way)."""
    try:
        lines = (out / LEDGER_NAME).read_bytes().split(b"\n")
    except FileNotFoundError:
        return 0
    return sum(1 for line in lines if b'"record":"spec"' in line and b'"status":"rendered"' in line)


def _kill_mid_way(specs: Path, out: Path) -> None:
    """A render of ``specs`` into ``out`` SIGKILLed (the whole process group, workers too) once two specs are
    made and recorded (a spec's file is written just before its ledger line: a kill between the two leaves a
    file the next run redoes, which says nothing of resume)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "contractgen", "render", str(specs), "-o", str(out), "--to", "pdf", "-j", "2"],
        env={**os.environ, "CI": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while _recorded(out) < 2:
        assert process.poll() is None, f"the run ended before it could be killed: {process.communicate()[1]!r}"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_a_run_killed_mid_way_and_resumed_equals_an_uninterrupted_run(base: Path, tmp_path: Path) -> None:
    shutil.copytree(base / "specs", tmp_path / "specs")
    out = tmp_path / "out"
    _kill_mid_way(tmp_path / "specs", out)
    made = len(list(out.glob("*.pdf")))  # (a staging folder the kill left is swept by the next run)
    assert 2 <= made < VALID, "the kill came too late to test anything"
    raw = (out / LEDGER_NAME).read_bytes()
    for line in raw.split(b"\n")[:-1]:  # every complete line is one JSON object, even after the kill
        assert isinstance(json.loads(line), dict)

    code, _, err = run("render", str(tmp_path / "specs"), "-o", str(out), "--to", "pdf", "--resume", "--summary")
    assert code == 3
    assert listing(out) == listing(base / "out")
    report = batch_report([out])
    assert _what(report, skipped_as="rendered") == _what(batch_report([base / "out"]))
    assert 2 <= report.counts["skipped"] <= made  # what the killed run finished and recorded is not redone
    assert report.counts["skipped"] + report.counts["rendered"] == VALID
    assert "份已跳过" in err


def _what(report: Any, skipped_as: str = "skipped") -> list[tuple[Any, ...]]:
    """What each spec of a report made, whatever folder its specs were named in (paths differ: here a copy)."""
    keep = ("key", "spec_sha256", "contract_no", "exit_code", "outputs")
    status = {"skipped": skipped_as}
    return [(*(spec[k] for k in keep), status.get(spec["status"], spec["status"])) for spec in report.specs]


def _resume(workspace: Path) -> dict[str, str]:
    code, _, _ = run("render", str(workspace / "specs"), "-o", str(workspace / "out"), "--to", "pdf", "--resume")
    assert code == 3
    return {spec["key"]: spec["status"] for spec in batch_report([workspace / "out"]).specs}


def test_a_tampered_output_is_redone_not_trusted(base: Path, workspace: Path) -> None:
    victim = sorted((workspace / "out").glob("*.pdf"))[0]
    victim.write_bytes(victim.read_bytes().replace(b"%%EOF", b"%%EOX"))  # same size, other bytes
    statuses = _resume(workspace)
    assert list(statuses.values()).count("rendered") == 1
    assert list(statuses.values()).count("skipped") == VALID - 1
    assert listing(workspace / "out") == listing(base / "out")


def test_a_changed_spec_is_redone_and_the_others_skipped(base: Path, workspace: Path) -> None:
    spec = workspace / "specs" / "ok-00.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("上海明远科技有限公司", "上海明远信息有限公司"), "utf-8")
    statuses = _resume(workspace)
    assert statuses["ok-00.yaml"] == "rendered"
    assert [key for key, status in statuses.items() if status == "skipped"] == sorted(
        key for key, status in statuses.items() if status != "invalid" and key != "ok-00.yaml"
    )
    changed = {name for name, data in listing(workspace / "out").items() if data != listing(base / "out")[name]}
    assert changed == {"KF-BATCH-0000.pdf"}


@pytest.mark.parametrize("changed", ["templates", "fonts"])
def test_a_changed_template_or_font_makes_every_spec_again(
    base: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    from contractgen.batch import resume

    real = resume._type_digests

    def other(contract_type: str, families: tuple[str, ...]) -> tuple[str, str]:
        templates, fonts = real(contract_type, families)
        return ("0" * 64, fonts) if changed == "templates" else (templates, "0" * 64)

    ledger = read_ledger(workspace / "out").records
    made = [r for r in ledger if r.get("status") == "rendered"]
    options = made[0]["inputs"]["options_sha256"]
    families = ("Noto Serif CJK SC", "Noto Sans CJK SC")
    proof = resume.Resume(workspace / "out", "render", families, options, enabled=True)
    spec_sha = {r["key"]: r["spec_sha256"] for r in made}
    assert all(proof.made(key, sha) is not None for key, sha in spec_sha.items())  # as they were: all made
    monkeypatch.setattr(resume, "_type_digests", other)
    assert all(proof.made(key, sha) is None for key, sha in spec_sha.items())  # now: none


def test_shard_must_be_k_of_n(base: Path, tmp_path: Path) -> None:
    code, _, err = run("render", str(base / "specs"), "-o", str(tmp_path), "--shard", "4/4")
    assert code == 2
    assert "0 ≤ K < N" in err


def test_batch_report_exits_with_the_unsharded_run_s_code_in_text_and_json(base: Path, run_json: Any) -> None:
    code, stdout, _ = run("batch-report", str(base / "out" / LEDGER_NAME))
    assert code == 3
    assert (
        stdout.splitlines()[-1]
        == f"账本 1 个，规格 20 份：{VALID} 份已生成，0 份已跳过（此前已生成），{INVALID} 份规格有错误，0 份生成失败"
    )
    assert f"{base / 'specs' / 'bad-09.yaml'}: invalid（退出码 3）" in stdout
    result = run_json("batch-report", str(base / "out"))  # checked against docs/json-output.schema.json
    envelope = result.envelope
    assert (result.code, envelope["exit_code"], envelope["ok"]) == (3, 3, False)
    assert [f["key"] for f in envelope["files"]] == sorted(f["key"] for f in envelope["files"])
    assert envelope["summary"]["rendered"] == VALID
