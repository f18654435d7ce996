"""Full-text search: a Pagefind index of the built site, written into ``<site>/pagefind/``.

Runs after MkDocs wrote the site (registered in :mod:`kb.site.postbuild`, so ``mkdocs build``
and ``mkdocs serve`` both rebuild it). Records, not whole pages, are indexed. The package
owns, from the page to the index:

- :mod:`~kb.search.extract` reads a built page into sections (Pagefind's attributes kept);
- :mod:`~kb.search.tokens` writes Chinese text as overlapping bigrams (``search.js`` is its twin);
- :mod:`~kb.search.records` cuts pages into records (one per report section, one per study
  material) and writes each as the small HTML document Pagefind indexes;
- :mod:`~kb.search.runner` runs Pagefind on those documents in shards, in a background
  thread, and swaps the finished index into place (:func:`index_site`);
- :mod:`~kb.search.merge` joins consecutive shards into few indexes (a query loads one
  metadata file and one chunk per word of each index, not of each shard);
- :mod:`~kb.search.reproducible` rewrites Pagefind's order-unstable filter files, read and
  written with :mod:`~kb.search.cbor`, so a build is byte for byte reproducible.

The public API below is what the site layer (:mod:`kb.site.postbuild`) and the benchmark kit
use. May import kb.markup, kb.data, kb.text, kb.urls and kb.concurrency; never kb.site, kb.views,
kb.official, kb.contrib, kb.deploy, and nothing from MkDocs. The browser side is
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
