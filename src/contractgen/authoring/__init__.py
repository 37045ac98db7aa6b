"""Authoring: ``contractgen lint`` — what a template author runs on a type folder before anyone renders it.

Takes a contract type (its name, or a folder laid out as ``templates/zh/<type>/`` beside ``schemas/`` and
``samples/``); gives a :class:`LintReport`: every problem of the folder as diagnostics with file, line and a
Chinese message — templates that do not parse or hold full-width punctuation typed by an IME, names the
context lacks, schema fields nothing uses, parts missing or unlisted, references to annexes and articles that
point at nothing, characters the fonts cannot draw, schema constructs ``serve``'s form would refuse.

- :mod:`.linting`: :func:`lint`, every check in order; :mod:`.layout`: the folder, its parts, schema, samples;
- :mod:`.syntax`, :mod:`.names`, :mod:`.references`, :mod:`.coverage`, :mod:`.glyphs`, :mod:`.form_support`:
  one check each; :mod:`.contexts` and :mod:`.tracing`: the samples rendered with the places and reads noted.

This stage must not write any file, must not print, and must not name a contract type: it only reads and reports.
"""

from contractgen.authoring.linting import LintReport, TypeLint, lint

__all__ = ["LintReport", "TypeLint", "lint"]
