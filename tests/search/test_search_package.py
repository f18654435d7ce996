"""kb.search keeps to what its docstring says: one concern a module, no module past about 600
lines, and imports of kb.markup, kb.data, kb.text and kb.concurrency only — never the site
layer, another feature, a tool, or MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest
from package_imports import imported_modules, mkdocs_imports, outside

from conftest import ROOT

PACKAGE = ROOT / "hooks" / "kb" / "search"
MODULES = sorted(PACKAGE.glob("*.py"))
ALLOWED = ("kb.search", "kb.markup", "kb.data", "kb.text", "kb.concurrency")
MAX_LINES = 600


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.stem)
def test_imports_stay_inside_the_allowed_layers(module: Path) -> None:
    names = imported_modules(module)
    assert outside(names, ALLOWED) == []
    assert mkdocs_imports(names) == []


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.stem)
def test_module_is_small(module: Path) -> None:
    assert len(module.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_package_docstring_names_every_module_and_what_it_may_import() -> None:
    doc = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    for module in MODULES:
        if module.stem != "__init__":
            assert f"kb.search.{module.stem}" in doc, module.stem
    assert "May import kb.markup, kb.data, kb.text and kb.concurrency" in doc
