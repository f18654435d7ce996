"""Official-format output of the reports (GB/T 9704-2012): Word export and print bundles.

* :mod:`kb.official.document` — a report as the sequence of parts of the official document.
* :mod:`kb.official.word` — :func:`export_report` writes it as .docx (python-docx).
* :mod:`kb.official.prose` — contributor Markdown as plain paragraphs and tables.
* :mod:`kb.official.publish` — the site side: the Word file of every report (post-build
  step), the links on report pages and the printable bundle pages per guidance group.

The print stylesheet is ``docs/assets/print.css``.
"""

from kb.official.word import export_report

__all__ = ["export_report"]
