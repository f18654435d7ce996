"""kb.contrib imports only what its package docstring allows (kb.data, kb.text), and nothing
else in kb imports it."""

from __future__ import annotations

import grimp

ALLOWED = ("kb.contrib", "kb.data", "kb.text")


def test_contrib_imports_only_data_and_text():
    graph = grimp.build_graph("kb", cache_dir=None)
    for module in sorted(m for m in graph.modules if m.startswith("kb.contrib")):
        for imported in graph.find_modules_directly_imported_by(module):
            assert any(imported == p or imported.startswith(p + ".") for p in ALLOWED), f"{module} imports {imported}"


def test_nothing_in_kb_imports_contrib():
    graph = grimp.build_graph("kb", cache_dir=None)
    for module in sorted(m for m in graph.modules if not m.startswith("kb.contrib")):
        imported = graph.find_modules_directly_imported_by(module)
        assert not any(i == "kb.contrib" or i.startswith("kb.contrib.") for i in imported), module
