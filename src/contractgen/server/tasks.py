"""Tasks: what a worker process does with one spec sent to the server — preview, render, bundle.

Each task is a module-level function of the spec's display name and a picklable :class:`Job`, run by
:mod:`contractgen.batch.pool`'s ``_call`` (which turns a :class:`~contractgen.errors.SpecError` into an
outcome carrying its diagnostics). Each calls the library as the CLI does: :func:`load_contract` (validation
included), :func:`render_documents`, :func:`contractgen.bundling.worker.build_one`.

The preview is the HTML writer's screen entry point (:func:`contractgen.writers.html.to_screen_html`: the PDF's
document without the WORD JOINERs that only steer the PDF's line breaking), with a screen stylesheet.
:func:`warm_up` and :func:`warm_render` are the batch stage's (:mod:`contractgen.batch.warming`), shared with
``render`` and ``bundle``.

This module must not hold wording or layout, must not write anywhere but its own temporary folder, and must
never be run on the server's event loop.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

from contractgen.batch.warming import warm_render, warm_up

__all__ = ["File", "Job", "bundle_task", "preview_task", "render_task", "warm_render", "warm_up"]


@dataclass(frozen=True)
class Job:
    """One request's spec (YAML bytes) and what it asks for."""

    text: bytes
    format: str = "pdf"  # render: pdf | docx | template (the server's --docx-template)
    docx_template: Path | None = None


@dataclass(frozen=True)
class File:
    """A rendered file: its name (from the contract number) and bytes."""

    name: str
    data: bytes


def _stylesheet() -> str:
    return (Path(__file__).parent / "static" / "preview.css").read_text(encoding="utf-8")


def preview_task(spec: Path, job: Job) -> str:
    """The contract as one HTML page for a screen, from the same document tree the DOCX and PDF come from."""
    from contractgen.document import load_contract
    from contractgen.document.compose import compose
    from contractgen.document.context import build_context
    from contractgen.writers.html import to_screen_html
    from contractgen.writers.rendering import template_folder

    contract, _warnings = load_contract(str(spec), text=job.text)
    folder = template_folder(contract.type)
    document = compose(folder, build_context(contract, folder.parts, folder.title))
    page = to_screen_html(document)
    style = f"<style>{escape(_stylesheet(), quote=False)}</style>"
    return page.replace("</head>", f"{style}</head>", 1)


def render_task(spec: Path, job: Job) -> File:
    """The whole contract as one DOCX or PDF (or the server's own Word template filled), as ``render`` makes it."""
    from contractgen.document import load_contract
    from contractgen.writers.rendering import render_documents

    contract, _warnings = load_contract(str(spec), text=job.text)
    if job.format == "template":
        files = render_documents(contract, formats=("docx",), docx_template=job.docx_template)
        name = next(name for name in files if "-模板-" in name)
    else:
        files = render_documents(contract, formats=(job.format,))
        name = next(name for name in files if name.endswith(f".{job.format}"))
    return File(name, files[name])


def bundle_task(spec: Path, job: Job) -> File:
    """The bundle zip ``bundle --zip`` makes, built in a temporary folder of this worker and read back."""
    from contractgen.bundling.assembly import resolve_epoch
    from contractgen.bundling.worker import BuildOptions, build_one
    from contractgen.document import load_contract

    load_contract(str(spec), text=job.text)  # its problems by the request's name, not by the temporary file's
    work = Path(tempfile.mkdtemp(prefix="contractgen-serve-"))
    try:
        source = work / spec.name
        source.write_bytes(job.text)
        built = build_one(source, BuildOptions(work, "serve", True, False, None, resolve_epoch(None)))
        archive = built.temp / f"{built.name}.zip"
        return File(archive.name, archive.read_bytes())
    finally:
        shutil.rmtree(work, ignore_errors=True)
