"""What a bundle's PDFs say, checked against its manifest: page content, and a PDF/A file's attachments.

Each PDF's own page content must hash to the ``content_sha256`` its manifest entry records, and that must
be the manifest's ``base.content_sha256`` — the same for the contract and every counterpart, which is what
shows that counterparts differ only by their 正本 marker. A PDF/A file's attachments must be the bundle's
spec and a manifest whose hashes are those of the bundle's (unsigned) PDFs.

The PDFs come from someone else: pypdf meets page contents that are integers or dictionaries, broken
cross-reference tables, truncated streams, and raises whatever it raises; each is reported as a problem of
that file, never passed on. (pypdf bounds every decompressed stream itself, at 75 MB.)

This module must not print, and must not read any file but the spec it is handed, which it hashes as a stream.
"""

# Heavy modules (pypdf) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from contractgen.bundling.manifest import ManifestError, load_json, sha256_bytes, sha256_file
from contractgen.bundling.signature_check import error_text, printable

__all__ = ["check_attachments", "check_content"]


def check_content(data: bytes, entry: dict[str, Any], base_content: str) -> Iterator[str]:
    """Problems with the page content of the PDF ``data`` whose manifest entry is ``entry``."""
    import io

    from pypdf import PdfReader

    from contractgen.bundling.counterparts import content_digest

    expected = entry.get("content_sha256")
    if expected is None:
        yield "清单条目缺少 content_sha256，无法核对页面内容"
        return
    if expected != base_content:
        yield "清单中的 content_sha256 与 base.content_sha256 不同：页面内容与合同正文不同"
        return
    try:
        actual = content_digest(PdfReader(io.BytesIO(data)))
    except Exception as error:  # any exception of a parser meeting a hostile file is that file's problem
        yield f"PDF 结构无法解析，页面内容无法核对（{error_text(error)}）"
        return
    if actual != expected:
        yield "页面内容与合同正文不同（不只是正本标记的差别）"


def check_attachments(data: bytes, files: dict[str, Any], spec: Path | None) -> Iterator[str]:
    """A PDF/A file's attachments: the bundle's spec (``spec``, when readable), and a manifest matching ``files``."""
    import io

    from pypdf import PdfReader

    try:
        attached = {a.name: a.content for a in PdfReader(io.BytesIO(data)).attachment_list}
    except Exception as error:  # as above
        yield f"PDF 结构无法解析，PDF/A 附件无法读取（{error_text(error)}）"
        return
    spec_data = attached.get("spec.yaml")
    if spec is not None and (not isinstance(spec_data, bytes) or sha256_bytes(spec_data) != sha256_file(spec)):
        yield "附件 spec.yaml 与 bundle 中的 spec.yaml 不同"
    inner_data = attached.get("manifest.json")
    try:
        inner = load_json(inner_data) if isinstance(inner_data, bytes) else None
    except ManifestError as error:
        yield f"附件 manifest.json 无法读取：{error}"
        return
    inner_files = inner.get("files") if isinstance(inner, dict) else None
    if not isinstance(inner_files, dict):
        yield "缺少附件 manifest.json，或其中没有 files 表"
        return
    for member, inner_entry in sorted(inner_files.items()):
        outer = files.get(member)
        expected = outer.get("unsigned_sha256", outer.get("sha256")) if isinstance(outer, dict) else None
        if not isinstance(inner_entry, dict) or inner_entry.get("sha256") != expected:
            yield f"附件 manifest.json 中 {printable(member, 80)} 的哈希与 bundle 清单不符"
