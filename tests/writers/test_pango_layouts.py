"""Pango layouts kept from layout to drawing: the same bytes, fewer layouts made.

WeasyPrint makes a text box's Pango layout again to draw it; inside ``kept_layouts`` (every contractgen render)
the layout it laid the line out with is drawn instead, when making it again would give the same one.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest
from render_helpers import SAMPLES, counted_calls, sample_pdf, without_change

from contractgen.writers.pango_layouts import kept_layouts

pytestmark = pytest.mark.slow


def counted_setups() -> contextlib.AbstractContextManager[list[int]]:
    """How many Pango layouts WeasyPrint makes inside the block (``Layout.setup``: new and made again)."""
    from weasyprint.text.line_break import Layout

    return counted_calls(Layout, "setup")


@pytest.mark.parametrize("spec", sorted(SAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_sample_is_the_same_bytes_with_its_layouts_kept(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with counted_setups() as kept:
        data = sample_pdf(spec)
    without_change(monkeypatch, kept_layouts)
    with counted_setups() as made_again:
        assert sample_pdf(spec) == data
    # Each line drawn is a layout not made again: a third of all layouts and more.
    assert kept[0] < made_again[0] * 2 / 3


@pytest.mark.parametrize(("style", "kept"), [("", True), ("letter-spacing: 1pt", False), ("word-spacing: 4pt", False)])
def test_a_layout_with_letter_or_word_spacing_is_made_again(style: str, kept: bool) -> None:
    # Set again on a kept layout, such spacing would stay where the text it was set for had its spaces.
    import weasyprint

    from contractgen.writers.pango_layouts import kept_layouts

    html = f'<p style="width: 30mm; {style}">甲方 乙方 丙方 丁方 甲方 乙方 丙方 丁方</p>'
    with counted_setups() as made_again:
        plain = weasyprint.HTML(string=html).write_pdf()
    with counted_setups() as calls, kept_layouts():
        assert weasyprint.HTML(string=html).write_pdf() == plain
    assert (calls[0] < made_again[0]) == kept


def test_outside_the_block_weasyprint_makes_its_layouts_again() -> None:
    # In a fresh process each, with the change installed and without: outside kept_layouts, the same layouts
    # are made and the same bytes written.
    code = (
        "import sys, weasyprint\n"
        "from weasyprint.text import line_break\n"
        "if sys.argv[1] == 'installed':\n"
        "    from contractgen.writers.pango_layouts import install\n"
        "    install(line_break)\n"
        "calls = [0]\n"
        "setup = line_break.Layout.setup\n"
        "def counting(self, style):\n"
        "    calls[0] += 1\n"
        "    setup(self, style)\n"
        "line_break.Layout.setup = counting\n"
        "data = weasyprint.HTML(string='<p>甲方乙方 contract 丙方</p>' * 20).write_pdf()\n"
        "print(calls[0], len(data))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code, which], capture_output=True, text=True, check=True).stdout
        for which in ("plain", "installed")
    ]
    assert runs[0] == runs[1]
