"""Spec: the first stage — the bytes of a YAML spec → plain data with a position for every field.

Takes a file (or text named like one); gives a :class:`Spec`: plain ``dict``/``list`` data whose scalars are the
text the user typed (money is never a float), the map path → (line, column), and the source. Every problem is
a :class:`~contractgen.diagnostics.Diagnostic`; :func:`load_spec` raises :class:`~contractgen.errors.SpecError`
with all of them at once.

- :mod:`.loading`: :func:`load_spec` / :func:`read_spec`, size caps (:data:`LIMITS`), decoding;
- :mod:`.text_rules`: strict UTF-8, the characters a spec may not hold (controls, bidi, zero-width …);
- :mod:`.yaml_compose`: YAML composed from parser events — no anchors, aliases, tags, merge keys or duplicate
  keys, bounded in size and depth.

This stage must not validate against a schema, convert text to numbers or dates, or know what a field means.
"""

from contractgen.spec.loading import LIMITS, Limits, Spec, load_spec, read_spec
from contractgen.spec.yaml_compose import join_path

__all__ = ["LIMITS", "Limits", "Spec", "join_path", "load_spec", "read_spec"]
