"""The keywords an e-signing platform searches for: each party's, exactly once on its signature page.

The sample's 甲方（盖章） and 乙方（盖章） each stand once on the signature page; a keyword found twice there (签订日期,
on both sides) or not at all stops the render with a template error naming the page and the count.
"""

from __future__ import annotations

import pytest
from render_helpers import ROOT, lay_out

from contractgen.document.tree import Document, seal_spots
from contractgen.errors import TemplateError
from contractgen.writers.page_positions import check_keywords
from contractgen.writers.pdf import PdfFile

pytestmark = pytest.mark.slow

LANGUAGE_FOLDER = ROOT / "templates" / "zh"


@pytest.fixture(scope="module")
def laid_out(sample_document: Document) -> PdfFile:
    return lay_out(sample_document)


def test_each_partys_keyword_stands_once_on_its_page(laid_out: PdfFile) -> None:
    keywords = [keyword for _spot, keyword in seal_spots(laid_out.document)]
    assert keywords[:2] == ["甲方（盖章）", "乙方（盖章）"]
    check_keywords(laid_out.data, laid_out.spots, keywords, "templates/zh/customer-service")


@pytest.mark.parametrize(("keyword", "count"), [("签订日期", 2), ("甲方（盖章）之外", 0)])
def test_a_keyword_found_twice_or_never_stops_the_render(laid_out: PdfFile, keyword: str, count: int) -> None:
    keywords = [keyword, *[k for _spot, k in seal_spots(laid_out.document)][1:]]
    page = laid_out.spots[0].page
    with pytest.raises(TemplateError) as caught:
        check_keywords(laid_out.data, laid_out.spots, keywords, "templates/zh/customer-service")
    assert str(caught.value) == (
        f"templates/zh/customer-service: 签署页（第 {page} 页）上“{keyword}”出现 {count} 次：电子签约平台按关键字定位"
        "各方的印章，每一方的关键字在签署页上须恰好出现一次"
    )
