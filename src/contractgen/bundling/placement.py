"""Placement: bundles moved into the output folder one whole bundle at a time, in the parent process; and
:func:`bundle`, the stage's entry point, which runs the workers (:mod:`contractgen.batch`) and places what they
built.

This module must not render or assemble (that is :mod:`.worker` and :mod:`.assembly`), and must never remove or
replace anything in the output folder that is not a bundle.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from contractgen.bundling.assembly import resolve_epoch
from contractgen.bundling.manifest import MANIFEST_NAME
from contractgen.bundling.worker import BuildOptions, Built, build_one
from contractgen.errors import OutputError
from contractgen.writers.fonts import FontSet
from contractgen.writers.output import (
    claimed,
    interrupts_deferred,
    os_error_message,
    output_directory,
    replace_directory,
)
from contractgen.writers.output_records import OutputRecords, Owner, content_digest, owner_of
from contractgen.writers.pdf_workers import part_processes_for

if TYPE_CHECKING:
    from contractgen.batch import Outcome, Progress
    from contractgen.batch.shards import Shard

__all__ = ["BundleReport", "bundle"]

_MAX_MANIFEST = 4 * 1024 * 1024

#: What every bundle worker needs: imported once in the fork server, not once per worker.
_PRELOAD = (
    "contractgen.bundling.counterparts",
    "contractgen.writers.rendering",
    "contractgen.validation.validator",
    "weasyprint",
    "pypdf",
)


def _check_kinds(target: Path, archive: Path | None) -> None:
    """Only a bundle folder (or an empty one) and a regular zip file are ever replaced."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target} 已存在且不是 bundle 目录，未覆盖")
    if target.exists() and any(target.iterdir()) and not (target / MANIFEST_NAME).is_file():
        raise OutputError(f"{target} 已存在且不是 bundle 目录（没有 {MANIFEST_NAME}），未覆盖")
    if archive is not None and (archive.is_symlink() or (archive.exists() and not archive.is_file())):
        raise OutputError(f"{archive} 已存在且不是普通文件，未覆盖")


def _manifest_owner(path: Path) -> Owner | None:
    """Who made a bundle (folder or zip) that has no record: what its manifest says, if it says it."""
    try:
        if path.is_dir():
            data = (path / MANIFEST_NAME).read_bytes()[:_MAX_MANIFEST]
        else:
            with zipfile.ZipFile(path) as archive:
                member = next(n for n in archive.namelist() if n.endswith(f"/{MANIFEST_NAME}"))
                with archive.open(member) as handle:
                    data = handle.read(_MAX_MANIFEST)
        manifest = json.loads(data)
        spec, number = manifest["spec"]["source_name"], manifest["contract_no"]
    except (OSError, ValueError, KeyError, TypeError, StopIteration, zipfile.BadZipFile):
        return None
    return Owner(spec, number) if isinstance(spec, str) and isinstance(number, str) else None


class _Placer:
    """Moves finished bundles into ``out_dir`` one at a time; refuses two specs with one contract number, and
    a bundle of another spec already there (unless ``overwrite``)."""

    def __init__(self, out_dir: Path, overwrite: bool) -> None:
        self.out_dir = out_dir
        self.overwrite = overwrite
        self.records = OutputRecords.load(out_dir)
        self.seen: dict[str, str] = {}

    def __call__(self, spec: Path, built: Built) -> Built:
        try:
            key = built.name.casefold()
            if key in self.seen:
                raise OutputError(f"合同编号 {built.contract_no} 与 {self.seen[key]} 的 bundle 重名，未写入")
            self.seen[key] = str(spec)
            target = self.out_dir / built.name
            new_zip = built.temp / f"{built.name}.zip"
            archive = self.out_dir / new_zip.name if new_zip.exists() else None
            _check_kinds(target, archive)
            owner = owner_of(spec, built.contract_no, self.out_dir)
            names = [built.name] + ([new_zip.name] if archive is not None else [])
            self.records.check(names, owner, overwrite=self.overwrite, identify=_manifest_owner)
            with interrupts_deferred():
                placed = {built.name: content_digest(built.temp / built.name) or ""}
                if archive is not None:
                    placed[new_zip.name] = content_digest(new_zip) or ""
                self.records.begin(placed, owner)
                replace_directory(built.temp / built.name, target, built.temp)
                if archive is not None:
                    os.replace(new_zip, archive)  # atomic: the old zip or the new one
                self.records.commit(names)
            return replace(built, path=target, archive=archive)
        except OSError as error:
            raise OutputError(os_error_message(error, self.out_dir)) from None
        finally:
            shutil.rmtree(built.temp, ignore_errors=True)


