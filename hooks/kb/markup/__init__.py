"""What every page producer uses: the Jinja2 templates and their filters, the generated
page record and its HTML fragments, the site settings (:mod:`kb.markup.render`), contributor
prose rendered to safe HTML (:mod:`kb.markup.prose`), the two allow-lists
(:mod:`kb.markup.safety`) and the build's cache object (:mod:`kb.markup.cache`).

Below the features (views, official, search) and above the data: it may import
:mod:`kb.data`, :mod:`kb.urls` and :mod:`kb.text`, nothing else of ``kb``.
"""
