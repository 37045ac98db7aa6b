"""Dated reference tables: lookup by date at every boundary, the gaps said in words, the version, broken files."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from contractgen.errors import TemplateError
from contractgen.validation.reference_tables import load_reference_table

DATA = Path(__file__).parents[1] / "data" / "reference_tables"
ROOT = Path(__file__).parents[2]
BROKEN = yaml.safe_load((DATA / "broken.expect.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("day", "value"),
    [
        (date(2025, 1, 20), "3.10"),  # a row's own effective date
        (date(2025, 5, 19), "3.10"),  # the day before the next row
        (date(2025, 5, 20), "3.00"),
        (date(2026, 3, 19), "3.00"),  # through, the last day described
    ],
)
def test_find_by_date(day: date, value: str) -> None:
    row = load_reference_table(DATA / "good.yaml").find(day)
    assert row is not None
    assert row.value == Decimal(value)


def test_days_outside_the_table_are_gaps_in_words() -> None:
    table = load_reference_table(DATA / "good.yaml")
    assert table.find(date(2025, 1, 19)) is None
    assert table.gap(date(2025, 1, 19)) == "示例利率表（good.yaml）自二〇二五年一月二十日起，不含二〇二五年一月十九日"
    assert table.find(date(2026, 3, 20)) is None
    assert (
        table.gap(date(2026, 3, 20)) == "示例利率表（good.yaml）只核对到二〇二六年三月十九日，不含二〇二六年三月二十日"
    )
    assert table.gap(date(2025, 6, 1)) == ""


def test_version_is_the_files_sha256_and_follows_an_edit(tmp_path: Path) -> None:
    copy = tmp_path / "good.yaml"
    shutil.copy(DATA / "good.yaml", copy)
    before = load_reference_table(copy)
    assert before.version == hashlib.sha256(copy.read_bytes()).hexdigest()
    copy.write_text(copy.read_text(encoding="utf-8").replace('"3.00"', '"2.90"') + "\n", encoding="utf-8")
    after = load_reference_table(copy)
    assert after.version != before.version
    assert after.rows[-1].value == Decimal("2.90")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_tables_are_template_errors(name: str) -> None:
    with pytest.raises(TemplateError) as caught:
        load_reference_table(DATA / "broken" / name)
    assert str(caught.value).startswith(f"{name}: ")
    assert BROKEN[name] in str(caught.value)


def test_every_broken_table_has_its_expected_message() -> None:
    assert sorted(p.name for p in (DATA / "broken").glob("*.yaml")) == sorted(BROKEN)


def test_the_shipped_lpr_table_loads_and_says_where_each_value_is_from() -> None:
    table = load_reference_table(ROOT / "templates" / "zh" / "loan" / "lpr-1y.yaml")
    assert table.rows[0].effective == date(2019, 8, 20)  # 第二十五条第二款: published from 2019-08-20 on
    assert all(row.source for row in table.rows)
    assert table.find(date(2026, 1, 5)) is not None
