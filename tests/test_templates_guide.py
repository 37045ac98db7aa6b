"""docs/templates.md's walk, done as a template author does it: the guide's example type ``nda`` (保密协议), written
from the guide's code blocks into a copy of the checkout, then linted, validated and rendered by the commands the
guide names — and lint catches the mistakes the guide warns of, at their file and line.

Each file of the example is a fenced block in the guide preceded by a line holding only its path in backticks and
a colon (`` `templates/zh/nda/parts.yaml`: ``). The checkout's src/, templates/, schemas/, samples/ and
pyproject.toml are copied (contractgen.resources finds templates/ and schemas/ next to src/), so the new type is
found the way a real one is, and the checkout itself is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from render_helpers import docx_text, pdf_page_bodies

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "templates.md"
CONTRACT = "templates/zh/nda/contract.xml.j2"

pytestmark = pytest.mark.slow

_BLOCK = re.compile(r"^`(?P<path>(?:templates|schemas|samples)/[^`]+)`:\n\n```[a-z]*\n(?P<body>.*?)\n```$", re.M | re.S)


def guide_files() -> dict[str, str]:
    """The example's files, by path, as the guide prints them."""
    files = {m["path"]: m["body"] + "\n" for m in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert files, "docs/templates.md shows no example file (a line `PATH`: before a fenced block)"
    return files


def run(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(checkout / "src"),
        "SOURCE_DATE_EPOCH": "1796256000",  # 2026-12-03: the sample's signing date is near it
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", *args], check=False, cwd=checkout, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guide")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("src", "templates", "schemas", "samples"):
        shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    for path, text in guide_files().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_the_guide_shows_every_file_of_a_type() -> None:
    assert set(guide_files()) == {
        "templates/zh/nda/parts.yaml",
        "templates/zh/nda/nda_rules.py",
        CONTRACT,
        "templates/zh/nda/annex-01-scope.xml.j2",
        "schemas/nda.schema.json",
        "samples/nda.yaml",
    }


def test_the_walk_lints_validates_and_renders(checkout: Path) -> None:
    messages = run(checkout, "contractgen.validation.editor_messages", "--write")
    assert messages.returncode == 0, messages.stdout + messages.stderr
    assert "nda.schema.json" in messages.stdout
    lint = run(checkout, "contractgen", "lint", "nda")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    validate = run(checkout, "contractgen", "validate", "samples/nda.yaml")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    render = run(checkout, "contractgen", "render", "samples/nda.yaml", "-o", "out")
    assert render.returncode == 0, render.stdout + render.stderr

    docx = docx_text((checkout / "out" / "BM-2026-0007.docx").read_bytes())
    pdf = "".join(pdf_page_bodies((checkout / "out" / "BM-2026-0007.pdf").read_bytes()))
    for text in (docx, pdf):
        assert "接收方的保密义务自本协议生效之日起三年。" in text
        assert "应向披露方支付违约金人民币伍万元整（¥50,000.00）。" in text
        assert "本协议一式两份，披露方执一份，接收方执一份。" in text
        assert "附件一：保密信息清单" in text
        assert "报价和成本资料" in text


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("｛｛ years_cn ｝｝", "lint.fullwidth-open"),  # braces typed with a Chinese input method
        ("{{ year_cn }}", "lint.undefined-name"),  # a name the context does not have
    ],
)
def test_lint_names_the_file_and_line_of_a_typical_mistake(checkout: Path, typed: str, rule: str) -> None:
    template = checkout / CONTRACT
    good = template.read_text(encoding="utf-8")
    line = _line_of(good, "{{ years_cn }}")
    template.write_text(good.replace("{{ years_cn }}", typed), encoding="utf-8")
    try:
        lint = run(checkout, "contractgen", "lint", "nda")
    finally:
        template.write_text(good, encoding="utf-8")
    assert lint.returncode == 4, lint.stdout + lint.stderr
    assert re.search(rf"^{re.escape(CONTRACT)}:{line}:\d+: .*\[{re.escape(rule)}\]$", lint.stdout, re.M), lint.stdout
