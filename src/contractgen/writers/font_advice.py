"""What to do about a missing font: advice that fits the family asked for, and this machine.

A single hint ("install fonts-noto-cjk") was wrong for most of the faces Chinese offices actually name: 仿宋_GB2312,
宋体 or 微软雅黑 are commercial fonts that no package of any distribution provides, and installing Noto does not
make ``--serif-font FangSong_GB2312`` work. So the advice depends on the family:

- a free family a Debian package provides (文泉驿, AR PL, LXGW WenKai, Noto): that package, named for the package
  manager this machine has;
- a commercial family (Windows, macOS and 方正 faces): it must be copied in from a licensed copy, and where to put it;
- anything else: how to add a font file by hand;

and every answer ends with the Chinese families this machine does have, which ``--serif-font`` accepts as they are.

This module must not resolve or render fonts (:mod:`.fonts` does), and names only families and packages.
"""

from __future__ import annotations

import shutil
import subprocess

__all__ = ["install_advice", "installed_chinese_families"]

# Free families and the Debian/Ubuntu package that provides each (apt-cache show, Debian 12). Keys are casefolded
# prefixes, so "Noto Serif CJK SC" and "Noto Sans CJK TC" both find fonts-noto-cjk.
_DEBIAN_PACKAGES = (
    ("noto serif cjk", "fonts-noto-cjk"),
    ("noto sans cjk", "fonts-noto-cjk"),
    ("noto sans mono cjk", "fonts-noto-cjk"),
    ("wenquanyi zen hei", "fonts-wqy-zenhei"),
    ("文泉驿正黑", "fonts-wqy-zenhei"),
    ("wenquanyi micro hei", "fonts-wqy-microhei"),
    ("文泉驿微米黑", "fonts-wqy-microhei"),
    ("ar pl uming", "fonts-arphic-uming"),
    ("ar pl ukai", "fonts-arphic-ukai"),
    ("lxgw wenkai", "fonts-lxgw-wenkai"),
    ("霞鹜文楷", "fonts-lxgw-wenkai"),
    ("droid sans fallback", "fonts-droid-fallback"),
)
# Source Han is Noto CJK under Adobe's name: the same typeface, packaged by Debian as Noto.
_SAME_AS_NOTO = {"source han serif": "Noto Serif CJK SC", "source han sans": "Noto Sans CJK SC",
                 "思源宋体": "Noto Serif CJK SC", "思源黑体": "Noto Sans CJK SC"}  # fmt: skip
# Commercial faces (Windows, macOS, 方正/华文): casefolded prefixes.
_COMMERCIAL = (
    "simsun", "nsimsun", "simhei", "fangsong", "kaiti", "microsoft yahei", "microsoft jhenghei", "dengxian",
    "宋体", "新宋体", "黑体", "仿宋", "楷体", "微软雅黑", "等线",
    "stsong", "stfangsong", "stkaiti", "stheiti", "stxihei", "songti", "pingfang", "hiragino", "华文",
    "fz", "方正", "hanyi", "汉仪",
)  # fmt: skip


def _package_manager() -> str | None:
    for program in ("apt-get", "dnf", "brew"):
        if shutil.which(program):
            return program
    return None


def installed_chinese_families(limit: int = 6) -> list[str]:
    """The Chinese font families fontconfig knows here (``fc-list :lang=zh family``), the first ``limit``."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    result = subprocess.run([program, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30)
    families = sorted({name.split(",")[0].strip() for name in result.stdout.splitlines() if name.strip()})
    # The faces a contract would be set in first: simplified-Chinese text faces, then the others, monospace last.
    families.sort(key=lambda name: ("mono" in name.casefold(), not name.endswith(" SC"), name))
    return families[:limit]


def _install_noto(manager: str | None) -> str:
    if manager == "dnf":
        return "sudo dnf install google-noto-serif-cjk-fonts google-noto-sans-cjk-fonts"
    if manager == "brew":
        return "brew install --cask font-noto-serif-cjk-sc font-noto-sans-cjk-sc"
    return "sudo apt-get install fonts-noto-cjk（Debian/Ubuntu）"


def _what_to_do(family: str, manager: str | None, have: list[str]) -> str:
    folded = family.casefold()
    for prefix, package in _DEBIAN_PACKAGES:
        if folded.startswith(prefix):
            if package == "fonts-noto-cjk":
                return f"请安装：{_install_noto(manager)}"
            if manager in (None, "apt-get"):
                return f"请安装：sudo apt-get install {package}（Debian/Ubuntu）"
            return f"它是自由字体，Debian/Ubuntu 的软件包是 {package}；本机请用 {manager} 安装相应的软件包"
    for prefix, noto in _SAME_AS_NOTO.items():
        if folded.startswith(prefix):
            named = f"思源字体在 Linux 发行版里以 Noto 的名字提供：请用 --serif-font / --sans-font 写「{noto}」"
            return named + ("（本机已有）" if noto in have else f"，并安装：{_install_noto(manager)}")
    if folded.startswith(_COMMERCIAL):
        return (
            f"「{family}」是商业字体，任何 Linux 发行版的软件包都不提供它，安装 fonts-noto-cjk 也不能代替："
            "请把已获授权的字体文件（如 Windows 的 C:\\Windows\\Fonts 下的 .ttf）复制到 ~/.local/share/fonts/，"
            "再运行 fc-cache -f"
        )
    return (
        f"请安装提供「{family}」的字体软件包，或把字体文件复制到 ~/.local/share/fonts/ 后运行 fc-cache -f；"
        f"需要免费的中文字体时：{_install_noto(manager)}"
    )


def install_advice(family: str) -> str:
    """What the user can do about ``family`` missing on this machine, in Chinese, ending with what it does have."""
    have = installed_chinese_families()
    advice = _what_to_do(family, _package_manager(), have)
    if have:
        advice += f"。或改用本机已有的中文字体（--serif-font / --sans-font）：{'、'.join(have)}"
    else:
        advice += "。本机还没有任何中文字体（fc-list :lang=zh family 为空）"
    return advice
