"""The Word importer: the filled-in template in every common layout imports to the same
valid data; figures, ledger, party organisation and addressee are recognised; whatever
cannot be mapped is reported with its text; and the rendered page shows every paragraph
of the original Word file (the issue's done-test)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import pytest
from datacopy import copy_data
from tests.fixtures.docx import builders as B

from conftest import ROOT, run_make, run_mkdocs
from kb.contrib import docx as di
from kb.contrib import reportyaml
from kb.contrib.reference import Reference
from kb.data import rules
from kb.data.blanks import SUBMITTED_PLACEHOLDER
from kb.data.problems import ERROR, INFO, LEVEL_ZH, WARNING, Problem
from kb.data.rules import IMPORT

SCRIPT = ROOT / "scripts" / "import_docx.py"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A copy of the shared data files with no reports (each test adds its own)."""
    return copy_data(tmp_path_factory.mktemp("kbdata") / "data")


@pytest.fixture(scope="module")
def ref(data_dir) -> Reference:
    return Reference.load(data_dir)


def build(tmp_path: Path, layout: str = "plain", paragraphs: list[str] | None = None, **kw) -> Path:
    paragraphs = paragraphs if paragraphs is not None else B.template_paragraphs(**kw).paragraphs
    return B.BUILDERS[layout](paragraphs, tmp_path / f"{layout}.docx")


def import_file(path: Path, data_dir: Path, **options) -> di.ImportResult:
    return di.import_docx(path, data_dir, today="2030-01-01", **options)


def write_and_validate(result: di.ImportResult, data_dir: Path) -> list:
    target = di.report_path(data_dir, result)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.to_yaml(), encoding="utf-8")
    try:
        # A Word report does not say which study materials it used: the importer writes
        # materials: [] and the validator's advice to list the required ones is expected.
        return [p for p in di.validate_report(data_dir, target)
                if p.file.endswith(target.name) and p.rule != "required-materials"]
    finally:
        target.unlink()


def levels(result: di.ImportResult, level: str) -> list[str]:
    return [n.message for n in result.all_problems() if n.level == level]


# --------------------------------------------------- the template, every layout

EXPECTED_LEADS = [
    ["淬炼政治忠诚", "坚定政治定力", "强化政治担当"],
    ["掌握思想武器", "扎实开展调查研究", "深刻检视“真整改”"],
    ["培塑正确政绩观", "坚持以人民为中心", "锻造过硬干部队伍"],
]
VARIANTS = [
    ("plain", ()),
    ("headings", ()),
    ("bold", ()),
    ("numbered", ()),
    ("plain", ("empty",)),
    ("headings", ("empty", "punct")),
    ("bold", ("punct",)),
    ("numbered", ("empty", "punct")),
]


def variant_paragraphs(transforms: tuple[str, ...]) -> list[str]:
    paragraphs = B.template_paragraphs().paragraphs
    if "empty" in transforms:
        paragraphs = B.with_empty_paragraphs(paragraphs)
    if "punct" in transforms:
        paragraphs = B.mixed_punctuation(paragraphs)
    return paragraphs


@pytest.fixture(scope="module")
def reference_data(data_dir, tmp_path_factory) -> dict:
    path = build(tmp_path_factory.mktemp("ref"), "plain")
    return import_file(path, data_dir).data


@pytest.mark.parametrize(("layout", "transforms"), VARIANTS, ids=["-".join((v[0],) + v[1]) for v in VARIANTS])
def test_template_imports_the_same_in_every_layout(tmp_path, data_dir, reference_data, layout, transforms):
    path = build(tmp_path, layout, variant_paragraphs(transforms))
    result = import_file(path, data_dir)
    assert result.data == reference_data
    assert levels(result, ERROR) == []
    assert result.unmapped == []
    assert write_and_validate(result, data_dir) == []


