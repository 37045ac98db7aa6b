"""``contractgen diff``: the listing and the JSON, the exit codes of ``diff``, invalid specs reported as ``validate``
reports them, and ``--templates-old`` (a template edit shows only the clause it changes; a moved clause is moved)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.cli import cli
from contractgen.resources import template_dir

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
ENVELOPE = {"command", "version", "ok", "exit_code", "message", "summary"}


def _edit(tmp_path: Path, *replacements: tuple[str, str], name: str = "new.yaml") -> Path:
    """The sample with each ``(old, new)`` text replaced once (every old text must be there)."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


FEE = (("total: 360000.00 ", "total: 600000.00 "), ("capital: 叁拾陆万元整 ", "capital: 陆拾万元整 "))


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["diff", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def test_the_same_spec_twice_is_no_difference() -> None:
    code, out, _ = _run(SAMPLE, SAMPLE)
    assert code == 0
    assert out.splitlines()[-1] == f"{SAMPLE} 与 {SAMPLE} 没有差异"


def test_a_fee_change_is_listed_in_chinese_with_its_clauses_and_a_whole_amount_redline(tmp_path: Path) -> None:
    code, out, _ = _run(SAMPLE, _edit(tmp_path, *FEE))
    assert code == 1
    lines = out.splitlines()
    assert "  服务费用总额（fee.total）：人民币叁拾陆万元整（¥360,000.00）→人民币陆拾万元整（¥600,000.00）" in lines
    assert lines[lines.index("字段变更（2 项）") + 2] == "    涉及：4.2、5.1、5.2、附件八"
    assert "    随之变化：违约金金额：人民币柒万贰仟元整（¥72,000.00）→人民币壹拾贰万元整（¥120,000.00）" in lines
    assert "  4.2 修改（实质性）" in lines
    redline = lines[lines.index("  4.2 修改（实质性）") + 1]
    assert "人民币[-叁拾陆万元整-]{+陆拾万元整+}（[-¥360,000.00-]{+¥600,000.00+}）" in redline
    assert "\x1b[" not in out  # no colour off a terminal


def test_json_gives_fields_clauses_and_substance(tmp_path: Path) -> None:
    code, out, err = _run("--format", "json", SAMPLE, _edit(tmp_path, *FEE))
    envelope = json.loads(out)
    assert out == json.dumps(envelope, ensure_ascii=False, indent=2) + "\n"
    assert set(envelope) >= ENVELOPE
    assert (envelope["command"], envelope["exit_code"], envelope["ok"], code) == ("diff", 1, False, 1)
    assert err.strip() == envelope["message"]
    total = envelope["fields"][0]
    assert {k: total[k] for k in ("path", "old", "new", "substantive", "clauses")} == {
        "path": "fee.total",
        "old": "360000.00",
        "new": "600000.00",
        "substantive": True,
        "clauses": ["4.2", "5.1", "5.2", "附件八"],
    }
    clause = next(c for c in envelope["clauses"] if c["id"] == "contract/4.2")
    assert clause["operation"] == "changed"
    assert clause["substantive"] is True
    assert clause["fields"] == ["fee.total"]
    assert {"op": "delete", "text": "¥360,000.00"} in clause["changes"]
    assert clause["old_text"].replace("叁拾陆万元整", "陆拾万元整").replace("360,000", "600,000") in (
        clause["new_text"].replace("贰拾万元整", "壹拾贰万元整").replace("200,000", "120,000")
    )
    assert [f["status"] for f in envelope["files"]] == ["valid", "valid"]
    assert envelope["summary"]["fields"] == 2


def test_an_invalid_spec_is_reported_as_validate_reports_it(tmp_path: Path) -> None:
    bad = _edit(tmp_path, ("total: 360000.00 ", "total: 12.345 "))
    code, out, err = _run(SAMPLE, bad)
    assert code == 3
    assert out == ""
    validate = CliRunner().invoke(cli, ["validate", str(bad)])
    problem = validate.stdout.splitlines()[0]
    assert problem.startswith(f"{bad}:")
    assert "fee.total" in problem
    assert problem in err.splitlines()
    code, out, _ = _run("--format", "json", SAMPLE, bad)
    envelope = json.loads(out)
    assert (code, envelope["exit_code"], envelope["summary"]) == (3, 3, None)
    assert [f["status"] for f in envelope["files"]] == ["valid", "invalid"]
    assert envelope["files"][1]["diagnostics"][0]["path"] == "fee.total"


@pytest.mark.parametrize(
    "args",
    [[str(SAMPLE)], [str(SAMPLE), str(SAMPLE), "--format", "xml"], []],
    ids=["no NEW", "unknown format", "nothing"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["diff", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def _old_templates(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the contract type's template folder with contract.xml.j2 edited: the "older" templates."""
    folder = tmp_path / "old-templates" / "customer-service"
    shutil.copytree(template_dir("customer-service"), folder)
    contract = folder / "contract.xml.j2"
    text = contract.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    contract.write_text(text, encoding="utf-8")
    return folder


def test_a_template_edit_shows_only_that_clause(tmp_path: Path) -> None:
    old = _old_templates(tmp_path, ("合法合规开展业务", "依法开展业务"))
    code, out, _ = _run("--format", "json", SAMPLE, "--templates-old", old.parent)
    envelope = json.loads(out)
    assert code == 1
    assert envelope["fields"] == []
    assert [(c["id"], c["operation"]) for c in envelope["clauses"]] == [("contract/6.1", "changed")]
    assert envelope["clauses"][0]["changes"] == [
        {"op": "delete", "text": "依法"},
        {"op": "insert", "text": "合法合规"},
    ]
    assert envelope["clauses"][0]["substantive"] is False
    code, out, _ = _run(SAMPLE, "--templates-old", old)  # the type's folder itself works too
    assert code == 1
    assert "  6.1 修改" in out.splitlines()


def test_a_moved_clause_is_reported_as_moved(tmp_path: Path) -> None:
    clause = "甲方应对乙方提供的客户服务管理工作给予合理的评价和支持。"
    heading = "<heading>第三条 甲方义务</heading>"
    old = _old_templates(
        tmp_path,
        (f'<clause num="3.3">{clause}</clause>\n', ""),
        (heading, f'<clause num="2.4">{clause}</clause>\n{heading}'),
    )
    code, out, _ = _run("--format", "json", SAMPLE, SAMPLE, "--templates-old", old)
    moved = [c for c in json.loads(out)["clauses"] if c["operation"] == "moved"]
    assert code == 1
    assert [(c["old_number"], c["new_number"], c["old_text"] == c["new_text"]) for c in moved] == [("2.4", "3.3", True)]
    assert [c for c in json.loads(out)["clauses"] if c["operation"] in ("added", "removed")] == []


def test_templates_old_that_is_no_template_folder_is_invalid_input(tmp_path: Path) -> None:
    code, _, err = _run(SAMPLE, "--templates-old", tmp_path)
    assert code == 3
    assert "找不到合同类型 customer-service 的模板目录" in err


def test_docx_is_written_to_the_file_named_or_after_the_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _edit(tmp_path, *FEE)
    target = tmp_path / "out" / "修订.docx"
    code, out, err = _run(SAMPLE, new, "--format", "docx", "-o", target)
    assert (code, out.strip()) == (1, str(target))
    assert target.read_bytes().startswith(b"PK")
    assert err.strip().endswith("0 处仅标点或空格）")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(SAMPLE, new, "--format", "docx")
    assert (code, out.strip()) == (1, "KF-2026-0001-修订对照.docx")
    assert (tmp_path / "KF-2026-0001-修订对照.docx").read_bytes() == target.read_bytes()


def test_o_is_for_files_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", str(SAMPLE), str(SAMPLE), "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 2


def test_html_is_a_redline_with_the_change_list_first(tmp_path: Path) -> None:
    target = tmp_path / "redline.html"
    code, out, _ = _run(SAMPLE, _edit(tmp_path, *FEE), "--format", "html", "-o", target)
    html = target.read_text(encoding="utf-8")
    assert (code, out.strip()) == (1, str(target))
    assert html.index("修订对照") < html.index("<del>叁拾陆万元整</del>") < html.index("第一条")
