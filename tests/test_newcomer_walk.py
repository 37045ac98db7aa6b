"""A newcomer's walk from the README, on a fresh clone: init → fill in the blanks → validate → render → a test
key → bundle → verify, each step the command a user types, each answered in Chinese without a traceback.

The form is filled the way a person fills it: only the blank 必填 fields, in the text of the file that ``init``
wrote, leaving its comments and its commented-out optional fields alone.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTGEN = [sys.executable, "-m", "contractgen"]

pytestmark = pytest.mark.slow

# What a legal assistant types into the blanks, by (group, field): the group is the top-level key above.
BLANKS = {
    ("", "contract_no"): "KF-2026-0310",
    ("party_a", "name"): "上海明远科技有限公司",
    ("party_a", "credit_code"): "91310115MA1H8K3X2A",
    ("party_a", "address"): "上海市浦东新区张江路88号5楼",
    ("party_a", "legal_representative"): "王明远",
    ("party_b", "name"): "杭州恒信客户服务外包有限公司",
    ("party_b", "credit_code"): "91330106MA2H3LQ0X5",
    ("party_b", "address"): "浙江省杭州市西湖区文三路398号12楼",
    ("party_b", "legal_representative"): "周恒信",
    ("term", "years"): "2",
    ("fee", "total"): "240000.00",
    ("penalty", "breach_rate"): "20%",
    ("penalty", "overdue_rate"): "0.05%",
    ("", "validity_years"): "2",
    ("", "copies"): "2",
}
_BLANK = re.compile(r"^(?P<indent> *)(?P<key>[a-z_]+):(?P<pad> +)(?P<comment>#.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fill(form: str) -> str:
    group, out, filled = "", [], set()
    lines = form.splitlines()
    for n, line in enumerate(lines):
        top = re.match(r"^([a-z_]+):", line)
        if top:
            group = top.group(1)
        blank = _BLANK.match(line)
        opens_a_group = n + 1 < len(lines) and _indent(lines[n + 1]) > _indent(line)
        if blank and not opens_a_group:
            where = ("" if not blank["indent"] else group, blank["key"])
            value = BLANKS[where]  # a blank the walk does not know is a 必填 field nobody told the user about
            out.append(f"{blank['indent']}{blank['key']}: {value}  {blank['comment']}")
            filled.add(where)
            continue
        out.append(line)
    assert filled == set(BLANKS), set(BLANKS) - filled
    return "\n".join(out) + "\n"


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01: the walk's day, never the clock's
    result = subprocess.run(
        [*CONTRACTGEN, *args], cwd=folder, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert not re.search(r"\b(WARNING|ERROR|INFO|DEBUG):", stream), stream  # no library's logging
    return result


def test_a_newcomer_walks_from_init_to_a_verified_signed_bundle(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--local", str(ROOT), str(clone)], check=True, timeout=120)

    made = _run(clone, "init", "customer-service", "-o", "specs/my.yaml")
    assert made.returncode == 0, made.stderr
    assert (clone / "specs" / "customer-service.schema.json").is_file()  # the editor's help travels with the form
    form = (clone / "specs" / "my.yaml").read_text(encoding="utf-8")
    first = _run(clone, "validate", "specs/my.yaml")
    assert first.returncode == 3  # the blanks are named, each at its line
    assert "contract_no" in first.stdout

    (clone / "specs" / "my.yaml").write_text(_fill(form), encoding="utf-8")
    checked = _run(clone, "validate", "specs/my.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 个通过" in checked.stderr

    rendered = _run(clone, "render", "specs/my.yaml", "-o", "out")
    assert rendered.returncode == 0, rendered.stderr
    pdf = clone / "out" / "KF-2026-0310.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("客户服务管理合同", "上海明远科技有限公司", "人民币贰拾肆万元整", "KF-2026-0310"):
        assert expected in text
    assert (clone / "out" / "KF-2026-0310.docx").is_file()

    key = _run(clone, "test-key", "-o", "keys/test-key.p12")
    assert key.returncode == 0, key.stderr
    bundled = _run(clone, "bundle", "specs/my.yaml", "-o", "bundles", "--sign-key", "keys/test-key.p12")
    assert bundled.returncode == 0, bundled.stderr
    verified = _run(clone, "verify", "bundles/KF-2026-0310", "--trust", "keys/test-key.pem")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "校验通过" in verified.stdout + verified.stderr

    untracked = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=clone, capture_output=True, text=True, check=True
    )
    assert untracked.stdout == ""  # the walk changed no file of the clone itself
