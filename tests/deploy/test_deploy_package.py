"""kb.deploy keeps to what its docstring says: one concern a module, no module past about 600
lines, and imports of kb.urls (the build marker), kb.data and kb.text — nothing from MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest
from package_imports import docstring_problems, module_problems

from conftest import ROOT

PACKAGE = ROOT / "hooks" / "kb" / "deploy"
ALLOWED = ("kb.deploy", "kb.urls", "kb.data", "kb.text")


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.stem)
def test_module_keeps_to_the_package_docstring(module: Path) -> None:
    assert module_problems(module, ALLOWED) == []


def test_docstring_names_every_module_and_what_it_may_import() -> None:
    assert docstring_problems(PACKAGE, "May import kb.urls (the build marker") == []
