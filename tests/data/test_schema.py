"""The JSON Schemas: well-formed, documented in Chinese, in step with data/README.md, and
translated into Chinese problems; the fast check never accepts what jsonschema refuses."""

from __future__ import annotations

import copy
import json
import math
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from kb.data import schema as schemas
from kb.data.ids import ID_PATTERN
from kb.data.yamlsafe import load_yaml, parse_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "data" / "schema"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
README_KINDS = ["groups", "units", "materials", "campaign", "report"]  # order of the examples
CJK = re.compile(r"[\u4e00-\u9fff]")
MAPS = {("report", "figures")}  # objects whose keys are data, not fields


def load(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def walk(node: Any, path: tuple = ()) -> Any:
    """(path, subschema) of every subschema that describes a value."""
    if not isinstance(node, dict):
        return
    yield path, node
    for name, sub in node.get("properties", {}).items():
        yield from walk(sub, path + (name,))
    if isinstance(node.get("items"), dict):
        yield from walk(node["items"], path + ("[]",))
    if isinstance(node.get("additionalProperties"), dict):
        yield from walk(node["additionalProperties"], path + ("*",))


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_schema_is_valid_2020_12_with_id(kind: str) -> None:
    schema = load(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{kind}.schema.json")


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_every_field_is_documented_in_chinese_and_closed(kind: str) -> None:
    for path, node in walk(load(kind)):
        where = f"{kind}: {'.'.join(path) or '(root)'}"
        assert CJK.search(node.get("title", "")), f"{where} has no Chinese title"
        assert CJK.search(node.get("description", "")), f"{where} has no Chinese description"
        if node.get("type") == "object" and (kind, path[-1] if path else "") not in MAPS:
            assert node.get("additionalProperties") is False, f"{where} allows unknown fields"
        if "pattern" in node:
            assert CJK.search(node.get("patternErrorMessage", "")), f"{where} pattern has no Chinese message"


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_patterns_of_ids_dates_and_links(kind: str) -> None:
    for path, node in walk(load(kind)):
        name = path[-1] if path else ""
        is_id = name in {"id", "unit", "group", "campaign"} and path[:1] != ("figures",)
        if is_id and node.get("type") == "string" or (
            path[-2:] in {("campaigns", "[]"), ("required_materials", "[]"), ("materials", "[]")}
            and node.get("type") == "string"
        ):
            assert node["pattern"] == ID_PATTERN, path
        if node.get("format") == "date":
            assert node["pattern"] == r"^\d{4}-\d{2}-\d{2}$", path
        if name == "link":
            assert node["pattern"].startswith("^https?://"), path


def readme_examples() -> dict[str, Any]:
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) == len(README_KINDS)
    return {kind: yaml.safe_load(block) for kind, block in zip(README_KINDS, blocks, strict=True)}


def field_paths(value: Any, path: tuple = ()) -> set[tuple]:
    out: set[tuple] = set()
    if isinstance(value, dict):
        for key, sub in value.items():
            if path and path[-1] == "figures" and path != ("figures",) or path == ("figures",):
                continue  # report figures: keys are data
            out.add(path + (key,))
            out |= field_paths(sub, path + (key,))
    elif isinstance(value, list):
        for item in value:
            out |= field_paths(item, path + ("[]",))
    return out


@pytest.mark.parametrize("kind", README_KINDS)
def test_schema_has_exactly_the_fields_of_the_readme(kind: str) -> None:
    example = readme_examples()[kind]
    declared = {p for p, _node in walk(load(kind)) if p and p[-1] not in {"[]", "*"}}
    declared = {tuple(x for x in p) for p in declared}
    assert field_paths(example) == declared


@pytest.mark.parametrize("kind", README_KINDS)
def test_readme_example_is_valid(kind: str) -> None:
    example = readme_examples()[kind]
    errors = list(schemas.load_schemas(SCHEMA_DIR)[0][kind].validator.iter_errors(plain_dates(example)))
    assert errors == [], [e.message for e in errors]


def plain_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_dates(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


# ---------------------------------------------------------------- fast check


def fixture_documents() -> list[tuple[str, Any]]:
    kinds = {"groups.yml": "groups", "units.yml": "units", "materials.yml": "materials"}
    docs: list[tuple[str, Any]] = []
    for path in sorted((FIXTURES / "good").rglob("*.yml")) + sorted((ROOT / "data").rglob("*.yml")):
        kind = kinds.get(path.name) or ("campaign" if path.parent.name == "campaigns" else "report")
        doc, _problems = load_yaml(path, path.name)
        assert doc is not None
        docs.append((kind, doc.data))
    cases = yaml.safe_load((FIXTURES / "bad" / "cases.yml").read_text(encoding="utf-8"))
    for case in cases:
        target = case["target"]
        kind = kinds.get(target) or ("campaign" if target.startswith("campaigns/") else "report")
        text = (FIXTURES / "bad" / f"{case['case']}.yml").read_text(encoding="utf-8")
        doc, _problems = parse_text(text, Path("/x.yml"), "x.yml")
        if doc is not None:
            docs.append((kind, doc.data))
    return docs


def mutations(data: Any, rng: random.Random, count: int) -> list[Any]:
    """Copies of ``data`` with one random change each (type swaps, deletions, odd values)."""
    odd = [None, "", " ", -1, 1.5, True, [], {}, "2023-02-30", "../x", "Ab", 0, "x" * 70, ["a", "a"],
           "长" * 101, "长" * 201, [f"m{i}" for i in range(101)], [{}] * 31,
           10_000_000, 10_000_001, 99, 100, 999, 1000, 10**120, math.inf, -math.inf, math.nan, -0.0]
    out = []
    for _ in range(count):
        copy_ = copy.deepcopy(data)
        node, parents = copy_, []
        while isinstance(node, dict | list) and node and rng.random() < 0.8:
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            parents.append((node, key))
            node = node[key]
        if not parents:
            continue
        parent, key = parents[-1]
        if isinstance(parent, dict) and rng.random() < 0.3:
            del parent[key]
        elif isinstance(parent, dict) and rng.random() < 0.2:
            parent[key + "x"] = 1
        else:
            parent[key] = rng.choice(odd)
        out.append(copy_)
    return out


def test_fast_check_agrees_with_jsonschema() -> None:
    compiled = schemas.load_schemas(SCHEMA_DIR)[0]
    rng = random.Random(20231)
    checked = refused = 0
    for kind, data in fixture_documents():
        for variant in [data, *mutations(data, rng, 40)]:
            valid = not list(compiled[kind].validator.iter_errors(variant))
            assert compiled[kind].fast is not None
            assert compiled[kind].fast(variant) == valid, (kind, variant)
            checked += 1
            refused += not valid
    assert checked > 2000 and refused > 500


def test_fast_check_refuses_unknown_keywords() -> None:
    with pytest.raises(schemas.Unsupported):
        schemas.compile_fast({"type": "object", "maxProperties": 3})
    with pytest.raises(schemas.Unsupported):
        schemas.compile_fast({"type": "string", "format": "email"})


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        ({"type": "integer"}, 6.0, False),  # stricter than plain jsonschema
        ({"type": "integer"}, True, False),
        ({"type": "string", "pattern": "^[a-z]+$"}, "abc\n", False),  # $ is the very end
        ({"type": "string", "pattern": "^[a-z]+$"}, "abc", True),
        ({"type": "string", "format": "date"}, "2024-02-29", True),
        ({"type": "string", "format": "date"}, "2023-02-29", False),
        ({"type": "string", "format": "date"}, "２０２３-01-01", False),
        ({"type": "string", "maxLength": 3}, "长长长", True),  # characters, not bytes
        ({"type": "string", "maxLength": 3}, "长长长长", False),
        ({"type": "array", "maxItems": 2}, [1, 2], True),
        ({"type": "array", "maxItems": 2}, [1, 2, 3], False),
        ({"type": "integer", "maximum": 10}, 10, True),
        ({"type": "integer", "maximum": 10}, 11, False),
        ({"type": "integer", "minimum": 0, "maximum": 10}, -0, True),
        ({"type": "integer", "maximum": 10}, 10**120, False),
        ({"type": "number"}, 1.5, True),
        ({"type": "number"}, -0.0, True),
        ({"type": "number"}, math.inf, False),  # no infinity or NaN, even without a bound
        ({"type": "number"}, -math.inf, False),
        ({"type": "number"}, math.nan, False),
        ({"type": "number", "minimum": 0, "maximum": 5}, 5.5, False),
        ({"type": "integer"}, math.inf, False),
    ],
)
def test_strict_types_patterns_and_dates(schema: dict, value: Any, valid: bool) -> None:
    cls, formats = schemas.strict_validator_class()
    assert cls(schema, format_checker=formats).is_valid(value) == valid
    assert schemas.compile_fast(schema)(value) == valid


