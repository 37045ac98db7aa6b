"""Verify a bundle: every byte, every file, every signature, against the bundle's own manifest.

:func:`verify` re-hashes each file listed in ``manifest.json`` and reports, by name, files that are missing,
changed (SHA-256 or size), extra (present but not listed), or listed under an unsafe path (absolute, ``..``,
through a symbolic link) — such a path is reported and never opened. ``SHA256SUMS`` must agree with the
manifest and hold the manifest's own hash. Each PDF's own page content must still hash to the
``content_sha256`` the manifest records — the same for the contract and every counterpart, which is what
shows that counterparts differ only by their 正本 marker. A PDF/A file's attachments must be the bundle's
spec and a manifest whose hashes are those of the bundle's (unsigned) PDFs.

Signed PDFs: every signature must be intact and valid, and must cover the entire file — pyHanko alone still
calls a signature fine after an incremental update or with bytes after ``%%EOF``, so coverage is checked
here. With ``trust`` (a PEM or DER certificate), each signer must chain to it. A file the manifest says is
signed must hold a signature. Validation is offline: nothing is fetched.

A ``.zip`` made by ``contractgen bundle --zip`` is verified by unpacking it into a temporary directory
(its member names are checked first).

This module reports problems as data; it must not print, repair, or change anything in the bundle.
"""

# Heavy modules (pypdf, pyHanko) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.bundling.manifest import (
    FORMAT,
    MANIFEST_NAME,
    SUMS_NAME,
    is_safe_member,
    parse_sums,
    sha256_file,
)
from contractgen.errors import InputError

__all__ = ["Problem", "VerifyReport", "verify", "verify_report"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle: the file it concerns, a kind, and a message for people."""

    path: str
    kind: str  # missing, extra, changed, unsafe-path, manifest, sums, content, signature
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify_report` checked, and what it found."""

    bundle: Path
    files: int
    signatures: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(bundle_dir: Path | str, *, trust: Path | str | None = None) -> list[Problem]:
    """Every problem with the bundle at ``bundle_dir`` (a directory or a bundle zip); empty if it holds."""
    return list(verify_report(bundle_dir, trust=trust).problems)


def verify_report(bundle_dir: Path | str, *, trust: Path | str | None = None) -> VerifyReport:
    """Like :func:`verify`, with the counts of files and signatures checked."""
    root = Path(bundle_dir)
    trust_cert = _load_trust(Path(trust)) if trust is not None else None
    if root.is_file() and zipfile.is_zipfile(root):
        with _unpacked(root) as (unpacked, problems):
            if problems:
                return VerifyReport(root, 0, 0, tuple(problems))
            report = _verify_dir(unpacked, trust_cert)
            return VerifyReport(root, report.files, report.signatures, report.problems)
    if not root.is_dir():
        raise InputError(f"不是 bundle 目录或 bundle 压缩包：{root}")
    return _verify_dir(root, trust_cert)


def _load_trust(path: Path) -> Any:
    from pyhanko.keys import load_cert_from_pemder

    try:
        load: Any = load_cert_from_pemder  # untyped in pyHanko
        return load(str(path))
    except (OSError, ValueError) as error:
        raise InputError(f"无法读取信任证书 {path}：{error}") from error


@contextmanager
def _unpacked(archive: Path) -> Iterator[tuple[Path, list[Problem]]]:
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="contractgen-verify-") as temp, zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        for name in names:
            if not is_safe_member(name.rstrip("/")):
                message = "压缩包成员路径不安全（绝对路径或含 ..），未解压"
                problems.append(Problem(name, "unsafe-path", message))
        if len(tops) != 1:
            problems.append(Problem(archive.name, "manifest", "压缩包应只含一个 bundle 目录"))
        if problems:
            yield Path(temp), problems
            return
        zf.extractall(temp)
        yield Path(temp) / tops.pop(), problems


def _verify_dir(root: Path, trust_cert: Any) -> VerifyReport:
    problems: list[Problem] = []
    manifest_path = root / MANIFEST_NAME
    manifest = _read_manifest(manifest_path, problems)
    if manifest is None:
        return VerifyReport(root, 0, 0, tuple(problems))
    files: dict[str, Any] = manifest["files"]

    readable: dict[str, Path] = {}
    for name in sorted(files):
        entry = files[name]
        if not is_safe_member(name) or name in (MANIFEST_NAME, SUMS_NAME):
            message = "清单中的路径不安全（绝对路径、含 .. 或保留名），未读取"
            problems.append(Problem(name, "unsafe-path", message))
            continue
        path = root / name
        if _through_link(root, name):
            problems.append(Problem(name, "unsafe-path", "路径经过符号链接，未读取"))
            continue
        if not path.is_file():
            problems.append(Problem(name, "missing", "文件缺失"))
            continue
        actual = sha256_file(path)
        size = path.stat().st_size
        if not isinstance(entry, dict) or actual != entry.get("sha256") or size != entry.get("size"):
            expected = entry.get("sha256") if isinstance(entry, dict) else None
            problems.append(
                Problem(name, "changed", f"内容已改变：SHA-256 {actual}，清单为 {expected}（{size} 字节）")
            )
        readable[name] = path

    problems.extend(_extra_files(root, set(files)))
    problems.extend(_check_sums(root, files))

    signatures = 0
    for name, path in readable.items():
        entry = files[name]
        if not name.endswith(".pdf") or not isinstance(entry, dict):
            continue
        data = path.read_bytes()
        if "content_sha256" in entry:
            problems.extend(_check_content(name, data, entry["content_sha256"]))
        if entry.get("pdfa"):
            problems.extend(_check_attachments(name, data, files, root / "spec.yaml"))
        count, found = _check_signatures(name, data, bool(entry.get("signed")), trust_cert)
        signatures += count
        problems.extend(found)
    return VerifyReport(root, len(files), signatures, tuple(problems))


