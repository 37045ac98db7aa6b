"""User Word templates: a ``.docx`` a user brings (``--docx-template``), its docxtpl placeholders filled from the
contract's context under the same guarantees as the house templates — sandboxed Jinja, autoescaping, strict XML.

A user template is untrusted input: it is checked before it is opened (zip and XML hygiene,
:func:`contractgen.writers.ooxml.check_user_docx`) and its output is re-parsed strictly afterwards. Every problem
with it is a :class:`~contractgen.errors.TemplateError` (exit 4) naming the file.

This module must not write files, and must never let a user template reach the network or the file system.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from contractgen.document.templates import sandboxed_environment
from contractgen.errors import InputError, TemplateError

__all__ = ["fill_user_template"]


def fill_user_template(path: Path, context: Mapping[str, Any], when: datetime) -> bytes:
    """A user's Word template (docxtpl placeholders) filled from the context, under the same guarantees."""
    import io

    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaError

    from contractgen.writers.ooxml import check_user_docx, check_xml_parts, normalise_zip

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取 Word 模板 {path}：{error.strerror}") from None
    check_user_docx(data, str(path))
    template = DocxTemplate(io.BytesIO(data))
    try:
        template.render(dict(context), jinja_env=sandboxed_environment(), autoescape=True)
    except (JinjaError, TemplateError) as error:
        line = getattr(error, "lineno", None)
        where = f"（第 {line} 行附近）" if line else ""
        raise TemplateError(f"{path}: Word 模板的占位符有误{where}：{error}") from None
    except Exception as error:  # docxtpl/lxml on a malformed but zip-valid file
        raise TemplateError(f"{path}: 无法处理该 Word 模板：{type(error).__name__}: {error}") from None
    buffer = io.BytesIO()
    template.save(buffer)
    filled = normalise_zip(buffer.getvalue(), when)
    check_xml_parts(filled)
    return filled
