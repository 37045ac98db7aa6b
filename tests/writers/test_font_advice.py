"""font_advice: the advice for a missing font fits the family asked for and the machine it runs on."""

from __future__ import annotations

import pytest

from contractgen.writers import font_advice
from contractgen.writers.font_advice import install_advice, installed_chinese_families

NOTO = ["Noto Sans CJK SC", "Noto Serif CJK SC"]


@pytest.mark.parametrize(
    ("family", "manager", "says", "never"),
    [
        ("FangSong_GB2312", "apt-get", ["商业字体", "~/.local/share/fonts/", "fc-cache -f"], ["apt-get install"]),
        ("仿宋_GB2312", "apt-get", ["商业字体"], ["apt-get install"]),
        ("SimSun", "apt-get", ["商业字体"], ["apt-get install"]),
        ("微软雅黑", "brew", ["商业字体"], ["brew install"]),
        ("PingFang SC", "apt-get", ["商业字体"], ["apt-get install"]),
        ("FZFangSong-Z02", "apt-get", ["商业字体"], ["apt-get install"]),
        ("WenQuanYi Zen Hei", "apt-get", ["sudo apt-get install fonts-wqy-zenhei"], ["商业字体"]),
        ("AR PL UMing CN", "apt-get", ["sudo apt-get install fonts-arphic-uming"], []),
        ("LXGW WenKai", "dnf", ["fonts-lxgw-wenkai", "dnf"], ["sudo apt-get"]),
        ("Noto Serif CJK TC", "apt-get", ["sudo apt-get install fonts-noto-cjk"], []),
        ("Noto Serif CJK SC", "dnf", ["sudo dnf install google-noto-serif-cjk-fonts"], ["apt-get"]),
        ("Noto Serif CJK SC", "brew", ["brew install --cask font-noto-serif-cjk-sc"], ["apt-get"]),
        ("Source Han Serif SC", "apt-get", ["写「Noto Serif CJK SC」（本机已有）"], ["apt-get install"]),
        ("Nonexistent Song", "apt-get", ["~/.local/share/fonts/", "sudo apt-get install fonts-noto-cjk"], ["商业字体"]),
    ],
)
def test_the_advice_fits_the_family(
    monkeypatch: pytest.MonkeyPatch, family: str, manager: str, says: list[str], never: list[str]
) -> None:
    monkeypatch.setattr(font_advice, "_package_manager", lambda: manager)
    monkeypatch.setattr(font_advice, "installed_chinese_families", lambda: NOTO)
    advice = install_advice(family)
    for text in says:
        assert text in advice
    for text in never:
        assert text not in advice
    assert advice.endswith("：Noto Sans CJK SC、Noto Serif CJK SC")  # what this machine has, to use instead


def test_a_machine_without_chinese_fonts_is_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(font_advice, "_package_manager", lambda: "apt-get")
    monkeypatch.setattr(font_advice, "installed_chinese_families", lambda: [])
    advice = install_advice("Source Han Sans SC")
    assert "并安装：sudo apt-get install fonts-noto-cjk" in advice
    assert advice.endswith("本机还没有任何中文字体（fc-list :lang=zh family 为空）")


def test_the_installed_families_come_from_fontconfig_simplified_chinese_first() -> None:
    families = installed_chinese_families(limit=50)
    assert families[:2] == ["Noto Sans CJK SC", "Noto Serif CJK SC"]  # ./dev installs fonts-noto-cjk
    monospaced = ["Mono" in name for name in families]
    assert monospaced == sorted(monospaced)  # monospaced faces last
