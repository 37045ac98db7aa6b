"""Doctor: does this machine have what rendering needs, and if not, how to get it.

Checks, in the order a render needs them: WeasyPrint imports (it needs Pango, GObject and HarfBuzz from the
system), ``libharfbuzz-subset`` is present (without it WeasyPrint silently falls back to a subsetter ten times
slower), fontconfig's ``fc-match`` runs, and the configured Chinese faces (regular and bold) are installed.
Each finding says what is missing and the command that installs it. Optional tools (poppler-utils for looking
at PDFs, LibreOffice for the benchmark) are reported but never fail the check.

This module must not render, and must not install anything: it only looks and tells.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import shutil
from dataclasses import dataclass

from contractgen.errors import ContractgenError
from contractgen.writers.fonts import FontSet, resolve

__all__ = ["Finding", "check_environment"]

APT = "sudo apt-get install --no-install-recommends"


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    hint: str = ""  # how to fix it, when not ok
    required: bool = True

    def format(self) -> str:
        mark = "✓" if self.ok else ("✗" if self.required else "–")
        line = f"{mark} {self.name}：{self.detail}"
        return f"{line}\n    → {self.hint}" if not self.ok and self.hint else line


def _weasyprint() -> list[Finding]:
    try:
        weasyprint = importlib.import_module("weasyprint")
    except (OSError, ImportError) as error:
        return [
            Finding(
                "WeasyPrint / Pango",
                False,
                f"无法加载（{error}）",
                f"{APT} libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
            )
        ]
    try:
        from weasyprint.text.ffi import pango

        number = int(pango.pango_version())  # 15010 for 1.50.10
        pango_version = f"Pango {number // 10000}.{number // 100 % 100}.{number % 100}"
    except Exception:  # the version is information only
        pango_version = "Pango"
    return [Finding("WeasyPrint / Pango", True, f"WeasyPrint {weasyprint.__version__}，{pango_version}")]


def _harfbuzz_subset() -> Finding:
    names = [ctypes.util.find_library("harfbuzz-subset"), "libharfbuzz-subset.so.0"]
    for name in names:
        if not name:
            continue
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return Finding("HarfBuzz 字体子集化", True, name)
    return Finding(
        "HarfBuzz 字体子集化",
        False,
        "缺少 libharfbuzz-subset（PDF 仍可生成，但慢约十倍）",
        f"{APT} libharfbuzz-subset0",
    )


def _fonts(fonts: FontSet) -> list[Finding]:
    if shutil.which("fc-match") is None:
        return [Finding("fontconfig", False, "找不到 fc-match", f"{APT} fontconfig")]
    findings: list[Finding] = []
    for family in fonts.families:
        try:
            faces = resolve(FontSet(family, family)).faces
        except ContractgenError as error:
            findings.append(Finding(f"字体 {family}", False, "未安装", error.message))
            continue
        files = "、".join(dict.fromkeys(f"{face.postscript_name}" for face in faces))
        findings.append(Finding(f"字体 {family}", True, files))
    return findings


def _optional(program: str, name: str, package: str, use: str) -> Finding:
    path = shutil.which(program)
    if path:
        return Finding(name, True, path, required=False)
    return Finding(name, False, f"未安装（{use}）", f"{APT} {package}", required=False)


def check_environment(fonts: FontSet | None = None) -> list[Finding]:
    """Everything the render needs, checked; a finding with ``required`` and not ``ok`` blocks rendering."""
    fonts = fonts or FontSet()
    return [
        *_weasyprint(),
        _harfbuzz_subset(),
        *_fonts(fonts),
        _optional("pdftoppm", "poppler-utils", "poppler-utils", "可选：查看和检查 PDF"),
        _optional("soffice", "LibreOffice", "libreoffice-writer-nogui", "可选：基准测试中的对比转换"),
    ]
