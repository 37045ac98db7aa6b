"""Saving with SPEC: the body replaces that file atomically, and nothing else is ever written."""

from __future__ import annotations

import os
from pathlib import Path

from server_client import SAMPLE, TOKEN, Api, Call

from contractgen.server import ServerConfig
from contractgen.server.workers import WorkerPool


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_save_writes_back_to_the_spec_only(pool: WorkerPool, tmp_path: Path) -> None:
    spec = tmp_path / "my.yaml"
    spec.write_bytes(b"type: customer-service\n")
    inode = spec.stat().st_ino
    api = Api(pool, ServerConfig(TOKEN, spec=spec))
    edited = SAMPLE.read_bytes().replace(b"KF-2026-0001", b"KF-2026-0042")
    loaded, saved, again = api.session(
        [
            Call("GET", "/api/spec"),
            Call("PUT", "/api/spec", edited),
            Call("GET", "/api/spec"),
        ]
    )
    assert loaded.body == b"type: customer-service\n"
    assert saved.status == 200
    assert saved.json["bytes"] == len(edited)
    assert again.body == edited
    assert spec.read_bytes() == edited
    assert spec.stat().st_ino != inode  # a new file renamed into place, not the old one rewritten
    assert set(_tree(tmp_path)) <= {"my.yaml", ".contractgen.lock"} | {
        n for n in os.listdir(tmp_path) if n.startswith(".contractgen")
    }
    assert [n for n in os.listdir(tmp_path) if not n.startswith(".")] == ["my.yaml"]


def test_a_request_cannot_name_a_path(pool: WorkerPool, tmp_path: Path) -> None:
    spec = tmp_path / "my.yaml"
    spec.write_bytes(b"type: customer-service\n")
    api = Api(pool, ServerConfig(TOKEN, spec=spec))
    replies = api.session(
        [
            Call("PUT", "/api/spec?path=/tmp/elsewhere.yaml", b"type: customer-service\n"),
            Call("GET", "/api/spec/../../etc/passwd"),
            Call("POST", "/api/render?format=template&docx_template=/etc/passwd", SAMPLE.read_bytes()),
        ]
    )
    assert replies[0].status == 200
    assert not Path("/tmp/elsewhere.yaml").exists()
    assert replies[1].status == 404
    assert replies[2].status == 400
    assert "--docx-template" in replies[2].message


def test_saving_the_form_writes_the_commented_form(pool: WorkerPool, tmp_path: Path) -> None:
    import json

    from contractgen.spec.loading import load_spec

    spec = tmp_path / "my.yaml"
    spec.write_bytes(b"type: customer-service\n")
    data = load_spec(SAMPLE).data
    api = Api(pool, ServerConfig(TOKEN, spec=spec))
    saved = api("PUT", "/api/spec", json.dumps(data, ensure_ascii=False).encode(), content_type="application/json")
    assert saved.status == 200
    text = spec.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=customer-service.schema.json\n")
    assert "# 合同编号（必填）" in text  # what the YAML download holds, comments and all
    assert load_spec(spec).data == data
    assert saved.json["bytes"] == len(text.encode("utf-8"))