def _read_manifest(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    if not path.is_file() or path.is_symlink():
        problems.append(Problem(MANIFEST_NAME, "missing", "清单文件缺失，无法校验"))
        return None
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(Problem(MANIFEST_NAME, "manifest", f"清单不是有效的 JSON：{error}"))
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        problems.append(Problem(MANIFEST_NAME, "manifest", f"清单格式不是 {FORMAT}"))
        return None
    if not isinstance(manifest.get("files"), dict):
        problems.append(Problem(MANIFEST_NAME, "manifest", "清单缺少 files 表"))
        return None
    return manifest


def _through_link(root: Path, name: str) -> bool:
    """Whether any component of ``root/name`` is a symbolic link (then it is never read)."""
    current = root
    for part in Path(name).parts:
        current = current / part
        try:
            if stat.S_ISLNK(current.lstat().st_mode):
                return True
        except FileNotFoundError:
            return False
    return False


def _extra_files(root: Path, listed: set[str]) -> Iterator[Problem]:
    expected = listed | {MANIFEST_NAME, SUMS_NAME}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames) + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            name = (Path(dirpath) / filename).relative_to(root).as_posix()
            if name not in expected:
                yield Problem(name, "extra", "多出的文件（不在清单中）")


def _check_sums(root: Path, files: dict[str, Any]) -> Iterator[Problem]:
    sums_path = root / SUMS_NAME
    if not sums_path.is_file() or sums_path.is_symlink():
        yield Problem(SUMS_NAME, "missing", "文件缺失")
        return
    sums, bad = parse_sums(sums_path.read_bytes())
    for line in bad:
        yield Problem(SUMS_NAME, "sums", f"无法读取的行：{line!r}")
    manifest_hash = sha256_file(root / MANIFEST_NAME)
    if sums.get(MANIFEST_NAME) != manifest_hash:
        yield Problem(MANIFEST_NAME, "changed", f"SHA-256 {manifest_hash} 与 {SUMS_NAME} 不符")
    for name, entry in sorted(files.items()):
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if sums.get(name) != expected:
            yield Problem(name, "sums", f"{SUMS_NAME} 与清单不一致")
    for name in sorted(set(sums) - set(files) - {MANIFEST_NAME}):
        yield Problem(name, "sums", f"{SUMS_NAME} 列出了清单中没有的文件")


def _check_content(name: str, data: bytes, expected: str) -> Iterator[Problem]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from contractgen.bundling.counterparts import content_digest

    try:
        actual = content_digest(PdfReader(io.BytesIO(data)))
    except (PdfReadError, ValueError, KeyError) as error:
        yield Problem(name, "content", f"无法读取 PDF：{error}")
        return
    if actual != expected:
        yield Problem(name, "content", "页面内容与合同正文不同（不只是正本标记的差别）")


def _check_attachments(name: str, data: bytes, files: dict[str, Any], spec: Path) -> Iterator[Problem]:
    """A PDF/A file's attachments: the bundle's spec, and a manifest whose hashes are the bundle's PDFs'."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attached = {a.name: a.content for a in PdfReader(io.BytesIO(data)).attachment_list}
    except (PdfReadError, ValueError, KeyError) as error:
        yield Problem(name, "content", f"无法读取 PDF/A 附件：{error}")
        return
    if spec.is_file() and not spec.is_symlink() and attached.get("spec.yaml") != spec.read_bytes():
        yield Problem(name, "content", "附件 spec.yaml 与 bundle 中的 spec.yaml 不同")
    try:
        inner = json.loads(attached.get("manifest.json", b"").decode("utf-8"))["files"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        yield Problem(name, "content", "缺少附件 manifest.json，或无法读取")
        return
    for member, entry in sorted(inner.items()):
        outer = files.get(member)
        expected = outer.get("unsigned_sha256", outer.get("sha256")) if isinstance(outer, dict) else None
        if not isinstance(entry, dict) or entry.get("sha256") != expected:
            yield Problem(name, "content", f"附件 manifest.json 中 {member} 的哈希与 bundle 清单不符")


def _check_signatures(name: str, data: bytes, signed: bool, trust_cert: Any) -> tuple[int, list[Problem]]:
    import io

    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    problems: list[Problem] = []
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        return 0, [Problem(name, "signature", f"无法读取 PDF 以检查签名：{error}")]
    if signed and not signatures:
        problems.append(Problem(name, "signature", "清单记录已签名，但文件中没有签名"))
    roots = [trust_cert] if trust_cert is not None else []
    for signature in signatures:
        field = signature.field_name
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as error:  # pyHanko raises many kinds on a damaged signature
            problems.append(Problem(name, "signature", f"签名 {field} 无法校验：{error}"))
            continue
        if not (status.intact and status.valid):
            problems.append(Problem(name, "signature", f"签名 {field} 已损坏或无效"))
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            message = f"签名 {field} 未覆盖整个文件（签名后有增量更新，或 %%EOF 后有多余字节）"
            problems.append(Problem(name, "signature", message))
        if trust_cert is not None and not status.trusted:
            problems.append(Problem(name, "signature", f"签名 {field} 的证书不能链接到所给的信任证书"))
    return len(signatures), problems
