"""The routes of ``contractgen serve``: the JSON API over the library, behind :mod:`.guard`.

==========================  =================================================================================
``GET  /api/types``         the contract types, with the type and SPEC this server was started with
``GET  /api/schema/{type}`` the type's JSON Schema, exactly as ``contractgen schema`` prints it
``GET  /api/spec``          the text of the SPEC the server was started with
``PUT  /api/spec``          save the body into that SPEC, atomically (the only file the server writes)
``POST /api/validate``      the diagnostics, as ``contractgen validate --format json`` gives them
``POST /api/preview``       the contract as an HTML page
``POST /api/render``        ``?format=pdf|docx`` (or ``template``, the server's ``--docx-template``): the file
``POST /api/bundle``        the bundle zip, as ``contractgen bundle --zip`` makes it
``POST /api/yaml``          the body (the form's JSON) as a YAML spec, with the ``$schema`` line and comments
``POST /api/form``          ``?type=``: the form's fields filled from the body (a spec opened in the page)
``GET  /``                  the form page (:mod:`.page`)
==========================  =================================================================================

A body is the spec as YAML (``application/yaml``) or as a JSON object (``application/json``), at most 1 MiB
(:mod:`.bodies`). Errors are JSON — ``{"error": 中文消息, "diagnostics": [...]}`` — and the status says what
kind: 400 the input, 401 the token, 403 the Host or the Origin, 404 no such type, 413 too large, 415 not YAML
or JSON, 503 busy (``Retry-After``), 500 the render failed.

This module must not render (renders run in :mod:`.workers`), must validate on the event loop only a body of
at most :data:`INLINE_VALIDATE` bytes (a longer one in a thread), and must never open a path named by a request.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from contractgen.batch.outcome import Outcome
from contractgen.diagnostics import Diagnostic, format_json
from contractgen.errors import EXIT_INPUT, ContractgenError
from contractgen.server.bodies import MAX_BODY, BodyError, spec_bytes
from contractgen.server.guard import Handler, guard, json_error
from contractgen.server.tasks import File, Job, bundle_task, preview_task, render_task
from contractgen.server.workers import Busy, WorkerPool

__all__ = ["ServerConfig", "make_app"]

RENDER_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: A body at most this long is validated on the event loop itself. A form's spec (3–4 KiB) validates in about
#: 1.5 ms, less than handing it to a thread costs when 20 requests are in flight (p95 32 ms on the loop, 41–48 ms
#: through threads, benchmarks/serve.py); the slowest 8 KiB found (a flow mapping of 500 keys) holds the loop
#: 11 ms. A longer body, up to the 1 MiB limit, goes to a thread.
INLINE_VALIDATE = 8 * 1024
_POOL: web.AppKey[WorkerPool] = web.AppKey("pool", WorkerPool)
_CONFIG: web.AppKey[ServerConfig] = web.AppKey("config", object)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ServerConfig:
    """What ``serve`` was started with: the token, the SPEC (the one file it may write) and the options."""

    token: str
    spec: Path | None = None
    contract_type: str | None = None
    docx_template: Path | None = None

    @property
    def spec_name(self) -> str:
        """The name diagnostics and bundles give a request's spec: the SPEC's file name, or ``spec.yaml``."""
        return self.spec.name if self.spec is not None else "spec.yaml"


def _diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[Any]:
    loaded: list[Any] = json.loads(format_json(diagnostics))  # the CLI's JSON, field for field
    return loaded


async def _body(request: web.Request) -> bytes:
    """The spec's YAML bytes from the request; :class:`BodyError` for a body that cannot be one."""
    if (request.content_length or 0) > MAX_BODY:
        raise BodyError(413, f"请求正文超过 {MAX_BODY // (1 << 20)} MiB，未处理")
    try:
        data = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise BodyError(413, f"请求正文超过 {MAX_BODY // (1 << 20)} MiB，未处理") from None
    return spec_bytes(request.headers.get("Content-Type", ""), data)


def _failure(outcome: Outcome[Any]) -> web.Response:
    if outcome.diagnostics:
        return json_error(400, outcome.message, diagnostics=_diagnostics(outcome.diagnostics))
    return json_error(400 if outcome.code == EXIT_INPUT else 500, outcome.message)


async def _in_pool(request: web.Request, task: Any, job: Job) -> tuple[Any, web.Response | None]:
    """``task`` run in the pool: its value, or the response to give instead (busy, invalid, failed)."""
    pool = request.app[_POOL]
    try:
        outcome = await pool.run(task, request.app[_CONFIG].spec_name, job)
    except Busy as busy:
        response = json_error(503, "服务正忙，所有生成进程都在工作且排队已满，请稍后再试")
        response.headers["Retry-After"] = str(busy.retry_after)
        return None, response
    return (outcome.value, None) if outcome.ok else (None, _failure(outcome))


