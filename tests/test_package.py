"""The package as a whole: light import, version, the public API table."""

from __future__ import annotations

import subprocess
import sys

import pytest

import contractgen

HEAVY = ("weasyprint", "docx", "docxtpl", "jsonschema", "yaml", "jinja2", "pypdf", "stdnum")


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_import_contractgen_loads_nothing_heavy() -> None:
    loaded = _modules_loaded_by("import contractgen")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_cli_module_loads_nothing_heavy() -> None:
    # `contractgen --help` imports the CLI module; the stages load only when a command runs.
    loaded = _modules_loaded_by("import contractgen.cli")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_version_is_exposed() -> None:
    assert contractgen.__version__.count(".") == 2


def test_public_api_resolves_lazily() -> None:
    for name in contractgen.__all__:
        assert getattr(contractgen, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        contractgen.no_such_thing  # type: ignore[attr-defined]  # noqa: B018


def test_api_functions_stay_callable_after_their_modules_are_imported() -> None:
    # A submodule named like an API function would replace the function on the package once imported.
    code = (
        "import importlib, contractgen\n"
        "for module in set(contractgen._API.values()): importlib.import_module(module)\n"
        "bad = [n for n in contractgen._API if not callable(getattr(contractgen, n))]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == ""


def test_lint_is_the_authoring_stage_function() -> None:
    # contractgen.lint is the API; its package is named for the stage (authoring), never like the function.
    from contractgen.authoring import lint

    assert contractgen.lint is lint
    assert "lint" in contractgen.__all__
