"""Linting: every check of a type folder, run in order, every problem at once, as diagnostics.

:func:`lint` takes a type's name, a type folder, or nothing (every type under ``templates/zh/``) and gives a
:class:`LintReport`: per type, its problems as :class:`~contractgen.diagnostics.Diagnostic` objects (file, line,
column, the name or field concerned, a Chinese message, a ``lint.*`` rule id) — the objects ``validate``
reports, so the same formatters print them for people, for scripts and for GitHub.

The checks (docs/lint.md lists every message): parts.yaml against the folder (:mod:`.layout`); the syntax and
full-width punctuation of every template (:mod:`.syntax`); the names and attribute chains the templates read
(:mod:`.names`) against the contexts of the samples (:mod:`.contexts`); references to annexes and articles in
what the samples render (:mod:`.references`, through :mod:`.tracing`); schema fields nothing reads
(:mod:`.coverage`); what ``serve``'s form would refuse (:mod:`.form_support`); characters the fonts cannot draw
(:mod:`.glyphs`).

This module must not print or exit: the CLI does, and a problem found is data, never an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jinja2
import yaml
from jinja2 import meta, nodes

from contractgen.authoring.contexts import SampleContext, sample_contexts
from contractgen.authoring.coverage import pointer_lines, schema_fields, unused_fields
from contractgen.authoring.form_support import form_problems
from contractgen.authoring.glyphs import glyph_problems, resolve_fonts
from contractgen.authoring.layout import PartEntry, TypeLayout, find_layouts, read_part_entries, shown
from contractgen.authoring.names import check_names, collect_chains
from contractgen.authoring.references import annex_title_problems, reference_problems, visible_text
from contractgen.authoring.syntax import parse_template, scan_full_width
from contractgen.authoring.tracing import TracingSandbox, traced_text
from contractgen.diagnostics import Diagnostic, sort_key
from contractgen.document.compose import compose
from contractgen.document.templates import (
    PartSpec,
    TemplateFolder,
    present_parts,
    render_template,
    sandboxed_environment,
)
from contractgen.document.tree import Document, PartKind
from contractgen.errors import TemplateError
from contractgen.writers.fonts import ResolvedFonts

__all__ = ["LintReport", "TypeLint", "lint"]


@dataclass(frozen=True)
class TypeLint:
    """One type folder's problems, sorted."""

    name: str
    folder: str
    problems: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class LintReport:
    types: tuple[TypeLint, ...]

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.types)

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        return tuple(d for t in self.types for d in t.problems)


def lint(
    target: str | Path | None = None, *, serif_font: str | None = None, sans_font: str | None = None
) -> LintReport:
    """Lint the type ``target`` names (a type's name or its folder; ``None``: every type under templates/zh/).

    ``serif_font``/``sans_font`` are the faces to check glyphs against (default: the render's defaults); a
    face this machine lacks is a :class:`~contractgen.errors.FontError`. A folder that is no type folder at all
    is an :class:`~contractgen.errors.InputError`.
    """
    from contractgen.errors import InputError

    layouts = find_layouts(target)
    for layout in layouts:
        if not layout.folder.is_dir():
            raise InputError(f"找不到合同类型或模板目录：{target}")
    fonts = resolve_fonts(serif_font, sans_font)
    return LintReport(tuple(_lint_type(layout, fonts) for layout in layouts))


def _lint_type(layout: TypeLayout, fonts: ResolvedFonts) -> TypeLint:
    entries, problems = read_part_entries(layout.folder)
    title = _title(layout.folder)
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(layout.folder.glob("*.j2"))}
    trees = _parse_all(layout, sources, problems)
    problems += _part_problems(layout, entries, sources, trees)
    parts = tuple(_spec(e) for e in entries if e.template in trees)
    contexts, sample_problems = sample_contexts(layout.samples, parts, title) if layout.samples else ([], [])
    problems += sample_problems
    if not layout.samples:
        message = "没有样例：parts.yaml 的 samples 未列出样例，samples/ 下也没有 <类型>*.yaml，无法检查名称与引用"
        problems.append(Diagnostic(shown(layout.folder), 0, 0, "", message, rule="lint.sample"))
    listed = {e.template: e.kind for e in entries}
    for name, tree in trees.items():
        extra = frozenset() if listed.get(name) in ("contract", "sections") else frozenset({"annex"})
        outside, chains = collect_chains(tree)
        for found in check_names(outside, chains, [c.context for c in contexts], extra):
            problems.append(
                Diagnostic(shown(layout.folder / name), found.line, 0, found.path, found.message, rule=found.rule)
            )
        for line, char, message in glyph_problems(tree, fonts):
            column = sources[name].splitlines()[line - 1].find(char) + 1 if line else 0
            problems.append(Diagnostic(shown(layout.folder / name), line, column, "", message, rule="lint.glyph"))
    complete = bool(parts) and len(parts) == len(entries) and not any(d.rule == "lint.syntax" for d in problems)
    rendered: list[Diagnostic] = []
    if complete:
        folder = TemplateFolder(layout.folder, title, parts)
        for sample in contexts:
            rendered += _rendered_problems(folder, sample, title)
    named = {(d.file, d.line) for d in problems if d.rule in ("lint.undefined-name", "lint.undefined-attribute")}
    problems += [d for d in rendered if d.rule != "lint.render" or (d.file, d.line) not in named]
    # What the fields are read by is known only when every part rendered from every sample.
    fully_rendered = complete and not any(d.rule == "lint.render" for d in rendered)
    problems += _schema_problems(layout, contexts if fully_rendered else [])
    return TypeLint(layout.name, shown(layout.folder), tuple(sorted(set(problems), key=sort_key)))


