"""What a guidance group sends upward (issue 17): 共性问题, 典型做法 and a drafted summary.

A feature composed of two others, so a layer of its own between the site and the
features: it reads the dashboard's figures from :mod:`kb.views` (the drafts must say the
same numbers) and writes Word files with :mod:`kb.official.word` (the same official
layout). Registered in :mod:`kb.site.pages` and :mod:`kb.site.postbuild`.

- :mod:`kb.upward.similarity` — character n-gram TF-IDF, alike pairs by an inverted
  index (never all pairs), centroid-linkage groups;
- :mod:`kb.upward.grouping` — 共性问题: problems and ledger problems grouped by meaning;
- :mod:`kb.upward.practices` — 典型做法: the most distinctive highlight practices;
- :mod:`kb.upward.summary` — one campaign or guidance group with every figure of its draft;
- :mod:`kb.upward.drafts` — the drafted summary as .docx (post-build step);
- :mod:`kb.upward.producer` — the pages (PRODUCERS).
"""

from kb.upward.drafts import write_drafts
from kb.upward.producer import upward_pages

__all__ = ["upward_pages", "write_drafts"]
