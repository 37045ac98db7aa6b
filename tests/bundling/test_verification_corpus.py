"""A corpus of crafted bundles, each with the exit code and the message `contractgen verify` must give.

Every case starts from a real small bundle (tests/support/bundle_fixtures.py), breaks one thing the way a forger
or a damaged disk would, and reseals what a forger would reseal (manifest hashes, SHA256SUMS), so that only
the check under test can catch it. Whatever the case, the command exits with its code, names the file, and
prints no traceback and no library log line. A new kind of malformed input is one more row in CASES.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bundle_fixtures import EPOCH, reseal, strip_signature
from click.testing import CliRunner
from pki import Pki, make_pki

from contractgen.bundling import write_tree
from contractgen.bundling.archive import write_zip
from contractgen.bundling.manifest import format_sums, parse_sums, sha256_bytes
from contractgen.cli import cli

Craft = Callable[[Path, dict[str, bytes]], Path | None]  # (bundle folder, unsigned files) → what to verify


@dataclass(frozen=True)
class Case:
    id: str
    bundle: str  # "plain" or "signed"
    craft: Craft
    code: int
    fragment: str  # a line of stdout (or stderr, for exit 3 and 5) starts with or holds this
    trust: bool = False


# --- crafting: PDFs -------------------------------------------------------------------------------------------


def _pdf(name: str, change: Callable[[bytes], bytes]) -> Craft:
    def craft(root: Path, unsigned: dict[str, bytes]) -> None:
        path = root / name
        path.write_bytes(change(path.read_bytes()))
        reseal(root, changed=[name])

    return craft


def _rewritten(change: Callable[[Any], None]) -> Callable[[bytes], bytes]:
    """The PDF rewritten whole by pypdf, ``change(writer)`` applied first."""

    def edit(data: bytes) -> bytes:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        change(writer)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    return edit


def _contents(kind: str) -> Callable[[Any], None]:
    def change(writer: Any) -> None:
        from pypdf.generic import DictionaryObject, NameObject, NumberObject

        value = NumberObject(3) if kind == "int" else DictionaryObject({NameObject("/Foo"): NumberObject(1)})
        writer.pages[0][NameObject("/Contents")] = value

    return change


def _page_tree_cycle(writer: Any) -> None:
    pages = writer.root_object["/Pages"]
    pages["/Kids"].append(pages.indirect_reference)


def _incremental(change: Callable[[Any], None]) -> Callable[[bytes], bytes]:
    """The PDF with an incremental update appended by pyHanko, ``change(writer)`` applied."""

    def edit(data: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        change(writer)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    return edit


def _signature_value(value: Any) -> Callable[[Any], None]:
    def change(writer: Any) -> None:
        from pyhanko.pdf_utils.generic import NameObject

        for ref in writer.root["/AcroForm"]["/Fields"]:
            if ref.get_object()["/T"] == "PartyA":
                ref.get_object()[NameObject("/V")] = value()
                writer.mark_update(ref)

    return change


def _int_value() -> Any:
    from pyhanko.pdf_utils.generic import NumberObject

    return NumberObject(7)


def _contents_of_page_one_int(writer: Any) -> None:
    from pyhanko.pdf_utils.generic import NameObject, NumberObject

    page = writer.root["/Pages"]["/Kids"].raw_get(0)  # the reference, which mark_update needs
    page.get_object()[NameObject("/Contents")] = NumberObject(3)
    writer.mark_update(page)


def _zeroed_signature(data: bytes) -> bytes:
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    return data[:start] + b"0" * (end - start) + data[end:]


def _shorter_byte_range(data: bytes) -> bytes:
    at = data.rindex(b"/ByteRange [")
    end = data.index(b"]", at)
    numbers = data[at:end].split(b" ")
    last = str(int(numbers[-1]) - 1).encode().rjust(len(numbers[-1]))
    return data[:at] + b" ".join([*numbers[:-1], last]) + data[end:]


def _minimal_pdf(contents: bytes) -> bytes:
    """A one-page PDF with a correct cross-reference table whose page's /Contents is object 4: ``contents``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        contents,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- crafting: manifest and sums ----------------------------------------------------------------------------


