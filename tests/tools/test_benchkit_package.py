"""scripts/benchkit keeps to its docstring: every module named there, none past about 600
lines, and the kit stays out of the project's build (nothing in hooks/ imports it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import HOOKS, ROOT

KIT = ROOT / "scripts" / "benchkit"
MAX_LINES = 600


def _modules() -> list[Path]:
    return sorted(p for p in KIT.rglob("*.py") if p.name != "__init__.py")


def _dotted(path: Path) -> str:
    return ".".join(("benchkit", *path.relative_to(KIT).with_suffix("").parts))


@pytest.mark.parametrize("module", _modules(), ids=_dotted)
def test_module_is_named_in_the_kit_docstring_and_small(module):
    doc = ast.get_docstring(ast.parse((KIT / "__init__.py").read_text("utf-8"))) or ""
    top = ".".join(_dotted(module).split(".")[:2])  # benchkit.synth.units → benchkit.synth
    assert re.search(rf"{re.escape(top)}(?![\w])", doc), f"{top} not named"
    assert len(module.read_text("utf-8").splitlines()) <= MAX_LINES


def test_the_docstring_says_what_the_kit_may_import():
    doc = " ".join((ast.get_docstring(ast.parse((KIT / "__init__.py").read_text("utf-8"))) or "").split())
    assert "May import anything" in doc and "Nothing in ``hooks/kb`` imports it" in doc


def test_nothing_in_hooks_imports_the_kit():
    for path in HOOKS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "benchkit" for n in names), path
