"""The committed Word house template is what tools/make_house_template.py builds, and is reproducible."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from types import ModuleType

from render_helpers import ROOT

SCRIPT = ROOT / "tools" / "make_house_template.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_house_template", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_house_template_is_up_to_date() -> None:
    script = load_script()
    assert script.build() == script.OUTPUT.read_bytes(), "run tools/make_house_template.py"


def test_it_has_no_theme_and_names_its_placeholder() -> None:
    data = (ROOT / "templates" / "zh" / "house.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert not any("theme" in name for name in names)
        assert "{{ contract_no }}" in archive.read("word/header1.xml").decode()
        assert b"<w:body><w:sectPr>" in archive.read("word/document.xml")  # an empty body: the writer fills it
