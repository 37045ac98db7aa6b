"""The Dockerfile builds an image that renders a folder of specs, run with the README's own ``docker run`` line.

The checks of the files run everywhere. The build runs where a container engine works (podman, or docker with a
running daemon) and already has the base image ``debian:12-slim``: the test never pulls, since Docker Hub is not
reachable from every machine (not from the ones contractgen's CI runs on); without either it is skipped, and
says which was missing. Where Debian's mirror is reachable but Docker Hub is not, a stand-in base image can be
made from Debian's own packages::

    debootstrap --variant=minbase bookworm /tmp/bookworm
    tar -C /tmp/bookworm -c . | podman import - docker.io/library/debian:12-slim

The image is built from a fresh ``git clone`` (so from what is committed, through .dockerignore), then runs the
README's line on a folder holding the sample spec, once more as an unprivileged user, and ``doctor``.

With podman, a few flags keep it working in sandboxed machines, and change nothing elsewhere: explicit, lower
``--ulimit`` values (a runtime without CAP_SYS_RESOURCE cannot raise the limits to podman's defaults), the first
OCI runtime that can start a container here (crun, else runc), ``--network host`` for the build's apt-get and
pip, and the CA bundle that ``PIP_CERT`` names (a TLS-intercepting proxy), handed to pip inside the build.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "debian:12-slim"
README_LINE = 'docker run --rm -v "$PWD:/work" contractgen render /work/specs -o /work/out'
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]


def test_the_dockerfile_builds_on_debian_12_slim_with_the_developers_install_step() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM debian:12-slim$", text, re.MULTILINE)
    assert "COPY tools/apt-packages.txt" in text
    assert "RUN ./dev system-packages" in text  # the package list is read in one place: ./dev
    assert 'ENTRYPOINT ["contractgen"]' in text


def test_the_build_context_leaves_out_the_local_environment() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for name in (".git", ".venv", "**/__pycache__", "out"):
        assert name in ignored


def test_the_readme_gives_the_line_that_renders_a_folder() -> None:
    assert README_LINE in (ROOT / "README.md").read_text(encoding="utf-8")


@dataclass
class Engine:
    command: str
    flags: list[str] = field(default_factory=list)  # for `run` and `build`

    def __call__(self, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.command, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )


def _engine() -> Engine:
    """A container engine that can start a container of the base image here, or a skip saying why not."""
    if shutil.which("podman"):
        engine = Engine("podman")
        if engine("image", "exists", BASE).returncode != 0:
            pytest.skip(f"podman has no {BASE} image, and this test never pulls one (see the module's docstring)")
        errors = []
        runtimes = [None] + [name for name in ("runc", "crun") if shutil.which(name)]
        for runtime in runtimes:
            flags = [*LIMITS, *(["--runtime", runtime] if runtime else [])]
            probe = engine("run", "--rm", "--pull=never", *flags, BASE, "true", timeout=60)
            if probe.returncode == 0:
                return Engine("podman", flags)
            errors.append(f"{runtime or 'default runtime'}: {probe.stderr.strip()[-300:]}")
        pytest.skip("podman cannot start a container here: " + " | ".join(errors))
    if shutil.which("docker"):
        engine = Engine("docker")
        if engine("info").returncode != 0:
            pytest.skip("the docker command is here, but no Docker daemon answers (and podman is not installed)")
        if engine("image", "inspect", BASE).returncode != 0:
            pytest.skip(f"docker has no {BASE} image, and this test never pulls one")
        return engine
    pytest.skip("no container engine: neither podman nor docker is installed")


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, str]]:
    engine = _engine()
    clone = tmp_path_factory.mktemp("context") / "contractgen"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    tag = f"localhost/contractgen-test:{os.getpid()}"
    build = ["build", "--tag", tag, *engine.flags]
    if engine.command == "podman":
        build += ["--pull=never", "--network", "host"]
        ca = os.environ.get("PIP_CERT")
        if ca and Path(ca).is_file():
            build += ["--volume", f"{ca}:/run/host-ca.crt:ro", "--env", "PIP_CERT=/run/host-ca.crt"]
    built = engine(*build, str(clone), timeout=1200)
    assert built.returncode == 0, f"the image did not build:\n{built.stdout[-4000:]}\n{built.stderr[-4000:]}"
    yield engine, tag
    engine("rmi", "--force", tag)


def _readme_run(engine: Engine, tag: str, workdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The README's line, with this engine, its flags, this folder for $PWD and the test's image name."""
    args = shlex.split(README_LINE.replace("$PWD", str(workdir)))
    assert args[:2] == ["docker", "run"]
    rest = args[2:]
    rest[rest.index("contractgen")] = tag
    return engine("run", *engine.flags, *extra, *rest, timeout=300)


@pytest.mark.slow
def test_the_image_renders_a_folder_of_specs(image: tuple[Engine, str], tmp_path: Path) -> None:
    engine, tag = image
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "samples" / "customer-service.yaml", tmp_path / "specs")
    result = _readme_run(engine, tag, tmp_path)
    assert result.returncode == 0, result.stderr
    outputs = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert outputs == ["KF-2026-0001.docx", "KF-2026-0001.pdf"]

    from pypdf import PdfReader

    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(tmp_path / "out" / "KF-2026-0001.pdf").pages[:2]
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts  # the Chinese faces, embedded


@pytest.mark.slow
def test_the_image_runs_as_any_user(image: tuple[Engine, str], tmp_path: Path) -> None:
    engine, tag = image
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "samples" / "customer-service.yaml", tmp_path / "specs")
    tmp_path.chmod(0o777)
    result = _readme_run(engine, tag, tmp_path, "--user", "65534:65534")
    assert result.returncode == 0, result.stderr
    assert "Fontconfig error" not in result.stderr
    assert (tmp_path / "out" / "KF-2026-0001.pdf").stat().st_uid in {65534, os.getuid()}


@pytest.mark.slow
def test_the_image_has_what_rendering_needs(image: tuple[Engine, str]) -> None:
    engine, tag = image
    result = engine("run", "--rm", *engine.flags, tag, "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✗" not in result.stdout
