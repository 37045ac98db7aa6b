"""The form generator: every field of every type drawn, every construct understood or refused, the page safe."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from server_client import SAMPLE, TOKEN, Api

from contractgen.server import ServerConfig
from contractgen.server.form import FormError, render_form, render_parts
from contractgen.server.workers import WorkerPool
from contractgen.spec.loading import load_spec
from contractgen.validation.schemas import known_types, spec_schema


def _schema(contract_type: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(spec_schema(contract_type).text)
    return loaded


def _paths(node: dict[str, Any], schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every field path of a schema (rows of arrays as ``.__i__``), the way the form names them."""
    if "$ref" in node:
        node = {**schema["$defs"][node["$ref"].removeprefix("#/$defs/")], **node}
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path
        yield from _paths(child, schema, path)
    if "items" in node:
        yield from _paths(node["items"], schema, f"{prefix}.__i__")


@pytest.mark.parametrize("contract_type", known_types())
def test_every_field_of_every_type_is_on_the_form(contract_type: str) -> None:
    schema = _schema(contract_type)
    html = render_form(schema)
    drawn = set(re.findall(r'id="f-([^"]+)"', html))
    missing = [path for path in _paths(schema, schema) if path not in drawn]
    assert not missing, missing
    for label in re.findall(r'"title": "([^"]+)"', spec_schema(contract_type).text)[:20]:
        assert label in html or label in json.dumps(schema["$defs"], ensure_ascii=False), label


REFUSED = [
    ("unknown-keyword", {"properties": {"a": {"type": "string", "patternProperties": {}}}}, "patternProperties"),
    ("if-not-a-const", {"allOf": [{"if": {"properties": {"a": {"enum": ["x"]}}}, "then": {}}]}, "if"),
    ("allOf-without-if", {"allOf": [{"required": ["a"]}]}, "allOf"),
    ("then-unknown", {"allOf": [{"if": {"properties": {"a": {"const": "x"}}}, "then": {"minProperties": 1}}]}, "then"),
    ("branch-property",
     {"allOf": [{"if": {"properties": {"a": {"const": "x"}}}, "else": {"properties": {"b": {"type": "string"}}}}]},
     "not"),
    ("array-of-text", {"properties": {"a": {"type": "array", "items": {"type": "string"}}}}, "items"),
    ("anyOf-objects", {"properties": {"a": {"anyOf": [{"type": "object"}]}}}, "anyOf"),
    ("oneOf-schemas", {"properties": {"a": {"type": "object", "oneOf": [{"properties": {}}]}}}, "oneOf"),
    ("external-ref", {"properties": {"a": {"$ref": "other.json#/x"}}}, "other.json"),
]  # fmt: skip


