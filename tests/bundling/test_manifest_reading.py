"""Reading a manifest back strictly: duplicate keys at any depth, NaN, non-UTF-8, wrong field types, repeated sums."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contractgen.bundling.manifest import ManifestError, is_safe_member, load_json, manifest_issues, parse_sums


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"a": 1, "a": 2}', '键 "a" 重复出现'),
        ('{"files": {"x": {"size": 1, "size": 2}}}', '键 "size" 重复出现'),
        ('[{"k": 1}, {"k": 1, "k": 1}]', '键 "k" 重复出现'),
        ('{"size": NaN}', "不允许 NaN"),
        ('{"size": Infinity}', "不允许 Infinity"),
        ('{"size": -Infinity}', "不允许 -Infinity"),
        ('{"size": ' + "1" * 5000 + "}", "整数位数过多"),
        ("[" * 100_000 + "]" * 100_000, "嵌套过深"),
        ('{"a": }', "第 1 行第 7 列"),
        ("", "不是有效的 JSON"),
    ],
)
def test_load_json_refuses(text: str, fragment: str) -> None:
    with pytest.raises(ManifestError, match=fragment):
        load_json(text.encode("utf-8"))


def test_load_json_refuses_other_encodings() -> None:
    with pytest.raises(ManifestError, match="不是 UTF-8 文本"):
        load_json('{"甲方": 1}'.encode("gbk"))


def test_load_json_reads_a_real_manifest(small_files: dict[str, bytes]) -> None:
    assert load_json(small_files["manifest.json"]) == json.loads(small_files["manifest.json"])


def test_a_real_manifest_has_no_issues(small_files: dict[str, bytes], signed_files: dict[str, bytes]) -> None:
    assert manifest_issues(json.loads(small_files["manifest.json"])) == []
    assert manifest_issues(json.loads(signed_files["manifest.json"])) == []


def _manifest(small_files: dict[str, bytes], **change: Any) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(small_files["manifest.json"])
    manifest.update(change)
    return manifest


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("sha256", "ABC", 'files["spec.yaml"].sha256 应为 64 位'),
        ("sha256", "A" * 64, 'files["spec.yaml"].sha256 应为 64 位小写'),
        ("size", 1.5, 'files["spec.yaml"].size 应为非负整数，收到 1.5'),
        ("size", None, 'files["spec.yaml"].size 应为非负整数，收到 null'),
        ("pages", "2", 'files["spec.yaml"].pages 应为非负整数或 null'),
        ("signed", 1, 'files["spec.yaml"].signed 应为 true 或 false，收到 1'),
        ("content_sha256", None, "content_sha256 应为 64 位"),
        ("attachments", ["a", 1], "attachments 应为字符串数组"),
    ],
)
def test_an_entry_field_of_the_wrong_type_is_named(
    small_files: dict[str, bytes], field: str, value: object, fragment: str
) -> None:
    manifest = _manifest(small_files)
    manifest["files"]["spec.yaml"][field] = value
    assert [issue for issue in manifest_issues(manifest) if fragment in issue], manifest_issues(manifest)


@pytest.mark.parametrize("field", ["sha256", "size"])
def test_a_required_entry_field_missing_is_named(small_files: dict[str, bytes], field: str) -> None:
    manifest = _manifest(small_files)
    del manifest["files"]["copy-1.pdf"][field]
    assert manifest_issues(manifest) == [f'files["copy-1.pdf"] 缺少 {field}']


def test_many_wrong_fields_are_counted_not_listed(small_files: dict[str, bytes]) -> None:
    manifest = _manifest(small_files, files={f"f{n}": {"sha256": n, "size": "x"} for n in range(30)})
    issues = manifest_issues(manifest)
    assert len(issues) == 21
    assert issues[-1] == "……另有 40 处字段类型不对"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"format": None}, "format 应为 'contractgen-bundle/1'，收到 null"),
        ({"files": "x"}, "files 应为 JSON 对象"),
        ({"base": {"content_sha256": 1}}, "base 应为含 content_sha256"),
        ({"copies": [{"copy": 1}]}, "copies 应为含 file"),
        ({"copies": None}, "copies 应为含 file"),
        ({"signing": "yes"}, "signing 应为 JSON 对象或 null"),
    ],
)
def test_a_section_of_the_wrong_type_is_named(
    small_files: dict[str, bytes], change: dict[str, Any], fragment: str
) -> None:
    assert any(fragment in issue for issue in manifest_issues(_manifest(small_files, **change)))


@pytest.mark.parametrize("value", [[], "x", 1, None, True])
def test_a_manifest_that_is_not_an_object_is_one_issue(value: object) -> None:
    assert manifest_issues(value) == [f"清单应为 JSON 对象，收到 {type(value).__name__}"]


def test_a_path_listed_twice_in_the_sums_is_a_bad_line() -> None:
    text = f"{'1' * 64}  a.pdf\n{'2' * 64}  a.pdf\n".encode()
    assert parse_sums(text) == ({"a.pdf": "1" * 64}, [f"{'2' * 64}  a.pdf"])


@pytest.mark.parametrize("name", ["a\nb.pdf", "a\rb", "tab\there", "\x1b[2Jx.pdf", "del\x7f", "c1\x85", "nul\x00"])
def test_names_with_control_characters_are_unsafe(name: str) -> None:
    assert not is_safe_member(name)


def test_chinese_names_stay_safe() -> None:
    assert is_safe_member("附件/客户服务合同.pdf")
