"""Box backgrounds decided once per style: the same bytes, and WeasyPrint's own pass only where a box draws one.

Inside ``styles_decided`` (every contractgen render) a box whose style has no radius, border or mask image,
shadow or background gets what WeasyPrint's pass would give it without the pass; any other box goes through it.
"""

from __future__ import annotations

import contextlib

from render_helpers import counted_calls

from contractgen.writers.box_backgrounds import styles_decided


def passes_of_weasyprint() -> contextlib.AbstractContextManager[list[int]]:
    """How many boxes WeasyPrint's own pass visits inside the block (it resolves each one's radii first)."""
    from weasyprint.layout import background

    return counted_calls(background, "resolve_radii_percentages")


#: Boxes that draw something of their own beside plain ones, each a different reason to take WeasyPrint's pass.
STYLED = """
<p>甲方 plain</p>
<p style="background: #eee">乙方 a background colour</p>
<p style="border-radius: 4px; border: 1px solid black">丙方 rounded corners</p>
<p style="border-start-end-radius: 10%; border: 1px solid black">丁方 a logical radius in percent</p>
<p style="box-shadow: 2px 2px 3px gray">戊方 a shadow</p>
<p style="background-image: linear-gradient(red, blue)">己方 a gradient</p>
<p style="visibility: hidden; background: red">庚方 hidden</p>
<div style="background: currentcolor; color: #0a0"><span>辛方 the current colour</span></div>
<p style="--tint: #fc0; background-color: var(--tint)">壬方 a custom property</p>
"""


def test_styled_boxes_are_the_same_bytes_and_plain_ones_skip_weasyprints_pass() -> None:
    import weasyprint

    with passes_of_weasyprint() as outside:
        plain = weasyprint.HTML(string=STYLED).write_pdf()
    with passes_of_weasyprint() as inside, styles_decided():
        assert weasyprint.HTML(string=STYLED).write_pdf() == plain
    assert 0 < inside[0] < outside[0] / 2  # the page, and the styled boxes (not their plain text's boxes)


def test_a_box_without_style_of_its_own_is_decided_without_weasyprints_pass() -> None:
    import weasyprint

    html = "<p>" + "甲方乙方。" * 400 + "</p>"
    with passes_of_weasyprint() as outside:
        plain = weasyprint.HTML(string=html).write_pdf()
    with passes_of_weasyprint() as inside, styles_decided():
        assert weasyprint.HTML(string=html).write_pdf() == plain
    pages = len(weasyprint.HTML(string=html).render().pages)
    assert inside[0] == pages < outside[0]  # one pass per page: its page box


def test_outside_the_block_weasyprint_visits_every_box() -> None:
    import weasyprint

    with passes_of_weasyprint() as before:
        weasyprint.HTML(string=STYLED).write_pdf()
    with styles_decided():
        pass  # installed, then switched off
    with passes_of_weasyprint() as after:
        weasyprint.HTML(string=STYLED).write_pdf()
    assert after[0] == before[0]
