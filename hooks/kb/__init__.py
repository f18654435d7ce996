"""Domain package of the report knowledge base.

Loads and validates the YAML data under ``data/``, builds the model and renders the
generated pages. Nothing here imports MkDocs, so scripts, tests and other site engines
reuse it; ``hooks/site.py`` is the only MkDocs-facing module.
"""
