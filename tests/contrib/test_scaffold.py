"""New unit from scratch: units.yml and rosters grow by one appended line (comments and
layout kept), the report outline is valid except for its 【请填写…】 placeholders, and
bad input is refused without writing anything."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from datacopy import copy_data

from conftest import ROOT
from kb.contrib import reportyaml, scaffold
from kb.data.blanks import SUBMITTED_PLACEHOLDER
from kb.data.load import load_and_validate

SCRIPT = ROOT / "scripts" / "new_unit.py"
NEW = scaffold.Request(unit="shi-sjj", campaign="2023-zhuti", group="g2", batch="1",
                       name="市审计局", party_org="市审计局党组")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return copy_data(tmp_path / "data")


def snapshot(data_dir: Path) -> dict[str, str]:
    return {str(p.relative_to(data_dir)): p.read_text(encoding="utf-8")
            for p in sorted(data_dir.rglob("*.yml"))}


def added_lines(before: str, after: str) -> list[str]:
    """The lines of ``after`` not in ``before``, checking nothing else changed."""
    old, new = before.splitlines(), after.splitlines()
    extra = [line for line in new if line not in old]
    assert [line for line in new if line not in extra] == old
    return extra


def problems_of(data_dir: Path, report: Path) -> list:
    return [p for p in load_and_validate(data_dir, only=[report])[1] if p.file.endswith(report.name)]


# --------------------------------------------------------------- create


def test_new_unit_is_appended_in_the_files_own_style(data_dir):
    before = snapshot(data_dir)
    outcome = scaffold.create(data_dir, NEW, today="2023-09-01")
    after = snapshot(data_dir)
    assert added_lines(before["units.yml"], after["units.yml"]) == [
        "  - {id: shi-sjj, name: 市审计局, party_org: 市审计局党组}"]
    assert added_lines(before["campaigns/2023-zhuti.yml"], after["campaigns/2023-zhuti.yml"]) == [
        "  - {unit: shi-sjj, group: g2, batch: 1}"]
    assert after["units.yml"].startswith(before["units.yml"].split("\n", 2)[0])  # modeline and comment kept
    assert set(after) - set(before) == {"reports/2023-zhuti/shi-sjj.yml"}
    assert {k for k in before if before[k] != after[k]} == {"units.yml", "campaigns/2023-zhuti.yml"}
    assert outcome.report == data_dir / "reports" / "2023-zhuti" / "shi-sjj.yml"


@pytest.mark.parametrize("campaign", ["2023-zhuti", "2024-dangji"])
def test_outline_is_valid_except_for_placeholders(data_dir, campaign):
    req = scaffold.Request(**{**NEW.__dict__, "campaign": campaign})
    report = scaffold.create(data_dir, req).report
    text = report.read_text(encoding="utf-8")
    assert text.startswith(reportyaml.REPORT_MODELINE + "\n")
    problems = problems_of(data_dir, report)
    placeholders = sum(line.count(scaffold.PLACEHOLDER) for line in text.splitlines() if not line.startswith("#"))
    assert placeholders >= 30
    # prose placeholders are errors; the all-zero figures are one warning (the outline starts at 0)
    assert sorted(p.rule for p in problems) == ["figures-zero"] + ["placeholder"] * placeholders
    # every figure of the campaign is there, at 0
    declared = reportyaml.load((data_dir / "campaigns" / f"{campaign}.yml").read_text(encoding="utf-8"))
    assert reportyaml.load(text)["figures"] == {f["key"]: 0 for f in declared["figures"]}
    # filled in (the date: the batch's deadline), the same file has no problem left
    filled = text.replace(SUBMITTED_PLACEHOLDER, declared["batches"][0]["deadline"])
    filled = re.sub(r"【请填写[^】]*】", "已按要求填写的内容", filled)
    filled = re.sub(r"(?m)^(  [a-z_]+): 0\b", r"\1: 3", filled)  # the figures, filled in
    report.write_text(filled, encoding="utf-8")
    assert problems_of(data_dir, report) == []


def test_uncommented_ledger_example_is_valid(data_dir):
    report = scaffold.create(data_dir, NEW, today="2023-09-01").report
    text = re.sub(r"【请填写[^】]*】", "内容", report.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^(  [a-z_]+): 0\b", r"\1: 3", text)
    lines = text.splitlines()
    start = lines.index("# ledger:")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("materials:"))
    lines[start:end] = [line[2:] for line in lines[start:end]]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems_of(data_dir, report) == []
    assert reportyaml.load(report.read_text(encoding="utf-8"))["ledger"][0]["status"] == "推进中"


def test_known_unit_already_in_roster_changes_no_shared_file(data_dir):
    before = snapshot(data_dir)
    outcome = scaffold.create(data_dir, scaffold.Request(unit="shi-tjj", campaign="2023-zhuti"))
    after = snapshot(data_dir)
    assert {k for k in after if before.get(k) != after[k]} == {"reports/2023-zhuti/shi-tjj.yml"}
    assert outcome.actions == ["已生成报告文件 data/reports/2023-zhuti/shi-tjj.yml"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "Shi_SJJ"}, "不可用"),
        ({"name": ""}, "请给出单位名称"),
        ({"name": "市财政局"}, "id 是 shi-czj"),
        ({"campaign": "2099-x"}, "没有学习教育“2099-x”"),
        ({"group": "g9"}, "没有指导组“g9”"),
        ({"batch": "3"}, "没有批次“3”"),
        ({"batch": ""}, "请给出指导组（--group）和批次（--batch）"),
        ({"unit": "shi-czj", "group": "g3"}, "属于指导组 g1"),
        ({"unit": "shi-czj", "group": "g1", "batch": "2"}, "属于第 1 批"),
    ],
    ids=["bad-id", "no-name", "name-taken", "campaign", "group", "batch", "no-batch", "other-group", "other-batch"],
)
def test_bad_requests_write_nothing(data_dir, changes, message):
    before = snapshot(data_dir)
    with pytest.raises(scaffold.ScaffoldError, match=re.escape(message)):
        scaffold.create(data_dir, scaffold.Request(**{**NEW.__dict__, **changes}))
    assert snapshot(data_dir) == before


def test_register_only_writes_no_report(data_dir):
    outcome = scaffold.create(data_dir, NEW, write_report=False)
    assert not outcome.report.exists()
    assert len(outcome.actions) == 2
    again = scaffold.create(data_dir, NEW, write_report=False)
    assert again.actions == ["单位 shi-sjj 已登记并在 2023-zhuti 的名单中，无需改动"]


def test_existing_report_needs_force(data_dir):
    scaffold.create(data_dir, NEW)
    with pytest.raises(scaffold.ScaffoldError, match="已经存在"):
        scaffold.create(data_dir, NEW)
    assert scaffold.create(data_dir, NEW, force=True).report.is_file()


def test_group_and_batch_by_name_or_number(data_dir):
    scaffold.create(data_dir, scaffold.Request(**{**NEW.__dict__, "group": "第三指导组", "batch": "第二批"}))
    roster = reportyaml.load((data_dir / "campaigns" / "2023-zhuti.yml").read_text(encoding="utf-8"))["roster"]
    assert roster[-1] == {"unit": "shi-sjj", "group": "g3", "batch": 2}


# ------------------------------------------------------- textual append

ITEM = {"id": "new-1", "name": "新单位: 甲, 乙", "party_org": "新单位党组"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# head\nunits:\n  - {id: a, name: A, party_org: P}\n# tail comment\n",
         "# head\nunits:\n  - {id: a, name: A, party_org: P}\n"
         '  - {id: new-1, name: "新单位: 甲, 乙", party_org: 新单位党组}\n# tail comment\n'),
        ("units:\n  - id: a\n    name: A  # note\n    party_org: P\n\nother: 1\n",
         "units:\n  - id: a\n    name: A  # note\n    party_org: P\n"
         '  - id: new-1\n    name: "新单位: 甲, 乙"\n    party_org: 新单位党组\n\nother: 1\n'),
        ("units:\n- {id: a, name: A, party_org: P}\n",
         'units:\n- {id: a, name: A, party_org: P}\n- {id: new-1, name: "新单位: 甲, 乙", party_org: 新单位党组}\n'),
        ("units: []  # none yet\n",
         'units:  # none yet\n  - {id: new-1, name: "新单位: 甲, 乙", party_org: 新单位党组}\n'),
        ("# only a comment\n",
         '# only a comment\nunits:\n  - {id: new-1, name: "新单位: 甲, 乙", party_org: 新单位党组}\n'),
    ],
    ids=["flow", "block", "flush-dash", "empty-list", "missing-key"],
)
def test_append_list_item(text, expected):
    assert scaffold.append_list_item(text, "units", ITEM) == expected


def test_append_refuses_what_it_cannot_do_safely():
    with pytest.raises(scaffold.ScaffoldError):
        scaffold.append_list_item("units: {a: 1}\n", "units", ITEM)


# ------------------------------------------------------------------ CLI


def run_cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--data-dir", str(data_dir), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_with_options(data_dir):
    result = run_cli(data_dir, "--unit", "shi-sjj", "--name", "市审计局", "--party-org", "市审计局党组",
                     "--campaign", "2023-zhuti", "--group", "2", "--batch", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "报告文件里有 40 处“【请填写……】”等着填写" in result.stdout
    assert "make preview UNIT=data/reports/2023-zhuti/shi-sjj.yml" in result.stdout


def test_cli_asks_for_what_is_missing(data_dir):
    answers = "2023-zhuti\nshi-sjj\n市审计局\n市审计局党组\ng2\n1\n"
    result = run_cli(data_dir, stdin=answers)
    assert result.returncode == 0, result.stdout + result.stderr
    for prompt in ("学习教育", "单位 id", "单位名称", "党组织名称", "指导组", "批次"):
        assert f"{prompt}" in result.stdout
    assert (data_dir / "reports" / "2023-zhuti" / "shi-sjj.yml").is_file()


def test_cli_without_answers_writes_nothing(data_dir):
    before = snapshot(data_dir)
    result = run_cli(data_dir, "--unit", "shi-sjj", "--campaign", "2023-zhuti")
    assert result.returncode == 2
    assert "缺少“单位名称（如 市财政局）”" in result.stdout
    assert snapshot(data_dir) == before


# ------------------------------------------------------ ids and report paths


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [("unit", "../../victim", "单位 id“../../victim”不可用"), ("unit", "/tmp/victim", "单位 id“/tmp/victim”不可用"),
     ("unit", "C:victim", "单位 id“C:victim”不可用"), ("campaign", "../../victim", "学习教育 id“../../victim”不可用"),
     ("campaign", "2023-Zhuti", "学习教育 id“2023-Zhuti”不可用"), ("campaign", "", "学习教育 id“”不可用")],
    ids=["unit-dotdot", "unit-absolute", "unit-drive", "campaign-dotdot", "campaign-upper", "campaign-empty"],
)
def test_report_file_checks_both_ids(data_dir, kind, value, message):
    ids = {"campaign": "2023-zhuti", "unit": "shi-czj", kind: value}
    with pytest.raises(scaffold.ScaffoldError, match=re.escape(message)):
        scaffold.report_file(data_dir, ids["campaign"], ids["unit"])


@pytest.mark.parametrize("link", ["folder", "file"])
def test_report_file_refuses_a_link_out_of_reports(data_dir, tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = data_dir / "reports" / "2023-zhuti"
    if link == "folder":
        folder.symlink_to(elsewhere, target_is_directory=True)
    else:
        folder.mkdir(parents=True)
        (folder / "shi-czj.yml").symlink_to(elsewhere / "victim.yml")
    with pytest.raises(scaffold.ScaffoldError, match="指向 data/reports/ 之外"):
        scaffold.report_file(data_dir, "2023-zhuti", "shi-czj")
    if link == "file":  # the folder itself is fine: other reports in it can still be written
        assert scaffold.report_file(data_dir, "2023-zhuti", "shi-jyj") == folder / "shi-jyj.yml"


def test_report_file_of_good_ids(data_dir):
    assert scaffold.report_file(data_dir, "2023-zhuti", "shi-czj") == data_dir / "reports" / "2023-zhuti" / "shi-czj.yml"


def test_campaign_whose_id_is_a_path_writes_nothing(data_dir, tmp_path):
    """A campaign file (say from a pull request) whose id climbs out of data/."""
    text = (data_dir / "campaigns" / "2023-zhuti.yml").read_text(encoding="utf-8")
    (data_dir / "campaigns" / "evil.yml").write_text(text.replace("id: 2023-zhuti", 'id: "../../evil"', 1),
                                                      encoding="utf-8")
    before = snapshot(data_dir)
    with pytest.raises(scaffold.ScaffoldError, match=re.escape("学习教育 id“../../evil”不可用")):
        scaffold.create(data_dir, scaffold.Request(**{**NEW.__dict__, "campaign": "../../evil"}))
    assert snapshot(data_dir) == before
    assert not (tmp_path / "evil").exists()


def test_cli_refuses_a_campaign_id_that_is_a_path(data_dir):
    result = run_cli(data_dir, "--unit", "shi-sjj", "--name", "市审计局", "--party-org", "市审计局党组",
                     "--campaign", "../2023-zhuti", "--group", "2", "--batch", "1")
    assert result.returncode == 2
    assert "学习教育 id“../2023-zhuti”不可用：含有路径字符" in result.stdout


# ------------------------------------------------- issue 18: date and campaign names


def test_report_date_is_a_placeholder_the_validator_refuses_once(data_dir):
    """make new-unit writes no date nobody chose (it was today's, which passed unnoticed)."""
    report = scaffold.create(data_dir, NEW).report
    assert reportyaml.load(report.read_text(encoding="utf-8"))["submitted"] == SUBMITTED_PLACEHOLDER
    on_date = [p for p in problems_of(data_dir, report) if p.path == "submitted"]
    assert [(p.rule, p.line) for p in on_date] == [("placeholder", 13)], on_date


@pytest.mark.parametrize("given", ["2023年主题教育", "学习贯彻习近平新时代中国特色社会主义思想主题教育", " 2023-zhuti "])
def test_campaign_by_short_name_or_name(data_dir, given):
    outcome = scaffold.create(data_dir, scaffold.Request(**{**NEW.__dict__, "campaign": given}))
    assert outcome.report == data_dir / "reports" / "2023-zhuti" / "shi-sjj.yml"
    roster = reportyaml.load((data_dir / "campaigns" / "2023-zhuti.yml").read_text(encoding="utf-8"))["roster"]
    assert roster[-1] == {"unit": "shi-sjj", "group": "g2", "batch": 1}


def test_cli_takes_the_campaigns_short_name(data_dir):
    result = run_cli(data_dir, "--unit", "shi-sjj", "--name", "市审计局", "--party-org", "市审计局党组",
                     "--campaign", "2023年主题教育", "--group", "第二指导组", "--batch", "第一批")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (data_dir / "reports" / "2023-zhuti" / "shi-sjj.yml").is_file()


def test_cli_prints_the_outline_to_copy_a_deleted_part_and_writes_nothing(data_dir):
    before = snapshot(data_dir)
    result = run_cli(data_dir, "--unit", "shi-czj", "--campaign", "2023年主题教育", "--print")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "problems:  # 二、存在的问题和不足之处\n  intro: |-" in result.stdout
    assert result.stdout.startswith(reportyaml.REPORT_MODELINE)
    assert snapshot(data_dir) == before


def test_unknown_campaign_name_lists_the_choices(data_dir):
    with pytest.raises(scaffold.ScaffoldError, match="没有学习教育“2023主题教育”，可选：2023-zhuti（2023年主题教育）"):
        scaffold.create(data_dir, scaffold.Request(**{**NEW.__dict__, "campaign": "2023主题教育"}))