def test_template_outline_is_recognised(reference_data):
    d = reference_data
    assert (d["unit"], d["campaign"], d["submitted"]) == ("shi-czj", "2023-zhuti", "2023-09-08")
    assert "title" not in d and "signature" not in d  # both equal the defaults
    assert d["opening"].startswith("学习贯彻习近平新时代中国特色社会主义思想主题教育开展以来，市财政局党组")
    sections = d["highlights"]["sections"]
    assert [s["title"][:6] for s in sections] == ["坚持明方向，", "坚持学方法，", "坚持提本领，"]
    assert [[p.get("lead") for p in s["points"]] for s in sections] == EXPECTED_LEADS
    assert sections[0]["intro"].startswith("坚持政治机关首要属性")
    problems = d["problems"]
    assert problems["intro"].startswith("主题教育的扎实开展，为财政系统")
    # the template's own typo "二是是…" is one long sentence: no lead, text kept as written
    assert [p.get("lead", "") for p in problems["points"]] == [
        "还存在政治理论学习不够全面、深入和系统的问题", "", "主题教育成效转化还有待提升"]
    assert problems["points"][1]["text"].startswith("是还存在个别党员干部")
    assert [s["title"] for s in d["plans"]["sections"]] == [
        "持续用党的创新理论武装头脑指导实践", "做到“研以致用”把调研成果转化运用好",
        "强化行动自觉主题教育成果转化为推动工作高质量发展的生动实践"]
    assert d["plans"]["intro"].startswith("第一批主题教育进入收尾阶段")
    assert d["figures"] == B.FIGURES_2023
    assert d["materials"] == []


def test_template_typo_doubled_marker_is_pointed_out(tmp_path, data_dir):
    result = import_file(build(tmp_path, "plain"), data_dir)
    doubled = [n for n in result.all_problems() if "二是是" in n.message]
    assert [n.level for n in doubled] == [WARNING]
    assert doubled[0].found.startswith("二是是还存在")
    fixed = _replace(B.template_paragraphs().paragraphs, "二是是还存在", "二是还存在")
    assert not [n for n in import_file(build(tmp_path, "bold", fixed), data_dir).all_problems() if "重复" in n.message]


def test_mixed_punctuation_is_normalised(tmp_path, data_dir):
    result = import_file(build(tmp_path, "plain", variant_paragraphs(("punct",))), data_dir)
    text = reportyaml.dump(result.data)
    assert not re.search(r"[\u4e00-\u9fff][,:;]|[,:;][\u4e00-\u9fff]|[０-９]", text.split("\n", 1)[1])
    assert any("半角标点" in n for n in levels(result, INFO))


# ----------------------------------------------------------------- ledger


def test_ledger_table_becomes_the_ledger(tmp_path, data_dir):
    path = B.add_ledger(build(tmp_path, "bold"))
    result = import_file(path, data_dir)
    assert result.data["ledger"] == [
        {"problem": "预算绩效评价结果运用不充分", "measure": "建立评价结果与预算安排挂钩机制",
         "responsible_unit": "预算绩效管理处", "responsible_person": "处长（虚构）",
         "deadline": "2023-12-31", "status": "已完成", "completed": "2023-11-28"},
        {"problem": "惠企资金兑付时效偏慢", "measure": "推行免申即享，压缩审核环节",
         "responsible_unit": "经济建设处", "responsible_person": "副处长（虚构）",
         "deadline": "2024-03-31", "status": "推进中"},
        {"problem": "理论学习与业务结合不紧", "measure": "每季度开展一次专题研讨",
         "responsible_unit": "机关党委", "responsible_person": "专职副书记（虚构）",
         "deadline": "2024-06-30", "status": "长期坚持"},
    ]
    assert "附件" not in result.to_yaml().split("ledger:")[0]  # the caption is not prose
    assert write_and_validate(result, data_dir) == []


def test_ledger_as_people_write_it_becomes_valid_data(tmp_path, data_dir):
    rows = [["1", "问题甲", "措施甲", "处室", "某人", "2023年12月底", "整改中"],
            ["2", "问题乙", "措施乙", "处室", "某人", "长期坚持", "长期坚持"],
            ["3", "问题丙", "措施丙", "处室", "某人", "12月31日前", "已整改（2023.11.28）"],
            ["4", "问题丁", "措施丁", "处室", "某人", "常态化", ""]]
    result = import_file(B.add_ledger(build(tmp_path, "plain"), rows=rows), data_dir)
    assert [(i["deadline"], i.get("deadline_text"), i["status"]) for i in result.data["ledger"]] == [
        ("2023-12-31", "2023年12月底", "推进中"), ("长期坚持", None, "长期坚持"),
        ("2023-12-31", "12月31日前", "已完成"), ("常态化", None, "长期坚持")]
    assert result.data["ledger"][2]["completed"] == "2023-11-28"
    assert not [p for p in result.problems if p.rule.startswith("import-ledger")]
    assert write_and_validate(result, data_dir) == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["1", "问题甲", "措施甲", "处室", "某人", "尽快", "推进中"], "不是日期"),
        (["1", "问题乙", "措施乙", "处室", "某人", "2023-12-31", "研究中"], "状态“研究中”无法识别"),
        (["1", "问题丙", "措施丙", "处室", "某人", "2023-12-31", "已完成"], "没有完成日期"),
    ],
    ids=["deadline", "status", "completed"],
)
def test_bad_ledger_rows_are_reported(tmp_path, data_dir, row, message):
    path = B.add_ledger(build(tmp_path, "plain"), rows=[row])
    result = import_file(path, data_dir)
    assert any(message in n.message and row[1] in n.found for n in result.problems)


