"""Box lengths planned once per style: every length WeasyPrint would set, set the same, and the same bytes.

Inside ``lengths_planned`` (every contractgen render) a box's margins, paddings, sizes and borders come from
its style's plan; a style with a ``calc()`` value goes through WeasyPrint's own function.
"""

from __future__ import annotations

import contextlib
import copy
import sys
from collections.abc import Iterator
from typing import Any

from render_helpers import counted_calls

from contractgen.writers.box_lengths import lengths_planned

#: Every kind of value a length can have, in every place it can have it: fixed, percentages of a width and of
#: a height (fixed, auto, a page's), auto, none, calc(), border-box sizing, collapsed and separate borders.
LENGTHS = """
<style>
  @page { size: A5; margin: 5% 8% 6% 4%; padding: 1%;
          @bottom-center { content: counter(page); width: 50%; padding: 1% 2% } }
  div.fixed { height: 300px; border: 2px solid black; padding: 3% 2%; box-sizing: border-box }
  .pct { width: 60%; margin: 2% auto 3%; padding: 1.5%; min-height: 10%; max-height: 80%; height: 40% }
  .calc { width: calc(50% - 12px); margin-left: calc(1em + 2%); height: calc(20% + 5px) }
  .auto { width: auto; min-width: 20%; max-width: 90%; min-height: auto; border-left: 3pt double red }
  .sized { box-sizing: border-box; width: 70%; padding: 4% 1em; border: 5px solid; min-width: 30%; height: 25% }
  .padded { box-sizing: padding-box; width: 50%; padding: 10px; max-height: 50% }
  table.collapse { border-collapse: collapse; width: 90% } table.collapse td { border: 1px solid; padding: 2% }
  table.separate { border-collapse: separate; border-spacing: 2px; width: 50%; margin: 0 5% }
  table.separate td { border: 3px dotted; width: 40%; height: 10% }
</style>
<p class="pct">甲方 percentages of an auto height</p>
<div class="fixed"><p class="pct">乙方 of a fixed height</p><p class="calc">丙方 calc()</p>
  <p class="sized">丁方 border-box</p><p class="padded">戊方 padding-box</p></div>
<p class="auto">己方 auto and none</p><p class="calc">庚方 calc() in an auto height</p>
<table class="collapse"><tr><td>一</td><td style="width: 30%">二</td></tr><tr><td colspan="2">三</td></tr></table>
<table class="separate"><tr><td>四</td><td>五</td></tr></table>
<ul><li style="margin-left: 10%">六</li><li style="padding-right: 5%">七</li></ul>
<p style="float: right; width: 20%; margin: 1%">八 a float</p><p style="position: absolute; left: 10%">九</p>
<p>十 <span style="padding: 0 2%; margin-left: 3%; border-right: 1px solid">an inline box</span></p>
"""

_ATTRIBUTES = (
    *(f"{kind}_{side}" for kind in ("margin", "padding") for side in ("left", "right", "top", "bottom")),
    *(f"{bound}{axis}" for axis in ("width", "height") for bound in ("", "min_", "max_")),
    *(f"border_{side}_width" for side in ("top", "right", "bottom", "left")),
)


@contextlib.contextmanager
def compared_with_weasyprint() -> Iterator[list[tuple[str, str, Any, Any]]]:
    """Inside the block, each planned resolution is also done by WeasyPrint's own function on a copy of the box;
    the attributes that differ are listed (name, box, planned, WeasyPrint's), after one entry per comparison
    (``("compared", tag, None, None)``)."""
    differences: list[tuple[str, str, Any, Any]] = []
    with lengths_planned():
        modules = [
            module
            for name, module in sys.modules.items()
            if name.startswith("weasyprint.")
            and getattr(getattr(module, "resolve_percentages", None), "contractgen_planned", False)
        ]
        planned = modules[0].resolve_percentages
        original = planned.__wrapped__

        def checked(box: Any, containing_block: Any) -> None:
            theirs = copy.copy(box)
            original(theirs, containing_block)
            planned(box, containing_block)
            differences.append(("compared", type(box).__name__, None, None))
            for name in _ATTRIBUTES:
                mine, expected = getattr(box, name, "unset"), getattr(theirs, name, "unset")
                if mine != expected or type(mine) is not type(expected):
                    differences.append((name, box.element_tag, mine, expected))

        for module in modules:
            module.resolve_percentages = checked
        try:
            yield differences
        finally:
            for module in modules:
                module.resolve_percentages = planned


def test_every_length_is_set_as_weasyprint_sets_it() -> None:
    import weasyprint

    with compared_with_weasyprint() as differences:
        weasyprint.HTML(string=LENGTHS).render()
    compared = [tag for name, tag, _, _ in differences if name == "compared"]
    assert [entry for entry in differences if entry[0] != "compared"] == []
    assert len(compared) > 60
    assert {"PageBox", "MarginBox", "TableBox", "TableCellBox", "BlockBox", "InlineBox"} <= set(compared), compared


def test_the_same_bytes_and_weasyprints_own_function_only_for_calc() -> None:
    import weasyprint
    from weasyprint.layout import percent

    with counted_calls(percent, "resolve_one_percentage") as outside:
        plain = weasyprint.HTML(string=LENGTHS).write_pdf()
    with counted_calls(percent, "resolve_one_percentage") as inside, lengths_planned():
        assert weasyprint.HTML(string=LENGTHS).write_pdf() == plain
    assert 0 < inside[0] < outside[0] / 4  # the boxes of the calc() styles (and the positioned box's offsets)


def test_outside_the_block_weasyprint_resolves_every_box() -> None:
    import weasyprint
    from weasyprint.layout import percent

    with counted_calls(percent, "resolve_one_percentage") as before:
        weasyprint.HTML(string=LENGTHS).write_pdf()
    with lengths_planned():
        pass  # installed, then switched off
    with counted_calls(percent, "resolve_one_percentage") as after:
        weasyprint.HTML(string=LENGTHS).write_pdf()
    assert after[0] == before[0]
