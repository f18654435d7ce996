"""The heading of a report page: the unit, then the report's title — the unit only once when
the title already names it (issue 18: 市水利局：市水利局2023年…)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import DATA
from kb.markup.render import SiteSettings
from kb.site import build
from kb.site.pages import report_page


@pytest.fixture(scope="module")
def report():
    model, _ = build.load(DATA)
    return next(r for r in model.reports if r.unit.name == "市财政局")


def heading(report) -> str:
    content = report_page(report, SiteSettings(build_date="2026-01-01")).content
    return re.search(r"^# (.*) \{ #report-title", content, re.M).group(1)


@pytest.mark.parametrize(("title", "expected"), [
    ("2023年主题教育开展成效自查评估报告", "市财政局：2023年主题教育开展成效自查评估报告"),
    ("市财政局2023年主题教育开展成效自查评估报告", "市财政局2023年主题教育开展成效自查评估报告"),
    ("中共市财政局党组关于主题教育开展成效的自查评估报告", "中共市财政局党组关于主题教育开展成效的自查评估报告"),
    ("市财政2023年自查评估报告", "市财政局：市财政2023年自查评估报告"),
], ids=["campaign-title", "starts-with-unit", "names-unit-inside", "unit-name-incomplete"])
def test_report_heading_names_the_unit_once(report, title: str, expected: str) -> None:
    assert heading(dataclasses.replace(report, title=title)) == expected
