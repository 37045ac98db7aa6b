"""Compiled templates: the shipped types' templates load compiled from the installation, render the same, and
are never served for another source, another folder or another code generator; a render writes nothing there."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from render_helpers import SAMPLES

from contractgen.document import load_contract, template_cache
from contractgen.document.compose import compose
from contractgen.document.templates import TemplateFolder, sandboxed_environment
from contractgen.writers.rendering import build_context, template_dir


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    template_cache.build(tmp_path)
    return tmp_path


def cached_environment(folder: Path, root: Path) -> jinja2.Environment:
    environment = sandboxed_environment(jinja2.FileSystemLoader(str(folder)))
    environment.bytecode_cache = template_cache.shipped_cache(folder, root)
    assert environment.bytecode_cache is not None
    return environment


def compiles(environment: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates ``environment`` compiles from now on."""
    names: list[str] = []
    compile_source = environment.compile

    def counting(source: str, name: str | None = None, filename: str | None = None, *rest: object) -> object:
        names.append(str(name))
        return compile_source(source, name, filename, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(environment, "compile", counting)
    return names


def test_every_shipped_template_is_compiled_into_the_cache(cache_root: Path) -> None:
    shipped = [path for folder in template_cache.shipped_folders() for path in folder.glob("*.j2")]
    assert {folder.name for folder in template_cache.shipped_folders()} >= {"customer-service", "loan"}
    entries = list(template_cache.cache_folder(cache_root).glob("*.cache"))
    assert len(entries) == len(shipped) > 10


@pytest.mark.parametrize("spec", ["customer-service.yaml", "loan.yaml"])
def test_a_contract_composes_the_same_from_the_cache_without_compiling(
    spec: str, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract, _ = load_contract(SAMPLES / spec)
    path = template_dir(contract.type).resolve()
    plain = TemplateFolder.open(path)
    plain._env = sandboxed_environment(jinja2.FileSystemLoader(str(path)))  # no cache: compiled as Jinja does
    cached = TemplateFolder.open(path)
    cached._env = cached_environment(path, cache_root)
    compiled = compiles(cached._env, monkeypatch)
    context = build_context(contract, plain.parts, plain.title)
    assert compose(cached, context) == compose(plain, context)
    assert compiled == []


def test_a_source_changed_since_the_build_is_compiled_again(cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = template_dir("customer-service").resolve()
    name = "contract.xml.j2"
    edited = (folder / name).read_text(encoding="utf-8") + "{# edited #}"

    environment = cached_environment(folder, cache_root)
    # The same name and file name as the cached entry, another source: Jinja checks the source's hash.
    environment.loader = jinja2.FunctionLoader(lambda _name: (edited, str(folder / name), lambda: True))
    compiled = compiles(environment, monkeypatch)
    environment.get_template(name)
    assert compiled == [name]


def test_a_render_writes_nothing_into_the_cache(cache_root: Path) -> None:
    folder = template_dir("customer-service").resolve()
    directory = template_cache.cache_folder(cache_root)
    removed = sorted(directory.glob("*.cache"))[0]
    removed.unlink()
    before = sorted(path.name for path in directory.iterdir())
    environment = cached_environment(folder, cache_root)
    for path in folder.glob("*.j2"):
        environment.get_template(path.name)  # the missing entry is compiled, and not written back
    assert sorted(path.name for path in directory.iterdir()) == before


def test_only_shipped_folders_read_a_built_cache(cache_root: Path, tmp_path: Path) -> None:
    folder = template_dir("customer-service").resolve()
    assert template_cache.shipped_cache(folder, cache_root) is not None
    assert template_cache.shipped_cache(tmp_path, cache_root) is None  # a user's template folder
    assert template_cache.shipped_cache(folder, tmp_path / "never-built") is None


def test_the_cache_folder_changes_with_what_generates_the_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import contractgen

    first = template_cache.cache_folder(tmp_path)
    monkeypatch.setattr(jinja2, "__version__", "0.0-another")
    second = template_cache.cache_folder(tmp_path)
    monkeypatch.setattr(contractgen, "__version__", "0.0-another")
    assert len({first, second, template_cache.cache_folder(tmp_path)}) == 3


def test_a_build_removes_the_folders_of_other_fingerprints(tmp_path: Path) -> None:
    stale = tmp_path / "templates-0000000000000000"
    stale.mkdir()
    (stale / "old.cache").write_bytes(b"")
    built = template_cache.build(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [built.name]
