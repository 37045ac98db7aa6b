"""Document: a valid spec → the contract model → derived values → one document tree, from the type's templates.

Takes a spec that passed :mod:`contractgen.validation`; gives a :class:`~contractgen.document.tree.Document` —
parts (contract, sections, annexes) of headings, paragraphs, numbered clauses, tables and signature blocks —
that every writer prints without changing a word.

- :mod:`.model`, :mod:`.build`: the typed, frozen :class:`Contract` (money as ``Decimal``), built only from valid
  data; :mod:`.loading`: :func:`load_contract`, validation and building in one call;
- :mod:`.context`: the values the templates print — 大写 amounts, Chinese dates and rates, schedules, the annex
  list — computed in Python, never in templates;
- :mod:`.templates`: a type's template folder and the sandboxed Jinja environment; :mod:`.markup`: the rendered
  markup parsed into the tree; :mod:`.compose`: the whole document;
- :mod:`.tree`: the node types.

This stage must not know any file format, must not read the clock, and must not name a contract type.
"""

from contractgen.document.compose import compose
from contractgen.document.context import build_context
from contractgen.document.loading import load_contract
from contractgen.document.model import Contract
from contractgen.document.templates import TemplateFolder
from contractgen.document.tree import Document

__all__ = ["Contract", "Document", "TemplateFolder", "build_context", "compose", "load_contract"]
