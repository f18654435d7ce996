"""The drafted summaries (kb.upward.drafts) on the built example site: one .docx per
campaign and per guidance group, marked 初稿, in the official layout, giving the
dashboard's numbers (read from the dashboard's HTML), the same bytes on every build."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from datacopy import copy_data

from conftest import DATA
from kb.markup.render import SiteSettings
from kb.official import word
from kb.site import build
from kb.upward import drafts
from kb.upward.producer import upward_pages
from kb.upward.summary import upward
from views.test_views import CAMPAIGN_IDS, body_rows, cards, groups_of

pytestmark = pytest.mark.slow

BUILD_DATE = "2026-01-01"  # SOURCE_DATE_EPOCH of the built_site fixture
SCOPES = [(cid, None) for cid in CAMPAIGN_IDS] + [
    (cid, g["id"]) for cid in CAMPAIGN_IDS for g in groups_of(cid)]


def draft_path(site: Path, cid: str, gid: str | None) -> Path:
    return site / "views" / cid / "upward" / (f"{gid}/" if gid else "") / "summary.docx"


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph."""
    doc = docx.Document(str(path))
    return [(p.style.name, p.text) for p in doc.paragraphs]


def table_rows(path: Path, index: int) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in docx.Document(str(path)).tables[index].rows]


def group_column(cid: str, gid: str | None) -> int | None:
    """Column of the group in the dashboard's totals table (None: the campaign's total)."""
    if gid is None:
        return None
    return 3 + [g["id"] for g in groups_of(cid)].index(gid)


def group_row(rows: list[list[str]], cid: str, gid: str | None) -> list[str]:
    label = "合计" if gid is None else next(g["name"] for g in groups_of(cid) if g["id"] == gid)
    return next(r for r in rows if r[0] == label)


@pytest.mark.parametrize(("cid", "gid"), SCOPES)
def test_a_draft_per_campaign_and_group_marked_draft_with_the_outline(built_site, cid, gid):
    found = paragraphs(draft_path(built_site, cid, gid))
    assert found[0][0] == "Title" and "初稿" in found[0][1]
    assert any("初稿" in text for _, text in found[1:4])
    headings = [text for style, text in found if style == "Heading 1"]
    assert headings == ["一、基本情况", "二、主要成效和典型做法", "三、存在的共性问题",
                        "四、整改推进情况", "五、下步工作建议"]
    last = [text for style, text in found].index("五、下步工作建议")
    assert all(style == word.STYLE_SIGNATURE for style, _ in found[last + 1:])  # left to write


@pytest.mark.parametrize(("cid", "gid"), SCOPES)
def test_draft_figures_are_the_dashboards(built_site, cid, gid):
    """Units due, reported, late, missing; every figure's total; ledger by status, overdue."""
    url = f"views/{cid}/"
    path = draft_path(built_site, cid, gid)
    text = "\n".join(t for _, t in paragraphs(path))
    submission = group_row(body_rows(built_site, url, "submission-table"), cid, gid)
    due, reported, _on_time, late, missing = submission[1:6]
    if gid is None:
        c = cards(built_site, url)
        assert (c["应报单位"], c["已报送"], c["迟报"], c["未报送单位"]) == tuple(
            int(x) for x in (due, reported, late, missing))
    assert f"应报单位{due}个，已报送{reported}份" in text
    assert f"迟报{late}份；未报送单位{missing}个" in text
    column = group_column(cid, gid)
    dashboard = {row[0]: row[1 if column is None else column]
                 for row in body_rows(built_site, url, "totals-table")}
    figures = table_rows(path, 0)[1:]
    assert {f"{label}（{unit}）": total for label, total, unit, _ in figures} == dashboard
    header = cells_header(built_site, url)
    ledger = group_row(body_rows(built_site, url, "ledger-table"), cid, gid)
    by_status = dict(zip(header[2:-1], ledger[2:-1], strict=True))
    assert f"整改台账共{ledger[1]}条" in text
    for status, count in by_status.items():
        assert f"{status}{count}条" in text
    assert f"逾期未完成{ledger[-1]}条" in text


def cells_header(site: Path, url: str) -> list[str]:
    from views.test_views import tables

    return tables(site, url)["ledger-table"][0][1]


def test_overdue_items_are_listed_with_their_units(built_site):
    path = draft_path(built_site, "2023-zhuti", None)
    rows = table_rows(path, 1)
    assert rows[0] == drafts.OVERDUE_HEADER
    assert len(rows) > 1 and all(int(r[3]) > 0 for r in rows[1:])


def test_drafts_are_byte_identical_to_a_fresh_build(built_site):
    """A second computation gives the site's bytes (dates are the build date, not now)."""
    kb, _ = build.load(DATA)
    for campaign in upward(kb, BUILD_DATE):
        for scope in campaign.scopes():
            gid = scope.group.id if scope.group else None
            fresh = drafts.docx_bytes(scope, BUILD_DATE)
            assert draft_path(built_site, scope.campaign.id, gid).read_bytes() == fresh


def test_draft_core_properties_are_dated_with_the_build_date(built_site):
    doc = docx.Document(io.BytesIO(draft_path(built_site, "2023-zhuti", "g1").read_bytes()))
    assert doc.core_properties.created.date().isoformat() == BUILD_DATE
    assert "初稿" in doc.core_properties.title


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_dashboard_links_to_the_upward_page_and_it_to_the_draft(built_site, cid):
    dashboard = (built_site / "views" / cid / "index.html").read_text("utf-8")
    assert 'href="upward/"' in dashboard
    overview = (built_site / "views" / "index.html").read_text("utf-8")
    assert f'href="{cid}/upward/"' in overview
    page = (built_site / "views" / cid / "upward" / "index.html").read_text("utf-8")
    assert re.search(r'href="summary\.docx" download="[^"]*初稿[^"]*\.docx"', page)


def test_a_campaign_without_reports_gets_a_page_and_a_draft(tmp_path):
    """Data with rosters but no reports yet: nothing to group, every unit missing."""
    data = copy_data(tmp_path / "data")
    kb, _ = build.load(data)
    material = upward(kb, BUILD_DATE)
    scope = material[0].scope()
    assert scope.problems == [] and scope.practices == [] and scope.submitted == 0
    assert scope.missing == scope.expected > 0
    assert "一、基本情况" in docx.Document(io.BytesIO(drafts.docx_bytes(scope, BUILD_DATE))).paragraphs[3].text
    pages = upward_pages(kb, SiteSettings(build_date=BUILD_DATE))
    assert any("暂未发现两个以上单位共有的问题" in p.content for p in pages)
