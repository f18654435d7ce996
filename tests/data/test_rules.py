"""The rule registry (kb.data.rules): every problem the data layer builds names a registered
rule, every registered validation rule is used, and data/README.md lists exactly them.

The data layer builds problems only through a :class:`~kb.data.rules.Rule`
(``Problem.of(rules.X, …)`` or the checks' collector with ``rule=rules.X``), and rules are
made only in kb/data/rules.py; the source scan below keeps it that way. The fixture cases
(tests/data/test_load.py) check the same from the outside on every bad input.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import HOOKS, ROOT
from kb.data import rules
from kb.data.problems import LEVEL_ZH

DATA_LAYER = HOOKS / "kb" / "data"
SOURCES = sorted(p for p in DATA_LAYER.rglob("*.py") if p.name not in ("rules.py", "problems.py"))
README = ROOT / "data" / "README.md"
CJK = re.compile(r"[\u4e00-\u9fff]")


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def registry_constants() -> dict[str, rules.Rule]:
    return {name: value for name, value in vars(rules).items() if isinstance(value, rules.Rule)}


def test_every_rule_constant_is_registered_under_its_own_name() -> None:
    constants = registry_constants()
    validation = {name: rule for name, rule in constants.items() if rule.id in rules.VALIDATION}
    assert sorted(r.id for r in validation.values()) == sorted(rules.VALIDATION)
    for name, rule in validation.items():
        assert name == rule.id.upper().replace("-", "_"), name
        assert rules.VALIDATION[rule.id] is rule
    for rule in constants.values():
        assert rules.RULES[rule.id] is rule, rule.id


@pytest.mark.parametrize("rule", rules.VALIDATION.values(), ids=list(rules.VALIDATION))
def test_rules_are_kebab_case_with_a_level_and_a_chinese_title(rule: rules.Rule) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.id)
    assert rule.level in rules.LEVELS
    assert CJK.search(rule.title) and "|" not in rule.title


def calls(node: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(DATA_LAYER).as_posix())
def test_problems_are_built_through_a_registered_rule(path: Path) -> None:
    """No ``Problem(…)`` or ``Rule(…)`` built by hand, no rule id written as text, and
    every ``rules.X`` the module names exists in the registry."""
    module = tree(path)
    for call in calls(module):
        name = call.func.id if isinstance(call.func, ast.Name) else ""
        assert name not in ("Problem", "Rule"), f"{path.name}:{call.lineno}: {name}(…) built by hand"
        for keyword in call.keywords:
            if keyword.arg == "rule":
                assert not isinstance(keyword.value, ast.Constant), f"{path.name}:{call.lineno}: rule as text"
        if isinstance(call.func, ast.Attribute) and call.func.attr == "of" and call.args:
            assert not isinstance(call.args[0], ast.Constant), f"{path.name}:{call.lineno}: rule as text"
    for node in ast.walk(module):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "rules":
            assert isinstance(getattr(rules, node.attr, None), rules.Rule), f"{path.name}:{node.lineno}: rules.{node.attr}"


def test_every_validation_rule_is_used_by_the_data_layer() -> None:
    used = {
        node.attr
        for path in SOURCES
        for node in ast.walk(tree(path))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "rules"
    }
    unused = {rule.id for name, rule in registry_constants().items() if rule.id in rules.VALIDATION and name not in used}
    assert unused == set()


def readme_table() -> list[tuple[str, str, str]]:
    """The rows of the table under “## 校验规则” in data/README.md."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## 校验规则", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    return [(rule.strip("`"), level, title) for rule, level, title in cells]


def test_readme_lists_exactly_the_validation_rules() -> None:
    expected = [(r.id, LEVEL_ZH[r.level], r.title) for r in rules.VALIDATION.values()]
    assert readme_table() == expected


def import_table() -> list[tuple[str, str, str]]:
    """The rows of the table under “## 导入规则” in data/README.md."""
    section = README.read_text(encoding="utf-8").split("\n## 导入规则", 1)[1].split("\n## ", 1)[0]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in section.splitlines() if row.startswith("| `")]
    return [(rule.strip("`"), level, title) for rule, level, title in cells]


def test_readme_lists_exactly_the_import_and_intake_rules() -> None:
    expected = [(r.id, LEVEL_ZH[r.level], r.title) for r in {**rules.IMPORT, **rules.INTAKE}.values()]
    assert import_table() == expected


TOOL_SOURCES = sorted(
    [p for p in (HOOKS / "kb").rglob("*.py") if p != DATA_LAYER / "rules.py"]
    + list((ROOT / "scripts").rglob("*.py"))
)


@pytest.mark.parametrize("path", TOOL_SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_rule_id_is_written_as_text(path: Path) -> None:
    """Code names rules by their registry constants (``rules.PLACEHOLDER.id``), never by text."""
    ids, module = set(rules.RULES), tree(path)
    # A hyphenated id anywhere (schema-max-length …) is a rule written as text; a one-word id
    # (roster, layout) is also a data key, so it counts only where it is compared with ``.rule``.
    texts = [node for node in ast.walk(module) if isinstance(node, ast.Constant)
             and isinstance(node.value, str) and node.value in ids and "-" in node.value]
    for compare in (n for n in ast.walk(module) if isinstance(n, ast.Compare)):
        sides = [compare.left, *compare.comparators]
        if any(isinstance(s, ast.Attribute) and s.attr == "rule" for s in sides):
            texts += [s for s in sides if isinstance(s, ast.Constant) and s.value in ids]
    assert [f"{path.name}:{node.lineno}: {node.value!r}" for node in texts] == []
