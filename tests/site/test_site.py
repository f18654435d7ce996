"""The example site as a whole: strict build, every report rendered in full, indexes,
materials back-links, nav size, no external resources, and a failing build on bad data."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import DATA, run_mkdocs

pytestmark = pytest.mark.slow

REPORT_FILES = sorted((DATA / "reports").glob("*/*.yml"))
PROSE_KEYS = {"opening", "intro", "text", "lead", "title"}


class TextExtractor(HTMLParser):
    """Visible text of the article element of a Material page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = TextExtractor()
    parser.feed(html)
    return re.sub(r"\s+", "", "".join(parser.parts))


def prose_lines(node, key: str = "") -> list[str]:
    """Every line of prose in a report's data, stripped of Markdown markers."""
    if isinstance(node, dict):
        return [line for k, v in node.items() for line in prose_lines(v, k)]
    if isinstance(node, list):
        return [line for v in node for line in prose_lines(v, key)]
    if isinstance(node, str) and key in PROSE_KEYS:
        lines = []
        for raw in node.splitlines():
            text = re.sub(r"^\s*(?:[-*+]|\d+\.|#+|>)\s+", "", raw)
            text = re.sub(r"\*\*|__|`", "", text)
            text = re.sub(r"\s+", "", text)
            if text:
                lines.append(text)
        return lines
    return []


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("report_file", REPORT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_report_page_shows_every_line_of_prose(built_site: Path, report_file: Path) -> None:
    data = yaml.safe_load(report_file.read_text(encoding="utf-8"))
    text = article_text(page(built_site, f"reports/{data['campaign']}/{data['unit']}"))
    missing = [line for line in prose_lines(data) if line not in text]
    assert not missing, missing[:3]
    for value in (data.get("figures") or {}).values():
        assert str(value) in text


def test_report_page_outline_and_ledger(built_site: Path) -> None:
    html = page(built_site, "reports/2023-zhuti/shi-czj")
    for heading in ("一、工作开展情况及创新亮点做法", "二、存在的问题和不足之处", "三、下步工作打算"):
        assert heading in html
    assert "主题教育第一指导组：" in html
    assert 'id="ledger"' in html and "<table>" in html
    assert "materials/#" in html  # links to the study materials it used
    assert "data/reports/2023-zhuti/shi-czj.yml" in html  # the data file it comes from


def test_every_campaign_page_lists_its_roster(built_site: Path) -> None:
    for campaign_file in sorted((DATA / "campaigns").glob("*.yml")):
        campaign = yaml.safe_load(campaign_file.read_text(encoding="utf-8"))
        units = {u["id"]: u["name"] for u in yaml.safe_load(
            (DATA / "units.yml").read_text(encoding="utf-8"))["units"]}
        text = article_text(page(built_site, f"reports/{campaign['id']}"))
        for entry in campaign["roster"]:
            assert units[entry["unit"]] in text
            submitted = (DATA / "reports" / campaign["id"] / f"{entry['unit']}.yml").exists()
            if not submitted:
                assert "未提交" in text


def test_materials_have_anchors_and_backlinks(built_site: Path) -> None:
    html = page(built_site, "materials")
    materials = yaml.safe_load((DATA / "materials.yml").read_text(encoding="utf-8"))["materials"]
    for material in materials:
        assert f'id="{material["id"]}"' in html
    campaigns_of = {m["id"]: m["campaigns"] for m in materials}
    sections = set()  # (material, campaign section) pairs that must list citing reports
    for report_file in REPORT_FILES:
        report = yaml.safe_load(report_file.read_text(encoding="utf-8"))
        for material in report.get("materials", []):
            in_campaign = report["campaign"] in campaigns_of[material]
            sections.add((material, report["campaign"] if in_campaign else "first section"))
    assert sections and html.count("引用本材料的报告") == len(sections)


def test_unit_pages_stay_out_of_the_nav(built_site: Path) -> None:
    """The home page links no unit page in its content, so none may appear in its HTML."""
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "reports/2023-zhuti/" in home  # campaign pages are in the nav
    for report_file in REPORT_FILES:
        assert f"{report_file.parent.name}/{report_file.stem}/" not in home


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1|localhost)""")


def test_every_page_names_every_nav_entry(built_site: Path) -> None:
    """Pages built late still show the titles of nav pages built before them (the hooks
    free a page's Markdown once it is written; its title must survive that)."""
    titles = ["报告库", "指导组视图", "整改台账", "学习材料", "参与贡献"]
    titles += [yaml.safe_load(p.read_text("utf-8"))["short_name"]
               for p in sorted((DATA / "campaigns").glob("*.yml"))]
    pages = sorted(built_site.glob("reports/*/*/index.html")) + [built_site / "index.html"]
    for page in pages:
        nav = page.read_text("utf-8").split("md-nav--primary", 1)[1]
        nav = nav.split("md-sidebar--secondary", 1)[0]  # the primary nav, not the page's toc
        assert not re.search(r">\s*None\s*<", nav), page
        for title in titles:
            assert title in nav, (page, title)


def test_no_resource_from_an_external_host(built_site: Path) -> None:
    """Pages load nothing from other hosts (links the reader clicks are allowed)."""
    for html_file in built_site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            assert not EXTERNAL.search(tag), (html_file, tag)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_chinese_ui(built_site: Path) -> None:
    assert '<html lang="zh"' in (built_site / "index.html").read_text(encoding="utf-8")


def test_bad_data_fails_the_whole_build(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    bad = data / "reports" / "2023-zhuti" / "shi-czj.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("unit: shi-czj", "unit: shi-czj\nunit: shi-czj"),
                   encoding="utf-8")
    site = tmp_path / "site"
    result = run_mkdocs(site, env={"KB_DATA_DIR": str(data)})
    assert result.returncode != 0
    assert "data/reports/2023-zhuti/shi-czj.yml:" in result.stderr
    assert not (site / "index.html").exists()


def test_properdocs_builds_the_same_site(tmp_path: Path, built_site: Path) -> None:
    site = tmp_path / "site"
    result = run_mkdocs(site, engine="properdocs", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    for report_file in REPORT_FILES:
        assert (site / "reports" / report_file.parent.name / report_file.stem / "index.html").exists()
    assert (site / "materials" / "index.html").exists()


def test_a_complete_build_marks_itself_complete(built_site: Path) -> None:
    record = json.loads((built_site / "kb-build.json").read_text(encoding="utf-8"))
    assert record["reports"] == len(REPORT_FILES)
    assert record["build_date"] == "2026-01-01"  # from SOURCE_DATE_EPOCH


def test_data_warnings_do_not_fail_the_build_and_are_listed_for_reviewers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    report = data / "reports" / "2023-zhuti" / "shi-czj.yml"
    doc = yaml.safe_load(report.read_text(encoding="utf-8"))
    collected = doc["figures"]["problems_collected"]
    text = report.read_text(encoding="utf-8")
    report.write_text(
        re.sub(r"(?m)^  problems_solved: \d+$", f"  problems_solved: {collected + 1}", text),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = run_mkdocs(site, env={"KB_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert "数据提示：data/reports/2023-zhuti/shi-czj.yml:" in result.stderr
    overview = article_text(page(site, "views"))
    assert f"（{collected + 1}）多于" in overview and "shi-czj.yml" in overview


def test_report_ledger_marks_overdue_items(built_site: Path) -> None:
    """Open items (推进中/未开始) past their deadline on the build date carry 逾期."""
    build_date = "2026-01-01"  # SOURCE_DATE_EPOCH of built_site
    checked = 0
    for report_file in REPORT_FILES:
        data = yaml.safe_load(report_file.read_text(encoding="utf-8"))
        ledger = data.get("ledger") or []
        overdue = sum(1 for i in ledger
                      if i["status"] in {"推进中", "未开始"} and str(i["deadline"]) < build_date)
        html = page(built_site, f"reports/{data['campaign']}/{data['unit']}")
        ledger_html = html[html.find('id="ledger"'):] if ledger else ""
        assert ledger_html.count("kb-badge--late\">逾期") == overdue, report_file
        checked += overdue
    assert checked  # the example data has overdue items
