"""Output records: which spec made each output in a folder, so one contract's files never replace another's.

``OUT/.contractgen.json`` maps every output contractgen placed in ``OUT`` (a file such as
``KF-2026-0001.pdf``, or a bundle folder) to the spec that made it — its path relative to ``OUT``, so the record
still holds when a repository with its specs and outputs is cloned elsewhere — its contract number and the
SHA-256 of what was placed (a bundle folder: of its ``manifest.json``).

Before an output is replaced, :meth:`OutputRecords.check` compares the spec of this run with the recorded one: a
different spec, or an output with no record (put there by hand, or by an older contractgen), is refused unless
the caller passes ``overwrite=True`` — exit 3, naming both specs. Names are compared case-folded, because
``KF-a.pdf`` and ``KF-A.pdf`` are one file on macOS and Windows.

Crash safety: :meth:`begin` records the new owner as *pending*, with the hash of the new content, before
anything is moved; :meth:`commit` makes it final afterwards. After a kill in between, the hash of what is
actually in place says which of the two owns it. The file is replaced atomically on every save.

This module must not move outputs itself; callers hold the folder's lock (:func:`contractgen.writers.output.locked`)
while they use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.errors import InputError, OutputError

__all__ = ["RECORDS_NAME", "OutputRecords", "Owner", "content_digest", "owner_of"]

RECORDS_NAME = ".contractgen.json"
FORMAT = "contractgen-outputs/1"
_MAX_BYTES = 64 * 1024 * 1024  # about 200,000 outputs; a larger file is not ours


@dataclass(frozen=True)
class Owner:
    """The spec an output comes from — its path relative to the output folder and its absolute path — and its
    contract number. One spec is the same spec when either path agrees: the relative one survives moving specs
    and outputs together (a clone elsewhere), the absolute one moving the output folder alone."""

    spec: str
    contract_no: str
    absolute: str = ""

    def as_json(self) -> dict[str, str]:
        return {"spec": self.spec, "contract_no": self.contract_no, "absolute": self.absolute}

    def same_spec(self, other: Owner) -> bool:
        return self.spec == other.spec or (bool(self.absolute) and self.absolute == other.absolute)


def owner_of(spec: Path | str, contract_no: str, out_dir: Path) -> Owner:
    """The :class:`Owner` for a spec file rendered into ``out_dir``."""
    absolute = Path(spec).resolve()
    relative = os.path.relpath(absolute, Path(out_dir).resolve())
    return Owner(Path(relative).as_posix(), contract_no, absolute.as_posix())


def content_digest(path: Path) -> str | None:
    """SHA-256 of a placed output: a file's bytes, a bundle folder's ``manifest.json``; None if unreadable."""
    target = path / "manifest.json" if path.is_dir() and not path.is_symlink() else path
    digest = hashlib.sha256()
    try:
        with target.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _key(name: str) -> str:
    return name.casefold()


class OutputRecords:
    """The records of one output folder, loaded once per run and saved after each change."""

    def __init__(self, directory: Path, entries: dict[str, dict[str, Any]]) -> None:
        self.directory = directory
        self.entries = entries

    @classmethod
    def load(cls, directory: Path) -> OutputRecords:
        path = directory / RECORDS_NAME
        try:
            if path.is_symlink() or (path.exists() and path.stat().st_size > _MAX_BYTES):
                raise OutputError(f"{path} 不是 contractgen 的输出记录（过大或是符号链接）；请移走它后重试")
            data = path.read_bytes()
        except FileNotFoundError:
            return cls(directory, {})
        except OSError as error:
            raise OutputError(f"无法读取输出记录 {path}：{error.strerror or error}") from None
        try:
            parsed = json.loads(data)
            entries = parsed["outputs"]
            if parsed.get("format") != FORMAT or not isinstance(entries, dict):
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError):
            raise OutputError(f"输出记录 {path} 已损坏；请移走它后加 --overwrite 重试") from None
        return cls(directory, {k: v for k, v in entries.items() if isinstance(v, dict)})

    def owner(self, name: str) -> Owner | None:
        """Who made the output ``name`` now in place, settling a pending record by the content's hash."""
        entry = self.entries.get(_key(name))
        if entry is None:
            return None
        pending = entry.get("pending")
        if isinstance(pending, dict):
            if content_digest(self.directory / name) == pending.get("sha256"):
                entry = pending
            elif "spec" not in entry:
                return None
        spec, contract_no, absolute = entry.get("spec"), entry.get("contract_no"), entry.get("absolute", "")
        if not isinstance(spec, str) or not isinstance(contract_no, str) or not isinstance(absolute, str):
            return None
        return Owner(spec, contract_no, absolute)

    def check(
        self,
        names: Iterable[str],
        owner: Owner,
        *,
        overwrite: bool,
        identify: Callable[[Path], Owner | None] | None = None,
    ) -> None:
        """Refuse (InputError, exit 3) to replace an output another spec made, or one with no record.

        ``identify`` names the owner of an unrecorded output where the output says itself (a bundle's manifest).
        """
        if overwrite:
            return
        for name in names:
            target = self.directory / name
            if not (target.exists() or target.is_symlink()):
                continue
            recorded = self.owner(name)
            if recorded is not None:
                if not recorded.same_spec(owner):
                    raise InputError(
                        f"{target} 是由 {recorded.spec}（合同编号 {recorded.contract_no}）生成的，"
                        f"{owner.spec}（合同编号 {owner.contract_no}）会覆盖它，未写入；确认要替换，请加 --overwrite"
                    )
                continue
            # No record: only an output that says itself which spec made it may be replaced by that spec.
            described = identify(target) if identify is not None else None
            if described is None:
                raise InputError(
                    f"{target} 已存在，但不是 contractgen 记录下的输出（可能是手工放入或旧版本生成的），"
                    f"未覆盖；确认要用 {owner.spec} 的结果替换它，请加 --overwrite"
                )
            if described.contract_no != owner.contract_no or Path(described.spec).name != Path(owner.spec).name:
                raise InputError(
                    f"{target} 是由 {described.spec}（合同编号 {described.contract_no}）生成的，"
                    f"{owner.spec}（合同编号 {owner.contract_no}）会覆盖它，未写入；确认要替换，请加 --overwrite"
                )

    def begin(self, placed: Mapping[str, str], owner: Owner) -> None:
        """Record ``owner`` as pending for each name of ``placed`` (name → SHA-256 of the new content)."""
        for name, digest in placed.items():
            entry = dict(self.entries.get(_key(name), {}))
            entry.pop("pending", None)
            entry["pending"] = {"name": name, "sha256": digest, **owner.as_json()}
            self.entries[_key(name)] = entry
        self.save()

    def commit(self, names: Iterable[str]) -> None:
        """Make the pending records of ``names`` final (their content is in place)."""
        for name in names:
            entry = self.entries.get(_key(name), {})
            pending = entry.get("pending")
            if isinstance(pending, dict):
                self.entries[_key(name)] = pending
        self.save()

    def rollback(self, names: Iterable[str]) -> None:
        """Drop the pending records of ``names`` (the old content was put back)."""
        for name in names:
            entry = self.entries.get(_key(name))
            if entry is not None:
                entry.pop("pending", None)
                if "spec" not in entry:
                    del self.entries[_key(name)]
        self.save()

    def save(self) -> None:
        path = self.directory / RECORDS_NAME
        text = json.dumps({"format": FORMAT, "outputs": self.entries}, ensure_ascii=False, sort_keys=True, indent=1)
        temporary = self.directory / f"{RECORDS_NAME}.{os.getpid()}.tmp"
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                handle.write(text + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError as error:
            with contextlib.suppress(OSError):
                temporary.unlink()
            from contractgen.writers.output import os_error_message

            raise OutputError(os_error_message(error, self.directory)) from None
