"""The page at ``/``: the form of one contract type beside its preview, or the list of types to choose from.

The page is one HTML document with its stylesheet and script inline (``static/form.css``, ``static/form.js``,
shipped as package data): nothing is fetched from outside, and nothing but ``/api/`` from this server. With
SPEC, the form is filled from that file's data and offers 保存; without, it is empty for ``--type`` (or
``?type=``, or the only type there is). A spec the person opens in the page (打开 YAML) comes back as the same
form filled from it (:func:`opened_form`), which the script swaps in.

This module must not validate or render, and must not read any file but the SPEC and its own static files.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from contractgen.server.form import render_parts

__all__ = ["CONTENT_SECURITY_POLICY", "form_page", "opened_form"]

STATIC = Path(__file__).parent / "static"
#: Inline style and script only, requests to this server only; the preview frame is sandboxed besides.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
    "frame-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'"
)


def _shell(title: str, header: str, body: str, *, script: bool) -> str:
    style = (STATIC / "form.css").read_text(encoding="utf-8")
    code = f"<script>{(STATIC / 'form.js').read_text(encoding='utf-8')}</script>" if script else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{style}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>{header}</header>{body}{code}</body></html>"
    )


def _choose_type(types: tuple[str, ...], token: str) -> str:
    from urllib.parse import quote

    from contractgen.writers.rendering import template_folder

    # The contract's own name first (借款合同), the type's name beside it: legal staff know the former.
    items = "".join(
        f'<li><a href="/?token={escape(quote(token))}&amp;type={escape(quote(t))}">'
        f"{escape(template_folder(t).title)}</a>（{escape(t)}）</li>"
        for t in types
    )
    body = f'<main><section class="section"><p>请选择合同类型：</p><ul>{items}</ul></section></main>'
    return _shell("contractgen：选择合同类型", "", body, script=False)


def form_page(*, contract_type: str | None, values: Any, saving: bool, token: str) -> str:
    """The form page of ``contract_type`` filled from ``values``; the type list when the type is not known yet."""
    from contractgen.validation.schemas import known_types, spec_schema

    types = known_types()
    if contract_type is None and len(types) == 1:
        contract_type = types[0]
    if contract_type not in types:
        return _choose_type(types, token)
    schema = json.loads(spec_schema(contract_type).text)
    buttons = "".join(
        f'<button type="button" data-download="{path}" data-name="{name}">{label}</button>'
        for path, name, label in (
            ("/api/yaml", "spec.yaml", "下载 YAML"),
            ("/api/render?format=pdf", "contract.pdf", "下载 PDF"),
            ("/api/render?format=docx", "contract.docx", "下载 DOCX"),
            ("/api/bundle", "bundle.zip", "下载签署包"),
        )
    )
    if saving:
        buttons = '<button type="button" id="save">保存</button>' + buttons
    opening = (
        '<button type="button" id="open">打开 YAML</button>'
        '<input type="file" id="open-file" accept=".yaml,.yml,application/yaml,text/yaml" hidden>'
    )
    header = f'<span id="status" role="status" aria-live="polite"></span>{opening}{buttons}'
    nav, form = render_parts(schema, values if isinstance(values, dict) else None)
    if isinstance(values, dict) and values:  # opened filled from a file: form.js shows every problem at once
        form = form.replace('<form id="spec-form"', '<form id="spec-form" data-filled="1"', 1)
    body = (
        f"<main>{nav}"
        f'<div><div id="summary" role="region" aria-live="polite" aria-label="检查结果"></div>{form}</div>'
        # Sandboxed: nothing in the preview ever runs. Same origin, so that the form's script may scroll it to
        # the clause an edit changed (form.js); the preview's text is the HTML writer's, every character escaped.
        '<div class="preview-pane"><iframe id="preview" title="合同预览" sandbox="allow-same-origin"></iframe></div>'
        "</main>"
    )
    return _shell(str(schema.get("title", contract_type)), header, body, script=True)


def opened_form(contract_type: str, values: dict[str, Any]) -> str:
    """The form of ``contract_type`` filled from ``values``: a spec the person opened in the page."""
    from contractgen.validation.schemas import spec_schema

    return render_parts(json.loads(spec_schema(contract_type).text), values)[1]