# ---------------------------------------------------------------- messages


def problems_for(kind: str, text: str) -> list:
    doc, problems = parse_text(text, Path("/x.yml"), "x.yml")
    assert doc is not None, problems
    return schemas.check(doc, schemas.load_schemas(SCHEMA_DIR)[0][kind])


UNITS = "units:\n  - id: u-a\n    name: 甲局\n    party_org: 甲局党组\n"


@pytest.mark.parametrize(
    ("text", "line", "col", "message", "expected", "found"),
    [
        (UNITS.replace("    name:", "    nmae:"), 3, 5, "未知字段 nmae，是否想写 name？", "name", "nmae"),
        (UNITS.replace("    name: 甲局\n", ""), 2, 5, "缺少必填字段 name（单位名称）", "name", ""),
        (UNITS.replace("甲局党组", "[甲局党组]"), 4, 16, "“党组织”的类型不对，应为文本", "文本", "列表（1 项）"),
        (UNITS.replace("甲局党组", "NO"), 4, 16, "NO 没有加引号，被 YAML 1.1 读成了逻辑值 false", "文本", "逻辑值 false"),
        (UNITS.replace("甲局党组", ""), 4, 15, "“党组织”没有填写内容", "文本", "空值（没有填写内容）"),
        (UNITS.replace("甲局党组", "' '"), 4, 16, "不能为空或只有空白", "", "文本 “ ”"),
        (UNITS.replace("u-a", "../u-a"), 2, 9, "含有路径字符", "", "文本 “../u-a”"),
        (UNITS + "extra: 1\n", 5, 1, "未知字段 extra（允许的字段：units）", "units", "extra"),
        ("units: []\n", 1, 8, "“单位”至少需要 1 项", "≥ 1 项", "0 项"),
        ("- 1\n", 1, 1, "“单位名录（data/units.yml）”的类型不对，应为若干“字段名: 值”", "若干“字段名: 值”", "列表（1 项）"),
    ],
)
def test_units_messages(text: str, line: int, col: int, message: str, expected: str, found: str) -> None:
    problems = problems_for("units", text)
    hits = [p for p in problems if message in p.message]
    assert hits, [(p.line, p.column, p.full_message()) for p in problems]
    p = hits[0]
    assert (p.line, p.column, p.expected, p.found) == (line, col, expected, found)


