#!/usr/bin/env python3
"""The intake measured: ``scripts/intake_bench.py [--sizes 200 1000] [--jobs N]``
(``make bench-intake``). The measurement is :mod:`benchkit.intake_bench`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from benchkit.intake_bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