@pytest.mark.parametrize(("schema", "said"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_construct_the_generator_does_not_understand_fails(schema: dict[str, Any], said: str) -> None:
    with pytest.raises(FormError, match=re.escape(said)) as raised:
        render_form({"type": "object", **schema})
    assert "理解" in str(raised.value)  # says what the generator understands, or that it does not


def test_the_form_speaks_the_schema() -> None:
    html = render_form(_schema("customer-service"), load_spec(SAMPLE).data)
    assert 'id="f-party_a.name" name="party_a.name"' in html
    assert 'value="上海明远科技有限公司"' in html  # filled from the spec
    assert 'placeholder="KF-2026-0001"' in html  # examples as placeholders
    assert '<option value="person">自然人（person）</option>' in html  # enums with their Chinese names
    assert 'for="f-contract_no">合同编号<span class="required"' in html  # required marks
    assert 'id="f-party_b.credit_code"' in html
    assert 'data-when="hidden:party_a.kind|eq|person required:party_a.kind|ne|person"' in html
    assert 'data-when="hidden:fee.instalments|eq|person' not in html
    assert re.search(r'id="f-fee.instalments"[^>]*data-when="[^"]*hidden:fee.payment\|ne\|instalments', html)
    assert '<template><div class="row">' in html
    assert 'name="fee.instalments.__i__.due"' in html
    assert '<datalist id="l-term.start"><option value="signing">自双方签字之日起计算</option>' in html
    assert 'href="#s-party_a">甲方（委托方）</a>' in html  # a section list to jump between


@pytest.fixture
def page_api(pool: WorkerPool, tmp_path) -> Api:  # type: ignore[no-untyped-def]
    spec = tmp_path / "mine.yaml"
    spec.write_bytes(SAMPLE.read_bytes())
    return Api(pool, ServerConfig(TOKEN, spec=spec))


def test_the_page_is_self_contained(page_api: Api) -> None:
    reply = page_api("GET", f"/?token={TOKEN}", token=False)
    assert reply.status == 200
    page = reply.body.decode("utf-8")
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from outside
    assert 'value="KF-2026-0001"' in page
    assert 'id="save"' in page
    assert '<iframe id="preview" title="合同预览" sandbox="allow-same-origin">' in page  # no script runs in it
    assert 'aria-live="polite"' in page


def test_the_type_is_asked_for_when_unknown(pool: WorkerPool) -> None:
    reply = Api(pool, ServerConfig(TOKEN))("GET", f"/?token={TOKEN}", token=False)
    page = reply.body.decode("utf-8")
    assert "请选择合同类型" in page
    # each type by its contract's title, then its name
    assert 'type=customer-service">客户服务管理合同</a>（customer-service）' in page
    assert 'type=loan">借款合同</a>（loan）' in page


def test_the_second_type_has_its_form_too(pool: WorkerPool) -> None:
    reply = Api(pool, ServerConfig(TOKEN))("GET", f"/?token={TOKEN}&type=loan", token=False)
    page = reply.body.decode("utf-8")
    assert reply.status == 200
    for label in ("出借人", "借款人", "保证人", "借款本金", "还款方式"):
        assert label in page, label


def test_yaml_download_validates_and_keeps_the_values(api: Api) -> None:
    data = load_spec(SAMPLE).data
    reply = api("POST", "/api/yaml", json.dumps(data, ensure_ascii=False).encode(), content_type="application/json")
    assert reply.status == 200
    assert reply.body.startswith(b"# yaml-language-server: $schema=customer-service.schema.json\n")
    assert load_spec("spec.yaml", text=reply.body).data == data  # money as typed, never a float
    assert api("POST", "/api/validate", reply.body).json == {"ok": True, "diagnostics": []}
    text = reply.body.decode("utf-8")
    assert "total: 360000.00" in text  # money as typed
    assert "years: 3" in text  # an integer unquoted, as an editor wants it
    assert re.search(r"^fee:\s+# 服务费用（必填）$", text, re.M)  # the comments init writes
    assert re.search(r"^  # instalments:\s+# 只有 payment 为 instalments", text, re.M)  # not filled: commented out
    assert re.search(r'^    account: "\d+"', text, re.M)  # digits an editor would read as a number stay quoted


def test_yaml_download_never_drops_what_the_form_does_not_know(api: Api) -> None:
    data = {**load_spec(SAMPLE).data, "remark": "附加说明"}
    reply = api("POST", "/api/yaml", json.dumps(data, ensure_ascii=False).encode(), content_type="application/json")
    assert reply.status == 200
    assert load_spec("spec.yaml", text=reply.body).data == data  # kept (validate then names the unknown field)


def test_yaml_download_of_a_yaml_body_is_the_file_itself(api: Api) -> None:
    own = SAMPLE.read_bytes()
    assert api("POST", "/api/yaml", own).body == own  # its own comments and layout, untouched
    bare = b"\n".join(line for line in own.splitlines() if not line.startswith(b"# yaml-language-server")) + b"\n"
    reply = api("POST", "/api/yaml", bare)
    assert reply.body == b"# yaml-language-server: $schema=customer-service.schema.json\n" + bare


def test_the_script_parses() -> None:
    import shutil
    import subprocess
    from pathlib import Path

    import contractgen.server

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the page's script is not parsed here")
    script = Path(contractgen.server.__file__).parent / "static" / "form.js"
    subprocess.run([node, "--check", str(script)], check=True, capture_output=True)


def test_a_spec_opened_in_the_page_comes_back_as_the_form_filled_from_it(api: Api) -> None:
    reply = api("POST", "/api/form?type=customer-service&name=mine.yaml", SAMPLE.read_bytes())
    assert reply.status == 200
    assert reply.json["name"] == "mine.yaml"
    form = reply.json["form"]
    assert form.startswith('<form id="spec-form"')
    assert 'value="KF-2026-0001"' in form
    assert form == render_parts(_schema("customer-service"), load_spec(SAMPLE).data)[1]  # the page's own form


@pytest.mark.parametrize(
    ("body", "query", "said"),
    [
        (b"type: customer-service\nfee: [\n", "?type=customer-service&name=bad.yaml", "bad.yaml 读不出合同规格"),
        (b"- a\n- b\n", "?type=customer-service", "读不出合同规格"),
        (b"type: lease\n", "?type=customer-service&name=x.yaml", "x.yaml 是“lease”类型的规格"),
        (b"contract_no: A\n", "?type=customer-service&name=../../etc/x.yaml", "x.yaml 没有写合同类型"),
    ],
)
def test_a_file_that_cannot_fill_the_form_is_named_and_refused(api: Api, body: bytes, query: str, said: str) -> None:
    reply = api("POST", "/api/form" + query, body)
    assert reply.status == 400
    assert said in reply.json["error"]
    assert "/etc" not in reply.json["error"]  # the name is shown as a file name, never as a path