def test_coercion_is_explained_where_an_integer_is_expected() -> None:
    groups = "groups:\n  - id: g1\n    name: 第一指导组\n    number: yes\n"
    problems = problems_for("groups", groups)
    assert [(p.line, p.column) for p in problems] == [(4, 13)]
    assert "应为整数：yes 被 YAML 1.1 读成了逻辑值 true" in problems[0].message


def test_edited_schema_is_compiled_again(tmp_path: Path) -> None:
    for kind in schemas.KINDS:
        (tmp_path / f"{kind}.schema.json").write_text(json.dumps(load(kind)), encoding="utf-8")
    before = schemas.load_schemas(tmp_path)[0]["units"]
    assert schemas.load_schemas(tmp_path)[0]["units"] is before  # cached
    path = tmp_path / "units.schema.json"
    path.write_text(json.dumps(load("units")) + "\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert schemas.load_schemas(tmp_path)[0]["units"] is not before


def test_property_name_error_points_at_the_key() -> None:
    report = (FIXTURES / "good" / "reports" / "c1" / "u-a.yml").read_text(encoding="utf-8")
    problems = problems_for("report", report.replace("  research_topics: 6", "  Research-Topics: 6"))
    assert [(p.line, p.column, p.rule) for p in problems] == [(29, 3, "schema-key")]
    assert "键名 Research-Topics 不合规" in problems[0].message


def test_broken_schema_files_are_problems(tmp_path: Path) -> None:
    for kind in schemas.KINDS:
        (tmp_path / f"{kind}.schema.json").write_text(json.dumps(load(kind)), encoding="utf-8")
    (tmp_path / "units.schema.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "groups.schema.json").write_text(json.dumps({"type": 12}), encoding="utf-8")
    (tmp_path / "report.schema.json").unlink()
    compiled, problems = schemas.load_schemas(tmp_path)
    assert set(compiled) == {"materials", "campaign"}
    assert sorted((p.file.rsplit("/", 1)[-1], p.rule) for p in problems) == [
        ("groups.schema.json", "schema-broken"),
        ("report.schema.json", "schema-missing"),
        ("units.schema.json", "schema-broken"),
    ]


@pytest.mark.parametrize(
    ("link", "valid"),
    [
        ("https://example.org/book", True),
        ("http://example.org/a?b=1&c=%28x%29#p", True),
        ("https://例子.中国/路径", True),
        ("https://example.org/a)<script>", False),  # would close the Markdown link
        ("https://example.org/a(b)", False),
        ('https://example.org/"onmouseover="x', False),
        ("https://example.org/'x'", False),
        ("https://example.org/`x`", False),
        ("https://example.org/a\\b", False),
        ("https://example.org/a b", False),
        ("https://example.org/a\n", False),
        ("javascript:alert(1)", False),
        ("https://", False),
    ],
)
def test_link_pattern_keeps_links_inside_markdown(link: str, valid: bool) -> None:
    node = load("materials")["properties"]["materials"]["items"]["properties"]["link"]
    assert bool(schemas._pattern_regex(node["pattern"]).search(link)) == valid


def test_enums_come_from_the_schema_files(tmp_path: Path) -> None:
    statuses = load("report")["properties"]["ledger"]["items"]["properties"]["status"]["enum"]
    categories = load("materials")["properties"]["materials"]["items"]["properties"]["category"]["enum"]
    found = schemas.enums(SCHEMA_DIR)
    assert (found.ledger_statuses, found.material_categories) == (tuple(statuses), tuple(categories))
    assert found.done == "已完成"  # the validator's "done" is the last, in order of progress
    assert schemas.text_field_titles(load("report"), schemas.LEDGER_ITEM[1])["problem"] == "问题"
    for kind in schemas.KINDS:
        (tmp_path / f"{kind}.schema.json").write_text(json.dumps(load(kind)), encoding="utf-8")
    edited = load("materials")
    edited["properties"]["materials"]["items"]["properties"]["category"]["enum"] = ["甲", "乙"]
    (tmp_path / "materials.schema.json").write_text(json.dumps(edited), encoding="utf-8")
    assert schemas.enums(tmp_path).material_categories == ("甲", "乙")
    with pytest.raises(KeyError):
        schemas.enum_of(load("report"), ("ledger", "items", "nothing"))


@pytest.mark.parametrize("broken", ["missing", "no-enum"])
def test_enums_of_a_broken_schema_are_empty(tmp_path: Path, broken: str) -> None:
    for kind in schemas.KINDS:
        (tmp_path / f"{kind}.schema.json").write_text(json.dumps(load(kind)), encoding="utf-8")
    if broken == "missing":
        (tmp_path / "report.schema.json").unlink()
    else:
        edited = load("report")
        del edited["properties"]["ledger"]["items"]["properties"]["status"]["enum"]
        (tmp_path / "report.schema.json").write_text(json.dumps(edited), encoding="utf-8")
    found = schemas.enums(tmp_path)
    assert found.ledger_statuses == () and found.done == "" and found.material_categories


def test_figure_at_most_names_a_figure_key() -> None:
    figure = load("campaign")["properties"]["figures"]["items"]["properties"]
    assert figure["at_most"]["pattern"] == figure["key"]["pattern"]
    assert "at_most" not in load("campaign")["properties"]["figures"]["items"]["required"]


def test_unhandled_keyword_puts_the_validator_text_last() -> None:
    doc, _problems = parse_text("a: 1\nb: 2\n", Path("/x.yml"), "x.yml")
    assert doc is not None
    schema = {"type": "object", "title": "测试", "maxProperties": 1}
    problems = schemas.check(doc, schemas.CompiledSchema("units", Path("/t.json"), schema, None))
    assert [(p.line, p.rule, p.found) for p in problems] == [(1, "schema-other", "")]
    assert problems[0].message.startswith("“测试”不符合要求（校验器原文：")


# ---------------------------------------------------------------- numbers: bounds and huge values
# (issue 13, item 7: a 5,001-digit figure crashed validate.py, a 401-digit one the build)

FIGURE_MAX = 10_000_000
GOOD_REPORT = (FIXTURES / "good" / "reports" / "c1" / "u-a.yml").read_text(encoding="utf-8")
FIGURE_LINE = "  research_topics: 6"  # line 29, the value at column 20


def number_nodes() -> list[tuple[str, tuple, dict]]:
    return [(kind, path, node) for kind in schemas.KINDS for path, node in walk(load(kind))
            if node.get("type") in ("integer", "number")]


def test_every_number_field_has_sane_bounds() -> None:
    """Counts, batch and group numbers: each has a minimum and a maximum, none beyond
    10,000,000 (a provincial unit's 走访群众 fits; float and chart arithmetic stay exact)."""
    nodes = number_nodes()
    assert {(kind, path) for kind, path, _ in nodes} == {
        ("campaign", ("batches", "[]", "id")), ("campaign", ("roster", "[]", "batch")),
        ("groups", ("groups", "[]", "number")), ("report", ("figures", "*")),
    }
    for kind, path, node in nodes:
        assert node.get("minimum") in (0, 1), (kind, path)
        assert isinstance(node.get("maximum"), int) and node["minimum"] < node["maximum"] <= FIGURE_MAX, (kind, path)
        assert str(node["maximum"]) in node["description"], f"{kind} {path}: the description names the bound"
    assert load("report")["properties"]["figures"]["additionalProperties"]["maximum"] == FIGURE_MAX


@pytest.mark.parametrize(
    ("value", "message", "found"),
    [
        pytest.param("1" * 5001, "“数字”太大：写了 5001 位的整数，不能大于 10000000",
                     "整数 11111111111111111111…（共 5001 位）", id="5001-digits"),
        pytest.param("1" * 401, "“数字”太大：写了 401 位的整数，不能大于 10000000",
                     "整数 11111111111111111111…（共 401 位）", id="401-digits"),
        pytest.param("-" + "1" * 5001, "“数字”太小：写了 5001 位的整数，不能小于 0",
                     "整数 -11111111111111111111…（共 5001 位）", id="minus-5001-digits"),
        pytest.param("0x" + "f" * 300, "“数字”太大：写了 302 个字符的十六进制整数，不能大于 10000000",
                     "0x" + "f" * 28 + "…", id="long-hex"),
        pytest.param("10000001", "“数字”太大：不能大于 10000000，请核对数字", "整数 10000001", id="maximum-plus-one"),
        pytest.param("99999999999999999999999", "“数字”太大：不能大于 10000000",
                     "整数 99999999999999999999…（共 23 位）", id="23-digits"),
        pytest.param("1.0e+400", "“数字”应为整数，不能是无穷大或 NaN：1.0e+400 被 YAML 1.1 读成了无穷大", "无穷大",
                     id="float-overflow"),
        pytest.param(".inf", "不能是无穷大或 NaN：.inf 被 YAML 1.1 读成了无穷大", "无穷大", id="inf"),
        pytest.param("-.inf", "不能是无穷大或 NaN：-.inf 被 YAML 1.1 读成了负无穷大", "负无穷大", id="minus-inf"),
        pytest.param(".nan", "不能是无穷大或 NaN：.nan 被 YAML 1.1 读成了非数 NaN", "非数 NaN（不是数字）", id="nan"),
        pytest.param("1e400", "“数字”应为整数：不要用科学计数法（1e400），只写阿拉伯数字", "文本 “1e400”", id="scientific-text"),
        pytest.param("1.0e+300", "“数字”应为整数，不能带小数点：1.0e+300 被 YAML 1.1 读成了小数 1e+300", "小数 1e+300",
                     id="huge-float"),
        pytest.param("-0.0", "“数字”应为整数，不能带小数点：写成 0", "小数 -0.0", id="negative-zero-float"),
        pytest.param("-1", "“数字”不能为负数", "整数 -1", id="negative"),
        pytest.param('"' + "1" * 5001 + '"', "“数字”应为整数：请去掉引号，写成 11111111111111111111…（共 5001 位）",
                     "文本 “" + "1" * 30 + "…”", id="quoted-5001-digits"),
        pytest.param("'" + "1,000" * 1500 + "'", "“数字”的类型不对，应为整数", "文本 “" + ("1,000" * 6) + "…”",
                     id="quoted-thousands-run"),
        pytest.param("1" + ",000" * 1700, "“数字”应为整数：不要用千位分隔符：写成 10000000000000000000…（共 5101 位）",
                     "文本 “1" + ",000" * 7 + ",…”", id="thousands-5101-digits"),
        pytest.param("1" * 5001 + "个", "只写阿拉伯数字，不写单位或文字“个”：写成 11111111111111111111…（共 5001 位）",
                     "文本 “" + "1" * 30 + "…”", id="5001-digits-with-unit"),
    ],
)
def test_figure_numbers_give_short_chinese_messages(value: str, message: str, found: str) -> None:
    problems = problems_for("report", GOOD_REPORT.replace(FIGURE_LINE, f"  research_topics: {value}"))
    assert [(p.line, p.column, p.path) for p in problems] == [(29, 20, "figures.research_topics")], problems
    assert message in problems[0].message and problems[0].found == found, problems[0].full_message()
    assert len(problems[0].full_message()) < 200  # never the number itself, whatever its length


@pytest.mark.parametrize("value", ["0", "-0", "10000000", "+10000000", "1_000_000"])
def test_figure_numbers_in_range_are_accepted(value: str) -> None:
    assert problems_for("report", GOOD_REPORT.replace(FIGURE_LINE, f"  research_topics: {value}")) == []


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("groups", "groups:\n  - id: g1\n    name: 第一指导组\n    number: 1000\n", "“序号”太大：不能大于 999"),
        ("groups", "groups:\n  - id: g1\n    name: 第一指导组\n    number: " + "9" * 5001 + "\n",
         "“序号”太大：写了 5001 位的整数，不能大于 999"),
        ("units", "units:\n  - id: u-a\n    name: " + "1" * 5001 + "\n    party_org: 甲局党组\n",
         "“单位名称”应为文本：" + "1" * 30 + "… 没有加引号，被 YAML 1.1 读成了 5001 位的整数，太大，无法使用"),
        ("units", "units:\n  - id: u-a\n    name: .nan\n    party_org: 甲局党组\n",
         "“单位名称”应为文本：.nan 没有加引号，被 YAML 1.1 读成了非数 NaN"),
    ],
)
def test_other_numbers_and_huge_text(kind: str, text: str, message: str) -> None:
    problems = problems_for(kind, text)
    assert len(problems) == 1 and message in problems[0].message, [p.full_message() for p in problems]
    assert len(problems[0].full_message()) < 200