def _title(folder: Path) -> str:
    try:
        data = yaml.safe_load((folder / "parts.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(data.get("title", "")) if isinstance(data, dict) else ""


def _spec(entry: PartEntry) -> PartSpec:
    return PartSpec(
        entry.id,
        entry.template,
        cast(PartKind, entry.kind),
        entry.title,
        entry.confirmation,
        entry.standalone,
        entry.with_party,
    )


def _parse_all(layout: TypeLayout, sources: dict[str, str], problems: list[Diagnostic]) -> dict[str, nodes.Template]:
    environment = sandboxed_environment()
    trees: dict[str, nodes.Template] = {}
    for name, source in sources.items():
        file = shown(layout.folder / name)
        scanned = scan_full_width(source)
        problems += [Diagnostic(file, f.line, f.column, "", f.message, rule=f.rule) for f in scanned]
        tree, error = parse_template(environment, source, name)
        if error is not None and error.line not in {f.line for f in scanned}:
            problems.append(Diagnostic(file, error.line, 0, "", error.message, rule=error.rule))
        elif error is not None:  # explained by the scan, but it does not parse either
            problems.append(Diagnostic(file, error.line, 0, "", "模板因本行的全角符号无法解析", rule="lint.syntax"))
        if tree is not None:
            trees[name] = tree
    return trees


def _part_problems(
    layout: TypeLayout, entries: Sequence[PartEntry], sources: dict[str, str], trees: dict[str, nodes.Template]
) -> list[Diagnostic]:
    parts_file = shown(layout.folder / "parts.yaml")
    problems = []
    for entry in entries:
        if entry.template not in sources:
            message = f"parts.yaml 列出的部分 {entry.id} 的模板 {entry.template} 不存在"
            problems.append(Diagnostic(parts_file, entry.line, 0, entry.id, message, rule="lint.part-missing"))
    reached = {e.template for e in entries}
    queue = list(reached)
    while queue:
        tree = trees.get(queue.pop())
        for name in meta.find_referenced_templates(tree) if tree is not None else ():
            if name is not None and name not in reached:
                reached.add(name)
                queue.append(name)
    for name in sorted(set(sources) - reached):
        message = f"模板 {name} 不在 parts.yaml 中，也没有被列出的模板导入：请在 parts.yaml 中列出它，或删除它"
        problems.append(Diagnostic(shown(layout.folder / name), 0, 0, "", message, rule="lint.part-unlisted"))
    try:
        TemplateFolder.open(layout.folder)
    except TemplateError as error:
        if "不存在" not in error.message:
            problems.append(Diagnostic(parts_file, 0, 0, "", error.message.split(": ", 1)[-1], rule="lint.parts"))
    return problems


_WHERE = re.compile(r"^(?P<file>[^:]+?):(?P<line>\d+|\?):\s*")


def _rendered_problems(folder: TemplateFolder, sample: SampleContext, title: str) -> list[Diagnostic]:
    """What rendering ``sample`` shows: a template error, and references that point at nothing."""
    try:
        document = compose(folder, sample.context)
    except TemplateError as error:
        match = _WHERE.match(error.message)
        file, line = (match["file"], int(match["line"]) if match["line"].isdigit() else 0) if match else ("", 0)
        message = error.message[match.end() :] if match else error.message
        text = f"用样例 {shown(sample.sample)} 渲染时出错：{message}"
        return [Diagnostic(shown(Path(file)) if file else shown(folder.path), line, 0, "", text, rule="lint.render")]
    return _reference_problems(folder, sample, document, title)


def _reference_problems(
    folder: TemplateFolder, sample: SampleContext, document: Document, title: str
) -> list[Diagnostic]:
    environment = TracingSandbox(
        loader=jinja2.FileSystemLoader(str(folder.path)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        auto_reload=True,
    )
    traced_folder = TemplateFolder(folder.path, folder.title, folder.parts, _env=environment)
    annexes = {a.id: a for a in sample.recorded.get("annexes", ())}
    rendered = []
    present = present_parts(folder.parts, (entry.key for entry in sample.context.get("parties", ())))
    for spec, part in zip(present, document.parts, strict=True):
        context: dict[str, Any] = dict(sample.recorded)
        if spec.kind == "annex":
            context["annex"] = annexes[spec.id]
        try:
            marked = render_template(traced_folder, spec.template, context)
        except TemplateError:
            continue  # the plain render passed: what the markers upset is not the template's fault
        rendered.append((part, visible_text(traced_text(marked, environment.places))))
    found = list(reference_problems(rendered, document, title))
    for part, traced in rendered:
        if part.kind == "annex":
            found += annex_title_problems(part, traced)
    out = []
    for problem in found:
        place = problem.place
        file = shown(folder.path / place.template) if place else shown(folder.path)
        out.append(Diagnostic(file, place.line if place else 0, 0, "", problem.message, rule=problem.rule))
    return out


def _schema_problems(layout: TypeLayout, contexts: Sequence[SampleContext]) -> list[Diagnostic]:
    file = shown(layout.schema)
    try:
        text = layout.schema.read_text(encoding="utf-8")
        schema = json.loads(text)
    except FileNotFoundError:
        return [Diagnostic(file, 0, 0, "", f"找不到类型 {layout.name} 的 Schema", rule="lint.schema")]
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return [Diagnostic(file, 0, 0, "", f"Schema 无法读取：{error}", rule="lint.schema")]
    lines = pointer_lines(text)
    problems = []
    for pointer, message in form_problems(schema):
        problems.append(Diagnostic(file, lines.get(pointer, 0), 0, "", message, rule="lint.form"))
    if contexts:
        seen = set().union(*(c.seen for c in contexts))
        for field, rule, message in unused_fields(schema_fields(schema), seen):
            problems.append(Diagnostic(file, lines.get(field.pointer, 0), 0, field.path, message, rule=rule))
    return problems
