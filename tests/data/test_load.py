"""The validator (kb.data.load) against one fixture per bad input (tests/fixtures/bad/cases.yml),
the small valid tree (tests/fixtures/good/) and the real example data."""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixturetree import BAD, CASES, GOOD, describe, make_tree, write_fixture

from conftest import ROOT
from kb.data.load import load_and_validate
from kb.data.problems import ERROR, has_errors
from kb.data.rules import VALIDATION

ENGLISH = re.compile(r"[a-z]{2,} [a-z]{2,} [a-z]{2,}")  # e.g. "mapping values are"
PYTHON_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4})")  # repr() notation such as 'intro\xa0'


def test_cases_table_matches_fixture_files() -> None:
    names = {c["case"] for c in CASES}
    assert len(names) == len(CASES), "duplicate case names"
    on_disk = {p.stem for p in BAD.glob("*.yml")} - {"cases"}
    assert on_disk == names


def test_good_tree_has_no_problems(tmp_path: Path) -> None:
    raw, problems = load_and_validate(make_tree(tmp_path))
    assert problems == [], describe(problems)
    assert [d.rel for d in raw.reports] == ["data/reports/c1/u-a.yml"]
    assert [d.rel for d in raw.campaigns] == ["data/campaigns/c1.yml"]
    assert raw.units is not None and raw.units.data["units"][2]["id"] == "u-c"


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input(tmp_path: Path, case: dict) -> None:
    data = make_tree(tmp_path)
    write_fixture(data, case)
    _raw, problems = load_and_validate(data)
    expect_file = case.get("expect_file", f"data/{case['target']}")
    level = case.get("level", ERROR)
    matches = [
        p for p in problems
        if p.file == expect_file and p.line == case["line"] and case["message"] in p.full_message()
        and p.level == level and ("column" not in case or p.column == case["column"])
    ]
    assert matches, (
        f"{case['note']}: expected {level} at {expect_file}:{case['line']}"
        f"{':' + str(case['column']) if 'column' in case else ''} containing {case['message']!r}\n"
        + describe(problems)
    )
    if "errors" in case:
        assert len([p for p in problems if p.is_error]) == case["errors"], describe(problems)
    if level == ERROR:
        assert has_errors(problems)
    else:
        assert not has_errors(problems), describe(problems)
    for p in problems:  # every message is Chinese, without the parser's English, and names where it is
        assert p.rule in VALIDATION, p  # and comes from a registered rule (kb.data.rules)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message), p
        assert "解析器原文" in p.message or not ENGLISH.search(p.full_message()), p
        assert not PYTHON_ESCAPE.search(p.full_message()), p
        assert p.file.startswith("data/"), p


