"""Verify a bundle: every byte, every file, every signature, against the bundle's own manifest.

:func:`verify` re-hashes each file listed in ``manifest.json`` and reports, by name, files that are missing,
changed (size or SHA-256), extra (present but not listed), or listed under an unsafe path (absolute, ``..``,
through a symbolic link) — such a path is reported and never opened. ``SHA256SUMS`` must agree with the
manifest and hold the manifest's own hash. The manifest is read strictly (:func:`.manifest.load_json`,
:func:`.manifest.manifest_issues`): a duplicate key or a field of the wrong type fails verification, and
``contract.docx``, ``contract.pdf``, ``spec.yaml`` and every copy it names must be listed. Page content and
PDF/A attachments are checked by :mod:`.content_check`. When the manifest lists ``signing-positions.json``, it
must describe the PDFs as they are — pages, page sizes, signature fields (:mod:`.positions_check`); a bundle
without it is no less valid.

Signatures (:mod:`.signature_check`): a file the manifest says is signed must hold a signature, and every
signature must be intact, valid and cover the entire file. With ``trust`` (a PEM or DER certificate), *every*
PDF must carry such a signature, chaining to that certificate — whatever the manifest says, since whoever
could strip a signature could also rewrite the manifest and every hash to say ``signed: false``. Without
``trust``, each signature that holds is reported as a note saying its chain was not checked.

Everything read is bounded (:mod:`.verification_limits`): the manifest, the sums and each parsed PDF are
refused above a cap, a file whose size differs from the manifest's is not read at all, other files are
hashed as a stream, and a ``.zip`` bundle is unpacked within limits (:mod:`.zip_unpacking`). Library logging
is silenced while verification runs.

This module reports problems as data; it must not print, repair, or change anything in the bundle.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contractgen.bundling import verification_limits as limits
from contractgen.bundling.content_check import check_attachments, check_content
from contractgen.bundling.manifest import (
    MANIFEST_NAME,
    SUMS_NAME,
    ManifestError,
    is_safe_member,
    load_json,
    manifest_issues,
    parse_sums,
    sha256_bytes,
    sha256_file,
)
from contractgen.bundling.positions import POSITIONS_NAME
from contractgen.bundling.positions_check import PdfFacts, check_positions, pdf_facts
from contractgen.bundling.signature_check import check_signatures, printable, quiet_libraries
from contractgen.bundling.verification_limits import TooLarge
from contractgen.bundling.zip_unpacking import ZipRefused, unpacked
from contractgen.errors import InputError

__all__ = ["REQUIRED_FILES", "Problem", "VerifyReport", "verify", "verify_report"]

#: The files every bundle has, whatever its options.
REQUIRED_FILES = ("contract.docx", "contract.pdf", "spec.yaml")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle: the file it concerns, a kind, and a message for people."""

    path: str
    kind: str  # missing, extra, changed, unsafe-path, manifest, sums, content, signature, positions, archive
    message: str

    def __str__(self) -> str:
        return f"{printable(self.path, 200)}: {self.message}"


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify_report` checked, what it found, and a note (``path: text``) per signature that holds.

    ``files`` counts what ``SHA256SUMS`` lists: every file of the manifest's ``files`` table and
    ``manifest.json`` itself (``SHA256SUMS`` never lists itself). In a bundle that passes, this is the number
    of lines of ``SHA256SUMS``.
    """

    bundle: Path
    files: int
    signatures: int
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()
    trusted: bool = False  # whether signatures were checked against a trust certificate

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(bundle_dir: Path | str, *, trust: Path | str | None = None) -> list[Problem]:
    """Every problem with the bundle at ``bundle_dir`` (a directory or a bundle zip); empty if it holds."""
    return list(verify_report(bundle_dir, trust=trust).problems)


def verify_report(bundle_dir: Path | str, *, trust: Path | str | None = None) -> VerifyReport:
    """Like :func:`verify`, with the counts of files and signatures checked, and the signature notes."""
    root = Path(bundle_dir)
    trust_cert = _load_trust(Path(trust)) if trust is not None else None
    with quiet_libraries():
        if root.is_file() and (root.suffix.lower() == ".zip" or zipfile.is_zipfile(root)):
            try:
                with unpacked(root) as folder:
                    return replace(_verify_dir(folder, trust_cert), bundle=root)
            except ZipRefused as refused:
                problems = tuple(Problem(*problem) for problem in refused.problems)
                return VerifyReport(root, 0, 0, problems, trusted=trust_cert is not None)
        if not root.is_dir():
            raise InputError(f"不是 bundle 目录或 bundle 压缩包：{root}")
        return _verify_dir(root, trust_cert)


def _load_trust(path: Path) -> Any:
    """The trust certificate: one X.509 certificate, PEM or DER, parsed whole now (asn1crypto parses lazily)."""
    from asn1crypto import pem, x509  # type: ignore[import-untyped]

    try:
        data = limits.read_capped(path, limits.MAX_TRUST_BYTES)
    except TooLarge as error:
        raise InputError(f"无法读取信任证书 {path}：超过 {limits.size_text(error.cap)}，不是一个证书") from error
    except OSError as error:
        raise InputError(f"无法读取信任证书 {path}：{error.strerror or error}") from error
    try:
        blocks = list(pem.unarmor(data, multiple=True)) if pem.detect(data) else [("CERTIFICATE", {}, data)]
        if len(blocks) != 1 or blocks[0][0] != "CERTIFICATE":
            raise ValueError(f"应恰好含一个 CERTIFICATE，实际有 {len(blocks)} 段")
        cert = x509.Certificate.load(blocks[0][2])
        cert.native  # noqa: B018 -- forces the whole certificate to be parsed here, not inside pyHanko
    except Exception as error:  # asn1crypto raises ValueError, TypeError, KeyError… on malformed DER
        raise InputError(f"无法读取信任证书 {path}：不是 PEM 或 DER 格式的 X.509 证书（{error}）") from error
    return cert


def _verify_dir(root: Path, trust_cert: Any) -> VerifyReport:
    problems: list[Problem] = []
    manifest, manifest_hash = _read_manifest(root / MANIFEST_NAME, problems)
    if manifest is None:
        return VerifyReport(root, 0, 0, tuple(problems), trusted=trust_cert is not None)
    files: dict[str, Any] = manifest["files"]
    readable = _check_files(root, files, problems)
    problems.extend(_extra_files(root, set(files)))
    problems.extend(_check_sums(root, files, manifest_hash))
    problems.extend(_required_files(manifest))
    facts: dict[str, PdfFacts] | None = {} if POSITIONS_NAME in files else None
    signatures, notes = _check_pdfs(root, manifest, readable, trust_cert, problems, facts=facts)
    if facts is not None:
        problems.extend(_check_positions(root, manifest, readable, facts))
    covered = len(files) + 1  # what SHA256SUMS lists: the files the manifest lists, and the manifest
    return VerifyReport(root, covered, signatures, tuple(problems), tuple(notes), trust_cert is not None)


def _read_manifest(path: Path, problems: list[Problem]) -> tuple[dict[str, Any] | None, str]:
    """The manifest, strictly read and checked, with the SHA-256 of the bytes read; ``None`` if unusable."""
    if path.is_symlink() or not path.is_file():
        problems.append(Problem(MANIFEST_NAME, "missing", "清单文件缺失，无法校验"))
        return None, ""
    try:
        data = limits.read_capped(path, limits.MAX_MANIFEST_BYTES)
        manifest = load_json(data)
    except TooLarge as error:
        message = f"清单文件大于 {limits.size_text(error.cap)}，不是 bundle 的清单，未读取"
        problems.append(Problem(MANIFEST_NAME, "manifest", message))
        return None, ""
    except OSError as error:
        problems.append(Problem(MANIFEST_NAME, "manifest", f"清单文件无法读取：{error.strerror or error}"))
        return None, ""
    except ManifestError as error:
        problems.append(Problem(MANIFEST_NAME, "manifest", f"清单无法读取：{error}"))
        return None, ""
    issues = manifest_issues(manifest)
    if issues:
        problems.extend(Problem(MANIFEST_NAME, "manifest", f"清单字段有误：{issue}") for issue in issues)
        return None, ""
    return manifest, sha256_bytes(data)


def _check_files(root: Path, files: dict[str, Any], problems: list[Problem]) -> dict[str, int]:
    """Hash every listed file; the sizes of those that are safe to read and as large as the manifest says."""
    readable: dict[str, int] = {}
    for name in sorted(files):
        entry = files[name]
        if not is_safe_member(name) or name in (MANIFEST_NAME, SUMS_NAME):
            message = "清单中的路径不安全（绝对路径、含 .. 或控制字符，或为保留名），未读取"
            problems.append(Problem(name, "unsafe-path", message))
            continue
        if _through_link(root, name):
            problems.append(Problem(name, "unsafe-path", "路径经过符号链接，未读取"))
            continue
        path = root / name
        try:
            mode = path.lstat()
        except OSError:
            problems.append(Problem(name, "missing", "文件缺失"))
            continue
        if not stat.S_ISREG(mode.st_mode):
            problems.append(Problem(name, "missing", "文件缺失（此处不是普通文件）"))
            continue
        if mode.st_size != entry["size"]:
            # A size that differs says enough: the file is neither hashed nor parsed (it may be huge).
            message = f"内容已改变：{mode.st_size} 字节，清单为 {entry['size']} 字节"
            problems.append(Problem(name, "changed", message))
            continue
        try:
            actual = sha256_file(path)
        except OSError as error:
            problems.append(Problem(name, "missing", f"文件无法读取：{error.strerror or error}"))
            continue
        if actual != entry["sha256"]:
            message = f"内容已改变：SHA-256 {actual}，清单为 {entry['sha256']}（{mode.st_size} 字节）"
            problems.append(Problem(name, "changed", message))
        readable[name] = mode.st_size
    return readable


def _through_link(root: Path, name: str) -> bool:
    """Whether any component of ``root/name`` is a symbolic link (then it is never read)."""
    current = root
    for part in Path(name).parts:
        current = current / part
        try:
            if stat.S_ISLNK(current.lstat().st_mode):
                return True
        except OSError:
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


def _check_sums(root: Path, files: dict[str, Any], manifest_hash: str) -> Iterator[Problem]:
    sums_path = root / SUMS_NAME
    if sums_path.is_symlink() or not sums_path.is_file():
        yield Problem(SUMS_NAME, "missing", "文件缺失")
        return
    try:
        data = limits.read_capped(sums_path, limits.MAX_SUMS_BYTES)
    except TooLarge as error:
        yield Problem(SUMS_NAME, "sums", f"文件大于 {limits.size_text(error.cap)}，不是 bundle 的校验和，未读取")
        return
    except OSError as error:
        yield Problem(SUMS_NAME, "sums", f"文件无法读取：{error.strerror or error}")
        return
    sums, bad = parse_sums(data)
    for line in bad[:20]:
        yield Problem(SUMS_NAME, "sums", f"无法读取或重复的行：{printable(repr(line), 120)}")
    if sums.get(MANIFEST_NAME) != manifest_hash:
        yield Problem(MANIFEST_NAME, "changed", f"SHA-256 {manifest_hash} 与 {SUMS_NAME} 不符")
    for name, entry in sorted(files.items()):
        if sums.get(name) != entry["sha256"]:
            yield Problem(name, "sums", f"{SUMS_NAME} 与清单不一致")
    for name in sorted(set(sums) - set(files) - {MANIFEST_NAME}):
        yield Problem(name, "sums", f"{SUMS_NAME} 列出了清单中没有的文件")


def _required_files(manifest: dict[str, Any]) -> Iterator[Problem]:
    """The files every bundle lists; and, when the manifest records a signing key, every PDF marked signed."""
    files: dict[str, Any] = manifest["files"]
    for name in REQUIRED_FILES:
        if name not in files:
            yield Problem(name, "manifest", "清单未列出此文件（每个 bundle 都有）")
    for copy in manifest["copies"]:
        if copy["file"] not in files:
            yield Problem(copy["file"], "manifest", "清单 copies 中的副本不在 files 表中")
    if isinstance(manifest.get("signing"), dict):
        for name, entry in sorted(files.items()):
            if _is_pdf(name) and entry.get("signed") is not True:
                yield Problem(name, "signature", "清单记录了签名密钥（signing），但此文件标为未签名")


def _is_pdf(name: str) -> bool:
    return name.lower().endswith(".pdf")


def _bundle_pdfs(manifest: dict[str, Any]) -> set[str]:
    """The PDFs the manifest lists. The contract and every copy the manifest names are PDFs whatever they are
    called: a copy renamed copy-2.txt must not escape the content, signature and positions checks."""
    files: dict[str, Any] = manifest["files"]
    pdfs = {name for name in files if _is_pdf(name)} | {copy["file"] for copy in manifest["copies"]} | {"contract.pdf"}
    return pdfs & set(files)


def _check_pdfs(
    root: Path,
    manifest: dict[str, Any],
    readable: dict[str, int],
    trust_cert: Any,
    problems: list[Problem],
    *,
    facts: dict[str, PdfFacts] | None = None,
) -> tuple[int, list[str]]:
    """Content, attachments and signatures of every readable PDF; the signature count and notes. With ``facts``,
    what the positions check needs of each PDF is read into it while its bytes are at hand."""
    files: dict[str, Any] = manifest["files"]
    base_content: str = manifest["base"]["content_sha256"]
    spec = root / "spec.yaml" if "spec.yaml" in readable else None
    signatures = 0
    notes: list[str] = []
    for name in sorted(_bundle_pdfs(manifest)):
        entry = files[name]
        if name not in readable:
            continue  # a PDF not readable is already a problem (missing, changed, unsafe)
        data = _read_pdf(root / name, name, readable[name], problems)
        if data is None:
            continue
        problems.extend(Problem(name, "content", message) for message in check_content(data, entry, base_content))
        if entry.get("pdfa"):
            problems.extend(Problem(name, "content", message) for message in check_attachments(data, files, spec))
        found = check_signatures(data, trust_cert=trust_cert, if_unsigned=_if_unsigned(entry, trust_cert))
        signatures += found.count
        problems.extend(Problem(name, "signature", message) for message in found.problems)
        notes.extend(f"{printable(name, 200)}: {note}" for note in found.notes)
        if facts is not None:
            facts[name] = pdf_facts(data)
    return signatures, notes


def _check_positions(
    root: Path, manifest: dict[str, Any], readable: dict[str, int], facts: dict[str, PdfFacts]
) -> list[Problem]:
    """``signing-positions.json`` against the PDFs (:mod:`.positions_check`), when it can be read."""
    if POSITIONS_NAME not in readable:
        return []  # missing, changed in size, or unsafe: already a problem
    try:
        data = limits.read_capped(root / POSITIONS_NAME, limits.MAX_MANIFEST_BYTES)
    except TooLarge as error:
        message = f"签署位置文件大于 {limits.size_text(error.cap)}，未读取"
        return [Problem(POSITIONS_NAME, "positions", message)]
    except OSError as error:
        return [Problem(POSITIONS_NAME, "changed", f"校验期间文件被改动或无法读取（{error.strerror or error}）")]
    found = check_positions(data, manifest["files"], _bundle_pdfs(manifest), facts)
    return [Problem(name, "positions", message) for name, message in found]


def _if_unsigned(entry: dict[str, Any], trust_cert: Any) -> str | None:
    """What a PDF without a signature is: a problem when the manifest says it is signed, or under a trust anchor."""
    if entry.get("signed") is True:
        return "清单记录已签名，但文件中没有签名"
    if trust_cert is not None:
        return "文件中没有签名（给出 --trust 时每个 PDF 都须有可信签名）"
    return None


def _read_pdf(path: Path, name: str, size: int, problems: list[Problem]) -> bytes | None:
    """The bytes of a PDF to parse, or ``None`` (and a problem) when it is too large or cannot be read."""
    if size > limits.MAX_PDF_BYTES:
        message = f"PDF 大小 {limits.size_text(size)} 超过上限 {limits.size_text(limits.MAX_PDF_BYTES)}，未解析"
        problems.append(Problem(name, "content", message))
        return None
    try:
        data = limits.read_capped(path, limits.MAX_PDF_BYTES)
    except (OSError, TooLarge) as error:
        problems.append(Problem(name, "changed", f"校验期间文件被改动或无法读取（{error}）"))
        return None
    if len(data) != size:
        problems.append(Problem(name, "changed", "校验期间文件被改动"))
        return None
    return data
