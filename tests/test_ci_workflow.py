"""The GitHub Actions workflow users copy, docs/ci/github-actions.yml, is run here step by step.

Its ``run:`` steps are taken in order and run with bash the way a runner does (``bash --noprofile --norc -eo
pipefail``, the job's and the step's ``env:``), in a fresh ``git clone`` of this repository that has a
``contracts/`` folder holding a copy of samples/customer-service.yaml. So the recipe in the docs is the one that
was run, with its default ``CONTRACTGEN: "."`` (install this checkout). The ``uses:`` steps are stood in for: the
clone is actions/checkout; a virtual environment of the current Python, first on PATH, is actions/setup-python;
the upload-artifact step checks that its ``path:`` matches files.

What differs from a runner, and only this:

- ``sudo`` runs its command as it is (a stand-in first on PATH): the tests run as root, like CI here;
- the apt step is skipped when every package it names is installed already (./dev installed them on this
  machine); with one missing, the whole test is skipped, since a test never runs apt-get;
- pip works offline and in seconds. The virtual environment is made ``--without-pip`` and sees the test
  environment's packages (pip itself, contractgen's dependencies, hatchling to build it) through a ``.pth`` file;
  ``PIP_NO_INDEX=1 PIP_NO_DEPS=1 PIP_NO_BUILD_ISOLATION=0`` (pip reads that last one inverted: 0 turns isolation
  off) make the workflow's own, unchanged ``python -m pip install "$CONTRACTGEN"`` build the clone with that
  hatchling and install it alone. The installed package is the clone's, in the new environment;
- ``${{ secrets.* }}`` are empty: no signing key, so unsigned bundles (the workflow's documented default). Any
  other ``${{ }}`` expression fails the test, so that a new one is stood in for on purpose.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
APT_PACKAGES = ROOT / "tools" / "apt-packages.txt"
SHELL = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]  # GitHub's `shell: bash`
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def _job() -> dict[str, Any]:
    (job,) = _workflow()["jobs"].values()
    return dict(job)


def _apt_list() -> list[str]:
    text = APT_PACKAGES.read_text(encoding="utf-8")
    return [word for line in text.splitlines() for word in line.split("#", 1)[0].split()]


def _apt_installs(script: str) -> list[str] | None:
    """The packages an ``apt-get install`` in this script names, or None when it has none."""
    joined = script.replace("\\\n", " ")
    for line in joined.splitlines():
        words = line.split()
        if "apt-get" in words and "install" in words[words.index("apt-get") :]:
            after = words[words.index("install", words.index("apt-get")) + 1 :]
            return [word for word in after if not word.startswith("-")]
    return None


def _expand(text: str) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if re.fullmatch(r"secrets\.\w+", expression):
            return ""
        raise AssertionError(f"no stand-in for the expression ${{{{ {expression} }}}} in {WORKFLOW.name}")

    return EXPRESSION.sub(value, text)


def _installed(package: str) -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    ).stdout
    return status.endswith("install ok installed")


def test_the_workflow_installs_the_system_packages_of_tools_apt_packages() -> None:
    # The workflow is copied into other repositories, which have no tools/apt-packages.txt: it keeps its own
    # list, and this keeps the two the same.
    lists = [_apt_installs(step["run"]) for step in _job()["steps"] if "run" in step]
    installs = [packages for packages in lists if packages is not None]
    assert len(installs) == 1
    assert sorted(installs[0]) == sorted(_apt_list())


def test_the_pinned_alternative_is_a_requirement_pip_takes() -> None:
    from packaging.requirements import Requirement

    text = WORKFLOW.read_text(encoding="utf-8")
    (line,) = re.findall(r'#\s+CONTRACTGEN: "(contractgen @ [^"]+)"', text)
    requirement = Requirement(line)
    assert requirement.name == "contractgen"
    assert requirement.url is not None
    assert requirement.url.startswith("git+https://")
    assert requirement.url.endswith("@TAG")
    assert _job()["env"]["CONTRACTGEN"] == "."  # the default, run below


def test_the_workflow_installs_from_a_repository_not_from_a_package_index() -> None:
    runs = [step["run"] for step in _job()["steps"] if "run" in step]
    (install,) = [run for run in runs if "pip install" in run]
    assert install.strip() == 'python -m pip install "$CONTRACTGEN"'


def _setup_python(env_dir: Path) -> Path:
    """A stand-in for actions/setup-python: the current Python, with the test environment's packages."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    site = Path(
        subprocess.run(
            [str(env_dir / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # A path added by a .pth file has its own .pth files ignored: the editable contractgen of the test
    # environment stays invisible, and the environment gets the clone's.
    (site / "_test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env_dir / "bin"


def _fake_sudo(bin_dir: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    sudo = bin_dir / "sudo"
    sudo.write_text(
        '#!/bin/sh\n[ "$(id -u)" -eq 0 ] || { echo "stand-in sudo: not root" >&2; exit 1; }\nexec "$@"\n',
        encoding="utf-8",
    )
    sudo.chmod(0o755)


@pytest.mark.slow
def test_the_workflow_runs_on_a_fresh_clone_with_a_contracts_folder(tmp_path: Path) -> None:
    job = _job()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")

    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    (clone / "contracts").mkdir()
    shutil.copy(ROOT / "samples" / "customer-service.yaml", clone / "contracts" / "customer-service.yaml")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    stand_ins = tmp_path / "stand-ins"
    _fake_sudo(stand_ins)

    env = {
        **os.environ,
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(clone),
        "RUNNER_TEMP": str(runner_temp),
        "PIP_NO_INDEX": "1",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PATH": f"{stand_ins}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("VIRTUAL_ENV", None)
    env.update({name: _expand(str(value)) for name, value in job.get("env", {}).items()})

    ran: list[str] = []
    for number, step in enumerate(steps, 1):
        name = step.get("name") or step.get("uses") or f"step {number}"
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            assert number == 1, "the checkout must come first"
            continue
        if uses.startswith("actions/setup-python@"):
            wanted = tuple(int(part) for part in str(step["with"]["python-version"]).split("."))
            assert sys.version_info[:2] >= wanted[:2] >= (3, 11), (sys.version_info, wanted)
            python_bin = _setup_python(tmp_path / "setup-python")
            env["PATH"] = f"{python_bin}{os.pathsep}{env['PATH']}"
            continue
        if uses.startswith("actions/upload-artifact@"):
            pattern = step["with"]["path"]
            found = glob.glob(pattern, root_dir=clone)
            if step["with"].get("if-no-files-found") == "error":
                assert found, f"upload-artifact would fail: nothing matches {pattern}"
            ran.append(f"{name}: {sorted(found)}")
            continue
        assert not uses, f"no stand-in for the action {uses}"

        script = _expand(step["run"])
        packages = _apt_installs(script)
        if packages is not None:
            missing = [package for package in packages if not _installed(package)]
            if missing:
                pytest.skip(f"the workflow's apt step would install {missing}; this test never runs apt-get")
            continue  # every package is installed already: the step would change nothing

        step_env = {**env, **{key: _expand(str(value)) for key, value in step.get("env", {}).items()}}
        result = subprocess.run(
            [*SHELL, "-c", script],
            cwd=clone,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"step {name!r} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        ran.append(name)

    installed = subprocess.run(
        ["python", "-c", "import contractgen; print(contractgen.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(str(tmp_path / "setup-python")), installed
    assert sorted(p.name for p in (clone / "bundles").glob("*.zip")) == ["KF-2026-0001.zip"]
    assert (clone / "bundles" / "KF-2026-0001" / "manifest.json").is_file()
    assert len(ran) == len(steps) - 2 - 1  # all but checkout, setup-python and the apt step
