"""Text lines read in bulk: the same operators, widths and ToUnicode text as WeasyPrint's glyph-by-glyph walk.

Inside ``lines_read_in_bulk`` (every contractgen render) a line's glyphs are read from Pango in one copy; a line
the bulk path does not cover (ellipsis, a missing glyph, a raised glyph, bitmap or colour fonts) goes through
WeasyPrint's own function before anything of it is written.
"""

from __future__ import annotations

import contextlib
import io

from render_helpers import counted_calls

from contractgen.writers.text_lines import lines_read_in_bulk

#: Lines of every kind the walk meets: CJK in two families and bold, Latin with kerning and a ligature, letter
#: and word spacing, right-to-left runs, a zero-width space, a combining mark, fonts changing inside a line,
#: justified text, a line of spaces only, and a line under its own ellipsis.
LINES = """
<style>
  body { font-family: "Noto Serif CJK SC"; font-size: 10.5pt }
  .sans { font-family: "Noto Sans CJK SC"; font-weight: bold }
  .latin { font-family: "DejaVu Serif"; font-size: 12pt }
  .spaced { letter-spacing: 0.2em; word-spacing: 1em }
  .justify { text-align: justify; width: 20em }
  .cut { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; width: 8em }
</style>
<p>甲方：北京某某科技有限公司，乙方应于每月五日前支付服务费人民币壹拾贰万元整（¥120,000.00）。</p>
<p class="sans">第一条　服务内容</p>
<p class="latin">AV To WAY office ﬃ affluent — “quoted”, 1,234.56</p>
<p class="spaced">甲方 乙方 Party A and Party B</p>
<p class="latin">שלום עולם and مرحبا mixed with 中文</p>
<p>零宽\u200b空格 and e\u0301 combining</p>
<p>中文<span class="latin">Latin inside</span>中文<b>粗体</b><span class="sans">黑体</span>。</p>
<p class="justify">甲乙双方经友好协商，就客户服务外包事宜达成如下协议，以资共同遵守并严格执行各项约定。</p>
<p>   </p>
<p class="cut">这一行太长，放不下，以省略号结束。</p>
"""


def lines_through_weasyprint() -> contextlib.AbstractContextManager[list[int]]:
    """How many lines WeasyPrint's own function draws in the block (the bulk path installed, but not active)."""
    from weasyprint.draw import text

    with lines_read_in_bulk():
        pass  # installed
    return counted_calls(text.draw_first_line, "__wrapped__")  # the bulk path calls WeasyPrint's through it


def text_of(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_kind_of_line_is_the_same_bytes_and_most_take_the_bulk_path() -> None:
    import weasyprint

    with lines_through_weasyprint() as outside:
        plain = weasyprint.HTML(string=LINES).write_pdf()
    with lines_through_weasyprint() as elsewhere, lines_read_in_bulk():
        assert weasyprint.HTML(string=LINES).write_pdf() == plain
    assert 1 <= elsewhere[0] <= 3 < outside[0]  # the ellipsis, and any line with a glyph WeasyPrint raises
    assert "壹拾贰万元整" in text_of(plain)
    assert "ﬃ" in text_of(plain) or "ffi" in text_of(plain)


def test_a_missing_glyph_is_drawn_and_warned_by_weasyprint() -> None:
    import logging

    import weasyprint

    missing = "<p style=\"font-family: 'Noto Serif CJK SC'\">甲方\U0010fffd乙方</p>"  # private use: no font has it
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        plain = weasyprint.HTML(string=missing).write_pdf()
        warned_plain = len(records)
        with lines_through_weasyprint() as elsewhere, lines_read_in_bulk():
            bulk = weasyprint.HTML(string=missing).write_pdf()
    finally:
        logger.removeHandler(handler)
    assert bulk == plain
    assert warned_plain >= 1  # a .notdef was drawn
    assert elsewhere[0] == 1  # the bulk path left that line to WeasyPrint…
    assert len(records) == 2 * warned_plain  # …which warned again, once
