"""Writing style: how Chinese legal text writes what a spec says, where the spec's form differs.

- ``address-spacing`` (warning): an address with spaces between Chinese characters and digits or Latin letters
  (``张江路 88 号 5 楼``). Chinese legal text writes ``张江路88号5楼``: the warning gives the usual form. Rendering
  prints what the spec says — the spec is the parties' text, and a warning never rewrites it.

This module must not change any value, and must not judge content (what an address is, whether it exists).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contractgen.diagnostics import Diagnostic
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS", "usual_spacing"]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Spaces (ASCII or ideographic) with a Chinese character on one side and a digit or Latin letter on the other.
_SPACED = re.compile(rf"(?<=[{_HAN}])[ \u3000]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \u3000]+(?=[{_HAN}])")


def usual_spacing(text: str) -> str:
    """``text`` without the spaces between Chinese and digits or Latin letters (those between Latin words stay)."""
    return _SPACED.sub("", text)


def address_spacing(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    address = ctx.text(path)
    if address is None or not _SPACED.search(address):
        return
    yield ctx.report(
        path,
        f"地址中汉字与数字（或字母）之间有空格：“{address}”。中文合同通常写作“{usual_spacing(address)}”；"
        "合同按规格原样打印，如需改正请修改规格",
        rule="style.address-spacing",
        severity="warning",
    )


CHECKS: dict[str, Check] = {"address-spacing": address_spacing}
