"""A client for the server's API tests: one fresh app over a shared warm pool per exchange.

Each exchange builds the application, serves it on a free 127.0.0.1 port with aiohttp's test server and
sends its requests in order (:meth:`Api.session`), so a test can send a bad request and then check the server
still answers a good one. No pytest-asyncio: each exchange runs in its own ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from contractgen.server import ServerConfig, make_app
from contractgen.server.workers import WorkerPool

TOKEN = "test-token-0123456789"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "customer-service.yaml"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message(self) -> str:
        message: str = self.json["error"]
        return message


@dataclass
class Call:
    """One request: method, path, body (bytes), headers; ``token`` False leaves the token out."""

    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    token: bool = True
    content_type: str = "application/yaml"


@dataclass
class Api:
    pool: WorkerPool
    config: ServerConfig

    def __call__(self, method: str, path: str, body: bytes | None = None, **kwargs: Any) -> Reply:
        return self.session([Call(method, path, body, **kwargs)])[0]

    def session(self, calls: Sequence[Call]) -> list[Reply]:
        """Send ``calls`` in order to one server; their replies."""
        return asyncio.run(self._send(calls))

    async def _send(self, calls: Sequence[Call]) -> list[Reply]:
        replies = []
        async with TestClient(TestServer(make_app(self.config, self.pool), host="127.0.0.1")) as client:
            for call in calls:
                headers = dict(call.headers)
                if call.token:
                    headers.setdefault("X-Contractgen-Token", TOKEN)
                if call.body is not None:
                    headers.setdefault("Content-Type", call.content_type)
                response = await client.request(call.method, call.path, data=call.body, headers=headers)
                replies.append(Reply(response.status, dict(response.headers), await response.read()))
        return replies