def test_ledger_statuses_come_from_the_data_dir_imported_into(tmp_path):
    data = copy_data(tmp_path / "data")
    schema_file = data / "schema" / "report.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    status = schema["properties"]["ledger"]["items"]["properties"]["status"]
    status["enum"] = [*status["enum"], "已暂停"]
    schema_file.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    path = B.add_ledger(build(tmp_path, "plain"), rows=[["1", "问题乙", "措施乙", "处室", "某人", "2023-12-31", "研究中"]])
    result = import_file(path, data)
    message = next(p.message for p in result.problems if p.rule == "import-ledger-status")
    assert message.endswith("应为未开始、推进中、长期坚持、已完成、已暂停")


def test_other_tables_become_markdown_tables(tmp_path, data_dir):
    path = B.add_table(build(tmp_path, "headings"), [["指标", "数量"], ["读书班", "5天"]], "把开展主题教育与中心工作")
    result = import_file(path, data_dir)
    # the table follows the paragraph that ends with 三是…: it belongs to that point
    text = result.data["highlights"]["sections"][2]["points"][2]["text"]
    assert text.endswith("强大动力。\n\n| 指标 | 数量 |\n|---|---|\n| 读书班 | 5天 |")
    assert write_and_validate(result, data_dir) == []


# --------------------------------------------- what cannot be mapped is said


def _replace(paragraphs: list[str], old: str, new: str) -> list[str]:
    return [p.replace(old, new) for p in paragraphs]


def test_leftover_paragraphs_are_reported_and_kept_as_comments(tmp_path, data_dir):
    paragraphs = B.template_paragraphs().paragraphs
    plans_end = paragraphs.index("中共市财政局党组")
    paragraphs = (["附件2", "（此件公开发布）"] + paragraphs[:plans_end]
                  + ["四、其他需要说明的事项", "本单位无其他需要说明的事项。"] + paragraphs[plans_end:])
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    texts = [n.found for n in result.unmapped]
    assert texts == ["附件2", "（此件公开发布）", "四、其他需要说明的事项", "本单位无其他需要说明的事项。"]
    yaml_text = result.to_yaml()
    for text in texts:
        assert f"#   {text}" in yaml_text
    assert reportyaml.load(yaml_text) == reportyaml.strip_comments(result.data)


@pytest.mark.parametrize(
    ("old", "new", "level", "needle"),
    [
        ("市财政局党组", "市审计局党组", ERROR, "市审计局党组"),
        ("第一指导组", "第九指导组", ERROR, "编号为 9 的指导组"),
        ("第一指导组", "第二指导组", WARNING, "属于 g1"),
        ("2023年9月8日", "", WARNING, "没有找到落款日期"),
        ("领题调研6个课题", "领题调研X个课题", WARNING, "还是“X”"),
        ("一是淬炼政治忠诚", "一是 淬炼政治忠诚", None, None),
    ],
    ids=["unknown-party-org", "unknown-group", "other-group", "no-date", "blank-x", "space"],
)
def test_problems_in_the_word_file_are_explained(tmp_path, data_dir, old, new, level, needle):
    paragraphs = [p for p in _replace(B.template_paragraphs().paragraphs, old, new) if p]
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    if level is None:
        assert levels(result, ERROR) == []
        assert result.data["highlights"]["sections"][0]["points"][0]["lead"] == "淬炼政治忠诚"
        return
    assert any(needle in m for m in levels(result, level)), result.all_problems()


