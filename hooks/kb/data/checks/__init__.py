"""Checks of the data that a JSON Schema cannot express, one module per concern.

- :mod:`~kb.data.checks.files`: layout, file and folder names, the modeline, YAML 1.1 integers;
- :mod:`~kb.data.checks.refs`: the ids every file defines and every reference between files;
- :mod:`~kb.data.checks.report`: a report against its campaign (figures, materials,
  the 整改台账, dates);
- :mod:`~kb.data.checks.text`: template blanks left in any text, numbering the page adds;
- :mod:`~kb.data.checks.prose`: links and pathological Markdown in prose fields.

Each check adds problems to the run's :class:`~kb.data.checks.base.Collector` through a
registered rule (:mod:`kb.data.rules`); none raises on malformed data. :mod:`kb.data.load`
runs them; they may import the rest of :mod:`kb.data` (not load or model) and :mod:`kb.text`.
"""
