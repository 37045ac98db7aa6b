"""./dev's own logic, without bats: the script runs in a temporary copy of the files it reads, with a PATH made here.

The PATH holds only the tools the script uses (bash, sed, awk, …, linked from this machine) and stand-ins: a
``python3`` that answers ``--version`` with the version a test gives it and fakes ``-m venv`` and ``-m pip``
(everything else goes to the real Python), ``dpkg-query`` answering from a list, ``apt-get``, ``sudo``, ``id``,
``dnf``, ``brew``, ``fc-list``. Every stand-in writes what it was asked into a log the tests read. Nothing here
runs apt-get or pip, nor creates a real virtual environment.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = (
    "bash",
    "env",
    "dirname",
    "awk",
    "sed",
    "tr",
    "grep",
    "cut",
    "sha256sum",
    "cat",
    "rm",
    "ls",
    "mkdir",
    "cp",
    "readlink",
)
APT = [w for line in (ROOT / "tools/apt-packages.txt").read_text().splitlines() for w in line.split("#")[0].split()]


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/bash\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return path


@dataclass
class Dev:
    """A copy of ./dev with its own PATH of stand-ins."""

    root: Path
    bin: Path
    log: Path
    template: Path

    def python(self, name: str, version: str, where: Path | None = None) -> Path:
        """A stand-in Python reporting ``version``; ``-m venv DIR`` makes DIR from the venv template."""
        return _script(
            (where or self.bin) / name,
            f'if [ "$1" = --version ]; then echo "Python {version}"; exit 0; fi\n'
            'if [ "$1 $2" = "-m venv" ]; then\n'
            f'  echo "{name} -m venv ${{*:3}}" >> "$FAKE_LOG"; dir="${{*: -1}}"\n'
            f'  mkdir -p "$dir"; cp -R "{self.template}/." "$dir/"; exit 0\n'
            "fi\n"
            'if [ "$1 $2" = "-m pip" ]; then echo "pip ${*:3}" >> "$FAKE_LOG"; exit 0; fi\n'
            'if [ "$1" = -m ] && [ "${2%%.*}" = contractgen ]; then echo "python -m $2" >> "$FAKE_LOG"; exit 0; fi\n'
            f'exec "{sys.executable}" "$@"\n',
        )

    def installed(self, *packages: str) -> None:
        """dpkg-query says these packages (and only these) are installed."""
        listing = " ".join(packages)
        _script(
            self.bin / "dpkg-query",
            f'for p in {listing}; do [ "$p" = "${{*: -1}}" ] && {{ echo -n "install ok installed"; exit 0; }}; done\n'
            "exit 1\n",
        )

    def without(self, *names: str) -> None:
        for name in names:
            (self.bin / name).unlink(missing_ok=True)

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        self.log.write_text("", encoding="utf-8")
        return subprocess.run(
            [str(self.root / "dev"), *args],
            env={"PATH": str(self.bin), "HOME": str(self.root), "LANG": "C.UTF-8", "FAKE_LOG": str(self.log), **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def calls(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def dev(tmp_path: Path) -> Dev:
    root = tmp_path / "repo"
    (root / "tools").mkdir(parents=True)
    for name in ("dev", "pyproject.toml", "tools/apt-packages.txt"):
        shutil.copy2(ROOT / name, root / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    log = tmp_path / "calls.log"
    template = tmp_path / "venv-template"
    (template / "bin").mkdir(parents=True)
    for tool in ("ruff", "mypy", "pytest"):
        _script(template / "bin" / tool, f'echo "{tool} $*" >> "$FAKE_LOG"\n')
    _script(
        template / "bin" / "contractgen",
        'echo "contractgen $*" >> "$FAKE_LOG"\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && mkdir -p "$2"; shift; done\n',
    )
    made = Dev(root, bin_dir, log, template)
    made.python("python", "3.11.7", where=template / "bin")
    made.python("python3", "3.11.7")
    made.installed(*APT)
    _script(bin_dir / "apt-get", 'echo "apt-get $*" >> "$FAKE_LOG"\n')
    _script(bin_dir / "id", 'echo "${FAKE_UID:-0}"\n')
    _script(bin_dir / "fc-list", 'echo "Noto Serif CJK SC"\n')
    _script(bin_dir / "pdftoppm", "exit 0\n")
    return made


# Commands -------------------------------------------------------------------------------------------------


def test_an_unknown_command_lists_the_commands_and_exits_2(dev: Dev) -> None:
    result = dev.run("foo")
    assert result.returncode == 2
    assert "unknown command 'foo'" in result.stderr
    for command in ("./dev sample", "./dev test", "./dev setup", "./dev system-packages", "./dev help"):
        assert command in result.stderr
    assert dev.calls() == []


@pytest.mark.parametrize("args", [(), ("help",), ("--help",)])
def test_help_prints_the_commands_and_succeeds(dev: Dev, args: tuple[str, ...]) -> None:
    result = dev.run(*args)
    assert result.returncode == 0
    assert "./dev sample [DIR]" in result.stdout
    assert "set -euo" not in result.stdout


# Python ---------------------------------------------------------------------------------------------------


def test_an_old_python_is_refused_before_anything_is_created(dev: Dev) -> None:
    dev.python("python3", "3.9.18")
    result = dev.run("sample")
    assert result.returncode == 1
    assert "needs Python >= 3.11, and python3 is Python 3.9" in result.stderr
    assert "Nothing was created or installed" in result.stderr
    assert not (dev.root / ".venv").exists()
    assert dev.calls() == []  # no apt-get, no venv, no pip


def test_an_old_python_names_a_newer_one_on_path(dev: Dev) -> None:
    dev.python("python3", "3.10.12")
    dev.python("python3.12", "3.12.3")
    result = dev.run("test")
    assert result.returncode == 1
    assert "PYTHON=python3.12 ./dev test" in result.stderr


def test_python_from_the_environment_is_the_one_checked(dev: Dev) -> None:
    old = dev.python("python3.9", "3.9.2")
    result = dev.run("sample", PYTHON=str(old))
    assert result.returncode == 1
    assert f"{old} is Python 3.9" in result.stderr

    result = dev.run("sample", PYTHON="no-such-python")
    assert result.returncode == 1
    assert "'no-such-python' is not on PATH" in result.stderr
    assert not (dev.root / ".venv").exists()


def test_a_python_that_does_not_run_is_refused(dev: Dev) -> None:
    _script(dev.bin / "python3", "exit 127\n")
    result = dev.run("sample")
    assert result.returncode == 1
    assert "'python3' does not run" in result.stderr


# System packages ------------------------------------------------------------------------------------------


def test_without_apt_it_says_what_to_install_and_exits_1(dev: Dev) -> None:
    dev.without("apt-get", "dpkg-query", "fc-list")
    result = dev.run("sample")
    assert result.returncode == 1, result.stderr
    assert "command not found" not in result.stderr
    assert "has no apt-get" in result.stderr
    assert "Noto Serif CJK SC" in result.stderr
    assert "Fedora:  sudo dnf install" in result.stderr
    assert "macOS:   brew install pango" in result.stderr
    assert not (dev.root / ".venv").exists()


@pytest.mark.parametrize(("manager", "shown", "hidden"), [("dnf", "Fedora:", "macOS:"), ("brew", "macOS:", "Fedora:")])
def test_without_apt_it_names_the_package_manager_there_is(dev: Dev, manager: str, shown: str, hidden: str) -> None:
    dev.without("apt-get", "dpkg-query", "fc-list")
    _script(dev.bin / manager, f'echo "{manager} $*" >> "$FAKE_LOG"\n')
    result = dev.run("sample")
    assert result.returncode == 1
    assert shown in result.stderr
    assert hidden not in result.stderr
    assert dev.calls() == []  # named, never run


def test_without_apt_tests_need_poppler_too(dev: Dev) -> None:
    dev.without("apt-get", "dpkg-query", "pdftoppm")
    # fc-list finds the fonts; the libraries are this machine's, found the way WeasyPrint finds them.
    sample = dev.run("sample")
    if "lacks" in sample.stderr and "poppler" not in sample.stderr:
        pytest.skip(f"this machine lacks a library ./dev looks for: {sample.stderr}")
    assert sample.returncode == 0, sample.stderr
    assert "no apt-get here" in sample.stderr
    result = dev.run("test")
    assert result.returncode == 1
    assert "poppler" in result.stderr


def test_missing_packages_are_installed_with_apt_get_as_root(dev: Dev) -> None:
    dev.installed(*(p for p in APT if p != "libharfbuzz-subset0"))
    result = dev.run("setup")
    assert result.returncode == 0, result.stderr
    apt = [call for call in dev.calls() if call.startswith("apt-get")]
    assert apt == [
        "apt-get update -q",
        "apt-get install -y -q --no-install-recommends libharfbuzz-subset0",
    ]


def test_not_root_and_no_sudo_says_how(dev: Dev) -> None:
    dev.installed(*(p for p in APT if p != "fonts-noto-cjk"))
    result = dev.run("setup", FAKE_UID="1000")
    assert result.returncode == 1
    assert "needs root" in result.stderr
    assert "apt-get install fonts-noto-cjk" in result.stderr
    assert dev.calls() == []

    _script(dev.bin / "sudo", 'echo "sudo $*" >> "$FAKE_LOG"\n')
    result = dev.run("setup", FAKE_UID="1000")
    assert result.returncode == 0, result.stderr
    assert "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends fonts-noto-cjk" in (
        dev.calls()
    )


def test_a_bare_debian_gets_python_from_apt(dev: Dev) -> None:
    # The container build: debian:12-slim has no Python at all. apt-get brings python3 and python3-venv,
    # and ./dev checks the Python it brought.
    dev.without("python3")
    _script(
        dev.bin / "apt-get",
        'echo "apt-get $*" >> "$FAKE_LOG"\n'
        f'case "$*" in *python3-venv*) cp "{dev.template}/bin/python" "{dev.bin}/python3";; esac\n',
    )
    result = dev.run("system-packages")
    assert result.returncode == 0, result.stderr
    assert "apt-get install -y -q --no-install-recommends python3 python3-venv" in dev.calls()[1]


# The virtual environment and the stamp --------------------------------------------------------------------


def _pip_installs(calls: list[str]) -> list[str]:
    return [call for call in calls if call.startswith("pip install") and "--upgrade pip" not in call]


def test_sample_installs_without_the_test_tools_and_test_with_them(dev: Dev) -> None:
    first = dev.run("sample", "out")
    assert first.returncode == 0, first.stderr
    assert "python3 -m venv " in dev.calls()[0]
    assert _pip_installs(dev.calls()) == ["pip install -e ."]
    assert "contractgen render samples/customer-service.yaml -o out" in dev.calls()
    # The shipped templates are compiled into the venv before the sample renders (document/template_cache.py).
    calls = dev.calls()
    compiled = calls.index("python -m contractgen.document.template_cache")
    assert compiled < calls.index("contractgen render samples/customer-service.yaml -o out")

    dev.run("sample")
    assert _pip_installs(dev.calls()) == []  # done already

    tested = dev.run("test", "-k", "x")
    assert tested.returncode == 0, tested.stderr
    assert _pip_installs(dev.calls()) == ["pip install -e .[test]"]  # a sample install is not a test install
    assert [c.split()[0] for c in dev.calls() if c.split()[0] in {"ruff", "mypy", "pytest"}] == [
        "ruff",
        "mypy",
        "pytest",
    ]
    # CI lints every contract type (docs/lint.md) after the linters and before the tests.
    ran = [c.strip() for c in dev.calls() if c.split()[0] in {"mypy", "contractgen", "pytest"}]
    assert ran[ran.index("mypy") + 1 :][:2] == ["contractgen lint", "pytest -q -n auto -k x"]
    assert "pytest -q -n auto -k x" in dev.calls()

    dev.run("sample")
    assert _pip_installs(dev.calls()) == []  # the test install serves rendering too
    dev.run("test")
    assert _pip_installs(dev.calls()) == []


def test_a_changed_pyproject_reinstalls(dev: Dev) -> None:
    dev.run("setup")
    assert _pip_installs(dev.calls()) == ["pip install -e .[test]"]
    with (dev.root / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("\n# a new dependency\n")
    dev.run("sample")
    assert _pip_installs(dev.calls()) == ["pip install -e ."]
    dev.run("test")
    assert _pip_installs(dev.calls()) == ["pip install -e .[test]"]


def test_pip_output_is_shown_for_the_long_install(dev: Dev) -> None:
    dev.run("setup")
    (long_install,) = _pip_installs(dev.calls())
    assert "-q" not in long_install.split()


@pytest.mark.parametrize(
    ("make_broken", "reason"),
    [
        (lambda bin_dir: _script(bin_dir / "python", "exit 1\n"), ".venv/bin/python does not run"),
        (
            lambda bin_dir: (bin_dir / "python").symlink_to("/gone/python3.11"),
            ".venv/bin/python does not run: it points to /gone/python3.11, which is gone",
        ),
        (lambda bin_dir: _script(bin_dir / "python", 'echo "Python 3.9.2"\n'), "it was made by Python 3.9"),
        (lambda bin_dir: None, "it has no bin/python"),
    ],
    ids=["fails", "dangling", "old", "empty"],
)
def test_a_wrong_venv_is_recreated_and_said_so(dev: Dev, make_broken: object, reason: str) -> None:
    broken = dev.root / ".venv" / "bin"
    broken.mkdir(parents=True)
    (dev.root / ".venv" / "stale-marker").write_text("", encoding="utf-8")
    make_broken(broken)  # type: ignore[operator]
    result = dev.run("setup")
    assert result.returncode == 0, result.stderr
    assert f"recreating .venv: {reason}" in result.stderr
    assert not (dev.root / ".venv" / "stale-marker").exists()
    assert any(" -m venv " in call for call in dev.calls())
    assert _pip_installs(dev.calls()) == ["pip install -e .[test]"]


def test_a_venv_of_another_version_than_python_is_recreated(dev: Dev) -> None:
    dev.run("setup")
    newer = dev.python("python3.12", "3.12.3")
    result = dev.run("setup", PYTHON=str(newer))
    assert "recreating .venv: it was made by Python 3.11" in result.stderr
    assert f"python3.12 -m venv {dev.root / '.venv'}" in dev.calls()
    result = dev.run("setup")  # without PYTHON, any recent enough .venv is kept
    assert "recreating" not in result.stderr


def test_a_good_venv_is_kept(dev: Dev) -> None:
    dev.run("setup")
    result = dev.run("setup")
    assert result.returncode == 0
    assert "recreating" not in result.stderr
    # Nothing made or installed again; only the shipped templates are compiled again (edits since included).
    assert dev.calls() == ["python -m contractgen.document.template_cache"]


# What ./dev says and what the README says -----------------------------------------------------------------


def test_the_install_commands_for_other_systems_are_the_readmes() -> None:
    script = (ROOT / "dev").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("dnf_command", "brew_command"):
        match = re.search(rf'^{name}="([^"]+)"$', script, re.MULTILINE)
        assert match, name
        assert match.group(1) in readme, name


def test_the_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(ROOT / "dev")], check=True)
    if shutil.which("shellcheck"):
        result = subprocess.run(["shellcheck", str(ROOT / "dev")], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout
