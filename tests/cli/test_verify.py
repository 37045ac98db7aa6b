"""`contractgen verify`: a line per problem and per signature (or JSON), exit 0, 3 or 6, no traceback or library log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_fixtures import reseal, strip_signature
from click.testing import CliRunner
from pki import Pki

from contractgen.cli import cli

_SIGNED = ("contract.pdf", "copy-1.pdf", "copy-2.pdf")
_EXTRA = "多出的文件（不在清单中）"
_HINT = "提示：签名者的证书链未校验；用 --trust <CA 证书> 校验签名是否来自可信的签署方。"


def _library_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.split(".")[0] in ("pyhanko", "pyhanko_certvalidator", "pypdf")]


def test_verify_passes_and_names_each_trusted_signature(signed_bundle: Path, pki: Pki) -> None:
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle), "--trust", str(pki.ca_pem)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        *(f"{name}: 签名完好；证书链可信（链接到所给的信任证书）" for name in _SIGNED),
        f"{signed_bundle}: 校验通过（SHA256SUMS 所列 6 个文件，3 个签名）",
    ]


def test_verify_without_trust_says_so_per_signature_and_suggests_trust_once(
    signed_bundle: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *(f"{name}: 签名完好；未给出 --trust，证书链未校验" for name in _SIGNED),
        _HINT,
        f"{signed_bundle}: 校验通过（SHA256SUMS 所列 6 个文件，3 个签名）",
    ]
    assert result.stderr == ""
    assert _library_records(caplog) == []  # pyHanko's "Failed to build path…" warnings, with their tracebacks


def test_verify_in_a_real_process_prints_no_library_log(signed_bundle: Path) -> None:
    # Outside pytest no log capture intercepts: what pyHanko logs would reach the terminal through lastResort.
    result = subprocess.run(
        [sys.executable, "-m", "contractgen", "verify", str(signed_bundle)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "default"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    assert "Failed to build path" not in result.stdout
    assert result.stdout.count("--trust <CA 证书>") == 1


def test_verify_names_each_problem_and_exits_6(small_bundle: Path) -> None:
    (small_bundle / "copy-1.pdf").unlink()
    (small_bundle / "extra.txt").write_text("x")
    result = CliRunner().invoke(cli, ["verify", str(small_bundle)])
    assert result.exit_code == 6
    assert result.stdout.splitlines() == [
        "copy-1.pdf: 文件缺失",
        "extra.txt: 多出的文件（不在清单中）",
    ]
    assert result.stderr == f"contractgen: 错误：{small_bundle} 校验未通过：2 个问题\n"


def test_verify_with_trust_of_an_unsigned_bundle_exits_6(small_bundle: Path, pki: Pki) -> None:
    result = CliRunner().invoke(cli, ["verify", str(small_bundle), "--trust", str(pki.ca_pem)])
    assert result.exit_code == 6
    assert result.stdout.splitlines() == [
        f"{name}: 文件中没有签名（给出 --trust 时每个 PDF 都须有可信签名）" for name in _SIGNED
    ]


def test_verify_with_trust_of_a_stripped_and_resealed_bundle_exits_6(
    signed_bundle: Path, small_files: dict[str, bytes], pki: Pki
) -> None:
    strip_signature(signed_bundle, "copy-1.pdf", small_files["copy-1.pdf"])
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle), "--trust", str(pki.ca_pem)])
    assert result.exit_code == 6
    assert "copy-1.pdf: 文件中没有签名（给出 --trust 时每个 PDF 都须有可信签名）" in result.stdout.splitlines()


def test_a_broken_signature_is_one_line_and_no_traceback(signed_bundle: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    path = signed_bundle / "copy-2.pdf"
    data = path.read_bytes()
    at = data.index(b"/Producer")  # inside the signed byte range, outside any compressed stream
    path.write_bytes(data[:at] + b"/Producex" + data[at + 9 :])
    reseal(signed_bundle, changed=["copy-2.pdf"])
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle)])
    assert result.exit_code == 6
    assert result.stdout.splitlines()[0] == "copy-2.pdf: 签名已损坏（签名后文件内容被改动）"
    assert "Traceback" not in result.output
    assert _library_records(caplog) == []


def test_verify_of_nothing_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "none")])
    assert result.exit_code == 3


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not a certificate at all", "不是 PEM 或 DER 格式的 X.509 证书"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "不是 PEM 或 DER 格式的 X.509 证书"),
        (b"\x30\x82\x01\x00" + b"\x00" * 16, "不是 PEM 或 DER 格式的 X.509 证书"),
        (None, "无法读取信任证书"),  # a folder
        (b"0" * (2 << 20), "不是一个证书"),  # larger than any certificate
    ],
    ids=["text", "bad-pem", "bad-der", "folder", "huge"],
)
def test_a_bad_trust_certificate_is_an_input_error(
    signed_bundle: Path, tmp_path: Path, content: bytes | None, fragment: str
) -> None:
    trust = tmp_path / "trust.pem"
    if content is None:
        trust.mkdir()
    else:
        trust.write_bytes(content)
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle), "--trust", str(trust)])
    assert result.exit_code == 3, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output


def test_two_certificates_in_the_trust_file_are_refused(signed_bundle: Path, pki: Pki, tmp_path: Path) -> None:
    trust = tmp_path / "two.pem"
    trust.write_bytes(pki.ca_pem.read_bytes() * 2)
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle), "--trust", str(trust)])
    assert result.exit_code == 3
    assert "应恰好含一个 CERTIFICATE" in result.stderr


def test_json_of_a_bundle_that_holds(run_json: Callable[..., Any], signed_bundle: Path, pki: Pki) -> None:
    run = run_json("verify", str(signed_bundle), "--trust", str(pki.ca_pem))
    assert (run.code, run.envelope["ok"], run.envelope["files"]) == (0, True, [])
    assert run.envelope["signatures"] == [
        {"file": name, "state": "valid", "message": "签名完好；证书链可信（链接到所给的信任证书）"} for name in _SIGNED
    ]
    lines = (signed_bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert run.envelope["summary"] == {
        "bundle": str(signed_bundle),
        "files": len(lines),
        "signatures": 3,
        "problems": 0,
        "trusted": True,
    }
    assert run.envelope["message"] == f"{signed_bundle}: 校验通过（SHA256SUMS 所列 {len(lines)} 个文件，3 个签名）"
    assert run.stderr == run.envelope["message"] + "\n"  # the --trust hint is summary.trusted here


def test_json_names_each_file_with_a_problem(run_json: Callable[..., Any], small_bundle: Path) -> None:
    (small_bundle / "copy-1.pdf").unlink()
    (small_bundle / "extra.txt").write_text("x")
    run = run_json("verify", str(small_bundle))
    assert run.code == 6
    assert run.envelope["files"] == [
        {"file": "copy-1.pdf", "status": "missing", "problems": [{"kind": "missing", "message": "文件缺失"}]},
        {"file": "extra.txt", "status": "extra", "problems": [{"kind": "extra", "message": _EXTRA}]},
    ]
    assert (run.envelope["signatures"], run.envelope["summary"]["problems"]) == ([], 2)
    assert run.envelope["summary"]["trusted"] is False
    assert run.stderr == f"contractgen: 错误：{small_bundle} 校验未通过：2 个问题\n"


def test_json_of_a_broken_signature(run_json: Callable[..., Any], signed_bundle: Path) -> None:
    path = signed_bundle / "copy-2.pdf"
    data = path.read_bytes()
    at = data.index(b"/Producer")
    path.write_bytes(data[:at] + b"/Producex" + data[at + 9 :])
    reseal(signed_bundle, changed=["copy-2.pdf"])
    run = run_json("verify", str(signed_bundle))
    assert run.code == 6
    assert [(s["file"], s["state"]) for s in run.envelope["signatures"]] == [
        ("contract.pdf", "valid"),
        ("copy-1.pdf", "valid"),
        ("copy-2.pdf", "invalid"),
    ]
    assert run.envelope["signatures"][2]["message"].startswith("签名已损坏")
    [file] = run.envelope["files"]
    assert (file["file"], file["status"]) == ("copy-2.pdf", "signature")


@pytest.mark.parametrize("what", ["missing-bundle", "bad-trust"])
def test_json_when_nothing_could_be_checked(
    run_json: Callable[..., Any], signed_bundle: Path, tmp_path: Path, what: str
) -> None:
    trust = tmp_path / "trust.pem"
    trust.write_bytes(b"not a certificate at all")
    args = [str(tmp_path / "none")] if what == "missing-bundle" else [str(signed_bundle), "--trust", str(trust)]
    run = run_json("verify", *args)
    assert (run.code, run.envelope["ok"]) == (3, False)
    assert (run.envelope["files"], run.envelope["signatures"], run.envelope["summary"]) == ([], [], None)
    assert run.stderr == f"contractgen: 错误：{run.envelope['message']}\n"
