"""Prose rules (hooks/kb/data/checks/prose.py): which fields are Markdown, what is accepted and
what is refused (the fixture cases in tests/fixtures/bad/ cover file:line reporting)."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, load_script
from kb.data.checks import prose as prose_rules

SCHEMAS = DATA / "schema"


@pytest.mark.parametrize("kind", ["report", "campaign", "materials", "units", "groups"])
def test_markdown_marker_matches_the_descriptions(kind: str) -> None:
    """Every field documented as Markdown carries the marker the validator reads, and only those."""
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    described: set[tuple] = set()

    def walk(node: object, path: tuple) -> None:
        if isinstance(node, dict):
            if "支持 Markdown" in str(node.get("description", "")):
                described.add(path)
            for key, sub in (node.get("properties") or {}).items():
                walk(sub, (*path, key))
            if isinstance(node.get("items"), dict):
                walk(node["items"], (*path, "*"))

    walk(schema, ())
    assert prose_rules.markdown_paths(schema) == described


def test_report_prose_fields() -> None:
    schema = json.loads((SCHEMAS / "report.schema.json").read_text("utf-8"))
    paths = prose_rules.markdown_paths(schema)
    assert ("opening",) in paths
    assert ("highlights", "sections", "*", "points", "*", "text") in paths
    assert ("signature",) not in paths and ("ledger", "*", "problem") not in paths


@pytest.mark.parametrize("text", [
    "坚持“第一议题”制度，建立【问题清单】【整改清单】。",
    "详见[通知原文](https://www.example.gov.cn/a/b.html)。",
    "联系[办公室](mailto:office@example.gov.cn)。",
    "数组写法 \\[1, 2\\] 是文字。",
    "代码 `a[0]` 里成对的方括号可以。",
    "| 项目 | 数量 |\n|---|---|\n| 调研 | 6 |",
    "- 一级\n    - 二级\n        - 三级",
    "> 引用\n>> 二层引用",
    "[[[[最多四层]]]]",
    "[引用式][a]\n\n[a]: https://example.org/",
])
def test_accepted(text: str) -> None:
    assert prose_rules.check(text) == []


@pytest.mark.parametrize(("text", "rule"), [
    ("[" * 3000 + "]" * 3000, "prose-brackets"),
    ("[a]" * (prose_rules.MAX_BRACKETS + 1), "prose-brackets"),
    ("按[要求", "prose-brackets"),
    ("第一段[\n\n第二段]", "prose-brackets"),  # a bracket is matched within its paragraph only
    ("[a](../../../assets/kb.css)", "prose-link"),
    ("[a](/absolute/path)", "prose-link"),
    ("[a](#anchor)", "prose-link"),
    ("[a]()", "prose-link"),
    ("![图](a.png)", "prose-link"),
    ("[a](<../x y.md>)", "prose-link"),
    ("[a](https://example.org/" + "x" * prose_rules.MAX_TARGET, "prose-link"),
    (" " * (prose_rules.MAX_INDENT + 1) + "- 深", "prose-nesting"),
    ("\t" * 11 + "- 深", "prose-nesting"),
    ("> " * (prose_rules.MAX_QUOTE + 1) + "深", "prose-nesting"),
    ("- 字\n" * prose_rules.MAX_LINES, "prose-lines"),
    # Code is not exempt: where Markdown sees code is what a bypass plays with (review of issue 13).
    ("\\`" + "[" * 1996 + "`" + "字" * 100, "prose-brackets"),
    ("```\n" + "[" * 1995 + "字" * 100, "prose-brackets"),
    ("    ```\n" + "[" * 30, "prose-brackets"),
    ("`[x](../y)`", "prose-link"),
    ("```\n[x](../relative)\n```", "prose-link"),
    ("&amp;" * (prose_rules.MAX_MARKUP + 1), "prose-markup"),
    ("**重点**" * (prose_rules.MAX_MARKUP // 4 + 1), "prose-markup"),
])
def test_refused(text: str, rule: str) -> None:
    findings = prose_rules.check(text)
    assert rule in [f.rule.id for f in findings if not f.warning], findings
    assert all(any("\u4e00" <= c <= "\u9fff" for c in f.message) for f in findings)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/"])
def test_other_schemes_warn(url: str) -> None:
    [finding] = prose_rules.check(f"[a]({url})")
    assert finding.warning and finding.rule.id == "prose-link"


def test_bench_families_are_accepted_and_at_the_limits() -> None:
    """scripts/prose_bench.py measures texts the validator accepts, as long as a field may be."""
    bench = load_script("prose_bench")
    schema = json.loads((SCHEMAS / "report.schema.json").read_text("utf-8"))
    lengths = {node.get("maxLength") for node in _markdown_nodes(schema)}
    assert lengths == {bench.FIELD_LIMIT}
    for name, make in bench.FAMILIES.items():
        text = make()
        assert [f for f in prose_rules.check(text) if not f.warning] == [], name
        assert bench.FIELD_LIMIT - 5 <= len(text) <= bench.FIELD_LIMIT, name


def _markdown_nodes(node: object) -> list[dict]:
    if not isinstance(node, dict):
        return []
    found = [node] if node.get("contentMediaType") == prose_rules.MARKDOWN_TYPE else []
    for sub in (node.get("properties") or {}).values():
        found += _markdown_nodes(sub)
    return found + _markdown_nodes(node.get("items"))