def _manifest_text(change: Callable[[str], str | bytes]) -> Craft:
    """manifest.json's text changed, and its line in SHA256SUMS updated to the new bytes."""

    def craft(root: Path, unsigned: dict[str, bytes]) -> None:
        changed = change((root / "manifest.json").read_text(encoding="utf-8"))
        data = changed if isinstance(changed, bytes) else changed.encode("utf-8")
        (root / "manifest.json").write_bytes(data)
        sums, _ = parse_sums((root / "SHA256SUMS").read_bytes())
        sums["manifest.json"] = sha256_bytes(data)
        (root / "SHA256SUMS").write_bytes(format_sums(sums.items()))

    return craft


def _bogus_first_entry(text: str) -> str:
    bogus = '"contract.pdf": {"sha256": "' + "0" * 64 + '", "size": 1, "pages": 1},\n    '
    return text.replace('"files": {\n    ', '"files": {\n    ' + bogus, 1)


def _entry(name: str, field: str, value: Any) -> Craft:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["files"][name][field] = value

    return lambda root, unsigned: reseal(root, edit=edit)


def _top(field: str, value: Any) -> Craft:
    """The manifest with ``field`` set to ``value`` (or deleted), written as JSON, its hash in SHA256SUMS updated."""

    def change(text: str) -> str:
        manifest = json.loads(text)
        if value is _DELETE:
            del manifest[field]
        else:
            manifest[field] = value
        return json.dumps(manifest, ensure_ascii=False, indent=2)

    return _manifest_text(change)


_DELETE = object()


def _sums_twice(root: Path, unsigned: dict[str, bytes]) -> None:
    with (root / "SHA256SUMS").open("ab") as sums:
        sums.write(f"{'1' * 64}  copy-1.pdf\n".encode())


def _control_name(text: str) -> str:
    """A listed name holding a newline: printed raw, it would forge a line of the report."""
    manifest = json.loads(text)
    manifest["files"]["copy-1.pdf\n校验通过"] = manifest["files"]["spec.yaml"]
    return json.dumps(manifest)


# --- crafting: signatures -----------------------------------------------------------------------------------


def _stripped(name: str) -> Craft:
    return lambda root, unsigned: strip_signature(root, name, unsigned[name])


def _signed_by_another_ca(root: Path, unsigned: dict[str, bytes]) -> None:
    from contractgen.bundling.signing import load_signing_key, sign_pdf

    forger = make_pki(root.parent / "forger", ca_name="Forger CA", signer_key="ec")
    key = load_signing_key(forger.key_p12, forger.password)
    (root / "copy-2.pdf").write_bytes(sign_pdf(unsigned["copy-2.pdf"], key, page=1, when=EPOCH.utc))
    reseal(root, changed=["copy-2.pdf"])


def _copy_renamed(root: Path, unsigned: dict[str, bytes]) -> None:
    """copy-2.pdf replaced by copy-2.txt, which the manifest lists as the second copy, never signed."""
    (root / "copy-2.pdf").unlink()
    (root / "copy-2.txt").write_bytes(b"forged\n")

    def renamed(manifest: dict[str, Any]) -> None:
        entry = manifest["files"].pop("copy-2.pdf")
        manifest["files"]["copy-2.txt"] = dict(entry, signed=False)
        manifest["copies"][1]["file"] = "copy-2.txt"
        manifest["signing"] = None

    reseal(root, edit=renamed)
    reseal(root, changed=["copy-2.txt"])


# --- crafting: archives -------------------------------------------------------------------------------------


def _zip_of(root: Path) -> Path:
    archive = root.parent / f"{root.name}.zip"
    write_zip(root, archive, epoch_seconds=EPOCH.seconds)
    return archive


def _zip_bytes(change: Callable[[bytes], bytes]) -> Craft:
    def craft(root: Path, unsigned: dict[str, bytes]) -> Path:
        archive = _zip_of(root)
        archive.write_bytes(change(archive.read_bytes()))
        return archive

    return craft


