"""MkDocs hook of the timed build (``benchkit.configs.timed``; never named in mkdocs.yml).

Listed after the project's ``hooks/site.py``: MkDocs loads every hook file before it
registers their event handlers, so wrapping the loaded site hook's handlers here (and the
project's registries) times exactly what the project's build does. The spans go to the
file named by ``KB_TIMINGS`` (see :mod:`benchkit.timings`); without it nothing is wrapped.
"""

from __future__ import annotations

import sys
from pathlib import Path

_SCRIPTS = Path(__file__).resolve().parent.parent
if str(_SCRIPTS) not in sys.path:  # MkDocs loads this file by path: make the kit importable
    sys.path.append(str(_SCRIPTS))

from benchkit import timings  # noqa: E402

timings.instrument_site()
