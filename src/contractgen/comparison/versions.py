"""Versions: the two specs of a comparison, each validated, built and composed with its template folder.

A version is what one side of a diff knows: the spec's diagnostics, its typed data, the contract model, the
template folder it is rendered with, the context and the document tree. Both specs are validated before either
is rejected, so one run reports every problem of both, as ``validate`` would. The template folder is the
contract type's, as ``render`` chooses it, unless ``--templates-old`` names another for the old version: the type's
folder itself (it holds ``parts.yaml``), or a folder above it (``DIR/<type>``, ``DIR/zh/<type>``).

This module must not compare anything and must not write files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.diagnostics import Diagnostic
from contractgen.document.build import build_contract
from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.model import Contract
from contractgen.document.templates import PARTS_FILE, TemplateFolder
from contractgen.document.tree import Document
from contractgen.errors import InputError, SpecError
from contractgen.validation import check_spec
from contractgen.writers.rendering import template_folder

__all__ = ["Version", "load_versions", "older_folder"]

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Version:
    name: str  # the spec's file name as given
    diagnostics: tuple[Diagnostic, ...]
    data: Any  # the typed view validation returns
    contract: Contract
    folder: TemplateFolder
    context: dict[str, Any]
    document: Document

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")


def older_folder(directory: PathLike, contract_type: str) -> TemplateFolder:
    """The template folder of ``contract_type`` that ``--templates-old DIR`` names."""
    base = Path(directory)
    for candidate in (base, base / contract_type, base / "zh" / contract_type):
        if (candidate / PARTS_FILE).is_file():
            return TemplateFolder.open(candidate)
    raise InputError(
        f"--templates-old {base}：找不到合同类型 {contract_type} 的模板目录"
        f"（应含 {PARTS_FILE}：{base}、{base / contract_type} 或 {base / 'zh' / contract_type}）"
    )


def _compose(name: str, data: Any, diagnostics: tuple[Diagnostic, ...], folder: TemplateFolder | None) -> Version:
    contract = build_contract(data)
    # The folder render uses, and the same object for both versions: its Jinja environment compiles each
    # template once (compiling the 13 templates twice was a fifth of the command's time).
    folder = folder or template_folder(contract.type)
    context = build_context(contract, folder.parts, folder.title)
    return Version(name, diagnostics, data, contract, folder, context, compose(folder, context))


def load_versions(
    old: PathLike, new: PathLike, *, templates_old: PathLike | None = None, strict: bool = False
) -> tuple[Version, Version]:
    """Both versions, composed. A :class:`SpecError` carries the diagnostics of every spec that does not
    validate; two specs of different contract types are an :class:`InputError`."""
    reports = [check_spec(old, strict=strict), check_spec(new, strict=strict)]
    failed = [(os.fspath(path), report) for path, report in zip((old, new), reports, strict=True) if not report.ok]
    if failed:
        diagnostics = [d for _, report in failed for d in report.diagnostics]
        names = "、".join(name for name, _ in failed)
        raise SpecError(f"{names}：未通过校验，无法比较", diagnostics)
    old_type, new_type = (str(report.data["type"]) for report in reports)
    if old_type != new_type:
        raise InputError(f"两个规格的合同类型不同（{old_type} 与 {new_type}），无法比较")
    folder = older_folder(templates_old, old_type) if templates_old is not None else None
    return (
        _compose(os.fspath(old), reports[0].data, reports[0].diagnostics, folder),
        _compose(os.fspath(new), reports[1].data, reports[1].diagnostics, None),
    )
