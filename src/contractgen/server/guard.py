"""The guard: every request carries the token, names the address it reached, and posts only from this origin.

- the token (``?token=`` in the URL, or the ``X-Contractgen-Token`` header, or ``Authorization: Bearer``),
  compared in constant time: missing or wrong is 401;
- the ``Host`` header must be the address and port the connection actually reached (``localhost`` too, on
  a loopback address): a page on another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends
  its own name, and gets 403;
- a POST from a browser carries an ``Origin``: it must be this server's own (``http://`` + that Host), or the
  request is a cross-site one (CSRF) and gets 403; ``Sec-Fetch-Site: cross-site`` is refused too. Scripts
  (curl) send no Origin and are let through on the token alone.

This module must not look at a request's body, and must never let a request through without the token.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

__all__ = ["TOKEN_HEADER", "Handler", "guard", "json_error"]

TOKEN_HEADER = "X-Contractgen-Token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_error(status: int, message: str, **extra: object) -> web.Response:
    """An error as JSON: ``{"error": 中文消息, ...}`` with ``status``."""
    return web.json_response({"error": message, **extra}, status=status, dumps=_dumps)


def _dumps(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _token_of(request: web.Request) -> str | None:
    header = request.headers.get(TOKEN_HEADER)
    if header:
        return header
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        return authorization[len("Bearer ") :].strip()
    return request.query.get("token")


def allowed_hosts(request: web.Request) -> set[str]:
    """The Host values this connection may carry: the address and port it reached (``localhost`` on loopback)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    if not sockname:
        return set()
    address, port = sockname[0], sockname[1]
    ip = ipaddress.ip_address(address)
    shown = f"[{address}]" if ip.version == 6 else address
    hosts = {f"{shown}:{port}"}
    if ip.is_loopback:
        hosts.add(f"localhost:{port}")
    return hosts


def guard(token: str) -> Middleware:
    """The middleware checking every request against ``token``, its Host and its Origin."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "")
        if host.lower() not in allowed_hosts(request):
            return json_error(403, f"拒绝访问：请求的主机名 {host or '（空）'} 不是本服务的地址（防止 DNS 重绑定）")
        given = _token_of(request)
        if not given:
            return json_error(
                401, "缺少访问令牌：请使用启动时打印的网址（含 ?token=），或在请求头 X-Contractgen-Token 中提供"
            )
        if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8")):
            return json_error(401, "访问令牌不正确：请使用本次启动时打印的网址")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("Origin")
            if origin is not None and origin.lower() != f"http://{host.lower()}":
                return json_error(403, f"拒绝访问：来自其他网页（{origin}）的提交（防止跨站请求伪造）")
            if request.headers.get("Sec-Fetch-Site") == "cross-site":
                return json_error(403, "拒绝访问：来自其他网站的提交（防止跨站请求伪造）")
        return await handler(request)

    return middleware
