"""The benchmark kit: everything that measures the project, nothing the site needs.

Owns:

* the scale benchmark (``make bench``): :mod:`~benchkit.bench` (the command: sizes and
  rounds), :mod:`~benchkit.builds` (the timed full and floor builds, ``validate.py``),
  :mod:`~benchkit.floor` (the same pages as plain Markdown), :mod:`~benchkit.processes`
  (wall time, CPU and memory of a process tree), :mod:`~benchkit.targets` (the targets of
  issues 8 and 3), :mod:`~benchkit.results` (the tables and the 性能 page, from
  ``templates/performance.md.j2``);
* per-phase timings: :mod:`~benchkit.timings` (spans and phases) recorded by
  :mod:`~benchkit.timing_hook`, a second MkDocs hook named only in the config
  :mod:`~benchkit.configs` derives from mkdocs.yml for timed builds;
* browser measures: :mod:`~benchkit.benchweb` (search payload, the edit-to-screen time under
  serve), :mod:`~benchkit.search_bench` (our search against Material's),
  :mod:`~benchkit.relevance` (the search relevance suite: seeded phrases and their ranks), with
  :mod:`~benchkit.chromium` (Chromium's path and arguments, shared with the browser tests);
* synthetic data folders: :mod:`~benchkit.synth`;
* the worst accepted prose against a clean build (``make bench-prose``): :mod:`~benchkit.prose`;
* the intake measured (``make bench-intake``): our Word export of N synthetic reports taken in
  by ``scripts/intake.py``, compared with the originals: :mod:`~benchkit.intake_bench`;
* two commits in one run (build time over the floor, same site at scale): :mod:`~benchkit.compare`;
* the upward material (共性问题 grouping, 典型做法, drafted summaries) timed and its grouping scored
  on the generator's paraphrase families: :mod:`~benchkit.upward_bench`;
* :mod:`~benchkit.paths`: where the repository, ``hooks/`` and the venv are.

May import anything (the ``kb`` package, MkDocs, Playwright). Nothing in ``hooks/kb`` imports
it (an import-linter contract in ``make lint``); tests may. The commands are thin entries
in ``scripts/`` (bench.py, prose_bench.py, search_bench.py, intake_bench.py) that put ``hooks/`` on the path.
"""
