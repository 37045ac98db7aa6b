"""The package as others use it: the fixed public API, the standard library only, a cheap import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from contractgen import numerals

PACKAGE = Path(numerals.__file__).parent

FIXED_API = {
    "to_capital",
    "parse_capital",
    "parse_amount",
    "to_figures",
    "to_chinese_number",
    "parse_chinese_number",
    "to_ordinal",
    "to_chinese_date",
    "parse_chinese_date",
    "to_bill_date",
    "parse_bill_date",
    "to_rate_words",
    "to_rate_text",
    "parse_rate_words",
}


def test_fixed_api_is_exported() -> None:
    assert set(numerals.__all__) >= FIXED_API
    for name in numerals.__all__:
        assert getattr(numerals, name) is not None


def test_top_level_lazy_names() -> None:
    import contractgen

    # getattr: the top-level names are lazy (module __getattr__), which is what this checks
    assert getattr(contractgen, "to_capital") is numerals.to_capital  # noqa: B009
    assert getattr(contractgen, "parse_capital") is numerals.parse_capital  # noqa: B009


def test_typing_names_resolve_on_demand() -> None:
    assert "half-up" in numerals.Rounding.__args__  # type: ignore[attr-defined]
    assert "permyriad" in numerals.RateUnit.__args__  # type: ignore[attr-defined]


def test_standard_library_only() -> None:
    allowed_prefixes = ("contractgen", "__future__", "decimal", "datetime", "typing")
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.startswith(allowed_prefixes), f"{path.name} imports {name}"


def test_import_loads_nothing_extra() -> None:
    """Importing the converters loads neither the typing aliases module nor the benchmark peer cn2an."""
    unwanted = ("contractgen.numerals.option_types", "cn2an", "yaml", "click")
    code = f"import sys, contractgen.numerals; print(sorted(m for m in {unwanted!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
