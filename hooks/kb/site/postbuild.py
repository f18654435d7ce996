"""Steps run on the finished site directory (search index, Word export, Excel tables …).

Each step is ``step(kb, settings, site_dir, cache) -> None``; :data:`STEPS` lists the
features' steps (this module, like :mod:`kb.site.pages`, is where they are registered). The steps run side by side (the search index mostly waits for Pagefind,
a separate process, while the Word files are written); a step that fails raises once
all have ended, and the build fails as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from kb import concurrency, search
from kb.data.model import KnowledgeBase
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.official import wordfiles
from kb.site import memory
from kb.upward import write_drafts
from kb.views import exports as view_exports

Step = Callable[[KnowledgeBase, SiteSettings, Path, BuildCache], None]
STEPS: list[Step] = [search.postbuild_step, wordfiles.write_word_files, view_exports.write_exports,
                     write_drafts]


def run(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path,
        cache: BuildCache | None = None) -> None:
    """Run every step; on a serve rebuild (``cache.rebuilding``) a worker thread runs them
    after the build has returned."""
    cache = cache or BuildCache()
    if cache.rebuilding:
        search.supersede()  # stop indexing the pages of the previous build
        cache.in_background(lambda: _run_steps(kb, settings, site_dir, cache))
        return
    # The steps' collections walk only what the steps make (kb.site.memory); a build also
    # gives the pages' memory back: Pagefind should not run beside it.
    if cache.serving:
        memory.settle()
    else:
        memory.release()
    _run_steps(kb, settings, site_dir, cache)


def _run_steps(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path, cache: BuildCache) -> None:
    concurrency.run_all([partial(step, kb, settings, site_dir, cache) for step in STEPS], "kb-step")
