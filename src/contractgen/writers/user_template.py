"""User Word templates: a ``.docx`` a user brings (``--docx-template``), its docxtpl placeholders filled from the
contract's context under the same guarantees as the house templates — sandboxed Jinja, autoescaping, strict XML,
and the same time budget and size limits (:mod:`contractgen.document.sandbox`).

A user template is untrusted input. It is read only if it is a regular file, and never more than
:data:`~contractgen.writers.user_docx_checks.MAX_FILE_SIZE` bytes of it. Before anything opens it, and again once
it is filled (placeholders can spell out a field code that the template itself does not hold), it is checked by
:func:`contractgen.writers.user_docx_checks.check_user_docx`: zip and XML hygiene, every member readable, and
nothing Word would fetch when opening it (external images, frames, an attached template, INCLUDEPICTURE fields …;
hyperlinks to http, https and mailto stay). The whole fill — opening the file, every part's placeholders,
saving — runs within one time budget. Every problem with the template is a
:class:`~contractgen.errors.TemplateError` (exit 4) naming the file; a path that cannot be read, or is not a
regular file, is an InputError (3).

This module must not write files, and must never let a user template reach the network or the file system.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from contractgen.document.budget import TemplateBudgetError, template_budget
from contractgen.document.templates import sandboxed_environment
from contractgen.errors import InputError, TemplateError

__all__ = ["fill_user_template"]


def fill_user_template(path: Path, context: Mapping[str, Any], when: datetime) -> bytes:
    """A user's Word template (docxtpl placeholders) filled from the context, under the same guarantees."""
    from contractgen.writers.ooxml import normalise_zip
    from contractgen.writers.user_docx_checks import check_user_docx

    data = _read(path)
    check_user_docx(data, str(path))
    try:
        with template_budget():
            filled = _fill(data, context)
    except Exception as error:
        raise _template_error(path, error) from None
    filled = normalise_zip(filled, when)
    check_user_docx(filled, f"{path}（填写后）")
    return filled


def _read(path: Path) -> bytes:
    """The template's bytes: a regular file's (never a device or a pipe, which could block or never end), and at
    most one byte more than the checks allow, so that they can refuse a file that is too big."""
    from contractgen.writers.user_docx_checks import MAX_FILE_SIZE

    try:
        # Opened without blocking (a pipe's writer need not exist), then looked at: no window to swap the path.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise InputError(f"Word 模板 {path} 不是普通文件")
            return file.read(MAX_FILE_SIZE + 1)
    except OSError as error:
        raise InputError(f"无法读取 Word 模板 {path}：{error.strerror}") from None


def _fill(data: bytes, context: Mapping[str, Any]) -> bytes:
    import io

    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(data))
    template.render(dict(context), jinja_env=sandboxed_environment(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _template_error(path: Path, error: Exception) -> TemplateError:
    """What went wrong while filling the template at ``path``, said to the user."""
    from jinja2 import TemplateError as JinjaError

    line = getattr(error, "lineno", None)
    where = f"（第 {line} 行附近）" if line else ""
    if isinstance(error, TemplateBudgetError):
        return TemplateError(f"{path}: Word {error.message}")  # "Word 模板渲染超过时间上限……"
    if isinstance(error, TemplateError):  # the sandbox's limits, a None written out
        return TemplateError(f"{path}: Word 模板出错：{error.message}")
    if isinstance(error, JinjaError):
        return TemplateError(f"{path}: Word 模板的占位符有误{where}：{error}")
    if isinstance(error, RecursionError):
        return TemplateError(f"{path}: Word 模板的占位符嵌套或递归过深")
    if isinstance(error, SyntaxError):  # Python's own limits on the compiled placeholders (20 nested blocks)
        return TemplateError(f"{path}: Word 模板的占位符嵌套过深，无法编译：{error.msg}")
    if isinstance(error, MemoryError):
        return TemplateError(f"{path}: 处理 Word 模板时内存不足")
    # docxtpl, python-docx and lxml on a zip-valid file that is not a Word document they can read
    return TemplateError(f"{path}: 无法处理该 Word 模板：{type(error).__name__}: {error}")
