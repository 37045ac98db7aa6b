"""The bundle manifest: ``manifest.json`` (what was made from what) and ``SHA256SUMS`` (for ``sha256sum -c``).

``manifest.json`` is canonical JSON — keys sorted, two-space indent, UTF-8 without escapes, one trailing
newline — so the same bundle always serialises to the same bytes. ``SHA256SUMS`` lists every file of the
bundle, the manifest included, in the text format GNU ``sha256sum -c`` reads (``<hex>  <path>``, sorted by
path).

Reading them back is strict, because whoever verifies a bundle did not make it: :func:`load_json` refuses
duplicate keys (JSON allows them, and a reader keeping the first would see another manifest than one keeping
the last), ``NaN``/``Infinity`` and nesting beyond what a manifest needs; :func:`manifest_issues` names every
field of the wrong type; :func:`parse_sums` reports a path listed twice as a line it cannot use.

This module only describes files it is given; it must not render, sign or decide what goes into a bundle,
and it must not read the clock: the one date it records is the epoch it is handed.
"""

# Heavy modules (pypdf, pyHanko, WeasyPrint) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT",
    "MANIFEST_NAME",
    "SUMS_NAME",
    "Epoch",
    "ManifestError",
    "canonical_json",
    "file_entry",
    "format_sums",
    "is_safe_member",
    "load_json",
    "manifest_issues",
    "parse_sums",
    "pdf_page_count",
    "sha256_bytes",
    "sha256_file",
]

FORMAT = "contractgen-bundle/1"
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"

_HEX64 = re.compile(r"[0-9a-f]{64}")
#: How many wrong fields :func:`manifest_issues` names before it only counts the rest.
_MAX_ISSUES = 20


class ManifestError(ValueError):
    """A bundle's JSON cannot be read strictly (not UTF-8, not JSON, a duplicate key); the message is for people."""


@dataclass(frozen=True)
class Epoch:
    """The one moment a bundle's dates come from: Unix seconds, and where that number came from."""

    seconds: int
    source: str  # "SOURCE_DATE_EPOCH", "signing.date", "term.start", "undated" or "argument"

    @property
    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, UTC)

    def as_json(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "iso": self.utc.isoformat(), "source": self.source}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read as a stream of 1 MiB blocks: memory stays bounded whatever its size."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF (pypdf, imported here so that the manifest module stays light)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def file_entry(data: bytes, *, pages: int | None, **extra: Any) -> dict[str, Any]:
    """A manifest ``files`` entry: SHA-256, size, page count (``None`` where a file has no fixed pages)."""
    return {"sha256": sha256_bytes(data), "size": len(data), "pages": pages, **extra}


def canonical_json(value: Mapping[str, Any]) -> bytes:
    """Deterministic JSON bytes: sorted keys, fixed separators, real UTF-8 (Chinese stays readable)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, separators=(",", ": "))
    return (text + "\n").encode("utf-8")


def is_safe_member(name: str) -> bool:
    """Whether ``name`` is a relative POSIX path inside the bundle (no ``..``, not absolute)."""
    if not name or "\\" in name or name.startswith("/") or any(_is_control(char) for char in name):
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts) and ":" not in parts[0]


def _is_control(char: str) -> bool:
    """C0 and C1 controls and DEL: a name holding one could forge or hide lines of a report."""
    return ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0


def format_sums(hashes: Iterable[tuple[str, str]]) -> bytes:
    """``SHA256SUMS`` text for ``(path, hex)`` pairs, sorted by path; ``sha256sum -c`` accepts it."""
    lines = []
    for name, digest in sorted(hashes):
        if not is_safe_member(name) or "\n" in name:
            raise ValueError(f"unsafe bundle member name: {name!r}")
        lines.append(f"{digest}  {name}\n")
    return "".join(lines).encode("utf-8")


def parse_sums(data: bytes) -> tuple[dict[str, str], list[str]]:
    """Read ``SHA256SUMS``: ``({path: hex}, [lines that could not be read])``; a path's second line is one."""
    sums: dict[str, str] = {}
    bad: list[str] = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep:
            digest, sep, name = line.partition(" *")  # binary-mode marker
        if not sep or not _HEX64.fullmatch(digest) or not name or name in sums:
            bad.append(line)
            continue
        sums[name] = digest
    return sums, bad


