"""Writers: the document tree (:mod:`contractgen.document.tree`) as files — and :func:`render`, spec to files.

Takes a contract (or specs, through :func:`render`); gives DOCX and PDF bytes, written into the output folder
atomically.

- :mod:`contractgen.writers.rendering`: :func:`render` — load, compose, write, place;
  :mod:`contractgen.writers.batch_rendering`: :func:`render_batch`, each spec on its own, in worker processes;
- :mod:`contractgen.writers.output`: atomic, locked writes into the output folder and safe file names;

- :mod:`contractgen.writers.docx`: the tree written into the Word house template (python-docx for the body,
  docxtpl for the template's own placeholders), zipped reproducibly;
- :mod:`contractgen.writers.html`: the tree as HTML; :mod:`contractgen.writers.pdf`: that HTML and the print
  CSS
  through WeasyPrint, with a locked URL fetcher and a check of the embedded fonts;
- :mod:`contractgen.writers.ooxml`: zip and XML hygiene shared by every DOCX written or read;
- :mod:`contractgen.writers.user_template`: a user's own Word template filled under the same guarantees, checked
  by :mod:`contractgen.writers.user_docx_checks` (zip bombs, damaged members, anything Word would fetch);
- :mod:`contractgen.writers.file_names`, :mod:`contractgen.writers.output_records`: one file name per contract
  number, and which spec made each output;
- :mod:`contractgen.writers.fonts`: the fonts, resolved through fontconfig, and their glyph coverage;
  :mod:`contractgen.writers.environment`: what ``contractgen doctor`` checks.

Writers never change wording: every character they print comes from the tree (or from the template folder's
own assets: header, footer, styles). They import their heavy libraries themselves, so ``import contractgen``
stays light. This stage must not validate, must not read the clock (dates come from the spec or
``SOURCE_DATE_EPOCH``), and must never leave a half-written file in place of a finished one.
"""

from contractgen.writers.batch_rendering import RenderReport, render_batch
from contractgen.writers.rendering import FORMATS, RenderResult, render, render_documents

__all__ = ["FORMATS", "RenderReport", "RenderResult", "render", "render_batch", "render_documents"]
