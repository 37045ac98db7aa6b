"""The recipes of docs/scale.md: the GNU parallel one run as written; the GitHub Actions matrix and the Kubernetes
Indexed Job checked against the fields of their schemas they rely on (neither runs here: no runner, no cluster).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from contractgen.batch import batch_report

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "scale.md"
WORKFLOW = ROOT / "docs" / "ci" / "github-actions-shards.yml"
JOB = ROOT / "docs" / "k8s" / "contractgen-indexed-job.yaml"
APT_PACKAGES = ROOT / "tools" / "apt-packages.txt"


def _block(heading: str) -> str:
    """The first ```sh block under ``heading`` in docs/scale.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match is not None, heading
    return match.group(1)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("parallel") is None, reason="GNU parallel is not installed (tools/apt-packages-test.txt)"
)
def test_the_gnu_parallel_recipe_bundles_every_spec_once_and_reports_them(tmp_path: Path) -> None:
    from batch_specs import make_folder

    make_folder(tmp_path / "contracts", valid=3, invalid=2)
    scripts = Path(sys.executable).parent  # this environment's contractgen, first on PATH
    assert (scripts / "contractgen").is_file()
    env = {"PATH": f"{scripts}:/usr/bin:/bin", "N": "2", "CI": "true", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["bash", "-eu", "-c", _block("## On one machine: GNU parallel")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 3, done.stderr  # the report's verdict: two specs are invalid
    assert done.stdout.splitlines()[-1].startswith("账本 2 个，规格 5 份：3 份已生成"), done.stderr
    report = batch_report(sorted((tmp_path / "bundles").glob("shard-*")))
    assert report.shards == ("0/2", "1/2")
    assert sorted(spec["key"] for spec in report.specs) == sorted(
        p.relative_to(tmp_path / "contracts").as_posix() for p in (tmp_path / "contracts").rglob("*.yaml")
    )
    bundles = sorted(p.name for p in (tmp_path / "bundles").glob("shard-*/KF-*.zip"))
    assert bundles == ["KF-BATCH-0000.zip", "KF-BATCH-0001.zip", "KF-BATCH-0002.zip"]


def _apt_list() -> list[str]:
    text = APT_PACKAGES.read_text(encoding="utf-8")
    return [word for line in text.splitlines() for word in line.split("#", 1)[0].split()]


def test_the_workflow_runs_every_shard_of_n_and_a_report_after_them() -> None:
    workflow: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    shards = int(workflow["env"]["SHARDS"])
    bundle, report = workflow["jobs"]["bundle"], workflow["jobs"]["report"]
    assert bundle["strategy"]["matrix"]["shard"] == list(range(shards))
    assert bundle["strategy"]["fail-fast"] is False
    runs = [step["run"] for step in bundle["steps"] if "run" in step]
    (command,) = [run for run in runs if "contractgen bundle" in run]
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in command
    assert '-o "bundles/shard-${{ matrix.shard }}"' in command
    # The same system packages as tools/apt-packages.txt (as tests/test_ci_workflow.py keeps the other workflow).
    (apt,) = [run for run in runs if "apt-get install" in run]
    installed = [w for w in apt.replace("\\\n", " ").split("install", 1)[1].split() if not w.startswith("-")]
    assert sorted(installed) == sorted(_apt_list())
    assert 'python -m pip install "$CONTRACTGEN"' in runs
    (upload,) = [step for step in bundle["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["if"] == "always()"  # a shard with an invalid spec still hands over its ledger
    assert (report["needs"], report["if"]) == ("bundle", "always()")
    (download,) = [step for step in report["steps"] if step.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"] == {"pattern": "bundles-shard-*", "path": "bundles"}
    assert any("contractgen batch-report bundles/*/" in step.get("run", "") for step in report["steps"])
    expressions = set(re.findall(r"\$\{\{\s*(.*?)\s*\}\}", WORKFLOW.read_text(encoding="utf-8")))
    assert expressions == {"matrix.shard"}


#: The fields of batch/v1 Job (Kubernetes API reference) the manifest relies on, as a JSON Schema.
INDEXED_JOB = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "batch/v1"},
        "kind": {"const": "Job"},
        "metadata": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "spec": {
            "type": "object",
            "required": ["completionMode", "completions", "parallelism", "template"],
            "properties": {
                "completionMode": {"const": "Indexed"},
                "completions": {"type": "integer", "minimum": 1},
                "parallelism": {"type": "integer", "minimum": 1},
                "backoffLimit": {"type": "integer", "minimum": 0},
                "template": {
                    "type": "object",
                    "required": ["spec"],
                    "properties": {
                        "spec": {
                            "type": "object",
                            "required": ["restartPolicy", "containers"],
                            "properties": {
                                "restartPolicy": {"enum": ["Never", "OnFailure"]},
                                "containers": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {
                                        "type": "object",
                                        "required": ["name", "image", "command", "args", "env"],
                                        "properties": {
                                            "command": {"type": "array", "items": {"type": "string"}},
                                            "args": {"type": "array", "items": {"type": "string"}},
                                            "env": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["name", "value"],
                                                    "properties": {"value": {"type": "string"}},
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                        }
                    },
                },
            },
        },
    },
}


def test_the_indexed_job_gives_each_pod_its_index_as_k_of_the_completions() -> None:
    job: dict[str, Any] = yaml.safe_load(JOB.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(INDEXED_JOB).validate(job)
    (container,) = job["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    assert int(env["SHARDS"]) == job["spec"]["completions"]
    script = " ".join(container["args"])
    assert container["command"] == ["sh", "-c"]
    assert '--shard "$JOB_COMPLETION_INDEX/$SHARDS"' in script
    assert '-o "/work/bundles/shard-$JOB_COMPLETION_INDEX"' in script
    assert "--resume" in script  # a pod started again with its index goes on where it stopped


@pytest.mark.parametrize(("code", "pod"), [(0, 0), (3, 0), (4, 0), (5, 5), (130, 130)])
def test_the_indexed_job_s_pod_fails_only_for_what_a_retry_can_mend(tmp_path: Path, code: int, pod: int) -> None:
    job: dict[str, Any] = yaml.safe_load(JOB.read_text(encoding="utf-8"))
    (container,) = job["spec"]["template"]["spec"]["containers"]
    stand_in = tmp_path / "contractgen"
    stand_in.write_text(f"#!/bin/sh\nexit {code}\n", encoding="utf-8")
    stand_in.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "JOB_COMPLETION_INDEX": "3", "SHARDS": "8", "JOBS": "2"}
    done = subprocess.run([*container["command"], *container["args"]], env=env, check=False)
    assert done.returncode == pod