def _zip_members(members: list[tuple[str, bytes, dict[str, Any]]]) -> Craft:
    """A zip of the bundle plus ``members`` (name, data, ZipInfo attributes) written after it."""

    def craft(root: Path, unsigned: dict[str, bytes]) -> Path:
        archive = _zip_of(root)
        with warnings.catch_warnings(), zipfile.ZipFile(archive, "a") as zf:
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name a case wants
            for name, data, attributes in members:
                info = zipfile.ZipInfo(name, (2026, 11, 24, 0, 0, 0))
                for key, value in attributes.items():
                    setattr(info, key, value)
                zf.writestr(info, data)
        return archive

    return craft


def _encrypted_flag(data: bytes) -> bytes:
    """The spec's central directory entry flagged as encrypted (zipfile cannot write that flag itself)."""
    name = b"KF-TEST-0001/spec.yaml"
    at = data.index(name, data.index(b"PK\x01\x02")) - 46  # the central header of that member
    (flags,) = struct.unpack_from("<H", data, at + 8)
    return data[: at + 8] + struct.pack("<H", flags | 0x1) + data[at + 10 :]


def _corrupt_member(data: bytes) -> bytes:
    spot = data.index(b"KF-TEST-0001/contract.pdf") + 2000  # inside the member's compressed data
    return data[:spot] + bytes([data[spot] ^ 0xFF]) + data[spot + 1 :]


def _zip64_locator(data: bytes) -> bytes:
    end = data.rindex(b"PK\x05\x06")
    return data[:end] + b"PK\x06\x07" + b"\x00" * 16 + data[end:]


