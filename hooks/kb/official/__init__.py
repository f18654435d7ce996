"""Official-format output of the reports (GB/T 9704-2012): Word export and print bundles.

* :mod:`kb.official.document` — a report as the sequence of parts of the official document.
* :mod:`kb.official.word` — :func:`export_report` writes it as .docx (python-docx).
* :mod:`kb.official.prose` — contributor Markdown as plain paragraphs and tables.
* :mod:`kb.official.downloads` — the Word file of every report next to its page (a
  post-build step) and the links on report pages.
* :mod:`kb.official.bundle` — the printable bundle pages, one per guidance group and campaign.

The print stylesheet is ``docs/assets/print.css``.
"""

from kb.official.word import export_report

__all__ = ["export_report"]