@dataclass(frozen=True)
class BundleReport:
    """One outcome per spec (``value`` is a :class:`Built` on success) and the batch's exit code."""

    outcomes: tuple[Outcome[Built], ...]
    exit_code: int
    ledger: Path | None = None  # the output folder's batch.jsonl

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def _describe(built: Built) -> str:
    return f"→ {built.path}" + (f"（{built.archive}）" if built.archive else "")


def bundle(
    specs: Sequence[Path | str],
    out_dir: Path | str,
    *,
    zip: bool = False,
    pdfa: bool = False,
    sign_key: Path | str | None = None,
    sign_password: str | bytes | None = None,
    sign_as: str = "a",
    jobs: int = 1,
    epoch: int | None = None,
    progress: Progress | None = None,
    overwrite: bool = False,
    cross_page_seal: bool = False,
    strict: bool = False,
    shard: Shard | str | None = None,
    resume: bool = False,
    max_tasks_per_worker: int | None = None,
) -> BundleReport:
    """Bundle every spec (files, or folders of specs) into ``out_dir``; see the module docstring.

    A bad signing key fails at once (:class:`~contractgen.bundling.signing.SigningKeyError`, exit 5) before
    anything is written. Each spec's failure is reported in its outcome; the others are still bundled.
    ``epoch`` (Unix seconds) fixes the bundle's own dates — manifest, zip entries, signing time; the dates
    inside the DOCX and PDF are the render stage's (``SOURCE_DATE_EPOCH`` or the signing date), so to move
    every date at once set ``SOURCE_DATE_EPOCH`` instead. ``sign_as``: ``"a"`` (甲方) or ``"b"`` (乙方).
    A bundle that another spec made is not replaced unless ``overwrite`` (that spec fails, exit 3).
    ``cross_page_seal`` keeps the 骑缝章 strip on every page whatever the specs say (``--cross-page-seal``).
    Each bundled spec's warnings are in its :class:`Built`; with ``strict``, a warning the spec does not
    acknowledge fails that spec (exit 3), as ``render --strict`` does. ``shard``, ``resume`` and
    ``max_tasks_per_worker`` as for :func:`contractgen.writers.batch_rendering.render_batch`: the run is
    ledgered in ``out_dir/batch.jsonl`` (:mod:`contractgen.batch.ledgered`).
    """
    # One body: the public API's keyword arguments, each mapped once onto what the workers and the ledger need.
    from contractgen.batch import exit_code
    from contractgen.batch.ledger import LEDGER_NAME
    from contractgen.batch.ledgered import BatchOptions, run_ledgered
    from contractgen.batch.shards import keyed_specs
    from contractgen.bundling.signing import load_signing_key

    key = load_signing_key(Path(sign_key), sign_password, party=sign_as) if sign_key is not None else None
    keyed = keyed_specs(specs)
    out = output_directory(out_dir)
    options = BuildOptions(
        out,
        secrets.token_hex(4),
        zip,
        pdfa,
        key,
        resolve_epoch(epoch),
        cross_page_seal,
        strict=strict,
        part_processes=part_processes_for(jobs),
    )
    fresh = not Path(out).exists()
    with claimed(out):  # sweeps what a killed run left, while the lock says no run is using it
        outcomes = run_ledgered(
            keyed,
            build_one,
            options,
            out_dir=out,
            command="bundle",
            batch=BatchOptions.of(shard, resume, max_tasks_per_worker),
            families=FontSet().families,
            settings=_settings(options),
            jobs=jobs,
            progress=progress,
            on_result=_Placer(out, overwrite),
            describe=_describe,
            preload=_PRELOAD,
            fresh=fresh,
        )
    return BundleReport(tuple(outcomes), exit_code(outcomes), out / LEDGER_NAME)


def _settings(options: BuildOptions) -> dict[str, object]:
    """What changes a bundle's bytes besides the spec, templates and fonts (``--resume`` compares it): the
    signing key by the SHA-256 of its PKCS#12 bytes, never the key or its password."""
    import hashlib

    from contractgen.writers.rendering import source_date_epoch

    key = options.key
    return {
        "zip": options.zip,
        "pdfa": options.pdfa,
        "key": None if key is None else hashlib.sha256(key.data).hexdigest(),
        "sign_as": None if key is None else key.party,
        "epoch": None if options.epoch is None else options.epoch.seconds,
        "cross_page_seal": options.cross_page_seal,
        "strict": options.strict,
        "source_date_epoch": source_date_epoch(),
    }