def test_own_title_is_kept_and_the_campaign_found_from_the_addressee(tmp_path, data_dir):
    paragraphs = _replace(B.template_paragraphs().paragraphs, "2023年主题教育开展成效自查评估报告",
                          "关于开展自查评估的情况报告")
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    assert (result.campaign, result.data["title"]) == ("2023-zhuti", "关于开展自查评估的情况报告")
    assert levels(result, ERROR) == []


def test_unit_not_in_roster_suggests_new_unit(tmp_path, data_dir):
    paragraphs = _replace(B.template_paragraphs().paragraphs, "2023年主题教育开展成效自查评估报告",
                          "2024年党纪学习教育开展情况自查评估报告")
    paragraphs = _replace(paragraphs, "主题教育第一指导组", "党纪学习教育第一指导组")
    paragraphs = _replace(paragraphs, "市财政局党组", "市发展和改革委员会党组")
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    assert (result.campaign, result.unit) == ("2024-dangji", "shi-fgw")
    message = next(m for m in levels(result, ERROR) if "roster" in m)
    assert 'make new-unit ARGS="--register-only --unit shi-fgw --campaign 2024-dangji --group g1 --batch <批次>"' \
        in message


def test_unknown_unit_gets_the_command_that_registers_it(tmp_path, data_dir):
    paragraphs = _replace(B.template_paragraphs().paragraphs, "市财政局党组", "市档案局党组")
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    message = next(m for m in levels(result, ERROR) if "无法从正文确定单位" in m)
    assert ('make new-unit ARGS="--register-only --unit <单位id> --name 市档案局 --party-org 市档案局党组 '
            '--campaign 2023-zhuti --group g1 --batch <批次>"') in message


def test_missing_required_figure_is_a_commented_line(tmp_path, data_dir):
    paragraphs = _replace(B.template_paragraphs().paragraphs, "解决信访问题12件", "解决了一批信访问题")
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    assert "petitions_resolved" not in result.data["figures"]
    assert "  # petitions_resolved: 0  # Word 中没有找到“解决信访问题”（件）：必填" in result.to_yaml()
    problems = write_and_validate(result, data_dir)
    assert [p.rule for p in problems] == ["missing-figure"]


def test_points_without_sections_become_sections(tmp_path, data_dir):
    """三、下步工作打算 written as 一是/二是 instead of （一）（二）."""
    paragraphs = B.template_paragraphs().paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.startswith("三、"))
    plans = ["三、下步工作打算", "下一步，我们将巩固拓展主题教育成果。",
             "一是深化理论武装。每月开展一次集中学习。", "二是抓好问题整改。对账销号，逐项落实。"]
    paragraphs = paragraphs[:start] + plans + paragraphs[-2:]
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    assert result.data["plans"] == {
        "intro": "下一步，我们将巩固拓展主题教育成果。",
        "sections": [{"title": "深化理论武装", "text": "每月开展一次集中学习。"},
                     {"title": "抓好问题整改", "text": "对账销号，逐项落实。"}],
    }
    assert write_and_validate(result, data_dir) == []


def test_empty_document_is_an_error(tmp_path, data_dir):
    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    result = import_file(path, data_dir)
    assert not result.ok
    assert levels(result, ERROR) == ["Word 文件中没有任何文字段落"]


# ------------------------------------------- one Problem record, registered rules

DOCX_SOURCES = sorted((ROOT / "hooks" / "kb" / "contrib" / "docx").glob("*.py"))
SLIPS = [  # (old, new) in the template: together they raise most kinds of problem
    ("市财政局党组", "市档案局党组"), ("第一指导组", "第九指导组"), ("2023年9月8日", ""),
    ("领题调研6个课题", "领题调研X个课题"), ("（二）坚持学方法", "（五）坚持学方法"),
]


def test_import_problems_are_problem_records_with_registered_rules(tmp_path, data_dir):
    paragraphs = B.template_paragraphs().paragraphs
    for old, new in SLIPS:
        paragraphs = [p for p in _replace(paragraphs, old, new) if p]
    paragraphs = ["附件2"] + paragraphs + ["四、其他需要说明的事项", "本单位无其他需要说明的事项。"]
    result = import_file(B.add_ledger(build(tmp_path, "plain", paragraphs), rows=[B.LEDGER_ROWS[0][:5] + ["尽快", "研究中"]]),
                         data_dir)
    problems = result.all_problems()
    assert {p.level for p in problems} == {ERROR, WARNING, INFO}
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.rule in IMPORT, problem
        assert problem.level == IMPORT[problem.rule].level, problem
        assert problem.file == "plain.docx"
        assert problem.path == "" or re.fullmatch(r"第 \d+ 段", problem.path)
    assert len({p.rule for p in problems}) >= 12