def test_problems_are_sorted_and_unique(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    report = data / "reports" / "c1" / "u-a.yml"
    text = report.read_text(encoding="utf-8")
    text = text.replace("  research_topics: 6", "  research_topics: -1").replace("    status: 推进中", "    status: 完成")
    report.write_text(text.replace("campaign: c1", "campaign: c1\ntitel: x"), encoding="utf-8")
    _raw, problems = load_and_validate(data)
    keys = [(p.file, p.line, p.column) for p in problems]
    assert keys == sorted(keys)
    assert len(set(problems)) == len(problems)
    assert len([p for p in problems if p.is_error]) == 3, describe(problems)


def test_all_problems_of_all_files_in_one_run(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    for case in ("unknown-field", "duplicate-unit-id", "unknown-group"):
        write_fixture(data, next(c for c in CASES if c["case"] == case))
    _raw, problems = load_and_validate(data)
    files = {p.file for p in problems if p.is_error}
    assert files == {"data/reports/c1/u-a.yml", "data/units.yml", "data/campaigns/c1.yml"}, describe(problems)


def test_only_restricts_reports_but_loads_shared_files(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    broken = data / "reports" / "c1" / "u-b.yml"
    broken.write_text("unit: [\n", encoding="utf-8")
    good = data / "reports" / "c1" / "u-a.yml"
    raw, problems = load_and_validate(data, only=[good])
    assert problems == [], describe(problems)
    assert [d.rel for d in raw.reports] == ["data/reports/c1/u-a.yml"]
    assert raw.groups is not None and raw.campaigns
    _raw, problems = load_and_validate(data, only=[data / "reports" / "c1"])
    assert [p.file for p in problems if p.is_error] == ["data/reports/c1/u-b.yml"]


def test_missing_shared_file(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    (data / "units.yml").rename(data / "units.yaml")
    raw, problems = load_and_validate(data)
    assert raw.units is None
    assert any(p.file == "data/units.yml" and "改为 .yml" in p.message for p in problems), describe(problems)
    # Without units.yml no report or roster entry is reported as an unknown unit.
    assert not any("未知的单位" in p.message for p in problems), describe(problems)


def test_broken_shared_file_does_not_cascade(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    (data / "groups.yml").write_text("groups: [\n", encoding="utf-8")
    _raw, problems = load_and_validate(data)
    assert [p.file for p in problems] == ["data/groups.yml"], describe(problems)


def test_missing_schema_is_reported(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    (data / "schema" / "units.schema.json").unlink()
    _raw, problems = load_and_validate(data)
    assert any("缺少 JSON Schema 文件" in p.message for p in problems), describe(problems)


def test_two_reports_claiming_the_same_unit(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    text = (data / "reports" / "c1" / "u-a.yml").read_text(encoding="utf-8")
    (data / "reports" / "c1" / "u-b.yml").write_text(text, encoding="utf-8")
    _raw, problems = load_and_validate(data)
    messages = [p.full_message() for p in problems if p.file == "data/reports/c1/u-b.yml"]
    assert any("已经有一份报告：data/reports/c1/u-a.yml" in m for m in messages), describe(problems)


def test_schema_dir_argument(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    _raw, problems = load_and_validate(data, schema_dir=ROOT / "data" / "schema")
    assert not has_errors(problems), describe(problems)
    assert {p.rule for p in problems} == {"modeline"}  # the modelines point at data/schema


@pytest.mark.parametrize(
    ("title", "fixed"),
    [
        ("（一）坚持以学铸魂", "坚持以学铸魂"),
        ("(二) 坚持以学铸魂", "坚持以学铸魂"),
        ("三、坚持以学铸魂", "坚持以学铸魂"),
        ("1. 坚持以学铸魂", "坚持以学铸魂"),
        ("第一，坚持以学铸魂", "坚持以学铸魂"),
        ("第一议题制度落实", None),
        ("一体推进不敢腐", None),
        ("二十大精神进基层", None),
        ("1.5万人次参加学习", None),
    ],
)
def test_numbering_in_titles(tmp_path: Path, title: str, fixed: str | None) -> None:
    data = make_tree(tmp_path)
    report = data / "reports" / "c1" / "u-a.yml"
    text = report.read_text(encoding="utf-8").replace("- title: 坚持以学铸魂", f"- title: {title}")
    report.write_text(text, encoding="utf-8")
    _raw, problems = load_and_validate(data)
    assert [p.expected for p in problems if p.rule == "numbering"] == ([fixed] if fixed else []), describe(problems)


def rename_in_schema(data: Path, kind: str, path: tuple[str, ...], old: str, new: str) -> None:
    """Rename one value of an enumeration in the schema of the data folder ``data``."""
    file = data / "schema" / f"{kind}.schema.json"
    schema = json.loads(file.read_text(encoding="utf-8"))
    node = schema
    for part in path:
        node = node["items"] if part == "items" else node["properties"][part]
    node["enum"] = [new if value == old else value for value in node["enum"]]
    file.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def test_a_data_dir_is_checked_and_modelled_with_its_own_enums(tmp_path: Path) -> None:
    """Statuses and categories come from the schema of the data folder being read, not
    from the repository's data/schema."""
    from kb.data import model

    data = make_tree(tmp_path)
    rename_in_schema(data, "report", ("ledger", "items", "status"), "已完成", "已办结")
    rename_in_schema(data, "materials", ("materials", "items", "category"), "原著", "经典著作")
    materials = data / "materials.yml"
    materials.write_text(materials.read_text(encoding="utf-8").replace("category: 原著", "category: 经典著作"), encoding="utf-8")
    report = data / "reports" / "c1" / "u-a.yml"
    text = report.read_text(encoding="utf-8").replace("    status: 已完成\n    completed: 2023-11-28\n", "    status: 已办结\n")
    report.write_text(text, encoding="utf-8")
    raw, problems = load_and_validate(data)
    assert not has_errors(problems), describe(problems)
    assert [(p.rule, p.message) for p in problems] == [
        ("ledger-completed", "状态为“已办结”，但没有填写完成日期 completed")
    ], describe(problems)
    kb = model.build(raw)
    assert kb.ledger_statuses[-1] == "已办结" and "已完成" not in kb.ledger_statuses
    assert "经典著作" in kb.material_categories and "原著" not in kb.material_categories


def test_real_example_data_validates() -> None:
    raw, problems = load_and_validate(ROOT / "data")
    errors = [p for p in problems if p.is_error]
    assert errors == [], describe(errors)
    assert len(raw.reports) >= 18 and len(raw.campaigns) >= 2


def many_reports(tmp_path: Path, n: int) -> Path:
    """The good tree with ``n`` copies of the good report (units r000…), a few broken."""
    data = make_tree(tmp_path)
    text = (data / "reports" / "c1" / "u-a.yml").read_text(encoding="utf-8")
    ids = [f"r{i:03d}" for i in range(n)]
    with (data / "units.yml").open("a", encoding="utf-8") as units:
        units.writelines(f"  - {{id: {u}, name: 单位{u}, party_org: 单位{u}党组}}\n" for u in ids)
    campaign = data / "campaigns" / "c1.yml"
    campaign.write_text(
        campaign.read_text(encoding="utf-8") + "".join(f"  - {{unit: {u}, group: g1, batch: 1}}\n" for u in ids),
        encoding="utf-8",
    )
    for i, unit in enumerate(ids):
        body = text.replace("unit: u-a", f"unit: {unit}")
        if i % 50 == 7:
            body = body.replace("  research_topics: 6", "  research_topics: -6")
        if i % 50 == 9:
            body = body.replace(f"unit: {unit}", "unit: r000")  # a second report for r000
        (data / "reports" / "c1" / f"{unit}.yml").write_text(body, encoding="utf-8")
    return data


def test_parallel_workers_find_the_same_problems(tmp_path: Path) -> None:
    from kb.data import load

    data = many_reports(tmp_path, load.PARALLEL_MIN_REPORTS + 50)
    serial_raw, serial = load_and_validate(data)
    parallel_raw, parallel = load_and_validate(data, jobs=2)
    checking_raw, checking = load_and_validate(data, jobs=2, keep_docs=False)
    assert serial == parallel == checking
    assert [d.rel for d in parallel_raw.reports] == [d.rel for d in serial_raw.reports]
    assert parallel_raw.reports[0].marks == serial_raw.reports[0].marks
    assert checking_raw.reports == []
    rules = sorted(p.rule for p in serial if p.is_error)
    assert rules.count("schema-minimum") == 5 and rules.count("duplicate-report") == 5, describe(serial)


# ---------------------------------------------------------------- fuzzing

ODD_VALUES: list[Any] = [
    None, "", " ", -1, 0, 1.5, True, [], {}, "2023-02-30", "../x", "Ab", "x" * 70, "长" * 120, ["a", "a"],
    "u-a", "c1", "g1", "m-one", 1, 2, 99, "2023-09-08", "已完成", {"a": 1}, [{"x": 1}], [[1]], "X个", "第X指导组",
    "a\\b", "https://e.org/a)", "\u00a0", [1], {"id": [1]}, list(range(40)),
]
ODD_KEYS: list[Any] = [1, True, None, "", "titel", "X", "a b"]


def mutate(data: Any, rng: random.Random) -> Any:
    """One random change deep inside ``data``: a value swapped, an entry dropped, copied or renamed."""
    node, parents = data, []
    while isinstance(node, dict | list) and node and rng.random() < 0.85:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        parents.append((node, key))
        node = node[key]
    if not parents:
        return rng.choice(ODD_VALUES)
    parent, key = parents[-1]
    roll = rng.random()
    if isinstance(parent, dict) and roll < 0.15:
        del parent[key]
    elif isinstance(parent, dict) and roll < 0.25:
        parent[rng.choice(ODD_KEYS)] = parent.pop(key)
    elif isinstance(parent, list) and roll < 0.25:
        parent.append(copy.deepcopy(parent[key]))
    else:
        parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    return data


def test_fuzzed_data_never_raises(tmp_path: Path) -> None:
    """200 seeded random mutations of the good tree: problems are reported, nothing raises,
    and what the validator passes can be built into the model."""
    from kb.data import model

    data = make_tree(tmp_path)
    originals = {p: p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.yml"))}
    parsed = {p: yaml.safe_load(text) for p, text in originals.items()}
    rng = random.Random(20240601)
    started = time.perf_counter()
    outcomes = {"errors": 0, "clean": 0}
    for _ in range(200):
        changed = rng.sample(sorted(originals), rng.randint(1, 2))
        for path in changed:
            first_line = originals[path].split("\n", 1)[0]
            body = yaml.safe_dump(mutate(copy.deepcopy(parsed[path]), rng), allow_unicode=True, sort_keys=False)
            path.write_text(first_line + "\n" + body, encoding="utf-8")
        raw, problems = load_and_validate(data)
        if has_errors(problems):
            outcomes["errors"] += 1
        else:
            outcomes["clean"] += 1
            model.build(raw)
        for path in changed:
            path.write_text(originals[path], encoding="utf-8")
    assert outcomes["errors"] > 100, outcomes  # the mutations do break things
    assert time.perf_counter() - started < 60


@pytest.mark.parametrize("jobs", [1, 2])
def test_slim_reports_keep_their_data_and_find_the_same_problems(tmp_path: Path, jobs: int) -> None:
    from kb.data import load

    data = many_reports(tmp_path, load.PARALLEL_MIN_REPORTS + 10)
    full_raw, full = load_and_validate(data)
    slim_raw, slim = load_and_validate(data, jobs=jobs, slim=True)
    assert slim == full
    assert [(d.path, d.rel, d.data) for d in slim_raw.reports] == [
        (d.path, d.rel, d.data) for d in full_raw.reports]
    assert all(d.marks == {} and d.scalars == {} and d.lines == [] for d in slim_raw.reports)
    assert full_raw.reports[0].scalars  # without slim, the checks' records stay
