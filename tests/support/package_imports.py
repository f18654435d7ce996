"""What a module imports, read with ``ast`` (nothing is executed): for the tests that hold a
package to what its docstring says it may import."""

from __future__ import annotations

import ast
from pathlib import Path


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports; ``from kb import text`` gives ``kb.text``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names
                         if node.module == "kb")
    return names


def outside(names: set[str], allowed: tuple[str, ...]) -> list[str]:
    """The kb modules in ``names`` that are not ``allowed`` (a package allows its modules)."""
    return sorted(name for name in names if name.split(".")[0] == "kb" and name != "kb"
                  and not any(name == a or name.startswith(a + ".") for a in allowed))


def mkdocs_imports(names: set[str]) -> list[str]:
    return sorted(name for name in names if name.split(".")[0] in {"mkdocs", "material"})
