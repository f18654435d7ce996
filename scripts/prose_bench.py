#!/usr/bin/env python3
"""Worst accepted prose against a clean build: ``scripts/prose_bench.py [--repeat K]``
(``make bench-prose``). The measurement is :mod:`benchkit.prose`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from benchkit.prose import FAMILIES, FIELD_LIMIT, main  # noqa: E402, F401 - FAMILIES, FIELD_LIMIT: tests

if __name__ == "__main__":
    sys.exit(main())