# The example data with one figure replaced, through scripts/validate.py and a real build.

HUGE_FIGURES = {
    "5001-digits": ("1" * 5001, "“数字”太大：写了 5001 位的整数，不能大于 10000000"),
    "401-digits": ("1" * 401, "“数字”太大：写了 401 位的整数，不能大于 10000000"),
    "maximum-plus-one": ("10000001", "“数字”太大：不能大于 10000000"),
    "float-overflow": ("1.0e+400", "“数字”应为整数，不能是无穷大或 NaN"),
    "inf": (".inf", "“数字”应为整数，不能是无穷大或 NaN"),
    "nan": (".nan", "“数字”应为整数，不能是无穷大或 NaN"),
    "scientific-text": ("1e400", "“数字”应为整数：不要用科学计数法"),
}
EXAMPLE_REPORT = "reports/2023-zhuti/shi-czj.yml"


def data_with_figure(tmp_path: Path, value: str) -> tuple[Path, str]:
    """A copy of the example data whose report EXAMPLE_REPORT has field_visits = value;
    also the ``file:line:column:`` its problem must start with."""
    from datacopy import copy_data

    data = copy_data(tmp_path / "data", reports=True)
    report = data / EXAMPLE_REPORT
    lines = report.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("  field_visits: "))
    lines[number] = f"  field_visits: {value}"
    report.write_text("\n".join(lines), encoding="utf-8")
    return data, f"data/{EXAMPLE_REPORT}:{number + 1}:17: 错误 [figures.field_visits] "


