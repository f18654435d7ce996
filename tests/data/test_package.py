"""The shape of the data package (hooks/kb/data): what its modules may import and how long
they may grow (its docstring and the issue-14 layout rules)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import HOOKS

PACKAGE = HOOKS / "kb" / "data"
MODULES = sorted(PACKAGE.rglob("*.py"))
ALLOWED = ("kb.data", "kb.text", "kb.urls")  # the layer below is all the data may use
MAX_LINES = 600


def kb_imports(path: Path) -> set[str]:
    """Every ``kb…`` module ``path`` imports (at any place in the file)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "kb" or name.startswith("kb.")}


def name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_imports_stay_in_the_data_layer(path: Path) -> None:
    outside = {m for m in kb_imports(path) if not m.startswith(ALLOWED) and m != "kb"}
    assert outside == set(), f"{name(path)} imports {outside}"
    if path.parent.name == "checks":  # checks are run by load; they never reach for it or the model
        assert not {m for m in kb_imports(path) if m.startswith(("kb.data.load", "kb.data.model"))}


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_modules_stay_short(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES, name(path)
