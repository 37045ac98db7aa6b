"""Contexts: what a type's templates are given, built from each of its samples — once plain, once recorded.

For every sample of the type: the spec is loaded and validated, its model built, and the context computed
exactly as ``render`` computes it. The same is done again with the model wrapped in
:class:`~contractgen.authoring.tracing.Recorder` proxies, so that what the derived values and the templates read
of the model is noted (which schema fields are used at all).

The model comes from :func:`contractgen.document.loading.load_contract` and the context from
:func:`contractgen.document.context.build_context` — exactly what ``render`` calls, so whatever builds a type's
model and derived values there (the type's own rules module, through the catalog) is what lint sees.

This module must not report problems of templates (the checks do); a sample that does not validate is
reported as what it is, a sample lint cannot use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.authoring.tracing import record
from contractgen.diagnostics import Diagnostic
from contractgen.document.templates import PartSpec
from contractgen.errors import ContractgenError

__all__ = ["SampleContext", "sample_contexts"]


@dataclass(frozen=True)
class SampleContext:
    """One sample's context (plain), the same built over a recorded model, and the paths that one has read."""

    sample: Path
    context: dict[str, Any]
    recorded: dict[str, Any]
    seen: set[str]


def sample_contexts(
    samples: Sequence[Path], parts: Sequence[PartSpec], title: str
) -> tuple[list[SampleContext], list[Diagnostic]]:
    """The contexts of ``samples``, and a diagnostic for each sample that cannot give one."""
    from contractgen.authoring.layout import shown
    from contractgen.document.context import build_context
    from contractgen.document.loading import load_contract
    from contractgen.errors import SpecError

    built: list[SampleContext] = []
    problems: list[Diagnostic] = []
    for sample in samples:
        if not sample.is_file():
            problems.append(Diagnostic(shown(sample), 0, 0, "", "parts.yaml 列出的样例不存在", rule="lint.sample"))
            continue
        try:
            model, _ = load_contract(sample)
        except SpecError as error:
            errors = [d for d in error.diagnostics if d.severity == "error"] or list(error.diagnostics)
            first = errors[0] if errors else Diagnostic(shown(sample), 0, 0, "", error.message)
            message = f"样例未通过校验，无法用来检查模板（共 {len(errors)} 个错误，第一个：{first.message}）"
            problems.append(
                Diagnostic(shown(sample), first.line, first.column, first.path, message, rule="lint.sample")
            )
            continue
        try:
            context = build_context(model, parts, title)
            seen: set[str] = set()
            recorded = build_context(record(model, "", seen), parts, title)
        except ContractgenError as error:
            problems.append(
                Diagnostic(shown(sample), 0, 0, "", f"由样例计算上下文时出错：{error.message}", rule="lint.sample")
            )
            continue
        built.append(SampleContext(sample, context, recorded, seen))
    return built, problems
