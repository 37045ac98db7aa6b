"""What the comparison tests share: a sample with some of its fields changed, written where a test can read it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CASES = ROOT / "tests" / "data" / "diff"


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.split(r"\.|\[|\]\.?", path) if p]


Edit = Callable[..., Path]


def edited(sample: str, edit: dict[str, Any], directory: Path, name: str = "new.yaml") -> Path:
    """``samples/<sample>`` with every field of ``edit`` (dotted path → value, None removes it) changed."""
    # BaseLoader: every scalar stays text, as the spec loader reads it (360000.00 is not turned into a float).
    data = yaml.load((SAMPLES / sample).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    for path, value in edit.items():
        *head, last = _parts(path)
        node = data
        for part in head:
            node = node[part]
        if value is None:
            del node[last]
        elif isinstance(node, list) and last == len(node):
            node.append(value)
        else:
            node[last] = value
    target = directory / name
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture
def edit_spec(tmp_path: Path) -> Edit:
    """``edit_spec(sample, {path: value}, name="new.yaml")``: the edited sample's path, in the test's folder."""

    def make(sample: str, edit: dict[str, Any], name: str = "new.yaml") -> Path:
        return edited(sample, edit, tmp_path, name)

    return make


@pytest.fixture(scope="session")
def edit_into() -> Callable[[str, dict[str, Any], Path], Path]:
    """``edit_into(sample, {path: value}, folder)``: as :func:`edit_spec`, into a folder of the caller's (for
    fixtures wider than one test)."""
    return edited
