"""`contractgen render --to docx|pdf`: the output formats' own option; the old `--format` still works, with a note."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from contractgen.cli import cli

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "customer-service.yaml"
NOTE = "contractgen: 提示：render 的 --format 已改名为 --to，请改用 --to docx（旧写法以后会去掉）\n"


def _render(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["render", str(SAMPLE), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_to_chooses_the_formats(tmp_path: Path) -> None:
    assert _render("-o", str(tmp_path), "--to", "docx") == (0, f"{tmp_path / 'KF-2026-0001.docx'}\n", "")
    code, _, err = _render("-o", str(tmp_path), "--to", "odt")
    assert code == 3
    assert "odt" in err


def test_the_old_format_option_still_works_and_names_the_new_one(tmp_path: Path) -> None:
    code, out, err = _render("-o", str(tmp_path), "--format", "docx")
    assert (code, out, err) == (0, f"{tmp_path / 'KF-2026-0001.docx'}\n", NOTE)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".") and p.name != "batch.jsonl"] == [
        "KF-2026-0001.docx"
    ]


def test_both_spellings_at_once_are_a_usage_error(tmp_path: Path) -> None:
    code, out, err = _render("-o", str(tmp_path), "--format", "docx", "--to", "pdf")
    assert (code, out) == (2, "")
    assert "--format 已改名为 --to：两者只能用一个（请只用 --to）" in err
    assert list(tmp_path.iterdir()) == []


def test_help_shows_to_and_not_the_old_name() -> None:
    result = CliRunner().invoke(cli, ["render", "--help"])
    assert result.exit_code == 0
    assert "--to LIST" in result.stdout
    assert "--format" not in result.stdout