@pytest.mark.parametrize(("value", "message"), HUGE_FIGURES.values(), ids=HUGE_FIGURES.keys())
def test_validate_script_reports_huge_figures(tmp_path: Path, value: str, message: str) -> None:
    data, where = data_with_figure(tmp_path, value)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(data)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [line for line in result.stdout.splitlines() if line.startswith(where)]
    assert result.stdout.startswith(where + message), result.stdout[:500]
    assert result.stderr.strip() == "共 1 个错误，0 个警告", result.stderr[-2000:]
    assert len(result.stdout) < 400


@pytest.mark.parametrize(("value", "message"), [HUGE_FIGURES["5001-digits"], HUGE_FIGURES["401-digits"]],
                         ids=["5001-digits", "401-digits"])
def test_build_refuses_huge_figures(tmp_path: Path, value: str, message: str) -> None:
    from conftest import run_mkdocs

    data, where = data_with_figure(tmp_path, value)
    site = tmp_path / "site"
    result = run_mkdocs(site, env={"KB_DATA_DIR": str(data)})
    assert result.returncode != 0
    assert where + message in result.stderr, result.stderr[-3000:]
    assert "数据校验未通过，未生成网站" in result.stderr
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr
    assert not (site / "index.html").exists() and not (site / "views").exists()


