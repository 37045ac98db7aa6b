"""Placement: bundles moved into the output folder one whole bundle at a time, in the parent process; and
:func:`bundle`, the stage's entry point, which runs the workers (:mod:`contractgen.batch`) and places what they
built.

This module must not render or assemble (that is :mod:`.worker` and :mod:`.assembly`), and must never remove or
replace anything in the output folder that is not a bundle.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contractgen.bundling.assembly import resolve_epoch
from contractgen.bundling.manifest import MANIFEST_NAME
from contractgen.bundling.worker import TEMP_PREFIX, BuildOptions, Built, build_one
from contractgen.errors import OutputError

if TYPE_CHECKING:
    from contractgen.batch import Outcome, Progress

__all__ = ["BundleReport", "bundle"]

#: What every bundle worker needs: imported once in the fork server, not once per worker.
_PRELOAD = (
    "contractgen.bundling.counterparts",
    "contractgen.writers.rendering",
    "contractgen.validation.validator",
    "weasyprint",
    "pypdf",
)


def _replace_dir(new: Path, target: Path, trash: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target} 已存在且不是 bundle 目录，未覆盖")
    if target.exists():
        if any(target.iterdir()) and not (target / MANIFEST_NAME).is_file():
            raise OutputError(f"{target} 已存在且不是 bundle 目录（没有 {MANIFEST_NAME}），未覆盖")
        os.replace(target, trash)
    os.replace(new, target)


def _replace_file(new: Path, target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OutputError(f"{target} 已存在且不是普通文件，未覆盖")
    os.replace(new, target)


class _Placer:
    """Moves finished bundles into ``out_dir`` one at a time; refuses two specs with one contract number."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.seen: dict[str, str] = {}

    def __call__(self, spec: Path, built: Built) -> Built:
        try:
            key = built.name.casefold()
            if key in self.seen:
                raise OutputError(f"合同编号 {built.contract_no} 与 {self.seen[key]} 的 bundle 重名，未写入")
            self.seen[key] = str(spec)
            target = self.out_dir / built.name
            _replace_dir(built.temp / built.name, target, built.temp / ".old")
            archive = None
            if (built.temp / f"{built.name}.zip").exists():
                archive = self.out_dir / f"{built.name}.zip"
                _replace_file(built.temp / f"{built.name}.zip", archive)
            return Built(built.name, built.contract_no, built.temp, target, archive)
        finally:
            shutil.rmtree(built.temp, ignore_errors=True)


@dataclass(frozen=True)
class BundleReport:
    """One outcome per spec (``value`` is a :class:`Built` on success) and the batch's exit code."""

    outcomes: tuple[Outcome[Built], ...]
    exit_code: int

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
) -> BundleReport:
    """Bundle every spec (files, or folders of specs) into ``out_dir``; see the module docstring.

    A bad signing key fails at once (:class:`~contractgen.bundling.signing.SigningKeyError`, exit 5) before
    anything is written. Each spec's failure is reported in its outcome; the others are still bundled.
    ``epoch`` (Unix seconds) fixes the bundle's own dates — manifest, zip entries, signing time; the dates
    inside the DOCX and PDF are the render stage's (``SOURCE_DATE_EPOCH`` or the signing date), so to move
    every date at once set ``SOURCE_DATE_EPOCH`` instead. ``sign_as``: ``"a"`` (甲方) or ``"b"`` (乙方).
    """
    from contractgen.batch import discover_specs, exit_code, run_batch
    from contractgen.bundling.signing import load_signing_key
    from contractgen.writers.output import locked

    key = load_signing_key(Path(sign_key), sign_password, party=sign_as) if sign_key is not None else None
    paths = discover_specs(specs)
    out = Path(out_dir)
    options = BuildOptions(out, secrets.token_hex(4), zip, pdfa, key, resolve_epoch(epoch))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"无法创建输出目录 {out}：{error.strerror or error}") from error
    with locked(out):
        _sweep(out, TEMP_PREFIX)  # leftovers of a run that was killed: the lock says none is running
        try:
            outcomes = run_batch(
                paths,
                build_one,
                options,
                jobs=jobs,
                progress=progress,
                on_result=_Placer(out),
                describe=_describe,
                preload=_PRELOAD,
            )
        finally:
            _sweep(out, f"{TEMP_PREFIX}{options.run_id}-")
    return BundleReport(tuple(outcomes), exit_code(outcomes))


def _sweep(out_dir: Path, prefix: str) -> None:
    for leftover in out_dir.glob(f"{prefix}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
