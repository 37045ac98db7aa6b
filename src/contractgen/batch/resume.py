"""Resume: which specs of a batch are already made, proven by the ledger and by the outputs' own bytes.

A spec is skipped (``--resume``) only when the output folder's ledger (:mod:`.ledger`) holds, as the last line
of its key for the same command, a ``rendered`` or ``skipped`` line whose

- spec SHA-256 is the SHA-256 of the spec's bytes now;
- inputs are the inputs now: contractgen's version, the digest of the contract type's template folder and
  schema, the digest of the font files the render uses (as fontconfig finds them now), and the digest of the
  options that change the bytes (formats, --split, --zip, SOURCE_DATE_EPOCH …);
- outputs are all there, each a regular file inside the folder whose SHA-256 is the recorded one.

Anything else is redone: an output that was changed, truncated or replaced by hand is never trusted, and a
torn or missing line means the spec is made again. Outputs are placed atomically before their line is written
(:mod:`contractgen.writers.output`), so after a kill an output either has its line or is made again — never
half made and skipped.

This module must not write anything, and must not render: it only reads the ledger and hashes files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from contractgen.batch.ledger import LEDGER_NAME, read_ledger

__all__ = ["Inputs", "Resume", "file_sha256", "inputs_for", "options_digest"]

_DONE = ("rendered", "skipped")


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes (never through a symlink); None when it is not one or cannot be read."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def options_digest(options: Mapping[str, Any]) -> str:
    """One digest of the options that change an output's bytes (names sorted, values as text)."""
    text = json.dumps(dict(options), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Inputs:
    """What a spec's outputs are made from besides the spec: the ledger's ``inputs``."""

    contractgen: str
    templates_sha256: str
    fonts_sha256: str
    options_sha256: str

    def as_json(self) -> dict[str, str]:
        return {
            "contractgen": self.contractgen,
            "templates_sha256": self.templates_sha256,
            "fonts_sha256": self.fonts_sha256,
            "options_sha256": self.options_sha256,
        }


@cache
def _type_digests(contract_type: str, families: tuple[str, ...]) -> tuple[str, str]:
    """The digest of a type's template folder with its schema, and of the font files of ``families`` — the
    same hashes a bundle's manifest records (:mod:`contractgen.bundling.provenance`), once per process."""
    from contractgen.bundling.provenance import provenance

    found = provenance(contract_type, families)
    templates = hashlib.sha256(f"{found['templates']['sha256']}\0{found['schema']['sha256']}".encode())
    faces = "".join(f"{f['family']}\0{f['weight']}\0{f['sha256']}\n" for f in found["fonts"])
    return templates.hexdigest(), hashlib.sha256(faces.encode("utf-8")).hexdigest()


def inputs_for(contract_type: str, families: tuple[str, ...], options_sha256: str) -> Inputs:
    """The inputs now of a spec of ``contract_type`` rendered with the fonts ``families``."""
    from contractgen import __version__

    templates, fonts = _type_digests(contract_type, families)
    return Inputs(__version__, templates, fonts, options_sha256)


class Resume:
    """The specs an output folder's ledger proves made, for one command, fonts and options."""

    def __init__(
        self, out_dir: Path, command: str, families: tuple[str, ...], options_sha256: str, *, enabled: bool
    ) -> None:
        self.out_dir, self.command, self.families, self.options_sha256 = out_dir, command, families, options_sha256
        self.last: dict[str, dict[str, Any]] = {}
        if enabled and (out_dir / LEDGER_NAME).exists():
            for record in read_ledger(out_dir / LEDGER_NAME).records:
                if record.get("record") == "spec" and record.get("command") == command:
                    self.last[str(record.get("key"))] = record

    def made(self, key: str, spec_sha256: str | None) -> dict[str, Any] | None:
        """The ledger line that proves the spec of ``key`` made, or None when it must be made (again)."""
        record = self.last.get(key)
        if record is None or spec_sha256 is None or record.get("status") not in _DONE:
            return None
        contract_type, outputs = record.get("contract_type"), record.get("outputs")
        if record.get("spec_sha256") != spec_sha256 or not isinstance(contract_type, str):
            return None
        if not isinstance(outputs, list) or not outputs:
            return None
        try:
            now = inputs_for(contract_type, self.families, self.options_sha256)
        except Exception:  # the type or a font is gone: the run reports it when it makes the spec again
            return None
        if record.get("inputs") != now.as_json():
            return None
        return record if all(self._intact(output) for output in outputs) else None

    def _intact(self, output: Any) -> bool:
        if not isinstance(output, dict) or not isinstance(output.get("file"), str):
            return False
        path = self.out_dir / output["file"]
        root = self.out_dir.resolve()
        if root not in path.resolve().parents:  # a ledger never names a file outside its folder
            return False
        return file_sha256(path) == output.get("sha256")
