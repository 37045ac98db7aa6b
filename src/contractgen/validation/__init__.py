"""Validation: a loaded spec → every problem in it, in Chinese, at its file, line, column and field.

Takes a :class:`~contractgen.spec.Spec` (or a path); gives a list of
:class:`~contractgen.diagnostics.Diagnostic` — errors and warnings, sorted by position — and, for a spec that
passed, its typed data (integers as ``int``, money still as text) for :mod:`contractgen.document` to build on.

- :mod:`.validator`: :func:`validate` / :func:`check_spec`, the stages in order;
- :mod:`.schemas`, :mod:`.schema_index`: which contract types exist, each type's JSON Schema (draft 2020-12),
  and look-ups in it by data path;
- :mod:`.schema_messages`, :mod:`.formats`: jsonschema errors and format checks in Chinese;
- :mod:`.checks`, :mod:`.consistency`, :mod:`.legal`: the named checks a schema attaches with ``x-checks`` —
  cross-field rules and legal checks, each with its citation;
- :mod:`.spec_form`: the blank (or example) spec form of a type, every field with its Chinese comment.

This stage must not print, must not render, must not build the contract model, and must never turn a problem in
the user's input into an exception other than :class:`~contractgen.errors.SpecError`.
"""

from contractgen.validation.validator import CHECKS, Report, Source, check_spec, validate

__all__ = ["CHECKS", "Report", "Source", "check_spec", "validate"]
