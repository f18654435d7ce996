#!/usr/bin/env python3
"""Scale benchmark: ``scripts/bench.py [--units N ...]`` (``make bench``, default N = 1000).

The measurement is :mod:`benchkit.bench`; ``--help`` lists the options.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from benchkit.bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
