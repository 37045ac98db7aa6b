"""The built wheel carries the templates and schemas and works outside the source checkout.

The wheel is built without network (hatchling from the test environment), unpacked into a fresh virtual
environment whose only other path is the test environment's third-party packages, and run from a directory far
from the checkout — so a file read from the checkout instead of the package would fail here.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = dist.glob("contractgen-*.whl")
    return built


@pytest.fixture(scope="module")
def clean_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # Third-party dependencies come from the test environment; its .pth files (the editable install of
    # contractgen among them) are not processed for a path added this way, so the checkout stays invisible.
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def test_wheel_contains_templates_schemas_and_entry_point(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "contractgen/_data/schemas/customer-service.schema.json" in names
    assert "contractgen/_data/templates/zh/customer-service/parts.yaml" in names
    assert "contractgen/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "contractgen = contractgen.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_renders_the_sample_outside_the_checkout(clean_python: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes((ROOT / "samples" / "customer-service.yaml").read_bytes())
    where = subprocess.run(
        [str(clean_python), "-c", "import contractgen.resources as r; print(r.data_dir('templates'))"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert "_data" in where
    assert str(ROOT) not in where
    result = subprocess.run(
        [str(clean_python), "-m", "contractgen", "render", str(spec), "-o", str(tmp_path / "out")],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if p.name not in (".contractgen.json", "batch.jsonl"))
    assert names == ["KF-2026-0001.docx", "KF-2026-0001.pdf"]
