"""Synthetic campaigns (with batches and figures), guidance groups and study materials."""

from __future__ import annotations

import datetime as dt

# ---------------------------------------------------------------------------------------
# Campaigns, groups, materials
# ---------------------------------------------------------------------------------------

GROUP_COUNT = 8


def iso_date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _figs(spec: str) -> list[dict]:
    out = []
    for item in spec.split(";"):
        key, label, unit, req = item.split(",")
        out.append({"key": key, "label": label, "unit": unit, "required": req == "1"})
    return out


CAMPAIGNS: list[dict] = [
    {
        "id": "2019-bwcx", "name": "“不忘初心、牢记使命”主题教育", "short_name": "2019年主题教育",
        "report_title": "“不忘初心、牢记使命”主题教育自查评估报告", "addressee_prefix": "主题教育",
        "start": iso_date("2019-06-01"), "end": iso_date("2020-01-31"),
        "summary": "根本任务是深入学习贯彻习近平新时代中国特色社会主义思想，锤炼忠诚干净担当的政治品格。",
        "batches": [(1, "第一批", "2019-06-01", "2019-08-31", "2019-09-15"),
                    (2, "第二批", "2019-09-01", "2020-01-31", "2020-02-10")],
        "figures": _figs("study_sessions,集中学习研讨,次,1;research_topics,领导班子调研课题,个,1;"
                         "problems_found,检视问题,个,1;problems_rectified,已整改问题,个,1;"
                         "lectures,讲专题党课,次,0"),
    },
    {
        "id": "2021-dsxx", "name": "党史学习教育", "short_name": "2021年党史学习教育",
        "report_title": "党史学习教育开展情况自查评估报告", "addressee_prefix": "党史学习教育",
        "start": iso_date("2021-02-20"), "end": iso_date("2021-12-31"),
        "summary": "学史明理、学史增信、学史崇德、学史力行，开展“我为群众办实事”实践活动。",
        "batches": [(1, "全体党组织", "2021-02-20", "2021-12-31", "2022-01-15")],
        "figures": _figs("study_sessions,专题学习,次,1;deeds,为群众办实事,项,1;"
                         "lectures,讲专题党课,次,1;suggestions,征集意见建议,条,0"),
    },
    {
        "id": "2023-zhuti", "name": "学习贯彻习近平新时代中国特色社会主义思想主题教育",
        "short_name": "2023年主题教育", "report_title": "2023年主题教育开展成效自查评估报告",
        "addressee_prefix": "主题教育", "start": iso_date("2023-04-01"), "end": iso_date("2024-01-31"),
        "summary": "总要求是“学思想、强党性、重实践、建新功”。",
        "batches": [(1, "第一批", "2023-04-01", "2023-08-31", "2023-09-15"),
                    (2, "第二批", "2023-09-01", "2024-01-31", "2024-02-05")],
        "figures": _figs("research_topics,领导班子领题调研课题,个,1;field_visits,到基层走访,次,1;"
                         "problems_collected,收集到各项问题,个,1;research_reports,撰写专题调研报告,篇,1;"
                         "problems_solved,解决实际问题,个,1;petitions_resolved,解决信访问题,件,1;"
                         "suggestions,征集意见建议,条,0;practical_deeds,为民办实事,项,0;"
                         "rules_established,建章立制,项,0"),
    },
    {
        "id": "2024-dangji", "name": "党纪学习教育", "short_name": "2024年党纪学习教育",
        "report_title": "2024年党纪学习教育开展情况自查评估报告", "addressee_prefix": "党纪学习教育",
        "start": iso_date("2024-04-01"), "end": iso_date("2024-07-31"),
        "summary": "以学习贯彻新修订的《中国共产党纪律处分条例》为重点，引导党员干部学纪、知纪、明纪、守纪。",
        "batches": [(1, "全体党组织", "2024-04-01", "2024-07-31", "2024-08-10")],
        "figures": _figs("reading_days,举办读书班,天,1;seminars,开展专题研讨,次,1;"
                         "warning_sessions,开展警示教育,次,1;problems_found,检视问题,个,1;"
                         "problems_rectified,已整改问题,个,1;rules_established,建章立制,项,0"),
    },
]

MATERIAL_KINDS = [
    ("原著", True), ("重要讲话", True), ("辅导读本", False), ("党内法规", False),
    ("专题党课", False), ("典型案例", False), ("警示教育", False),
]


def materials_for(campaign: dict) -> list[dict]:
    """Five synthetic study materials of a campaign, the first two required."""
    out = []
    for i, (category, required) in enumerate(MATERIAL_KINDS[:5], start=1):
        out.append({
            "id": f"{campaign['id']}-m{i}",
            "title": f"{campaign['short_name']}{category}学习材料（第{i}册）",
            "category": category,
            "required": required,
            "publisher": "示例出版社（虚构）",
            "date": campaign["start"] + dt.timedelta(days=i),
            "campaigns": [campaign["id"]],
            "summary": f"供{campaign['short_name']}学习使用的{category}类示例材料，内容为基准测试虚构。",
        })
    return out


GENERAL_MATERIALS = [
    {"id": "general-m1", "title": "党务工作实用手册（示例）", "category": "其他", "required": False,
     "publisher": "示例出版社（虚构）", "date": iso_date("2020-05-01"), "campaigns": [],
     "summary": "各次学习教育通用的党务工作参考资料（虚构）。"},
    {"id": "general-m2", "title": "基层调查研究案例选编（示例）", "category": "典型案例",
     "required": False, "publisher": "示例出版社（虚构）", "date": iso_date("2022-03-01"),
     "campaigns": [], "summary": "调查研究的典型案例汇编（虚构）。"},
]
