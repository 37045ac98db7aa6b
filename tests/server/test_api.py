"""The JSON API: every endpoint with a valid and an invalid body, and the server healthy after each bad one."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from click.testing import CliRunner
from render_helpers import normalise, pdf_page_bodies
from server_client import SAMPLE, TOKEN, Api, Call

from contractgen.cli import cli
from contractgen.spec.loading import load_spec
from contractgen.validation.schemas import spec_schema

CJK = re.compile(r"[\u4e00-\u9fff]")
HEALTHY = Call("POST", "/api/validate", SAMPLE.read_bytes())
ALIAS_BOMB = b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + b"".join(
    f"{chr(99 + n)}: &{chr(99 + n)} [{', '.join([f'*{chr(98 + n)}'] * 9)}]\n".encode() for n in range(7)
)


def _sample_json(**changes: object) -> bytes:
    data = load_spec(SAMPLE).data  # every value as its source text: money stays a string
    data.update(changes)
    return json.dumps(data, ensure_ascii=False).encode()


def test_types(api: Api) -> None:
    reply = api("GET", "/api/types")
    assert reply.status == 200
    assert "customer-service" in reply.json["types"]


def test_schema_is_the_shipped_one(api: Api) -> None:
    reply = api("GET", "/api/schema/customer-service")
    assert reply.status == 200
    assert reply.body.decode("utf-8") == spec_schema("customer-service").text


def test_validate_gives_the_cli_diagnostics(api: Api, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = SAMPLE.read_text(encoding="utf-8").replace("copies: 2", "copies: two").replace("KF-2026-0001", "")
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    envelope = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json", "spec.yaml"]).stdout)
    [cli_file] = envelope["files"]
    cli_json = cli_file["diagnostics"]
    reply = api("POST", "/api/validate", text.encode())
    assert reply.status == 400
    assert reply.json["diagnostics"] == cli_json
    assert reply.json["ok"] is False
    assert {d["path"] for d in cli_json} >= {"copies", "contract_no"}
    assert all(CJK.search(d["message"]) for d in cli_json)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (SAMPLE.read_bytes(), "application/yaml"),
        (_sample_json(), "application/json"),
        (_sample_json(copies=2), "application/json"),
    ],
    ids=["yaml", "json-strings", "json-integer"],
)
def test_validate_a_valid_spec(api: Api, body: bytes, content_type: str) -> None:
    reply = api("POST", "/api/validate", body, content_type=content_type)
    assert (reply.status, reply.json["ok"]) == (200, True), reply.json


def test_preview_is_the_contract_without_invisible_characters(api: Api, sample: bytes) -> None:
    reply = api("POST", "/api/preview", sample)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    page = reply.body.decode("utf-8")
    assert "客户服务管理合同" in page
    assert "KF-2026-0001" in page
    assert "上海明远科技有限公司" in page
    assert "\u2060" not in page
    assert "\u200b" not in page
    assert "http://" not in page
    assert "https://" not in page


@pytest.mark.parametrize(("kind", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04")])
def test_render(api: Api, sample: bytes, kind: str, magic: bytes) -> None:
    reply = api("POST", f"/api/render?format={kind}", sample)
    assert reply.status == 200, reply.body[:300]
    assert reply.body.startswith(magic)
    assert "KF-2026-0001" in reply.headers["Content-Disposition"]
    if kind == "pdf":
        text = normalise("".join(pdf_page_bodies(reply.body)))
        assert "上海明远科技有限公司" in text
        assert "杭州恒信客户服务外包有限公司" in text


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_downloaded_yaml_renders_to_the_bytes_the_form_gets(api: Api, tmp_path, monkeypatch, kind: str) -> None:  # type: ignore[no-untyped-def]
    form = _sample_json()  # what the page sends
    through_form = api("POST", f"/api/render?format={kind}", form, content_type="application/json")
    downloaded = api("POST", "/api/yaml", form, content_type="application/json")
    assert (through_form.status, downloaded.status) == (200, 200)
    (tmp_path / "spec.yaml").write_bytes(downloaded.body)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "spec.yaml", "-o", "out", "--to", kind])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"KF-2026-0001.{kind}").read_bytes() == through_form.body


def test_bundle_is_the_cli_bundle_zip(api: Api, sample: bytes) -> None:
    reply = api("POST", "/api/bundle", sample)
    assert reply.status == 200, reply.body[:300]
    names = zipfile.ZipFile(io.BytesIO(reply.body)).namelist()
    assert {"KF-2026-0001/manifest.json", "KF-2026-0001/contract.pdf", "KF-2026-0001/spec.yaml"} <= set(names)
    spec = zipfile.ZipFile(io.BytesIO(reply.body)).read("KF-2026-0001/spec.yaml")
    assert spec == sample  # the spec byte for byte, as bundle keeps it


INVALID = [
    ("validate-unknown-type", Call("POST", "/api/validate", b"type: lease\n"), 400, "lease"),
    (
        "validate-non-utf8",
        Call("POST", "/api/validate", b"type: customer-service\ncontract_no: \xc4\xe3\xba\xc3\n"),
        400,
        "UTF-8",
    ),
    ("validate-alias-bomb", Call("POST", "/api/validate", ALIAS_BOMB), 400, "锚点"),
    ("validate-2-MiB", Call("POST", "/api/validate", b"# " + b"x" * (2 << 20)), 413, "MiB"),
    (
        "validate-json-float",
        Call("POST", "/api/validate", _sample_json(copies=2.0), content_type="application/json"),
        400,
        "copies",
    ),
    ("validate-json-array", Call("POST", "/api/validate", b"[1, 2]", content_type="application/json"), 400, "对象"),
    ("validate-json-broken", Call("POST", "/api/validate", b'{"type": ', content_type="application/json"), 400, "JSON"),
    (
        "validate-xml",
        Call("POST", "/api/validate", b"<spec/>", content_type="application/xml"),
        415,
        "application/yaml",
    ),
    ("schema-unknown-type", Call("GET", "/api/schema/lease"), 404, "customer-service"),
    ("preview-invalid", Call("POST", "/api/preview", b"type: customer-service\n"), 400, "错误"),
    ("render-invalid", Call("POST", "/api/render?format=pdf", b"type: customer-service\n"), 400, "错误"),
    ("render-format", Call("POST", "/api/render?format=odt", SAMPLE.read_bytes()), 400, "odt"),
    ("render-template-unset", Call("POST", "/api/render?format=template", SAMPLE.read_bytes()), 400, "--docx-template"),
    ("bundle-invalid", Call("POST", "/api/bundle", b"type: customer-service\n"), 400, "错误"),
    ("spec-without-spec", Call("GET", "/api/spec"), 404, "SPEC"),
    ("save-without-spec", Call("PUT", "/api/spec", SAMPLE.read_bytes()), 404, "SPEC"),
    ("no-such-route", Call("GET", "/api/nothing"), 404, "/api/nothing"),
    ("wrong-method", Call("GET", "/api/validate"), 405, "GET"),
    ("no-token", Call("GET", "/api/types", token=False), 401, "令牌"),
    ("wrong-token", Call("GET", "/api/types", headers={"X-Contractgen-Token": "guess"}), 401, "令牌"),
    ("wrong-url-token", Call("GET", "/api/types?token=guess", token=False), 401, "令牌"),
    ("foreign-host", Call("GET", "/api/types", headers={"Host": "evil.example:80"}), 403, "DNS"),
    (
        "foreign-origin",
        Call("POST", "/api/validate", SAMPLE.read_bytes(), headers={"Origin": "http://evil.example"}),
        403,
        "跨站",
    ),
    (
        "cross-site-fetch",
        Call("POST", "/api/validate", SAMPLE.read_bytes(), headers={"Sec-Fetch-Site": "cross-site"}),
        403,
        "跨站",
    ),
]


@pytest.mark.parametrize(("call", "status", "fragment"), [case[1:] for case in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_requests(api: Api, call: Call, status: int, fragment: str) -> None:
    reply, after = api.session([call, HEALTHY])
    assert reply.status == status, reply.body[:300]
    said = reply.message + "".join(d["message"] + d["path"] for d in reply.json.get("diagnostics", []))
    assert CJK.search(reply.message), reply.message
    assert fragment in said, said
    assert (after.status, after.json["ok"]) == (200, True)  # the server still serves


def test_token_in_the_url_and_same_origin_posts(api: Api) -> None:
    types, posted = api.session(
        [
            Call("GET", "/api/types?token=test-token-0123456789", token=False),
            Call("POST", "/api/validate", SAMPLE.read_bytes()),
        ]
    )
    assert types.status == 200
    assert posted.status == 200


def test_same_origin_is_allowed(pool, sample: bytes) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from contractgen.server import ServerConfig, make_app

    async def send() -> int:
        async with TestClient(TestServer(make_app(ServerConfig(TOKEN), pool), host="127.0.0.1")) as client:
            origin = f"http://127.0.0.1:{client.port}"
            headers = {"X-Contractgen-Token": TOKEN, "Origin": origin, "Content-Type": "application/yaml"}
            response = await client.post("/api/validate", data=sample, headers=headers)
            return response.status

    assert asyncio.run(send()) == 200
