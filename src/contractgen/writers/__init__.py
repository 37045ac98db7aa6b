"""Writers: the document tree (:mod:`contractgen.document`) as files.

- :mod:`contractgen.writers.docx`: the tree written into the Word house template (python-docx for the body,
  docxtpl for the template's own placeholders), zipped reproducibly;
- :mod:`contractgen.writers.html`: the tree as HTML; :mod:`contractgen.writers.pdf`: that HTML and the print
  CSS
  through WeasyPrint, with a locked URL fetcher and a check of the embedded fonts;
- :mod:`contractgen.writers.ooxml`: zip and XML hygiene shared by every DOCX written or read.

Writers never change wording: every character they print comes from the tree (or from the template folder's
own assets: header, footer, styles). They import their heavy libraries themselves, so ``import contractgen``
stays light.
"""
