"""The layout a newcomer reads: stage packages in pipeline order, each saying what it does, modules short enough.

These are the rules of the house in ``shared/design.md`` ("Growing the house") and of the stage-package issue,
checked so that the next module added cannot quietly break them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import contractgen

PACKAGE = Path(contractgen.__file__).resolve().parent
STAGES = ("spec", "validation", "document", "writers", "bundling", "batch", "numerals", "cli")
# Beside the stage packages only the error tree (errors, and the diagnostics errors carry), the data locator and
# the package's own entry points stand at the top: every stage imports them, none of them is a stage.
TOP_MODULES = {"__init__.py", "__main__.py", "errors.py", "diagnostics.py", "resources.py"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def test_the_folder_list_is_the_pipeline() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    modules = {p.name for p in PACKAGE.iterdir() if p.suffix == ".py"}
    assert set(STAGES) <= packages, set(STAGES) - packages
    assert modules == TOP_MODULES, modules ^ TOP_MODULES


@pytest.mark.parametrize("stage", sorted({p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"_data"}))
def test_every_stage_says_what_it_takes_gives_and_must_not_do(stage: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert docstring, f"{stage}/__init__.py has no docstring"
    assert "must not" in docstring or "must never" in docstring, f"{stage}: what it must never do is not said"
    assert len(docstring.splitlines()) >= 5, f"{stage}: the docstring is too thin to tell a newcomer anything"


def test_no_package_or_module_is_named_like_an_api_function() -> None:
    # Importing contractgen.render (a module) would replace the function contractgen.render on the package.
    api = set(contractgen._API)
    named = {p.stem if p.name != "__init__.py" else p.parent.name for p in MODULES}
    assert not named & api, named & api


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_every_module_reads_in_one_sitting(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_rel(path)}: {lines} lines"


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_a_long_function_says_why_in_a_comment(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.end_lineno is None or node.end_lineno - node.lineno + 1 <= MAX_FUNCTION_LINES:
            continue
        body = node.body[1:] if ast.get_docstring(node) else node.body
        # The reason is the comment right before the first statement after the docstring.
        head = lines[(node.body[0].end_lineno or node.lineno) : body[0].lineno - 1] if body else []
        assert any(line.strip().startswith("#") for line in head), (
            f"{_rel(path)}:{node.lineno}: {node.name} has {node.end_lineno - node.lineno + 1} lines and no comment"
            " saying why it is not split"
        )


def test_every_module_imports_and_the_api_stays_callable() -> None:
    code = (
        "import importlib, pkgutil, contractgen\n"
        "for m in pkgutil.walk_packages(contractgen.__path__, 'contractgen.'):\n"
        "    if m.name != 'contractgen.__main__': importlib.import_module(m.name)\n"
        "print(','.join(n for n in contractgen._API if not callable(getattr(contractgen, n))))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == ""
