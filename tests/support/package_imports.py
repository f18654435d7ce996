"""Does a kb package keep to its docstring? What its modules import (read with ``ast``,
nothing is executed), their size, and the modules its docstring names."""

from __future__ import annotations

import ast
from pathlib import Path

MAX_LINES = 600  # "no module past about 600 lines"
MKDOCS = {"mkdocs", "material"}


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


def _allowed(name: str, allowed: tuple[str, ...]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


def module_problems(path: Path, allowed: tuple[str, ...]) -> list[str]:
    """kb modules imported from outside ``allowed``, MkDocs imports, too many lines."""
    names = imported_modules(path)
    problems = [f"imports {name}" for name in sorted(names)
                if name.split(".")[0] == "kb" and name != "kb" and not _allowed(name, allowed)]
    problems += [f"imports {name}" for name in sorted(names) if name.split(".")[0] in MKDOCS]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    return problems + ([f"{lines} lines"] if lines > MAX_LINES else [])


def docstring_problems(package: Path, may_import: str) -> list[str]:
    """Modules of ``package`` its ``__init__`` does not name, and whether it says ``may_import``."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    dotted = f"kb.{package.name}"
    problems = [f"{dotted}.{m.stem} not named" for m in sorted(package.glob("*.py"))
                if m.stem != "__init__" and f"{dotted}.{m.stem}" not in doc]
    return problems + ([] if may_import in " ".join(doc.split()) else [f"no {may_import!r}"])