def test_every_import_rule_is_registered_with_a_chinese_title_and_used():
    """The importer names its rules as ``rules.IMPORT_…`` constants of the registry (never an
    id as text), and every import rule of the registry is used."""
    used = set()
    for source in DOCX_SOURCES:
        text = source.read_text(encoding="utf-8")
        assert not re.search(r'"import-[a-z-]+"', text), f"{source.name}: a rule id written as text"
        used |= {node.attr for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Attribute)
                 and isinstance(node.value, ast.Name) and node.value.id == "rules"}
    constants = {name: getattr(rules, name, None) for name in used}
    assert all(rule is not None for rule in constants.values()), used
    # Validation rules may be named too (which validator findings block a write, result.py).
    imported = {name: rule for name, rule in constants.items() if rule.id not in rules.VALIDATION}
    assert {rule.id for rule in imported.values()} == set(IMPORT)
    for name, rule in imported.items():
        assert IMPORT.get(rule.id) is rule, name
        assert name == rule.id.upper().replace("-", "_")
        assert re.search(r"[\u4e00-\u9fff]", rule.title) and rule.level in (ERROR, WARNING, INFO)


# -------------------------------------------------------------------- CLI


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_writes_validates_and_refuses_to_overwrite(tmp_path, data_dir):
    path = build(tmp_path, "bold")
    target = data_dir / "reports" / "2023-zhuti" / "shi-czj.yml"
    try:
        first = run_cli(path, "--data-dir", data_dir)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "单位：市财政局（shi-czj）" in first.stdout
        assert "校验：共 0 个错误" in first.stdout
        assert target.read_text(encoding="utf-8").startswith(reportyaml.REPORT_MODELINE + "\n")
        again = run_cli(path, "--data-dir", data_dir)
        assert again.returncode == 2 and 'ARGS="--force"' in again.stdout
        assert run_cli(path, "--data-dir", data_dir, "--force").returncode == 0
    finally:
        target.unlink(missing_ok=True)


