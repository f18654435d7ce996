"""Registering a roster (kb.contrib.intake.register): new units and roster entries are added in
the files' own style and validate; a second run changes nothing; every contradiction is a
problem and the row adds nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from datacopy import copy_data

from kb.contrib.intake import register
from kb.contrib.intake.roster import Roster, RosterRow, read_roster
from kb.contrib.scaffold import ScaffoldError
from kb.data import rules
from kb.data.load import load_and_validate

CAMPAIGN = "2024-dangji"  # shi-czj (g1), shi-jyj (g2), shi-sfj (g3), qu-xfj (g3) in its roster, batch 1


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in sorted(data_dir.rglob("*.yml"))}


def roster(*rows: tuple[str, ...]) -> Roster:
    return Roster("名单.xlsx", [RosterRow(n, *row) for n, row in enumerate(rows, start=2)])


NEW = [("市审计局", "市审计局党组", "第二指导组", "1"), ("市档案局", "市档案局党组", "3", "全体党组织")]


def test_new_units_and_roster_entries_are_planned(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(*NEW), CAMPAIGN)
    assert plan.problems == []
    assert plan.new_units == [{"id": "shi-sjj", "name": "市审计局", "party_org": "市审计局党组"},
                              {"id": "shi-daj", "name": "市档案局", "party_org": "市档案局党组"}]
    assert plan.roster_entries == [{"unit": "shi-sjj", "group": "g2", "batch": 1},
                                   {"unit": "shi-daj", "group": "g3", "batch": 1}]
    assert plan.unit_ids == {"市审计局": "shi-sjj", "市档案局": "shi-daj"}


def test_apply_appends_in_the_files_own_style_and_the_data_validates(data_dir: Path) -> None:
    units_before = (data_dir / "units.yml").read_text(encoding="utf-8")
    done = register.apply(data_dir, register.plan(data_dir, roster(*NEW), CAMPAIGN))
    assert len(done) == 4 and all("已" in line for line in done)
    units_after = (data_dir / "units.yml").read_text(encoding="utf-8")
    assert units_after.startswith(units_before)
    assert units_after[len(units_before):] == ("  - {id: shi-sjj, name: 市审计局, party_org: 市审计局党组}\n"
                                               "  - {id: shi-daj, name: 市档案局, party_org: 市档案局党组}\n")
    campaign = (data_dir / "campaigns" / f"{CAMPAIGN}.yml").read_text(encoding="utf-8")
    assert "  - {unit: shi-daj, group: g3, batch: 1}\n" in campaign
    errors = [p for p in load_and_validate(data_dir)[1] if p.is_error]
    assert errors == []


def test_a_second_run_changes_nothing(data_dir: Path) -> None:
    register.apply(data_dir, register.plan(data_dir, roster(*NEW), CAMPAIGN))
    before = snapshot(data_dir)
    again = register.plan(data_dir, roster(*NEW), CAMPAIGN)
    assert (again.new_units, again.roster_entries, again.problems) == ([], [], [])
    assert register.apply(data_dir, again) == ["名单中的单位都已登记，无需改动"]
    assert snapshot(data_dir) == before


def test_a_stale_plan_applied_twice_adds_nothing_twice(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(*NEW), CAMPAIGN)
    register.apply(data_dir, plan)
    before = snapshot(data_dir)
    register.apply(data_dir, plan)
    assert snapshot(data_dir) == before


def test_without_a_campaign_only_units_are_registered(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(("市审计局", "市审计局党组", "", "")), None)
    assert plan.problems == [] and plan.roster_entries == [] and [u["id"] for u in plan.new_units] == ["shi-sjj"]


def test_known_unit_keeps_its_id_and_a_missing_roster_line_is_added(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(("市发展和改革委员会", "", "1", "1")), CAMPAIGN)  # shi-fgw, not in 2024
    assert plan.problems == [] and plan.new_units == []
    assert plan.roster_entries == [{"unit": "shi-fgw", "group": "g1", "batch": 1}]


def test_a_taken_id_gets_a_suffix(data_dir: Path) -> None:
    # 区卫生健康委员会 → qu-wjw, which 区卫生健康局 already has
    plan = register.plan(data_dir, roster(("区卫生健康委员会", "区卫生健康委员会党组", "", "")), None)
    assert [u["id"] for u in plan.new_units] == ["qu-wjw-2"]


def test_two_new_units_with_the_same_initials(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(("市审计局", "市审计局党组", "", ""), ("市山景局", "市山景局党组", "", "")), None)
    assert [u["id"] for u in plan.new_units] == ["shi-sjj", "shi-sjj-2"]


@pytest.mark.parametrize("value", ["g2", "2", "第二指导组", "第2组", "二组", "第二组", "第 2 指导组"])
def test_group_by_id_number_or_name(data_dir: Path, value: str) -> None:
    plan = register.plan(data_dir, roster(("市审计局", "市审计局党组", value, "1")), CAMPAIGN)
    assert plan.problems == [] and plan.roster_entries[0]["group"] == "g2"


@pytest.mark.parametrize("value", ["1", "第一批", "一批", "第1批", "全体党组织"])
def test_batch_by_number_or_name(data_dir: Path, value: str) -> None:
    plan = register.plan(data_dir, roster(("市审计局", "市审计局党组", "g1", value)), CAMPAIGN)
    assert plan.problems == [] and plan.roster_entries[0]["batch"] == 1


def test_options_fill_the_cells_the_roster_leaves_empty(data_dir: Path) -> None:
    rows = roster(("市审计局", "市审计局党组", "", ""), ("市档案局", "市档案局党组", "3", ""))
    plan = register.plan(data_dir, rows, CAMPAIGN, group="第一指导组", batch="1")
    assert plan.problems == []
    assert [(e["group"], e["batch"]) for e in plan.roster_entries] == [("g1", 1), ("g3", 1)]


CONFLICTS = {
    "same name, other party org": (("市财政局", "市财政局党委", "1", "1"), rules.INTAKE_UNIT_CONFLICT, "市财政局党组"),
    "party org of another unit": (("市财政委", "市财政局党组", "1", "1"), rules.INTAKE_UNIT_CONFLICT, "shi-czj"),
    "new unit without party org": (("市审计局", "", "1", "1"), rules.INTAKE_UNIT_INCOMPLETE, "党组织"),
    "unknown group": (("市审计局", "市审计局党组", "第九指导组", "1"), rules.INTAKE_GROUP_UNKNOWN, "g1（第一指导组）"),
    "ambiguous group": (("市审计局", "市审计局党组", "指导组", "1"), rules.INTAKE_GROUP_UNKNOWN, "歧义"),
    "unknown batch": (("市审计局", "市审计局党组", "1", "第三批"), rules.INTAKE_BATCH_UNKNOWN, "全体党组织"),
    "missing group": (("市审计局", "市审计局党组", "", "1"), rules.INTAKE_ROSTER_MISSING, "指导组"),
    "missing batch": (("市审计局", "市审计局党组", "1", ""), rules.INTAKE_ROSTER_MISSING, "批次"),
    "in roster, other group": (("市财政局", "市财政局党组", "第三指导组", "1"), rules.INTAKE_ROSTER_CONFLICT, "g1"),
}


@pytest.mark.parametrize("case", CONFLICTS)
def test_a_contradiction_is_a_problem_and_changes_nothing(data_dir: Path, case: str) -> None:
    row, rule, words = CONFLICTS[case]
    plan = register.plan(data_dir, roster(row, ("市档案局", "市档案局党组", "3", "1")), CAMPAIGN)
    (problem,) = plan.problems
    assert (problem.rule, problem.line, problem.file) == (rule.id, 2, "名单.xlsx")
    assert words in problem.message and row[0] in problem.message
    assert [u["name"] for u in plan.new_units] == ["市档案局"]  # the other row is still registered
    assert [e["unit"] for e in plan.roster_entries] == ["shi-daj"]


def test_in_roster_other_batch(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(("市教育局", "", "2", "2")), "2023-zhuti")  # shi-jyj: g2, batch 1
    (problem,) = plan.problems
    assert problem.rule == rules.INTAKE_ROSTER_CONFLICT.id and "第 1 批" in problem.message


def test_a_repeated_row_is_skipped_with_a_warning(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(NEW[0], NEW[0]), CAMPAIGN)
    (problem,) = plan.problems
    assert (problem.rule, problem.level, problem.line) == (rules.INTAKE_ROSTER_ROW.id, "warning", 3)
    assert len(plan.new_units) == 1


def test_unknown_campaign(data_dir: Path) -> None:
    plan = register.plan(data_dir, roster(*NEW), "2099-x")
    (problem,) = plan.problems
    assert problem.rule == rules.INTAKE_CAMPAIGN_UNKNOWN.id and "2023-zhuti" in problem.message
    assert plan.new_units == []


def test_a_linked_units_file_is_neither_read_nor_written(data_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text((data_dir / "units.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (data_dir / "units.yml").unlink()
    (data_dir / "units.yml").symlink_to(elsewhere)
    plan = register.plan(data_dir, roster(*NEW), CAMPAIGN)
    assert [p.rule for p in plan.problems] == [rules.SYMLINK.id] and plan.new_units == []
    before = elsewhere.read_bytes()
    with pytest.raises(ScaffoldError, match="符号链接"):
        register.apply(data_dir, register.Plan(new_units=[{"id": "shi-sjj", "name": "市审计局", "party_org": "x"}]))
    assert elsewhere.read_bytes() == before


def test_a_broken_units_file_is_a_chinese_error(data_dir: Path) -> None:
    (data_dir / "units.yml").write_text("units: [\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="YAML"):
        register.apply(data_dir, register.Plan(new_units=[{"id": "shi-sjj", "name": "市审计局", "party_org": "x"}]))


def test_from_an_excel_file_to_valid_data(data_dir: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["党纪学习教育单位名单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "单位名称", "党组织名称", "所属指导组", "批次"])
    sheet.append([1, "市审计局", "市审计局党组", "第二指导组", 1])
    sheet.append([2, "市财政局", "市财政局党组", "第一指导组", 1])  # already there: nothing to do
    book.save(tmp_path / "名单.xlsx")
    rows = read_roster(tmp_path / "名单.xlsx")
    plan = register.plan(data_dir, rows, CAMPAIGN)
    assert plan.problems == [] and plan.unit_ids == {"市审计局": "shi-sjj", "市财政局": "shi-czj"}
    register.apply(data_dir, plan)
    assert [p for p in load_and_validate(data_dir)[1] if p.is_error] == []


# ------------------------------------------------- many entries at once

LAYOUTS = {
    "flow": "# comment\nunits:\n  - {id: a, name: A}\n  - {id: b, name: B}\n",
    "block": "roster:\n  - unit: a\n    group: g1\n    batch: 1\n",
    "block, no indent, comments, key after": "x: 1\nroster:\n- unit: a\n  group: g1  # note\n  batch: 1\n\n# tail\nid: c\n",
    "flow, key after": "roster:\n  - {unit: a, group: g1, batch: 1}\nfigures: []\n",
    "empty inline": "id: c\nroster: []  # none yet\n",
    "missing key": "id: c\n",
    "no trailing newline": "roster:\n  - {unit: a, group: g1, batch: 1}",
}
ITEMS = [{"unit": f"u{n}", "group": "g2", "batch": n} for n in range(5)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_append_all_equals_appending_one_by_one(layout: str) -> None:
    from kb.contrib.scaffold import append_list_item
    text = LAYOUTS[layout]
    key = "units" if layout == "flow" else "roster"
    items = [{"id": f"n{n}", "name": f"N{n}"} for n in range(5)] if key == "units" else ITEMS
    expected = text
    for item in items:
        expected = append_list_item(expected, key, item)
    assert register.append_all(text, key, items, Path("x.yml")) == expected


def test_many_units_read_the_large_file_a_bounded_number_of_times(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Appending one by one re-reads the whole units.yml per unit: 1,000 units took minutes."""
    from kb.contrib import reportyaml
    big_reads = []
    real = reportyaml.load

    def counting(text: str) -> object:
        if text.count("\n") > 20:
            big_reads.append(1)
        return real(text)

    monkeypatch.setattr(reportyaml, "load", counting)
    rows = [(f"市第{n}号局", f"市第{n}号局党组", "1", "1") for n in range(60)]
    plan = register.plan(data_dir, roster(*rows), CAMPAIGN)
    big_reads.clear()
    register.apply(data_dir, plan)
    assert len(big_reads) <= 12  # a few per file, not one per unit
    units = (data_dir / "units.yml").read_text(encoding="utf-8")
    assert units.count("号局党组}") == 60
    assert [p for p in load_and_validate(data_dir)[1] if p.is_error] == []


def test_roster_and_register_name_registered_intake_rules_and_use_all_of_theirs() -> None:
    import ast

    from conftest import HOOKS
    used = set()
    for name in ("roster.py", "register.py"):
        tree = ast.parse((HOOKS / "kb" / "contrib" / "intake" / name).read_text(encoding="utf-8"))
        used |= {n.attr for n in ast.walk(tree)
                 if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "rules"}
    intake_used = {n for n in used if n.startswith("INTAKE_")}
    assert all(rules.INTAKE[getattr(rules, n).id] is getattr(rules, n) for n in intake_used)
    ours = {"INTAKE_ROSTER_UNREADABLE", "INTAKE_ROSTER_NO_HEADER", "INTAKE_ROSTER_TOO_MANY_ROWS", "INTAKE_ROSTER_ROW",
            "INTAKE_UNIT_CONFLICT", "INTAKE_UNIT_INCOMPLETE", "INTAKE_CAMPAIGN_UNKNOWN", "INTAKE_GROUP_UNKNOWN",
            "INTAKE_BATCH_UNKNOWN", "INTAKE_ROSTER_MISSING", "INTAKE_ROSTER_CONFLICT"}
    assert ours <= intake_used
