"""doctor: what the machine has for rendering, and how to install what it lacks."""

from __future__ import annotations

from click.testing import CliRunner

from contractgen.cli import cli
from contractgen.writers.environment import check_environment
from contractgen.writers.fonts import FontSet


def test_this_machine_can_render() -> None:
    findings = check_environment()
    assert all(f.ok for f in findings if f.required), [f.format() for f in findings]
    names = [f.name for f in findings]
    assert "HarfBuzz 字体子集化" in names
    assert "字体 Noto Serif CJK SC" in names
    assert "字体 Noto Sans CJK SC" in names


def test_a_missing_font_is_reported_with_the_install_command() -> None:
    findings = check_environment(FontSet(serif="Nonexistent Song"))
    (missing,) = [f for f in findings if not f.ok and f.required]
    assert missing.name == "字体 Nonexistent Song"
    assert "apt-get install fonts-noto-cjk" in missing.format()


def test_the_command_exits_0_when_ready_and_5_when_not() -> None:
    ready = CliRunner().invoke(cli, ["doctor"])
    assert ready.exit_code == 0
    assert ready.stdout.startswith("✓ WeasyPrint")
    missing = CliRunner().invoke(cli, ["doctor", "--serif-font", "Nonexistent Song"])
    assert missing.exit_code == 5
    assert "✗ 字体 Nonexistent Song" in missing.stdout
    assert "缺少：字体 Nonexistent Song" in missing.stderr
