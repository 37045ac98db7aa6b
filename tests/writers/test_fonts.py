"""fonts: families resolved through fontconfig, a substituted family counts as missing, glyph coverage."""

from __future__ import annotations

import pytest

from contractgen.errors import FontError, InputError
from contractgen.writers.fonts import FontSet, check_font_name, missing_characters, resolve


def test_the_default_faces_are_the_simplified_chinese_noto_faces() -> None:
    faces = resolve().faces
    assert [(f.family, f.weight, f.postscript_name) for f in faces] == [
        ("Noto Serif CJK SC", "regular", "NotoSerifCJKsc-Regular"),
        ("Noto Serif CJK SC", "bold", "NotoSerifCJKsc-Bold"),
        ("Noto Sans CJK SC", "regular", "NotoSansCJKsc-Regular"),
        ("Noto Sans CJK SC", "bold", "NotoSansCJKsc-Bold"),
    ]


def test_a_family_fontconfig_would_only_substitute_is_missing() -> None:
    with pytest.raises(FontError) as caught:
        resolve(FontSet(sans="Heiti Nowhere"))
    assert "Heiti Nowhere" in caught.value.message
    assert "sudo apt-get install fonts-noto-cjk" in caught.value.message
    assert caught.value.exit_code == 5


@pytest.mark.parametrize("name", ['Noto"; } body { color: red', "a/b", "", " Noto", "x" * 65, "A:bold"])
def test_font_names_cannot_carry_css_or_fontconfig_syntax(name: str) -> None:
    with pytest.raises(InputError):
        check_font_name(name)


def test_coverage_finds_the_characters_a_face_lacks() -> None:
    serif = resolve().faces[0]
    assert missing_characters(["甲方（盖章）：□ ¥360,000.00 二〇二六年"], serif) == []
    assert missing_characters(["☐ 勾选 ☐ 𠀀"], serif) == ["☐", "𠀀"]
    assert serif.covers("宋")
    assert not serif.covers("\U0001f600")