def _file(file: File, content_type: str) -> web.Response:
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(file.name)}"
    return web.Response(body=file.data, content_type=content_type, headers={"Content-Disposition": disposition})


async def types_handler(request: web.Request) -> web.Response:
    from contractgen.validation.schemas import known_types

    config = request.app[_CONFIG]
    spec = str(config.spec) if config.spec is not None else None
    return web.json_response({"types": list(known_types()), "type": config.contract_type, "spec": spec})


async def schema_handler(request: web.Request) -> web.Response:
    from contractgen.validation.schemas import spec_schema

    try:
        schema = spec_schema(request.match_info["type"])
    except ContractgenError as error:
        return json_error(404, error.message)
    return web.Response(text=schema.text, content_type="application/schema+json")


async def validate_handler(request: web.Request) -> web.Response:
    from contractgen.validation import check_spec

    data = await _body(request)
    name = request.app[_CONFIG].spec_name
    if len(data) <= INLINE_VALIDATE:
        report = check_spec(name, text=data)
    else:
        report = await asyncio.to_thread(check_spec, name, text=data)
    payload: dict[str, Any] = {"ok": report.ok, "diagnostics": _diagnostics(report.diagnostics)}
    if request.query.get("wording") == "form":  # the form's own page: messages for a form, not for YAML
        _in_form_wording(payload["diagnostics"], request.query.get("type", ""))
    if not report.ok:
        payload["error"] = f"{request.app[_CONFIG].spec_name}：有 {len(report.errors)} 个错误"
    return web.json_response(payload, status=200 if report.ok else 400, dumps=_dumps)


def _in_form_wording(diagnostics: list[Any], contract_type: str) -> None:
    from contractgen.server.form_wording import form_message
    from contractgen.validation.schemas import known_types, spec_schema

    if contract_type not in known_types():
        return
    index = spec_schema(contract_type).index  # compiled once per type, its look-ups kept (the form asks often)
    for diagnostic in diagnostics:
        diagnostic["message"] = form_message(diagnostic, index)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


async def preview_handler(request: web.Request) -> web.Response:
    page, failed = await _in_pool(request, preview_task, Job(await _body(request)))
    return failed or web.Response(text=page, content_type="text/html")


async def render_handler(request: web.Request) -> web.Response:
    config = request.app[_CONFIG]
    kind = request.query.get("format", "pdf")
    if kind == "template" and config.docx_template is None:
        return json_error(400, "本服务启动时没有指定 --docx-template，无法按自定义 Word 模板生成")
    if kind not in RENDER_FORMATS and kind != "template":
        return json_error(400, f"不支持的格式 {kind}：可选 pdf、docx")
    job = Job(await _body(request), format=kind, docx_template=config.docx_template)
    file, failed = await _in_pool(request, render_task, job)
    return failed or _file(file, RENDER_FORMATS.get(kind, RENDER_FORMATS["docx"]))


async def bundle_handler(request: web.Request) -> web.Response:
    file, failed = await _in_pool(request, bundle_task, Job(await _body(request)))
    return failed or _file(file, "application/zip")


async def get_spec_handler(request: web.Request) -> web.Response:
    spec = request.app[_CONFIG].spec
    if spec is None:
        return json_error(404, "本服务启动时没有指定规格文件（contractgen serve SPEC）")
    try:
        return web.Response(body=spec.read_bytes(), content_type="application/yaml")
    except OSError as error:
        return json_error(500, f"无法读取规格文件 {spec.name}：{error.strerror or error}")


async def put_spec_handler(request: web.Request) -> web.Response:
    from contractgen.writers.output import write_files

    spec = request.app[_CONFIG].spec
    if spec is None:
        return json_error(404, "本服务启动时没有指定规格文件（contractgen serve SPEC），无处保存：请下载 YAML")
    data = await _body(request)
    data = await asyncio.to_thread(_spec_yaml, data, spec.name, _from_form(request))  # as the YAML download
    try:  # all or nothing: the old file or the new one, never neither (the render stage's writer)
        await asyncio.to_thread(write_files, spec.parent, {spec.name: data})
    except ContractgenError as error:
        return json_error(500, error.message)
    return web.json_response({"saved": str(spec), "bytes": len(data)}, dumps=_dumps)