def test_ledger_synonyms_and_ongoing_deadlines_come_from_the_schema(tmp_path: Path) -> None:
    found = schemas.enums(SCHEMA_DIR)
    assert found.ongoing_deadlines == ("长期坚持", "持续推进", "常态化")
    assert found.ongoing_status == "长期坚持"
    table = found.status_table
    assert (table["已整改"], table["整改完成"], table["整改中"], table["正在推进"]) == ("已完成", "已完成", "推进中", "推进中")
    assert table["已完成"] == "已完成"  # the statuses themselves
    for kind in schemas.KINDS:
        (tmp_path / f"{kind}.schema.json").write_text(json.dumps(load(kind)), encoding="utf-8")
    edited = load("report")
    status = edited["properties"]["ledger"]["items"]["properties"]["status"]
    status["x-synonyms"] = {"办妥": "已完成", "作废": "不存在的状态"}
    (tmp_path / "report.schema.json").write_text(json.dumps(edited), encoding="utf-8")
    table = schemas.enums(tmp_path).status_table
    assert table["办妥"] == "已完成" and "已整改" not in table and "作废" not in table


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2023-12-31", True), ("长期坚持", True), ("持续推进", True), ("常态化", True),
     ("2023-02-30", False), ("2023年12月底", False), ("长期", False), (20231231, False)],
)
def test_fast_check_reads_the_deadline_alternatives(value: object, valid: bool) -> None:
    """The report schema's fast check handles anyOf and ignores x- annotations (it compiles),
    and agrees with jsonschema on the deadline."""
    node = load("report")["properties"]["ledger"]["items"]["properties"]["deadline"]
    assert schemas.compile_fast(node)(value) is valid
    compiled, _ = schemas.load_schemas(SCHEMA_DIR)
    assert compiled["report"].fast is not None  # the whole report schema keeps its fast check
    cls, formats = schemas.strict_validator_class()
    assert cls(node, format_checker=formats).is_valid(value) is valid
