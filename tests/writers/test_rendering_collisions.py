"""Two contracts, one name: never. Another spec's outputs are not replaced without --overwrite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_listing import entries
from render_helpers import PART_COUNT

from contractgen.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"

pytestmark = pytest.mark.slow


def _spec(path: Path, contract_no: str, party_a: str | None = None) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace("contract_no: KF-2026-0001", f'contract_no: "{contract_no}"')
    if party_a is not None:  # another contract: another customer
        text = text.replace("name: 上海明远科技有限公司", f"name: {party_a}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_numbers_that_once_shared_a_file_name_keep_their_own_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _spec(tmp_path / "a.yaml", "KF-2026（1）")
    second = _spec(tmp_path / "b.yaml", "KF-2026(1)", party_a="杭州另一科技有限公司")
    assert _run("render", str(first), "-o", str(out), "--to", "docx")[0] == 0
    assert _run("render", str(second), "-o", str(out), "--to", "docx")[0] == 0
    assert [p.name for p in entries(out)] == ["KF-2026%281%29.docx", "KF-2026（1）.docx"]


@pytest.mark.parametrize("command", ["render", "bundle"])
def test_another_specs_output_is_refused_naming_both_specs(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    mine = _spec(tmp_path / "specs" / "mine.yaml", "KF-SAME-1")
    theirs = _spec(tmp_path / "other" / "theirs.yaml", "KF-SAME-1", party_a="杭州另一科技有限公司")
    extra = ["--to", "docx"] if command == "render" else []
    assert _run(command, str(mine), "-o", str(out), *extra)[0] == 0
    before = {p.name: p.stat().st_mtime_ns for p in entries(out)}
    code, stderr = _run(command, str(theirs), "-o", str(out), *extra)
    assert code == 3, stderr
    assert "../specs/mine.yaml" in stderr
    assert "../other/theirs.yaml" in stderr
    assert "--overwrite" in stderr
    assert {p.name: p.stat().st_mtime_ns for p in entries(out)} == before  # nothing touched
    assert _run(command, str(mine), "-o", str(out), *extra)[0] == 0  # the spec that made them still may
    assert _run(command, str(theirs), "-o", str(out), *extra, "--overwrite")[0] == 0


def test_a_copied_checkout_keeps_its_records(tmp_path: Path) -> None:
    # specs/ and out/ move together (a CI cache, a colleague's clone): the same spec still owns its outputs.
    spec = _spec(tmp_path / "repo" / "specs" / "a.yaml", "KF-MOVE-1")
    assert _run("render", str(spec), "-o", str(tmp_path / "repo" / "out"), "--to", "docx")[0] == 0
    shutil.copytree(tmp_path / "repo", tmp_path / "clone")
    clone = tmp_path / "clone"
    code, stderr = _run("render", str(clone / "specs" / "a.yaml"), "-o", str(clone / "out"), "--to", "docx")
    assert code == 0, stderr


def test_split_and_a_user_template_named_like_a_part_never_share_a_name(tmp_path: Path) -> None:
    import docx

    template = tmp_path / "01-客户服务管理合同.docx"
    document = docx.Document()
    document.add_paragraph("{{ contract_no }}")
    document.save(template)
    out = tmp_path / "out"
    code, stderr = _run(
        "render", str(SAMPLE), "-o", str(out), "--to", "docx", "--split", "--docx-template", str(template)
    )
    assert code == 0, stderr
    names = [p.name for p in entries(out)]
    assert "KF-2026-0001-01-客户服务管理合同.docx" in names
    assert "KF-2026-0001-模板-01-客户服务管理合同.docx" in names
    assert len(names) == 1 + PART_COUNT + 1


def test_a_failed_run_into_a_new_folder_leaves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("total: 360000.00", "total: 12.345"), encoding="utf-8")
    for command in ("render", "bundle"):
        out = tmp_path / command / "nested" / "out"
        assert _run(command, str(bad), "-o", str(out))[0] == 3
        assert not (tmp_path / command).exists()
