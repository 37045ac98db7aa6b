"""Reference tables: dated values a contract type ships in its folder, looked up by date, with a version.

A published rate (a benchmark announced monthly, say) is a table of rows — the day a value took effect, the
value, and where it was published — that a type's checks compare a spec against. The table is a YAML file in the
type's folder, read with PyYAML's ``BaseLoader`` so that every scalar stays text (a value is an exact
``Decimal``, never a float; a date is parsed here, strictly ``YYYY-MM-DD``)::

    name: 一年期贷款市场报价利率（LPR）
    unit: percent
    through: 2026-03-19      # the last day the table is known to describe
    rows:
      - {effective: 2019-08-20, value: "4.25", source: "…"}
      - {effective: 2019-09-20, value: "4.20", source: "…"}

A row's value holds from its effective date until the next row's; the table says nothing about a day before its
first row or after ``through`` (:meth:`ReferenceTable.find` gives ``None`` and :meth:`ReferenceTable.gap` says
why, in Chinese), since a value not yet read from its source must never be guessed from the last one.
:attr:`ReferenceTable.version` is the SHA-256 of the file's bytes, for the manifest to record which table a
check used.

A malformed table is the template author's mistake: a :class:`~contractgen.errors.TemplateError` naming the file
and the row. This module must not know what a table holds (no rate, no type is named here), must not fetch
anything, and must never look at the clock.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from contractgen.errors import TemplateError
from contractgen.numerals import to_chinese_date

__all__ = ["ReferenceRow", "ReferenceTable", "load_reference_table"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_KEYS = frozenset({"name", "unit", "through", "rows", "note"})
_ROW_KEYS = frozenset({"effective", "value", "source"})


@dataclass(frozen=True)
class ReferenceRow:
    effective: date  # the first day the value holds
    value: Decimal
    source: str  # where it was published (a document's title, an address)


@dataclass(frozen=True)
class ReferenceTable:
    name: str
    unit: str
    through: date  # the last day the table describes
    rows: tuple[ReferenceRow, ...]  # by effective date, strictly increasing
    version: str  # SHA-256 of the file's bytes (hex)
    file: str  # the file's name, for messages

    def find(self, day: date) -> ReferenceRow | None:
        """The row in force on ``day``; ``None`` when the table does not reach that day (see :meth:`gap`)."""
        if self.gap(day):
            return None
        index = bisect.bisect_right([row.effective for row in self.rows], day) - 1
        return self.rows[index]

    def gap(self, day: date) -> str:
        """Why the table says nothing about ``day`` (a Chinese clause), or ``""`` when it does."""
        first = self.rows[0].effective
        if day < first:
            return f"{self.name}表（{self.file}）自{to_chinese_date(first)}起，不含{to_chinese_date(day)}"
        if day > self.through:
            return f"{self.name}表（{self.file}）只核对到{to_chinese_date(self.through)}，不含{to_chinese_date(day)}"
        return ""


def load_reference_table(path: Path) -> ReferenceTable:
    """The table in ``path``, read once per process for each version of the file."""
    stat = path.stat()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(path: Path, _mtime: int, _size: int) -> ReferenceTable:
    raw = path.read_bytes()
    try:
        # BaseLoader builds text only: no float, no date, no tag of any kind
        data = yaml.load(raw.decode("utf-8"), Loader=yaml.BaseLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise TemplateError(f"{path.name}: 参照表不是有效的 UTF-8 YAML：{error}") from None
    if not isinstance(data, dict) or set(data) - _KEYS or not {"name", "unit", "through", "rows"} <= set(data):
        raise TemplateError(f"{path.name}: 参照表应有 name、unit、through 和 rows（可加 note），且只有这些")
    rows = data["rows"]
    if not isinstance(rows, list) or not rows:
        raise TemplateError(f"{path.name}: rows 应为非空列表")
    parsed = tuple(_row(path.name, n, item) for n, item in enumerate(rows, 1))
    for n in range(1, len(parsed)):
        if parsed[n].effective <= parsed[n - 1].effective:
            raise TemplateError(f"{path.name}: 第 {n + 1} 行的生效日期应晚于上一行（{parsed[n - 1].effective}）")
    through = _date(path.name, "through", data["through"])
    if through < parsed[-1].effective:
        raise TemplateError(f"{path.name}: through（{through}）早于最后一行的生效日期")
    name, unit = data["name"], data["unit"]
    if not isinstance(name, str) or not name or not isinstance(unit, str) or not unit:
        raise TemplateError(f"{path.name}: name 和 unit 应为文字")
    return ReferenceTable(name, unit, through, parsed, hashlib.sha256(raw).hexdigest(), path.name)


def _row(file: str, n: int, item: Any) -> ReferenceRow:
    if not isinstance(item, dict) or set(item) != _ROW_KEYS:
        raise TemplateError(f"{file}: 第 {n} 行应恰好有 effective、value、source 三项")
    value = item["value"]
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        raise TemplateError(f'{file}: 第 {n} 行的 value 应为数字（如 "3.45"），收到 {value!r}')
    source = item["source"]
    if not isinstance(source, str) or not source.strip():
        raise TemplateError(f"{file}: 第 {n} 行缺少 source（数值的出处）")
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover — the pattern admits only numbers
        raise TemplateError(f"{file}: 第 {n} 行的 value 不是数字") from None
    return ReferenceRow(_date(file, f"第 {n} 行的 effective", item["effective"]), number, source.strip())


def _date(file: str, what: str, raw: Any) -> date:
    if isinstance(raw, str) and _DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise TemplateError(f"{file}: {what} 应为日期 YYYY-MM-DD，收到 {raw!r}")
