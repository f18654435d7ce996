"""Contributors' tools: what turns a unit's report into a data file before the site is built.

Owns the Word import (:mod:`kb.contrib.docx`, one module per stage), the scaffold of a new
unit and its report outline (:mod:`kb.contrib.scaffold`, ``scripts/new_unit.py``), the
commented YAML writer both use (:mod:`kb.contrib.reportyaml`) and the reference data they
read from a data directory (:mod:`kb.contrib.reference`), and the intake of a whole folder
of reports with a roster (:mod:`kb.contrib.intake`, ``scripts/intake.py``), and the entries of
units.yml and a roster that a contributor's change touches (:mod:`kb.contrib.entries`,
``scripts/submit.py``). Problems they
report are :class:`kb.data.problems.Problem` records with rule ids registered in
:data:`kb.data.rules.IMPORT` and :data:`kb.data.rules.INTAKE`.

May import :mod:`kb.data` (loading, schema, problems, rules, confinement of writes) and
:mod:`kb.text`; nothing from the site build, the features (views, official, search), the
markup layer or deploy: the tools run without building a page. Nothing in kb imports
kb.contrib (only ``scripts/`` and the tests do).
"""