def test_cli_reports_validation_errors(tmp_path, data_dir):
    paragraphs = _replace(B.template_paragraphs().paragraphs, "领题调研6个课题", "领题调研X个课题")
    target = data_dir / "reports" / "2023-zhuti" / "shi-czj.yml"
    try:
        result = run_cli(build(tmp_path, "plain", paragraphs), "--data-dir", data_dir)
        assert result.returncode == 1
        assert re.search(r"shi-czj\.yml:\d+:\d+: 错误 .*模板占位符“[^”]*X个[^”]*”没有替换", result.stdout)
        assert "缺少必填数字 research_topics" in result.stdout
    finally:
        target.unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("report.doc", b"\xd0\xcf\x11\xe0", "另存为"), ("missing.docx", None, "找不到文件"),
     ("broken.docx", b"not a zip", "不是 Word 的 .docx 文件"), ("wps.docx", b"\xd0\xcf\x11\xe0", "另存为")],
)
def test_cli_refuses_unreadable_files(tmp_path, data_dir, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_cli(path, "--data-dir", data_dir)
    assert result.returncode == 2
    assert message in result.stdout


@pytest.mark.parametrize("docx", ["", " "], ids=["unset", "blank"])
def test_make_import_docx_without_a_file_explains_in_chinese(docx):
    result = run_make("import-docx", "DOCX", docx)
    assert result.returncode != 0
    assert "make import-docx DOCX=报告.docx" in result.stdout
    assert "找不到文件" not in result.stdout + result.stderr


def test_cli_lists_import_problems_like_the_validator(tmp_path, data_dir):
    paragraphs = [p for p in _replace(B.template_paragraphs().paragraphs, "2023年9月8日", "") if p]
    result = run_cli(build(tmp_path, "plain", paragraphs), "--data-dir", data_dir, "--stdout")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "  plain.docx: 警告 没有找到落款日期：报告日期（submitted）留作“【请填写报送日期…】”" in "\n".join(lines)
    assert any(re.fullmatch(r"  plain\.docx: 警告 \[第 \d+ 段\] .+", line) for line in lines), lines
    assert any(line.startswith("      原文：") for line in lines), lines
    assert "[注意]" not in result.stderr and "[说明]" not in result.stderr


def test_the_guide_uses_the_same_level_words():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = guide.index("## 2. 路线一")
    section = guide[start:guide.index("## 3.", start)]
    for word in LEVEL_ZH.values():
        assert f"**{word}**" in section
    assert "[注意]" not in section and "[说明]" not in section


def test_cli_unknown_unit_writes_nothing(tmp_path, data_dir):
    paragraphs = _replace(B.template_paragraphs().paragraphs, "市财政局党组", "市审计局党组")
    result = run_cli(build(tmp_path, "plain", paragraphs), "--data-dir", data_dir)
    assert result.returncode == 2
    assert "没有写出数据文件" in result.stdout
    assert not list((data_dir / "reports").glob("*/*.yml"))


# -------------------------------------------- done-test: the page shows it all

PAGE_UNITS = [  # layout, party organisation, group, unit id
    ("plain", "市财政局党组", "第一指导组", "shi-czj"),
    ("headings", "市教育局党委", "第二指导组", "shi-jyj"),
    ("bold", "区卫生健康局党组", "第二指导组", "qu-wjw"),
    ("numbered", "西湖街道党工委", "第三指导组", "jd-xihu"),
]


def _squash(text: str) -> str:
    return re.sub(r"\W", "", unicodedata.normalize("NFKC", text))


def _article_text(html: str) -> str:
    body = html.split("<article", 1)[1].split("</article>", 1)[0]
    return _squash(unicodedata.normalize("NFKC", re.sub(r"<[^>]+>", "", body.split(">", 1)[1])).replace("&nbsp;", ""))


@pytest.mark.slow
def test_rendered_page_shows_every_paragraph_of_the_word_file(tmp_path, tmp_path_factory):
    data = copy_data(tmp_path_factory.mktemp("pages") / "data")
    written, originals = [], {}
    for layout, org, group, unit in PAGE_UNITS:
        filled = B.template_paragraphs(party_org=org, group_name=group)
        paragraphs = B.mixed_punctuation(B.with_empty_paragraphs(filled.paragraphs)) \
            if layout == "numbered" else filled.paragraphs
        (tmp_path / unit).mkdir()
        path = B.add_ledger(build(tmp_path / unit, layout, paragraphs))
        result = import_file(path, data)
        assert result.unit == unit, result.all_problems()
        target = di.report_path(data, result)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.to_yaml(), encoding="utf-8")
        assert [p for p in di.validate_report(data, target) if p.is_error] == []
        written.append(target)
        originals[unit] = filled.paragraphs
    site = tmp_path / "site"
    env = {"KB_DATA_DIR": str(data), "KB_ONLY": ",".join(map(str, written)), "SOURCE_DATE_EPOCH": "1767225600"}
    build_run = run_mkdocs(site, env=env)
    assert build_run.returncode == 0, build_run.stderr
    for unit, paragraphs in originals.items():
        page = _article_text((site / "reports" / "2023-zhuti" / unit / "index.html").read_text(encoding="utf-8"))
        pos = 0
        for paragraph in paragraphs:
            found = page.find(_squash(paragraph), pos)
            assert found >= 0, f"{unit}: paragraph missing or out of order on the page: {paragraph[:40]}"
            pos = found + 1
        for row in B.LEDGER_ROWS:  # the ledger table too
            assert _squash(row[1]) in page and _squash(row[2]) in page


def test_a_report_without_a_date_gets_the_placeholder_the_validator_refuses(tmp_path, data_dir):
    """No 落款日期 in the Word file: submitted is the blank report's placeholder, never today's
    date (which passed validation unnoticed, issue 18), and validation names it."""
    paragraphs = [p for p in _replace(B.template_paragraphs().paragraphs, "2023年9月8日", "") if p]
    result = import_file(build(tmp_path, "plain", paragraphs), data_dir)
    assert result.data["submitted"] == SUBMITTED_PLACEHOLDER
    problems = write_and_validate(result, data_dir)
    assert [p.path for p in problems if p.level == ERROR] == ["submitted"]
