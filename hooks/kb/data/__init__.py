"""The data: read, check and model the YAML data files of one data folder.

Owns everything between the files under ``data/`` and the typed model the pages use:

- reading safely: :mod:`~kb.data.confine` (no symlinks or special files, atomic writes),
  :mod:`~kb.data.yamltext` (raw bytes, line pre-scan, parser errors in Chinese) and
  :mod:`~kb.data.yamlsafe` (the position-aware YAML loader);
- the JSON Schemas: :mod:`~kb.data.schema` (loading, compiling, the fast check, the
  enumerations, the modeline), :mod:`~kb.data.messages` (schema errors in Chinese) and
  :mod:`~kb.data.ids` (the id rule) and :mod:`~kb.data.deadlines` (ledger deadlines and
  statuses as people write them: 2023年12月底 → 2023-12-31, 已整改 → 已完成);
- the validator: :mod:`~kb.data.load` (``load_and_validate``: every file, in worker
  processes when there are many reports) and :mod:`~kb.data.checks` (what a schema cannot
  express, one module per concern);
- problems: :mod:`~kb.data.problems` (one ``Problem`` record, levels 错误/警告/提示, the
  text, GitHub and GitLab formats) and :mod:`~kb.data.rules` (the registry of rule ids);
- the model: :mod:`~kb.data.raw` (the loaded files) and :mod:`~kb.data.model`
  (``KnowledgeBase``, built from them with the schema enumerations and the notices).

The layer above the bottom: it may import :mod:`kb.text` and :mod:`kb.urls` and nothing
else of ``kb`` (no markup, features, site or tools), and nothing from MkDocs.
"""
