"""docs/serve.md documents every route of the server, each with a curl example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractgen.server import ServerConfig, make_app
from contractgen.server.workers import WorkerPool

DOC = Path(__file__).resolve().parents[2] / "docs" / "serve.md"
ROUTES = sorted(
    {
        (route.method, route.resource.canonical)
        for route in make_app(ServerConfig("t"), WorkerPool()).router.routes()
        if route.resource is not None and route.resource.canonical.startswith("/api/") and route.method != "HEAD"
    }
)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_every_route_has_a_section_with_a_curl_example(method: str, path: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    section = next((s for s in sections if s.startswith("`") and f"{method} {path}" in s.split("\n")[0]), None)
    assert section is not None, f"docs/serve.md has no section for {method} {path}"
    base = path.split("{", maxsplit=1)[0]
    commands = section.replace("\\\n", " ").splitlines()  # a command continued over lines is one command
    assert any(line.startswith("curl") and f"$URL{base}" in line for line in commands), section
