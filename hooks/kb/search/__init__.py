"""Full-text search: a Pagefind index of the built site, written into ``<site>/pagefind/``.

Runs after MkDocs wrote the site (registered in :mod:`kb.site.postbuild`, so ``mkdocs build``
and ``mkdocs serve`` both rebuild it). Records, not whole pages, are indexed:

- every built page is read (:mod:`kb.search.extract`) and cut into its head and one
  record per ``<h2 id>`` section, so a report gives one record per part (亮点做法, 存在的问题,
  下步打算, 整改台账) with the URL of that part (``…/#problems``) and the 报告部分 filter;
- every study material is a record of its own (``materials/#<id>``) with the 材料类别
  filter; the materials page itself is not indexed twice.

Records are handed to Pagefind as small HTML documents whose text is in the bigram
encoding of :mod:`kb.search.tokens` (language ``und``: Pagefind's own segmenter stays
out), with the readable title, section and filter values as metadata. Headings keep
their ids, so Pagefind's sub-results point at the matching （一）（二） subsection.
Pages that declare no filter (home, campaign tables, data views) are weighted low and
indexed by their headings and first words only. A large site is indexed in shards
(:func:`index_site`) that the browser merges. The browser side is
``docs/assets/search.js``; ``scripts/search_bench.py`` measures it all.
"""

from __future__ import annotations

from pathlib import Path

from kb.data.model import KnowledgeBase
from kb.markup.render import SiteSettings
from kb.search.records import FILTERS
from kb.search.runner import (
    RUNS,
    SHARD_WORDS,
    IndexStats,
    IndexSuperseded,
    SearchIndexError,
    index_site,
    supersede,
)

__all__ = ["FILTERS", "RUNS", "SHARD_WORDS", "IndexStats", "IndexSuperseded", "SearchIndexError",
           "index_site", "postbuild_step", "supersede"]


def postbuild_step(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path,
                   cache: object = None) -> None:
    """Post-build step: write the search index next to the pages (nothing to cache)."""
    try:
        index_site(site_dir, kb)
    except IndexSuperseded:  # a newer build indexes the site again
        return
