"""``contractgen render`` end to end: files, validation, fonts, atomicity, reproducibility, Word templates."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from output_listing import entries
from render_helpers import PART_COUNT, ROOT, SAMPLE, SAMPLES, docx_text, normalise

from contractgen.cli import cli
from contractgen.writers.output import locked

pytestmark = pytest.mark.slow


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(entries(directory))}


def contractgen(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contractgen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )


def test_render_writes_one_docx_and_one_pdf_named_after_the_contract_number(tmp_path: Path) -> None:
    code, out, err = run("render", str(SAMPLE), "-o", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    names = sorted(p.name for p in entries(tmp_path / "out"))
    assert names == ["KF-2026-0001.docx", "KF-2026-0001.pdf"]
    assert out.splitlines() == [str(tmp_path / "out" / n) for n in names]


def test_format_selects_the_writers(tmp_path: Path) -> None:
    code, _, _ = run("render", str(SAMPLE), "-o", str(tmp_path), "--to", "docx")
    assert code == 0
    assert [p.name for p in entries(tmp_path)] == ["KF-2026-0001.docx"]
    code, _, err = run("render", str(SAMPLE), "-o", str(tmp_path), "--to", "odt")
    assert code == 3
    assert "odt" in err


def test_split_also_writes_one_file_per_part(tmp_path: Path) -> None:
    code, _, err = run("render", str(SAMPLE), "-o", str(tmp_path), "--split", "--to", "docx")
    assert code == 0, err
    names = sorted(p.name for p in entries(tmp_path))
    assert len(names) == 1 + PART_COUNT
    assert "KF-2026-0001-01-客户服务管理合同.docx" in names
    assert "KF-2026-0001-02-附件一-客户服务管理制度.docx" in names
    assert "KF-2026-0001-10-附件九-业务数据和相关信息传递记录.docx" in names
    annex = normalise(docx_text((tmp_path / "KF-2026-0001-02-附件一-客户服务管理制度.docx").read_bytes()))
    assert annex.startswith("附件一：客户服务管理制度")
    assert "附件二：" not in annex


def test_an_invalid_spec_is_reported_like_validate_and_renders_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("total: 360000.00", "total: 12.345"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    code, stdout, err = run("render", str(bad), "-o", str(out))
    assert code == 3
    assert stdout == ""
    assert "fee.total" in err
    _, validate_out, _ = run("validate", str(bad))
    assert validate_out.splitlines()[0] in err.splitlines()
    assert listing(out) == {"keep.txt": b"x"}


def test_with_several_specs_an_invalid_one_does_not_stop_the_valid_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("total: 360000.00", "total: 12.345"), encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run("render", str(SAMPLE), str(bad), "-o", str(out), "--to", "docx")
    assert code == 3
    assert stdout.splitlines() == [str(out / "KF-2026-0001.docx")]
    _, validate_out, _ = run("validate", str(bad))
    assert validate_out.splitlines()[0] in err.splitlines()
    assert f"[2/2] {bad}: 失败（退出码 3）" in err.splitlines()
    assert err.splitlines()[-1] == "render：成功 1 份，失败 1 份"
    assert listing(out).keys() == {"KF-2026-0001.docx"}


def test_a_missing_font_is_exit_5_with_install_advice_and_no_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run("render", str(SAMPLE), "-o", str(out), "--serif-font", "Nonexistent Song")
    assert code == 5
    assert "Nonexistent Song" in err
    assert "apt-get install fonts-noto-cjk" in err
    assert not out.exists()


def test_with_no_fonts_available_the_render_fails_and_leaves_the_directory_as_it_was(tmp_path: Path) -> None:
    # A fontconfig configuration with no font directory: the Noto faces are unavailable to this process.
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "nofonts"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "KF-2026-0001.pdf").write_bytes(b"previous render")
    result = contractgen("render", str(SAMPLE), "-o", str(out), env={"FONTCONFIG_FILE": str(config)})
    assert result.returncode == 5, result.stderr
    assert "fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr
    assert listing(out) == {"KF-2026-0001.pdf": b"previous render"}


def test_a_locked_output_directory_fails_fast(tmp_path: Path) -> None:
    with locked(tmp_path):
        code, _, err = run("render", str(SAMPLE), "-o", str(tmp_path), "--to", "docx")
    assert code == 5
    assert "另一个 contractgen" in err
    assert list(entries(tmp_path)) == []


def test_of_two_specs_with_the_same_contract_number_the_second_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(SAMPLE.read_text(encoding="utf-8").replace("明远科技", "明远数码"), encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run("render", str(SAMPLE), str(copy), "-o", str(out), "--to", "docx", "-j", "2")
    assert code == 3
    assert "两个合同文件的合同编号相同（KF-2026-0001），输出文件 KF-2026-0001.docx 会互相覆盖" in err
    assert f"{copy} 未写入（{SAMPLE} 已写入）" in err
    assert stdout.splitlines() == [str(out / "KF-2026-0001.docx")]
    assert "明远科技" in docx_text((out / "KF-2026-0001.docx").read_bytes())  # the first spec's, not the copy's


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_separate_processes_give_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "1", tmp_path / "2"
    assert contractgen("render", str(SAMPLE), "-o", str(first)).returncode == 0
    # another process, another time zone, another working directory, another locale
    env = {"TZ": "America/New_York", "LC_ALL": "C.UTF-8"}
    assert contractgen("render", str(SAMPLE), "-o", str(second), env=env, cwd=tmp_path).returncode == 0
    for name in ("KF-2026-0001.docx", "KF-2026-0001.pdf"):
        assert sha256(first / name) == sha256(second / name), name


def test_source_date_epoch_dates_the_docx(tmp_path: Path) -> None:
    result = contractgen(
        "render",
        str(SAMPLE),
        "-o",
        str(tmp_path),
        "--to",
        "docx",
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "KF-2026-0001.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in archive.read("docProps/core.xml")


@pytest.mark.parametrize("spec", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_sample_renders(spec: Path) -> None:
    from contractgen.document import load_contract
    from contractgen.document.context import party_entries
    from contractgen.writers.rendering import render_documents

    contract, _ = load_contract(spec)
    files = render_documents(contract)
    assert sorted(files) == [f"{contract.contract_no}.docx", f"{contract.contract_no}.pdf"]
    text = docx_text(files[f"{contract.contract_no}.docx"])
    assert all(entry.party.name in text for entry in party_entries(contract))  # every party, whatever its key


# --- a user's own Word template ---------------------------------------------------------------------------


def user_template(path: Path, *paragraphs: str) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def test_a_users_word_template_is_filled_from_the_same_context(tmp_path: Path) -> None:
    template = user_template(
        tmp_path / "letter.docx",
        "致：{{ party_a.name }}",
        "合同编号：{{ contract_no }}，金额：{{ fee_text }}",
        "{% for i in instalments %}{{ i.index_cn }}{{ i.figures }}；{% endfor %}",
    )
    out = tmp_path / "out"
    code, _, err = run("render", str(SAMPLE), "-o", str(out), "--to", "docx", "--docx-template", str(template))
    assert code == 0, err
    filled = (out / "KF-2026-0001-模板-letter.docx").read_bytes()
    text = docx_text(filled)
    assert "致：上海明远科技有限公司" in text
    assert normalise("合同编号：KF-2026-0001，金额：人民币叁拾陆万元整（¥360,000.00）") in text
    assert "第三期¥120,000.00；" in text
    with zipfile.ZipFile(io.BytesIO(filled)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 24, 0, 0, 0)}


def test_a_users_template_escapes_values_and_runs_sandboxed(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("name: 上海明远科技有限公司", "name: 'A&B <C> \"D\" </w:t><w:t>x'"),
        encoding="utf-8",
    )
    template = user_template(tmp_path / "t.docx", "{{ party_a.name }}")
    out = tmp_path / "out"
    code, _, err = run("render", str(hostile), "-o", str(out), "--to", "docx", "--docx-template", str(template))
    assert code == 0, err
    assert normalise('A&B <C> "D" </w:t><w:t>x') in docx_text((out / "KF-2026-0001-模板-t.docx").read_bytes())
    sandboxed = user_template(tmp_path / "s.docx", "{{ cn_number.__globals__ }}")
    code, _, err = run(
        "render",
        str(SAMPLE),
        "-o",
        str(tmp_path / "o2"),
        "--to",
        "docx",
        "--docx-template",
        str(sandboxed),
    )
    assert code == 4, err


def test_a_template_with_a_doctype_is_refused_before_docxtpl_opens_it(tmp_path: Path) -> None:
    template = user_template(tmp_path / "t.docx", "x")
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(evil, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
            target.writestr(info, data)
    code, _, err = run("render", str(SAMPLE), "-o", str(tmp_path / "out"), "--to", "docx", "--docx-template", str(evil))
    assert code == 4
    assert "DOCTYPE" in err
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_template_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/big.bin", b"\0" * (80 * 1024 * 1024))
    code, _, err = run("render", str(SAMPLE), "-o", str(tmp_path / "out"), "--to", "docx", "--docx-template", str(bomb))
    assert code == 4
    assert "超过上限" in err


def test_a_template_with_a_jinja_error_is_a_template_error(tmp_path: Path) -> None:
    template = user_template(tmp_path / "t.docx", "{{ party_a.name }")
    code, _, err = run(
        "render",
        str(SAMPLE),
        "-o",
        str(tmp_path / "out"),
        "--to",
        "docx",
        "--docx-template",
        str(template),
    )
    assert code == 4
    assert "t.docx" in err


# --- the installed command --------------------------------------------------------------------------------


def test_help_starts_with_an_example() -> None:
    code, out, _ = run("render", "--help")
    assert code == 0
    assert out.index("Example:") < out.index("Options:")


def test_the_api_renders_too(tmp_path: Path) -> None:
    import contractgen

    paths = contractgen.render(SAMPLE, tmp_path, formats=["pdf"])
    assert paths == [tmp_path / "KF-2026-0001.pdf"]
    assert (ROOT / "samples").is_dir()


@pytest.mark.parametrize("name", ["customer-service", "customer-service-all-options"])
def test_a_docx_alone_carries_the_pdf_layouts_decision_without_a_pdf(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--to docx lays the contract out for the signing page's decision (all-options: its block gets a page of its
    own) but draws, writes and checks no PDF; its bytes are those of the DOCX rendered beside the PDF."""
    from contractgen.document import load_contract
    from contractgen.writers import pdf, rendering

    contract, _ = load_contract(ROOT / "samples" / f"{name}.yaml")
    laid_out: list[str] = []
    layouts: list[Any] = []
    render_markup = pdf.render_markup

    def recording(markup: str, *rest: Any) -> Any:
        laid_out.append(markup)
        layouts.append(render_markup(markup, *rest))
        return layouts[-1]

    monkeypatch.setattr(pdf, "render_markup", recording)
    both = rendering.render_documents(contract)
    assert all(any(margin_boxes(page) for page in layout.pages) for layout in layouts)  # with the PDF
    docx = f"{contract.contract_no}.docx"

    def no_pdf(*args: object, **kwargs: object) -> None:
        raise AssertionError("a PDF was made for a DOCX alone")

    monkeypatch.setattr(pdf, "_lay_out_document", no_pdf)  # what draws and writes the PDF
    laid_out.clear()
    layouts.clear()
    alone = rendering.render_documents(contract, formats=["docx"])
    assert list(alone) == [docx]
    assert alone[docx] == both[docx]
    assert ("（本页无正文" in docx_text(alone[docx])) == (name == "customer-service-all-options")
    # Only the part whose signature block carries the page note is laid out: the contract itself…
    assert len(laid_out) == 1
    assert laid_out[0].count('<section class="part') == 1
    assert '<section class="part contract">' in laid_out[0]
    # …without its headers and footers: only the pages its boxes fell on are read.
    assert layouts[0].pages
    assert not any(margin_boxes(page) for page in layouts[0].pages)


def margin_boxes(page: Any) -> list[Any]:
    """The margin boxes (running header, page footer) of a page of WeasyPrint's layout."""
    return [box for box in page._page_box.children if type(box).__name__ == "MarginBox"]
