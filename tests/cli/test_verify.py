"""`contractgen verify`: one line per problem, exit 0 or 6."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pki import Pki

from contractgen.cli import cli


def test_verify_passes(signed_bundle: Path, pki: Pki) -> None:
    result = CliRunner().invoke(cli, ["verify", str(signed_bundle), "--trust", str(pki.ca_pem)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{signed_bundle}: 校验通过（5 个文件，3 个签名）\n"


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


def test_verify_of_nothing_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "none")])
    assert result.exit_code == 3
