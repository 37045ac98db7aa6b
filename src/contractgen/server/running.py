"""Running the server: the listening socket, the one URL line, the browser, and a clean stop.

:func:`serve` binds ``host:port`` (port 0: a free one the system picks), starts the warm pool, prints
``http://HOST:PORT/?token=…`` as the first line on standard output (flushed, so a script reading it gets it at
once), opens the browser unless told not to, and serves until Ctrl-C (``KeyboardInterrupt`` propagates: the
CLI exits 130) or until ``stop`` is set (a normal stop: it returns). The workers are stopped either way.

This module must not handle requests (that is :mod:`.app`), and must not choose an address the caller did not.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from contractgen.server.app import ServerConfig, make_app
from contractgen.server.workers import WorkerPool

__all__ = ["serve", "url_of"]


def url_of(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def _open_browser(url: str) -> None:
    """The URL in the user's browser, where there is a display (never on a headless machine)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    import webbrowser

    webbrowser.open(url)


async def _serve(
    config: ServerConfig,
    pool: WorkerPool,
    *,
    host: str,
    port: int,
    browser: bool,
    announce: Callable[[str], None],
    stop: asyncio.Event | None,
) -> None:
    runner = web.AppRunner(make_app(config, pool), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, reuse_address=True)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or ()
        actual = sockets[0].getsockname()[1] if sockets else port
        url = url_of(host, actual, config.token)
        announce(url)
        if browser:
            _open_browser(url)
        await (stop.wait() if stop is not None else asyncio.Event().wait())
    finally:
        await runner.cleanup()


def serve(
    spec: Path | None = None,
    *,
    contract_type: str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    jobs: int = 1,
    browser: bool = True,
    docx_template: Path | None = None,
    announce: Callable[[str], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until Ctrl-C (raised) or ``stop``; ``announce`` gets the URL line (default: standard output)."""
    config = ServerConfig(secrets.token_urlsafe(24), spec, contract_type, docx_template)
    pool = WorkerPool(jobs)

    def printed(url: str) -> None:
        print(url, flush=True)

    pool.start()
    try:
        asyncio.run(
            _serve(config, pool, host=host, port=port, browser=browser, announce=announce or printed, stop=stop)
        )
    finally:
        pool.close()