_TOP = "KF-TEST-0001/"
_PARSE = "PDF 结构无法解析"
_UNREADABLE = "manifest.json: 清单无法读取："
_FIELDS = "manifest.json: 清单字段有误："
CASES = [
    # PDF structures
    Case("contents-int", "plain", _pdf("copy-1.pdf", _rewritten(_contents("int"))), 6, f"copy-1.pdf: {_PARSE}"),
    Case("contents-dict", "plain", _pdf("copy-1.pdf", _rewritten(_contents("dict"))), 6, f"copy-1.pdf: {_PARSE}"),
    Case(
        "contents-int-update",
        "signed",
        _pdf("copy-2.pdf", _incremental(_contents_of_page_one_int)),
        6,
        f"copy-2.pdf: {_PARSE}",
        trust=True,
    ),
    Case("page-tree-cycle", "plain", _pdf("contract.pdf", _rewritten(_page_tree_cycle)), 6, f"contract.pdf: {_PARSE}"),
    Case(
        "signature-v-int",
        "signed",
        _pdf("copy-1.pdf", _incremental(_signature_value(_int_value))),
        6,
        f"copy-1.pdf: {_PARSE}，签名无法检查",
    ),
    Case("signature-zeroed", "signed", _pdf("copy-2.pdf", _zeroed_signature), 6, f"copy-2.pdf: {_PARSE}，签名无法检查"),
    Case("byte-range-short", "signed", _pdf("copy-2.pdf", _shorter_byte_range), 6, "copy-2.pdf: 签名"),
    Case("truncated", "signed", _pdf("copy-1.pdf", lambda d: d[: len(d) // 2]), 6, f"copy-1.pdf: {_PARSE}"),
    Case("not-a-pdf", "plain", _pdf("copy-1.pdf", lambda d: b"hello, not a PDF\n"), 6, f"copy-1.pdf: {_PARSE}"),
    Case("empty-pdf", "signed", _pdf("contract.pdf", lambda d: b""), 6, f"contract.pdf: {_PARSE}"),
    Case(
        "deep-nesting",
        "plain",
        _pdf("copy-2.pdf", lambda d: _minimal_pdf(b"[" * 50_000 + b"]" * 50_000)),
        6,
        f"copy-2.pdf: {_PARSE}",
    ),
    Case(
        "minimal-contents-int", "plain", _pdf("copy-2.pdf", lambda d: _minimal_pdf(b"42")), 6, f"copy-2.pdf: {_PARSE}"
    ),
    Case("minimal-missing-object", "plain", _pdf("copy-1.pdf", lambda d: _minimal_pdf(b"9 0 R")), 6, "copy-1.pdf: "),
    # manifest.json
    Case(
        "duplicate-file-entry",
        "plain",
        _manifest_text(_bogus_first_entry),
        6,
        'manifest.json: 清单无法读取：JSON 对象中键 "contract.pdf" 重复出现',
    ),
    Case(
        "duplicate-format",
        "plain",
        _manifest_text(lambda t: t.replace("{\n", '{\n  "format": "x",\n', 1)),
        6,
        'JSON 对象中键 "format" 重复出现',
    ),
    Case(
        "array",
        "plain",
        _manifest_text(lambda t: "[]\n"),
        6,
        "manifest.json: 清单字段有误：清单应为 JSON 对象，收到 list",
    ),
    Case("string", "plain", _manifest_text(lambda t: '"manifest"\n'), 6, "清单应为 JSON 对象，收到 str"),
    Case("number", "plain", _manifest_text(lambda t: "3\n"), 6, "清单应为 JSON 对象，收到 int"),
    Case("null", "plain", _manifest_text(lambda t: "null\n"), 6, "清单应为 JSON 对象，收到 NoneType"),
    Case("files-list", "plain", _top("files", []), 6, f"{_FIELDS}files 应为 JSON 对象"),
    Case("size-string", "plain", _entry("copy-1.pdf", "size", "1024"), 6, 'files["copy-1.pdf"].size 应为非负整数'),
    Case("size-bool", "plain", _entry("copy-1.pdf", "size", True), 6, 'files["copy-1.pdf"].size 应为非负整数'),
    Case("size-negative", "plain", _entry("spec.yaml", "size", -1), 6, 'files["spec.yaml"].size 应为非负整数'),
    Case("sha256-int", "plain", _entry("contract.pdf", "sha256", 7), 6, 'files["contract.pdf"].sha256 应为 64 位'),
    Case("signed-string", "plain", _entry("copy-2.pdf", "signed", "yes"), 6, 'files["copy-2.pdf"].signed 应为 true'),
    Case("entry-string", "plain", _top("files", {"contract.pdf": "x"}), 6, 'files["contract.pdf"] 应为 JSON 对象'),
    Case("copies-string", "plain", _top("copies", "two"), 6, "copies 应为含 file（文件名）的 JSON 对象数组"),
    Case("base-missing", "plain", _top("base", _DELETE), 6, "base 应为含 content_sha256"),
    Case("format-other", "plain", _top("format", "contractgen-bundle/9"), 6, "format 应为 'contractgen-bundle/1'"),
    Case("nan", "plain", _manifest_text(lambda t: t.replace('"size": 49', '"size": NaN')), 6, "不允许 NaN"),
    Case(
        "huge-int",
        "plain",
        _manifest_text(lambda t: t.replace('"size": 49', '"size": ' + "9" * 5000)),
        6,
        "不是有效的 JSON：整数位数过多",
    ),
    Case("deep", "plain", _manifest_text(lambda t: "[" * 200_000 + "]" * 200_000), 6, "不是有效的 JSON：嵌套过深"),
    Case(
        "not-utf8",
        "plain",
        _manifest_text(lambda t: t.encode("gbk")),
        6,
        "manifest.json: 清单无法读取：不是 UTF-8 文本",
    ),
    Case("bom", "plain", _manifest_text(lambda t: "\ufeff" + t), 6, "manifest.json: 清单无法读取：不是有效的 JSON"),
    Case(
        "not-json",
        "plain",
        _manifest_text(lambda t: t[: len(t) // 2]),
        6,
        "manifest.json: 清单无法读取：不是有效的 JSON",
    ),
    Case("control-name", "plain", _manifest_text(_control_name), 6, "copy-1.pdf\\n校验通过: 清单中的路径不安全"),
    Case("sums-twice", "plain", _sums_twice, 6, "SHA256SUMS: 无法读取或重复的行"),
    Case(
        "copy-unlisted",
        "plain",
        _top("copies", [{"file": "copy-9.pdf"}]),
        6,
        "copy-9.pdf: 清单 copies 中的副本不在 files 表中",
    ),
    # signatures under --trust
    Case("unsigned-under-trust", "plain", lambda r, u: None, 6, "contract.pdf: 文件中没有签名", trust=True),
    Case("stripped-under-trust", "signed", _stripped("copy-1.pdf"), 6, "copy-1.pdf: 文件中没有签名", trust=True),
    Case("other-ca", "signed", _signed_by_another_ca, 6, "copy-2.pdf: 签名的证书不能链接到所给的信任证书", trust=True),
    Case("copy-renamed", "signed", _copy_renamed, 6, f"copy-2.txt: {_PARSE}", trust=True),
    # … which is what --trust is for: without it, a forger who rewrites everything cannot be told apart.
    Case(
        "stripped-without-trust",
        "signed",
        _stripped("contract.pdf"),
        0,
        "校验通过（SHA256SUMS 所列 6 个文件，2 个签名）",
    ),
    # archives
    Case("zip-garbage", "plain", _zip_bytes(lambda d: b"PK\x03\x04" + b"\x00" * 300), 6, "不是 zip 压缩包，或已损坏"),
    Case("zip-truncated", "plain", _zip_bytes(lambda d: d[: len(d) // 2]), 6, "不是 zip 压缩包，或已损坏"),
    Case("zip-crc", "plain", _zip_bytes(_corrupt_member), 6, "压缩包成员无法解压"),
    Case("zip64", "plain", _zip_bytes(_zip64_locator), 6, "ZIP64"),
    Case("zip-two-tops", "plain", _zip_members([("other/x.txt", b"x", {})]), 6, "压缩包应只含一个 bundle 目录"),
    Case("zip-duplicate", "plain", _zip_members([(_TOP + "spec.yaml", b"x", {})]), 6, "压缩包中此成员重复出现"),
    Case("zip-unsafe", "plain", _zip_members([(_TOP + "../x", b"x", {})]), 6, "压缩包成员路径不安全"),
    Case("zip-absolute", "plain", _zip_members([("/etc/x", b"x", {})]), 6, "压缩包成员路径不安全"),
    Case(
        "zip-symlink",
        "plain",
        _zip_members([(_TOP + "link", b"/etc/passwd", {"external_attr": 0o120777 << 16})]),
        6,
        "压缩包成员是符号链接",
    ),
    Case("zip-encrypted", "plain", _zip_bytes(_encrypted_flag), 6, "压缩包成员已加密"),
    Case(
        "zip-bzip2",
        "plain",
        _zip_members([(_TOP + "x", b"x", {"compress_type": zipfile.ZIP_BZIP2})]),
        6,
        "压缩方式 12 不受支持",
    ),
    Case(
        "zip-file-and-folder",
        "plain",
        _zip_members([(_TOP + "spec.yaml/x", b"x", {})]),
        6,
        "上级目录同时是一个文件",
    ),
]


@pytest.fixture
def bundles(tmp_path: Path, small_files: dict[str, bytes], signed_files: dict[str, bytes]) -> dict[str, Path]:
    roots = {}
    for kind, files in (("plain", small_files), ("signed", signed_files)):
        roots[kind] = tmp_path / kind / "KF-TEST-0001"
        roots[kind].parent.mkdir()
        write_tree(roots[kind], files)
    return roots


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_crafted_bundle_gives_its_exit_code_and_message(
    case: Case,
    bundles: dict[str, Path],
    small_files: dict[str, bytes],
    pki: Pki,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    root = bundles[case.bundle]
    target = case.craft(root, small_files) or root
    args = ["verify", str(target)] + (["--trust", str(pki.ca_pem)] if case.trust else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == case.code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert any(case.fragment in line for line in result.output.splitlines()), result.output
    assert "Traceback" not in result.output
    assert [r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("pyhanko", "pypdf")] == []
    if case.code == 6:
        assert result.stderr.startswith(f"contractgen: 错误：{target} 校验未通过")
    shutil.rmtree(root.parent / "forger", ignore_errors=True)


def test_every_case_has_its_own_id() -> None:
    assert len({case.id for case in CASES}) == len(CASES)
