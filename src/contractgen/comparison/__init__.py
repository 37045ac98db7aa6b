"""Comparison: two versions of a contract spec → what changed, field by field and clause by clause (``diff``).

Takes two specs of one contract type (and, for the old one, optionally an older template folder); gives a
:class:`~contractgen.comparison.report.Comparison`, from which the outputs are written. It works on the specs and
on the document trees the pipeline composes, never on finished files:

- :mod:`.versions`: both specs validated (every problem of both reported), built and composed;
- :mod:`.fields`: the field level — every changed field, titled from the schema, its values in the contract's
  words; :mod:`.reach`: the clauses and annexes each reaches, the derived values that follow;
- :mod:`.units`, :mod:`.clauses`: the clause level — the trees read as clauses, paragraphs, rows and signature
  blocks, aligned part by part; :mod:`.tokens`: the tokenizer that keeps every amount, 大写, date, rate and
  number whole, and the text diff;
- :mod:`.report`: the data model and its JSON; :mod:`.listing`: the text listing;
- :mod:`.merged`: the new tree with the old text marked into it, which :mod:`.tracked_docx` (the DOCX writer, its
  marks made Word revisions by :mod:`.revisions`) and :mod:`.redline_html` (the HTML and PDF writers, a change
  list first) write out.

This stage must not change a word of either version, must not read the clock (a revision's date is the new
spec's signing date or ``SOURCE_DATE_EPOCH``), and must not write files: the command line does.
"""

from __future__ import annotations

import os
from dataclasses import replace

from contractgen.comparison.report import Comparison, warning_changes

__all__ = ["Comparison", "diff"]


def diff(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    templates_old: str | os.PathLike[str] | None = None,
) -> Comparison:
    """Compare the specs ``old`` and ``new`` (the old one rendered with ``templates_old`` if given).

    Raises :class:`~contractgen.errors.SpecError` with the diagnostics of every spec that does not validate,
    :class:`~contractgen.errors.InputError` for specs of two types or a template folder that is not one.
    """
    from contractgen.comparison.clauses import align_parts, clause_changes
    from contractgen.comparison.fields import field_changes
    from contractgen.comparison.reach import attribute
    from contractgen.comparison.versions import load_versions
    from contractgen.validation.schemas import spec_schema

    before, after = load_versions(old, new, templates_old=templates_old)
    fields = field_changes(spec_schema(after.contract.type).index, before.data, after.data)
    clauses = clause_changes(align_parts(before.document, after.document))
    fields, derived, reached = attribute(before, after, fields, clauses)
    weighty = {change.path for change in fields if change.substantive}
    clauses = [
        replace(c, substantive=c.substantive or (not c.cosmetic and bool(weighty & set(reached.get(c.id, ())))))
        for c in clauses
    ]
    return Comparison(
        old=before,
        new=after,
        fields=tuple(fields),
        derived=tuple(derived),
        warnings=tuple(warning_changes(before.diagnostics, after.diagnostics)),
        clauses=tuple(clauses),
        clause_fields=reached,
        templates_old=os.fspath(templates_old) if templates_old is not None else None,
    )
