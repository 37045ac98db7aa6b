"""Layout: which type folders lint looks at, and what each is made of — parts.yaml, templates, schema, samples.

A type is the folder ``<root>/templates/zh/<type>/`` with ``<root>/schemas/<type>.schema.json`` and samples under
``<root>/samples/`` — the layout of this repository, and of any repository of a template author's own. lint
takes a type's name (a folder under the shipped ``templates/zh/``) or a folder; for a folder, the root is the
folder three levels up when it has a ``schemas/`` folder, else the folder itself holds ``<type>.schema.json`` and
``samples/``. The samples are those ``parts.yaml`` lists (``samples:``), else ``<type>*.yaml``.

parts.yaml is read here with the line of every entry (PyYAML's composer), so a part that is listed but missing
is reported at the line that lists it.

This module must not render or validate; it reads files and says what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from contractgen.diagnostics import Diagnostic
from contractgen.document.templates import PARTS_FILE

__all__ = ["PartEntry", "TypeLayout", "find_layouts", "read_part_entries", "shown"]


def shown(path: Path) -> str:
    """``path`` as messages name it: relative to the current folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class PartEntry:
    """One entry of parts.yaml's ``parts`` and the line it starts on."""

    id: str
    template: str
    kind: str
    title: str | None
    line: int
    confirmation: str | None = None
    standalone: bool = False
    with_party: str | None = None  # the part exists only with this optional party


@dataclass(frozen=True)
class TypeLayout:
    """A type folder and the files that belong to it."""

    name: str
    folder: Path
    schema: Path
    samples: tuple[Path, ...]


def _templates_root() -> Path:
    from contractgen.resources import data_dir  # the shipped folder, in a checkout or a wheel

    return data_dir("templates") / "zh"


def find_layouts(target: str | Path | None) -> list[TypeLayout]:
    """The type folders ``target`` names: every type (``None``), a type's name, or a folder."""
    if target is None:
        root = _templates_root()
        return [_layout(folder) for folder in sorted(root.iterdir()) if (folder / PARTS_FILE).is_file()]
    path = Path(target)
    if not path.is_dir() and (_templates_root() / str(target) / PARTS_FILE).is_file():
        path = _templates_root() / str(target)
    return [_layout(path)]


def _declared(folder: Path) -> tuple[str, list[str]]:
    """parts.yaml's ``type`` (else the folder's name) and ``samples`` (else none), as far as they can be read."""
    try:
        data = yaml.safe_load((folder / PARTS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict):
        return folder.name, []
    name = data.get("type") if isinstance(data.get("type"), str) else folder.name
    samples = data.get("samples")
    return str(name), [str(s) for s in samples] if isinstance(samples, list) else []


def _layout(folder: Path) -> TypeLayout:
    folder = folder.resolve()
    name, listed = _declared(folder)
    repository = folder.parents[2] if len(folder.parents) > 2 else folder
    if (repository / "schemas").is_dir() and folder.parent.parent.name == "templates":
        schema, samples_dir = repository / "schemas" / f"{name}.schema.json", repository / "samples"
    else:
        schema, samples_dir = folder / f"{name}.schema.json", folder / "samples"
    if listed:
        samples = [samples_dir / s for s in listed]
    else:
        samples = sorted(p for p in samples_dir.glob(f"{name}*.yaml") if p.is_file()) if samples_dir.is_dir() else []
    return TypeLayout(name, folder, schema, tuple(samples))


def read_part_entries(folder: Path) -> tuple[list[PartEntry], list[Diagnostic]]:
    """parts.yaml's entries with their lines, and what is wrong with the file as a list of parts."""
    where = folder / PARTS_FILE
    try:
        node = yaml.compose(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], [
            Diagnostic(shown(where), 0, 0, "", "找不到 parts.yaml：类型目录须用它列出合同的各部分", rule="lint.parts")
        ]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        return [], [Diagnostic(shown(where), line, 0, "", f"parts.yaml 无法读取：{error}", rule="lint.parts")]
    entries = []
    for item in _parts_items(node):
        values = {k.value: v.value for k, v in item.value if isinstance(v, yaml.ScalarNode)}
        values["standalone"] = yaml.safe_load(values["standalone"]) if "standalone" in values else False
        entries.append(
            PartEntry(
                str(values.get("id", "")),
                str(values.get("template", "")),
                str(values.get("kind", "")),
                values.get("title"),
                item.start_mark.line + 1,
                values.get("confirmation"),
                values.get("standalone") in (True, "true"),
                values.get("with_party"),
            )
        )
    return entries, []


def _parts_items(node: yaml.Node | None) -> Iterator[yaml.MappingNode]:
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if key.value == "parts" and isinstance(value, yaml.SequenceNode):
            yield from (item for item in value.value if isinstance(item, yaml.MappingNode))
