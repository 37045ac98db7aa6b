"""``contractgen serve`` as a process: the URL line first, the API on 127.0.0.1 only, Ctrl-C → 130, SIGTERM → 0,
workers gone."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from processes import session_processes
from server_client import SAMPLE

from contractgen.cli import cli


def _command() -> list[str]:
    found = shutil.which("contractgen", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "contractgen"]


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only
            address: str = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _post(url: str, token: str, body: bytes) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"X-Contractgen-Token": token, "Content-Type": "application/yaml"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(signal.SIGINT, 130, "已中断"), (signal.SIGTERM, 0, "服务已停止")],
    ids=["ctrl-c", "sigterm"],
)
def test_serve_prints_the_url_serves_on_loopback_and_stops(tmp_path: Path, stop: int, code: int, said: str) -> None:
    # Ctrl-C interrupts (130, as every command); SIGTERM, how a service manager stops a server, is a normal stop.
    process = subprocess.Popen(
        [*_command(), "serve", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode("utf-8").strip()
        url = urlsplit(line)
        token = url.query.removeprefix("token=")
        assert (url.scheme, url.hostname, url.path) == ("http", "127.0.0.1", "/")
        assert len(token) >= 20
        assert url.port is not None
        assert url.port > 0
        base = f"http://127.0.0.1:{url.port}"
        with urllib.request.urlopen(f"{base}/api/types?token={token}", timeout=30) as response:
            assert "customer-service" in json.loads(response.read())["types"]
        assert _post(f"{base}/api/validate", token, SAMPLE.read_bytes()) == (200, {"ok": True, "diagnostics": []})
        status, body = _post(f"{base}/api/validate", "wrong", SAMPLE.read_bytes())
        assert status == 401
        assert "令牌" in str(body["error"])
        other = _other_address()
        if other is not None:  # the port is not open on the machine's other addresses
            with pytest.raises(ConnectionRefusedError), socket.create_connection((other, url.port), timeout=2):
                pass
        process.send_signal(stop)
        assert process.wait(timeout=30) == code
        assert process.stderr is not None
        assert said in process.stderr.read().decode("utf-8")
        deadline = time.monotonic() + 10
        while session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(process.pid) == []  # no worker outlives the server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_another_host_needs_saying_and_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import contractgen.server

    started: list[dict[str, object]] = []
    monkeypatch.setattr(contractgen.server, "serve", lambda spec, **options: started.append(options))
    local = CliRunner().invoke(cli, ["serve", "--no-browser"])
    assert local.exit_code == 0
    assert local.stderr == ""
    assert started[-1]["host"] == "127.0.0.1"
    lan = CliRunner().invoke(cli, ["serve", "--no-browser", "--host", "192.0.2.10"])
    assert lan.exit_code == 0
    assert "警告" in lan.stderr
    assert "192.0.2.10" in lan.stderr
    assert started[-1]["host"] == "192.0.2.10"
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output
    bad = CliRunner().invoke(cli, ["serve", "--type", "lease", "--no-browser"])
    assert bad.exit_code == 3
    assert "customer-service" in bad.stderr
    missing = CliRunner().invoke(cli, ["serve", "nothing.yaml", "--no-browser"])
    assert missing.exit_code == 3
    assert "找不到" in missing.stderr
