"""An editor speaks contractgen's words: the schemas' errorMessages, and a real yaml-language-server showing them.

The committed schemas must be what :mod:`contractgen.validation.editor_messages` writes; the generator must touch
nothing but errorMessage members. Then yaml-language-server (npm, pinned in tools/editor, installed by
``./dev test``) runs as an editor runs it — ``node …/yaml-language-server --stdio``, spoken to over LSP from
here — on specs beside a copy of the schema: each bad value is squiggled with the Chinese of
:mod:`contractgen.validation.schema_messages` (less the quoted value), and no English message is left.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

import pytest
from installed import needs

from contractgen.spec.loading import read_spec
from contractgen.validation.editor_messages import KEYWORD, editor_messages, with_editor_messages
from contractgen.validation.schema_index import SchemaIndex, typed_view
from contractgen.validation.schema_messages import explain
from contractgen.validation.schemas import spec_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
SERVER = ROOT / "tools/editor/node_modules/yaml-language-server/bin/yaml-language-server"
BASE = ROOT / "samples/customer-service-minimal.yaml"
MODELINE = "# yaml-language-server: $schema=customer-service.schema.json"  # as `contractgen init -o` writes it
WAIT = 30.0  # seconds for any one answer of the server: generous for a loaded CI machine, never a hang
ENGLISH = ("Incorrect type", "Value is not accepted", "String does not match", "Missing property", "Matches")
SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}}


def _without_keyword(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_keyword(v) for k, v in node.items() if k != KEYWORD}
    if isinstance(node, list):
        return [_without_keyword(v) for v in node]
    return node


# The schema files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_the_committed_schema_holds_the_generated_messages(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert with_editor_messages(text) == text, (
        f"{path.name}: errorMessage out of date; run python -m contractgen.validation.editor_messages --write"
    )


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_the_generator_changes_only_error_message_members(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    bare = with_editor_messages(text, messages={})
    assert KEYWORD not in bare
    assert json.loads(bare) == _without_keyword(json.loads(text))
    assert with_editor_messages(bare) == text  # inserted where they are, the file otherwise as written
    added = [line for line in text.splitlines() if line not in bare.splitlines()]
    assert all(KEYWORD in line for line in added), added


def test_inserted_updated_and_stale_messages() -> None:
    written = (
        '{\n  "type": "object",\n  "properties": {\n    "n": {\n      "type": "integer",\n      "minimum": 1\n'
        '    },\n    "k": {"enum": ["a"], "errorMessage": "old"},\n    "s": {"title": "x", "errorMessage": "gone"}\n'
        "  }\n}\n"
    )
    assert with_editor_messages(written) == written.replace(
        '"minimum": 1', '"errorMessage": "应为整数",\n      "minimum": 1'
    ).replace('"old"', '"只能是 a之一"').replace(', "errorMessage": "gone"', "")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_value_a_user_types_has_a_chinese_message(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    messages = editor_messages(schema)
    assert messages, path.name
    assert all(any(0x4E00 <= ord(c) < 0xA000 for c in m) for m in messages.values()), messages
    index = SchemaIndex(schema)

    def places(parts: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
        for name in index.properties(parts):
            yield (*parts, name)
            yield from places((*parts, name))
        if any("items" in s for s in index.at(parts)):
            yield from places((*parts, 0))

    for parts in places(()):
        reached = index.at(parts)  # every schema that may apply there, through $ref, allOf, anyOf, then/else
        valued = any({"type", "enum", "const", "pattern"} & set(s) for s in reached)
        group = any(s.get("type") == "object" for s in reached)
        if valued and not group:
            assert any(KEYWORD in s for s in reached), f"{parts}: no errorMessage reaches this field"


# A real yaml-language-server ----------------------------------------------------------------------------


class LanguageServer:
    """yaml-language-server over stdio: Content-Length framed JSON-RPC, every read bounded by a timeout."""

    def __init__(self, folder: Path) -> None:
        self.log = (folder / "server.log").open("wb")
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=folder,
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.next_id = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    self.inbox.put(None)  # the server is gone
                    return
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        self.next_id += 1
        asked = self.next_id
        self.send({"id": asked, "method": method, "params": params or {}})
        return self._until(lambda m: m.get("id") == asked and "method" not in m).get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def open(self, path: Path) -> list[dict[str, Any]]:
        """Open ``path`` as an editor does and return the diagnostics the server publishes for it."""
        uri = path.as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}
        self.notify("textDocument/didOpen", {"textDocument": document})
        self._until(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        return self.diagnostics[uri]

    def _until(self, wanted: Any) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                message = self.inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"yaml-language-server said nothing awaited within {WAIT} s", pytrace=False)
            if message is None:
                pytest.fail("yaml-language-server exited", pytrace=False)
            if "method" in message and "id" in message:  # the server asks: settings, registrations
                items = message.get("params", {}).get("items", [])
                answer = [SETTINGS.get(item.get("section", "")) for item in items] if items else None
                self.send({"id": message["id"], "result": answer})
            elif message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
            if wanted(message):
                return message

    def stop(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown")
                self.notify("exit", {})
                self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            self.log.close()


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LanguageServer, Path]]:
    folder = tmp_path_factory.mktemp("editor")
    for schema in SCHEMAS:  # every type's, so a sample of any type finds its own
        shutil.copy2(schema, folder)
    server = LanguageServer(folder)
    try:
        server.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {
            "workspace": {"configuration": True}, "textDocument": {"publishDiagnostics": {}}}})  # fmt: skip
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        yield server, folder
    finally:
        server.stop()


class Case(NamedTuple):
    name: str
    line: str  # a line of the minimal sample
    bad: str  # what it becomes
    field: str
    expected: str  # what the editor shows


CASES = [
    Case("integer", "  years: 1", "  years: three", "term.years", "应为整数"),
    Case("amount", "  total: 96000.00", '  total: "12.345"', "fee.total", "金额应写成数字，最多两位小数，如 360000.00"),
    Case("enum", "  total: 96000.00", "  total: 96000.00\n  payment: monthly", "fee.payment",
         "只能是 annual（按年度支付）、lump_sum（一次性支付）、instalments（分期支付）之一"),
    Case("pattern", "  credit_code: 91110108MA01C3T56T", "  credit_code: 91110108MA01C3T5", "party_a.credit_code",
         "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）"),
    Case("percent", "  breach_rate: 10%", "  breach_rate: 10", "penalty.breach_rate",
         "比例应写成数字加百分号，如 20% 或 0.05%"),
    Case("anyOf", "  years: 1", "  start: soon\n  years: 1", "term.start",
         "只能写 signing（自双方签字之日起计算）或一个日期（如 2027-01-01）"),
    Case("boolean", "  date: 2026-12-01", "  date: 2026-12-01\n  cross_page_seal: yes", "signing.cross_page_seal",
         "应为true 或 false"),
]  # fmt: skip

# Skip marks are judged before a fixture is set up: without node no server is started.
needs_node = needs("node", "yaml-language-server runs on Node.js")
needs_server = needs(str(SERVER), "npm ci --prefix tools/editor installs yaml-language-server")


def _schema_messages(path: Path, field: str) -> list[str]:
    """Everything schema_messages says about ``field`` of the spec at ``path``, before any is preferred."""
    spec = read_spec(path).spec
    assert spec is not None
    schema = spec_schema("customer-service")
    messages = []
    for error in schema.validator.iter_errors(typed_view(schema.index, spec.data)):
        messages += [p.message for p in explain(error, schema.index) if p.path == field]
    return messages


@needs_node
@needs_server
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_editor_squiggles_in_contractgens_words(editor: tuple[LanguageServer, Path], case: Case) -> None:
    server, folder = editor
    original = BASE.read_text(encoding="utf-8")
    assert case.line in original.splitlines(), case.line
    text = original.replace(case.line, case.bad, 1).replace(original.splitlines()[0], MODELINE, 1)
    spec = folder / f"{case.name}.yaml"
    spec.write_text(text, encoding="utf-8")
    squiggles = server.open(spec)
    assert [d["message"] for d in squiggles] == [case.expected]
    (added,) = (written for written in case.bad.splitlines() if written != case.line)
    assert squiggles[0]["range"]["start"]["line"] == text.splitlines().index(added)
    assert not [d for d in squiggles if any(word in d["message"] for word in ENGLISH)]
    said = _schema_messages(spec, case.field)  # contractgen's own words for the same spec, value quoted
    assert any(m == case.expected or m.startswith(case.expected + "，收到 ") for m in said), said


@needs_node
@needs_server
@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.yaml")), ids=lambda p: p.name)
def test_the_samples_show_no_problem_in_the_editor(editor: tuple[LanguageServer, Path], sample: Path) -> None:
    server, folder = editor
    text = sample.read_text(encoding="utf-8")
    copy = folder / sample.name
    own = text.splitlines()[0].replace("../schemas/", "")  # the sample's own schema, beside the copy
    copy.write_text(text.replace(text.splitlines()[0], own, 1), encoding="utf-8")
    assert server.open(copy) == []
