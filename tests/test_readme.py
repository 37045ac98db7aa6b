"""The README's promises link to the tests that hold them: every link must lead to a test file that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_the_readme_links_to_exists() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## What it promises") : text.index("## Layout")]
    links = re.findall(r"\]\((tests/[^)]+)\)", section)
    assert len(links) >= 10
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, missing
