"""Bundling: what a CI pipeline hands over to be printed and signed, with proof of what it was made from.

For each spec, :func:`bundle` writes ``OUT/<contract_no>/`` (and with ``zip=True`` ``OUT/<contract_no>.zip``):

==================  =============================================================================
``contract.docx``   the full contract (contract, sections, annexes) as Word
``contract.pdf``    the same as PDF — the *base* every counterpart is made from
``copy-N.pdf``      one counterpart per copy, 正本 · 甲方执 / 乙方执 on every page (:mod:`.counterparts`)
``spec.yaml``       the spec, byte for byte
``pdfa/*.pdf``      with ``pdfa=True``: PDF/A-3b versions with the spec and manifest attached (:mod:`.pdfa`)
``manifest.json``   versions, template and font hashes, every file's SHA-256/size/pages, copies → holders,
                    the epoch, signatures (:mod:`.manifest`)
``SHA256SUMS``      for ``sha256sum -c``
==================  =============================================================================

Order of work: render → counterparts → hash the unsigned PDFs → sign (optional, :mod:`.signing`) → hash
again → manifest. Every date is the epoch: ``epoch=`` if given, else ``SOURCE_DATE_EPOCH``, else the spec's
signing date at 00:00 UTC (the instant the render stage stamps into the DOCX and PDF, so a bundle carries
one date throughout) — so the same specs, templates and fonts give the same bytes in any process, time
zone, locale or working directory.

Outputs are built in a staging folder inside ``OUT`` and moved into place whole, one bundle at a time, while
``OUT`` is locked against a second run (:func:`contractgen.writers.output.claimed`, the same lock ``render``
takes): an existing bundle is exchanged with the new one in one step
(:func:`contractgen.writers.output.replace_directory`), so a crash, Ctrl-C or kill leaves the old bundle or the
new one, complete, never neither. A bundle another spec made is not replaced unless ``overwrite``
(:mod:`contractgen.writers.output_records`); anything that is not a bundle is never touched. Bundle names are
:func:`contractgen.writers.file_names.file_stem` of the contract number: one number, one name.

Modules: :mod:`.worker` (one spec → a staged bundle), :mod:`.assembly` (the files of one bundle, bytes to bytes),
:mod:`.counterparts`, :mod:`.signing` (with :mod:`.signing_key`: what is wrong with a key that cannot be used, and
:mod:`.self_signed`: a test key for ``contractgen test-key``, made at a time its caller gives),
:mod:`.pdfa`, :mod:`.manifest`, :mod:`.archive`, :mod:`.provenance`,
:mod:`.placement` (into the output folder; :func:`bundle`), and :mod:`.verification` (:func:`verify`: a bundle
re-checked by whoever receives it), with :mod:`.verification_limits` (what verify will read),
:mod:`.zip_unpacking` (zips with size and count caps), :mod:`.content_check` and :mod:`.signature_check`.

Takes specs; gives bundle folders (and zips) and, from :func:`verify`, a list of problems.
This package must not print (the CLI reports), must not read the clock, and must not render wording itself:
it packs what :mod:`contractgen.writers.rendering` produced.
"""

from contractgen.bundling.assembly import BundleSource, assemble, resolve_epoch
from contractgen.bundling.placement import BundleReport, bundle
from contractgen.bundling.verification import verify
from contractgen.bundling.worker import Built, write_tree

__all__ = ["Built", "BundleReport", "BundleSource", "assemble", "bundle", "resolve_epoch", "verify", "write_tree"]
