#!/usr/bin/env python3
"""Pre-commit check after a shared data file changed: ``scripts/precommit_data.py``.

units.yml, a campaign, groups or materials can break any report, so every report is
checked — but only the reports git knows about (``git ls-files data/reports``). An
untracked draft lying in ``data/reports/`` is not part of the commit and must not block
it (pre-commit sets unstaged changes of tracked files aside itself). Runs
``scripts/validate.py`` on those files; exit status and output are the validator's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VALIDATE = REPO / "scripts" / "validate.py"


def tracked_reports(repo: Path) -> list[str]:
    """Report files in git's index, relative to ``repo``."""
    listing = subprocess.run(["git", "ls-files", "-z", "--", "data/reports"], cwd=repo,
                             capture_output=True, check=True).stdout
    names = [name for name in listing.decode("utf-8", "surrogateescape").split("\0") if name]
    return [name for name in names if name.endswith((".yml", ".yaml")) and (repo / name).is_file()]


def main() -> int:
    # A shared file as the first path makes the validator check the shared files even
    # when no report is tracked yet; the reports are checked in addition to them.
    paths = ["data/units.yml", *tracked_reports(REPO)]
    return subprocess.run([sys.executable, str(VALIDATE), *paths], cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main())
