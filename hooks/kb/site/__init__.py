"""The build pipeline, engine-independent: load and validate the data, model it, generate
every page in memory, run the post-build steps. ``hooks/site.py`` (the MkDocs adapter)
calls these modules from MkDocs events; another engine would call the same ones.

* :mod:`kb.site.build` — data folder, settings, load + validate, the build marker, the
  symlink check of the sources;
* :mod:`kb.site.pages` — the composition root: the list of producers (core pages, views,
  print bundles), report extras and home-page links of the features;
* :mod:`kb.site.postbuild` — post-build steps (search index, Word files) side by side;
* :mod:`kb.site.incremental` — ``mkdocs serve``'s caches behind one object
  (:class:`~kb.site.incremental.ServeCache`), quick rebuilds, background steps;
* :mod:`kb.site.memory` — freeing memory between the pages and the post-build steps.

The top of the domain layers below the tools: it may import the features
(:mod:`kb.views`, :mod:`kb.official`, :mod:`kb.search`) and everything below them.
"""
