"""Where the kit finds the project: the repository, its ``hooks`` and ``scripts`` folders,
the venv's executables. The one place that climbs from this file to the repository."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
HOOKS = REPO / "hooks"
SCRIPTS = REPO / "scripts"
MKDOCS_YML = REPO / "mkdocs.yml"
BIN = Path(sys.executable).parent  # the venv the bench runs in
