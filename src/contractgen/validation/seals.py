"""Seals: the room a spec reserves for the parties' seals in the signature block.

- ``seal-size`` (error): a seal spot wider than 45 mm. 《国务院关于国家行政机关和企业事业单位社会团体印章管理的
  规定》（国发〔1999〕25号）puts the seals of enterprises, public institutions and social organisations at a diameter of
  no more than 4.5 cm; a larger spot only pushes the signature block apart. (The schema refuses less than 38 mm, too
  small for the usual 40–42 mm seal.)

This module must not judge anything but the size, and must not say what a seal must look like.
"""

from __future__ import annotations

from collections.abc import Iterator

from contractgen.diagnostics import Diagnostic
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS", "CITATIONS", "MAX_SEAL_MM"]

MAX_SEAL_MM = 45
CITATIONS = {"seal-size": "《国务院关于国家行政机关和企业事业单位社会团体印章管理的规定》（国发〔1999〕25号）"}


def seal_size(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    size = ctx.integer(path)
    if size is None or size <= MAX_SEAL_MM:
        return
    yield ctx.report(
        path,
        f"印章位置 {size} 毫米超过 {MAX_SEAL_MM} 毫米：企业事业单位、社会团体的印章直径不得大于 4.5 厘米，"
        f"请填写 38–{MAX_SEAL_MM} 之间的整数（常见为 42）",
        rule="legal.seal-size",
        citation=CITATIONS["seal-size"],
    )


CHECKS: dict[str, Check] = {"seal-size": seal_size}