async def index_handler(request: web.Request) -> web.Response:
    from contractgen.server.page import CONTENT_SECURITY_POLICY, form_page
    from contractgen.spec.loading import read_spec

    config = request.app[_CONFIG]
    contract_type, values = request.query.get("type") or config.contract_type, None
    if config.spec is not None:
        loaded = await asyncio.to_thread(read_spec, config.spec)
        values = loaded.spec.data if loaded.spec is not None else None
        if isinstance(values, dict) and isinstance(values.get("type"), str):
            contract_type = values["type"]
    page = form_page(contract_type=contract_type, values=values, saving=config.spec is not None, token=config.token)
    headers = {"Referrer-Policy": "no-referrer", "Content-Security-Policy": CONTENT_SECURITY_POLICY}
    return web.Response(text=page, content_type="text/html", headers=headers)


async def yaml_handler(request: web.Request) -> web.Response:
    """The body as a YAML spec to download. The form's JSON is written as ``contractgen init`` writes a form —
    the schema line, a Chinese comment on every field, the empty ones commented out — with the values exactly
    as typed; a YAML body is the person's own file and is given back as it is, a schema line added if missing."""
    data = await _body(request)
    text = await asyncio.to_thread(_spec_yaml, data, request.app[_CONFIG].spec_name, _from_form(request))
    return _file(File(request.app[_CONFIG].spec_name, text), "application/yaml")


def _from_form(request: web.Request) -> bool:
    return request.headers.get("Content-Type", "").split(";")[0].strip().lower() == "application/json"


def _spec_yaml(data: bytes, name: str, from_form: bool) -> bytes:
    from contractgen.spec.loading import read_spec
    from contractgen.validation.schemas import known_types
    from contractgen.validation.spec_form import render_form

    loaded = read_spec(name, text=data)
    values = loaded.spec.data if loaded.spec is not None else None
    kind = values.get("type") if isinstance(values, dict) else None
    if not isinstance(values, dict) or kind not in known_types():
        return data
    if from_form:
        form = render_form(kind, values=values)
        again = read_spec(name, text=form)
        # The form writes only the schema's fields: anything else sent (an unknown key) must not vanish in the
        # download, so the commented form is given only when it reads back as exactly the data sent.
        if again.spec is not None and again.spec.data == values:
            return form.encode("utf-8")
    if data.startswith(b"# yaml-language-server:"):
        return data
    return f"# yaml-language-server: $schema={kind}.schema.json\n".encode() + data


async def form_handler(request: web.Request) -> web.Response:
    """The form filled from a YAML spec the person opened in the page (打开 YAML), as ``{"form": html}``."""
    from contractgen.server.page import opened_form
    from contractgen.spec.loading import read_spec

    # The name is the opened file's, for the messages only: it is never a path the server opens.
    name = Path(request.query.get("name", "")).name[:120] or request.app[_CONFIG].spec_name
    loaded = await asyncio.to_thread(read_spec, name, text=await _body(request))
    values = loaded.spec.data if loaded.spec is not None else None
    if not isinstance(values, dict):
        first = loaded.diagnostics[0].message if loaded.diagnostics else "文件里没有字段"
        return json_error(400, f"{name} 读不出合同规格：{first}", diagnostics=_diagnostics(loaded.diagnostics))
    wanted, given = request.query.get("type", ""), values.get("type")
    if given != wanted:
        kind = f"是“{given}”类型的规格" if isinstance(given, str) else "没有写合同类型（type）"
        return json_error(400, f"{name} {kind}，本页填写的是“{wanted}”：请打开 {wanted} 的规格文件")
    form = await asyncio.to_thread(opened_form, wanted, values)
    return web.json_response({"form": form, "name": name}, dumps=_dumps)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body that cannot be a spec, or a route that does not exist, as a Chinese JSON error."""
    try:
        return await handler(request)
    except BodyError as error:
        return json_error(error.status, error.message)
    except web.HTTPNotFound:
        return json_error(404, f"没有这个地址：{request.path}")
    except web.HTTPMethodNotAllowed:
        return json_error(405, f"{request.path} 不接受 {request.method} 请求")


def make_app(config: ServerConfig, pool: WorkerPool) -> web.Application:
    """The application: :mod:`.guard` first, then the routes above; ``pool`` renders (started by the caller)."""
    app = web.Application(middlewares=[guard(config.token), _errors], client_max_size=MAX_BODY)
    app[_CONFIG] = config
    app[_POOL] = pool
    app.router.add_get("/", index_handler)
    app.router.add_get("/api/types", types_handler)
    app.router.add_get("/api/schema/{type}", schema_handler)
    app.router.add_get("/api/spec", get_spec_handler)
    app.router.add_put("/api/spec", put_spec_handler)
    app.router.add_post("/api/validate", validate_handler)
    app.router.add_post("/api/preview", preview_handler)
    app.router.add_post("/api/render", render_handler)
    app.router.add_post("/api/bundle", bundle_handler)
    app.router.add_post("/api/yaml", yaml_handler)
    app.router.add_post("/api/form", form_handler)
    return app
