"""Every rule id a problem can carry, with its level and a Chinese title for contributors.

One registry for the validator, the YAML loader, the schema messages and the Word import:
a :class:`~kb.data.problems.Problem` names its ``rule`` by an id listed here, and
``data/README.md`` lists them all (a test keeps code, registry and list in step). Ids are
kebab-case and stable: CI annotations and GitLab code-quality fingerprints use them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.data.problems import ERROR, INFO, WARNING


@dataclass(frozen=True)
class Rule:
    """A kind of problem: its id, its usual level and what it checks (Chinese)."""

    id: str
    level: str
    title: str


def _table(*rules: Rule) -> dict[str, Rule]:
    table = {rule.id: rule for rule in rules}
    assert len(table) == len(rules), "duplicate rule id"
    return table


# ----------------------------------------------------------- validation (data files)
VALIDATION = _table(
    Rule("symlink", ERROR, "符号链接：不读取、不发布"),
    Rule("special-file", ERROR, "设备、管道或套接字：不读取"),
)

# ----------------------------------------------------------------- Word import
IMPORT = _table()

RULES: dict[str, Rule] = {**VALIDATION, **IMPORT}
LEVELS = (ERROR, WARNING, INFO)
