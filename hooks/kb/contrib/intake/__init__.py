"""The intake: a folder of reports and a roster of units become data files in one command.

``scripts/intake.py INBOX [--roster FILE] [--campaign ID] …`` is built from these modules:

- :mod:`kb.contrib.intake.roster` reads the roster (.xlsx or .csv in UTF-8, UTF-8 with BOM or GBK)
- :mod:`kb.contrib.intake.ids` makes unit ids from pinyin initials in the style of the existing ones
- :mod:`kb.contrib.intake.register` plans and writes the new units and the campaign roster entries
- :mod:`kb.contrib.intake.convert` tells a file's format by its content and converts .doc/.wps/.odt/.rtf with LibreOffice
- :mod:`kb.contrib.intake.pdftext` turns a PDF's text layer into a .docx whose outline the importer recognises
- :mod:`kb.contrib.intake.pdftables` rebuilds a PDF's tables from its words' positions (wrapped cells merged)
- :mod:`kb.contrib.intake.match` decides which unit a file belongs to (text, file name, fuzzy roster match)
- :mod:`kb.contrib.intake.staging` validates each data file before it reaches ``data/`` and holds back
  those with errors in the inbox's review folder ``intake-review/``
- :mod:`kb.contrib.intake.run` takes every file of the inbox through copy, conversion, import, matching and writing
- :mod:`kb.contrib.intake.summary` lays out the outcome per file for the terminal and ``intake-report.md``,
  and as the pipeline's annotations (GitHub workflow commands, GitLab code quality)

Problems are :class:`kb.data.problems.Problem` records with rule ids registered in
:data:`kb.data.rules.INTAKE`. Like the rest of :mod:`kb.contrib` it may import only
:mod:`kb.data` and :mod:`kb.text`.
"""