def load_json(data: bytes) -> Any:
    """Strictly parsed JSON: UTF-8, no duplicate key in any object, no NaN/Infinity; else :class:`ManifestError`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ManifestError(f"不是 UTF-8 文本（第 {error.start} 字节起无法解码）") from error
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except ManifestError:
        raise
    except json.JSONDecodeError as error:
        raise ManifestError(f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列：{error.msg}") from error
    except RecursionError as error:  # the C scanner's own depth limit: nothing like a manifest
        raise ManifestError("不是有效的 JSON：嵌套过深") from error
    except ValueError as error:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise ManifestError("不是有效的 JSON：整数位数过多") from error


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ManifestError(f"JSON 对象中键 {_shown(key)} 重复出现（同一个键只能有一个值）")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ManifestError(f"不是有效的 JSON：不允许 {name}")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# What each field of a ``files`` entry must be: (description for people, test, required).
_ENTRY_FIELDS: dict[str, tuple[str, Callable[[Any], bool], bool]] = {
    "sha256": (" 64 位小写十六进制 SHA-256", _is_hex64, True),
    "size": ("非负整数", _is_count, True),
    "pages": ("非负整数或 null", lambda v: v is None or _is_count(v), False),
    "signed": (" true 或 false", lambda v: isinstance(v, bool), False),
    "content_sha256": (" 64 位小写十六进制 SHA-256", _is_hex64, False),
    "unsigned_sha256": (" 64 位小写十六进制 SHA-256", _is_hex64, False),
    "base_sha256": (" 64 位小写十六进制 SHA-256", _is_hex64, False),
    "copy": ("非负整数", _is_count, False),
    "kind": ("字符串", lambda v: isinstance(v, str), False),
    "holder": ("字符串", lambda v: isinstance(v, str), False),
    "pdfa": ("字符串", lambda v: isinstance(v, str), False),
    "source_name": ("字符串", lambda v: isinstance(v, str), False),
    "attachments": ("字符串数组", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v), False),
}


def manifest_issues(manifest: Any) -> list[str]:
    """Every field of a parsed ``manifest.json`` that is missing or of the wrong type, for people; ``[]`` if none."""
    if not isinstance(manifest, dict):
        return [f"清单应为 JSON 对象，收到 {type(manifest).__name__}"]
    issues: list[str] = []
    if manifest.get("format") != FORMAT:
        issues.append(f"format 应为 {FORMAT!r}，收到 {_shown(manifest.get('format'))}")
    files = manifest.get("files")
    if not isinstance(files, dict):
        issues.append(f"files 应为 JSON 对象（文件名 → 条目），收到 {_shown(files)}")
        files = {}
    for name, entry in files.items():
        where = f"files[{_shown(name)}]"
        if not isinstance(entry, dict):
            issues.append(f"{where} 应为 JSON 对象，收到 {_shown(entry)}")
            continue
        for field, (wanted, test, required) in _ENTRY_FIELDS.items():
            if field in entry and not test(entry[field]):
                issues.append(f"{where}.{field} 应为{wanted}，收到 {_shown(entry[field])}")
            elif required and field not in entry:
                issues.append(f"{where} 缺少 {field}")
    issues.extend(_section_issues(manifest))
    if len(issues) > _MAX_ISSUES:
        issues[_MAX_ISSUES:] = [f"……另有 {len(issues) - _MAX_ISSUES} 处字段类型不对"]
    return issues


def _section_issues(manifest: dict[str, Any]) -> Iterable[str]:
    """The sections beside ``files`` that verification reads: ``base``, ``copies``, ``signing``."""
    base = manifest.get("base")
    if not (isinstance(base, dict) and _is_hex64(base.get("content_sha256"))):
        yield f"base 应为含 content_sha256（SHA-256）的 JSON 对象，收到 {_shown(base)}"
    copies = manifest.get("copies")
    if not isinstance(copies, list) or not all(
        isinstance(copy, dict) and isinstance(copy.get("file"), str) for copy in copies
    ):
        yield f"copies 应为含 file（文件名）的 JSON 对象数组，收到 {_shown(copies)}"
    signing = manifest.get("signing")
    if signing is not None and not isinstance(signing, dict):
        yield f"signing 应为 JSON 对象或 null，收到 {_shown(signing)}"
