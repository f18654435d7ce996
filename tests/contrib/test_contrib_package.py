"""kb.contrib keeps to what its docstrings say: no module past about 600 lines, imports of
kb.data and kb.text only (nothing from the site build, the features, markup, deploy or
MkDocs), every module named, and nothing else in kb imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from package_imports import docstring_problems, imported_modules, module_problems

from conftest import ROOT

KB = ROOT / "hooks" / "kb"
PACKAGE = KB / "contrib"
DOCX = PACKAGE / "docx"
ALLOWED = ("kb.contrib", "kb.data", "kb.text")


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_keeps_to_the_package_docstring(module: Path) -> None:
    assert module_problems(module, ALLOWED) == []


def test_docstring_names_every_module_and_what_it_may_import() -> None:
    assert docstring_problems(PACKAGE, "May import :mod:`kb.data`") == []


def test_the_docx_docstring_names_every_stage() -> None:
    doc = ast.get_docstring(ast.parse((DOCX / "__init__.py").read_text(encoding="utf-8"))) or ""
    unnamed = [m.stem for m in sorted(DOCX.glob("*.py"))
               if m.stem != "__init__" and f":mod:`.{m.stem}`" not in doc and f"docx.{m.stem}." not in doc]
    assert unnamed == []


def test_nothing_else_in_kb_imports_contrib() -> None:
    for module in sorted(KB.rglob("*.py")):
        if PACKAGE in module.parents:
            continue
        names = imported_modules(module)
        assert not [n for n in names if n == "kb.contrib" or n.startswith("kb.contrib.")], module
