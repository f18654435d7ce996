"""Official-format output of the reports (GB/T 9704-2012): Word export and print bundles.

* :mod:`kb.official.document` — a report as the sequence of parts of the official document.
* :mod:`kb.official.word` — :func:`export_report` writes it as .docx (python-docx).
* :mod:`kb.official.prose` — contributor Markdown as plain paragraphs and tables.
* :mod:`kb.official.downloads` — what a report page says of its Word file (names, bundle place).
* :mod:`kb.official.wordfiles` — the post-build step writing each report's .docx next to its page.
* :mod:`kb.official.bundle` — the printable bundle pages, one per guidance group and campaign.

The print stylesheet is ``docs/assets/print.css``. A feature package: it may import
:mod:`kb.markup`, :mod:`kb.data`, :mod:`kb.urls` and :mod:`kb.text`, not the site layer
nor the other features; :mod:`kb.site.pages` and :mod:`kb.site.postbuild` register its
producer, report extras and post-build step.
"""

from kb.official.word import export_report

__all__ = ["export_report"]
