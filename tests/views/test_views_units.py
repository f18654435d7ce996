"""Guidance-group views, piece by piece: overdue flags against the build date, reproducible
pages, escaping of data in the unsanitised (SVG) pages, links inside raw HTML, charts,
and the behaviour without the shipped template."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.site import build
from kb.urls import href
from kb.views import charts, copies, view_pages
from kb.views.ledger import ledger_rows, statuses
from kb.views.submission import submission_status

HOSTILE = '<img src=x onerror="alert(1)">第九<script>alert(2)</script>局'


@pytest.fixture(scope="module")
def kb():
    model, _ = build.load(DATA)
    return model


def settings(date: str = "2026-01-01") -> SiteSettings:
    return SiteSettings(build_date=date)


def test_overdue_follows_the_build_date(kb) -> None:
    early = ledger_rows(kb, "2000-01-01")
    late = ledger_rows(kb, "2100-01-01")
    assert early and not any(r.overdue for r in early)
    for row in late:
        assert row.overdue == (row.item.status in {"推进中", "未开始"} and not row.item.ongoing)
        expected = 0 if row.item.ongoing else (dt.date(2100, 1, 1) - dt.date.fromisoformat(row.item.deadline)).days
        assert row.days_overdue == (expected if row.overdue else 0)
    assert any(row.item.ongoing for row in late)  # the example data shows an ongoing deadline (常态化)


def test_item_due_on_the_build_date_is_not_yet_overdue(kb) -> None:
    index, row = next((i, r) for i, r in enumerate(ledger_rows(kb, "2000-01-01"))
                      if r.item.status == "推进中")
    assert not ledger_rows(kb, row.item.deadline)[index].overdue
    next_day = (dt.date.fromisoformat(row.item.deadline) + dt.timedelta(days=1)).isoformat()
    assert ledger_rows(kb, next_day)[index].days_overdue == 1


def test_missing_units_become_overdue_after_the_deadline(kb) -> None:
    campaign = kb.campaigns["2023-zhuti"]
    missing = [e for g in submission_status(kb, campaign, "2023-09-01") for e in g.missing]
    assert missing and not any(e.overdue for e in missing)
    later = [e for g in submission_status(kb, campaign, "2030-01-01") for e in g.missing]
    assert all(e.overdue and e.days_late > 0 for e in later)


def test_pages_are_reproducible_for_one_build_date(kb) -> None:
    first = {p.src_uri: p.content for p in view_pages(kb, settings())}
    again = {p.src_uri: p.content for p in view_pages(kb, settings())}
    assert first == again
    other = {p.src_uri: p.content for p in view_pages(kb, settings("2023-01-01"))}
    assert other["views/ledger.md"] != first["views/ledger.md"]


def test_only_pages_with_charts_skip_the_sanitiser(kb) -> None:
    for page in view_pages(kb, settings()):
        assert page.sanitize == ("<svg" not in page.content), page.src_uri


@pytest.mark.parametrize(
    ("src_from", "src_to", "expected"),
    [
        ("views/2023-zhuti/index.md", "reports/2023-zhuti/shi-czj.md", "../../reports/2023-zhuti/shi-czj/"),
        ("views/ledger.md", "views/index.md", "../"),
        ("views/ledger.md", "reports/2024-dangji/qu-xfj.md#ledger", "../../reports/2024-dangji/qu-xfj/#ledger"),
        ("views/2023-zhuti/compare.md", "views/2023-zhuti/index.md", "../"),
        ("views/index.md", "views/index.md", "./"),
        ("views/index.md", "index.md", "../"),
    ],
)
def test_links_inside_raw_html(src_from: str, src_to: str, expected: str) -> None:
    assert href(src_from, src_to) == expected


@pytest.mark.parametrize(("span", "step"), [(0, 1), (3, 1), (8, 2), (15, 5), (119, 50), (1938, 500)])
def test_axis_steps(span: int, step: int) -> None:
    assert charts.nice_step(span) == step


def test_charts_escape_labels_and_carry_values() -> None:
    svg = charts.bar_chart(HOSTILE, [(HOSTILE, 5), ("空", None)], "个")
    svg += charts.strip_chart(HOSTILE, [(HOSTILE, [(HOSTILE, 3)], 3.0)], "<b>")
    svg += charts.stacked_chart(HOSTILE, [(HOSTILE, [1, 2])],
                                [charts.Series(HOSTILE, "#000"), charts.Series("乙", "#111")])
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'data-value="5"' in svg and 'data-value="3"' in svg and "—" in svg


@pytest.fixture()
def hostile_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example data with a unit, group and ledger item whose texts are HTML."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for name, key, field in (("units.yml", "units", "name"), ("groups.yml", "groups", "name")):
        path = data / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc[key][0][field] = HOSTILE
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = data / "reports" / "2023-zhuti" / "shi-czj.yml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("problem: ", f"problem: '{HOSTILE}' # ", 1), encoding="utf-8")
    return data


def test_data_is_escaped_in_every_view_page(hostile_data: Path) -> None:
    model, _ = build.load(hostile_data)
    assert HOSTILE in {u.name for u in model.units.values()}
    pages = view_pages(model, settings())
    found = 0
    for page in pages:
        assert "<script" not in page.content and "<img" not in page.content, page.src_uri
        found += "&lt;img" in page.content or "\\&lt;img" in page.content
    assert found >= 3  # dashboards, comparison and ledger show the hostile names, escaped


def test_without_the_template_only_reports_are_compared(
    kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = kb.data_dir
    monkeypatch.setattr(kb, "data_dir", tmp_path)  # no template/ there
    extras = copies.report_extras(kb, settings())
    item = extras["2023-zhuti/shi-swj"]["originality"]
    assert not item.has_template and item.result.from_template == 0
    dashboard = next(p for p in view_pages(kb, settings()) if p.src_uri == "views/2023-zhuti/index.md")
    assert "未找到官方报告模板" in dashboard.content
    monkeypatch.setattr(kb, "data_dir", data_dir)
    with_template = copies.report_extras(kb, settings())["2023-zhuti/shi-swj"]["originality"]
    assert with_template.has_template and with_template.result.from_template > 0


def test_ranking_is_by_share_then_unit(kb) -> None:
    for items in copies.ranking(kb, BuildCache()).values():
        keys = [(-i.result.share(), i.report.unit.id) for i in items]
        assert keys == sorted(keys)
        assert [i.rank for i in items] == list(range(1, len(items) + 1))


def test_report_text_reads_like_the_page(kb) -> None:
    report = kb.report("2023-zhuti", "shi-czj")
    text = copies.report_text(report)
    assert text.startswith(report.opening)
    point = report.highlights[0].points[0]
    assert f"{point.lead}。{point.text}" in text
    assert not re.search(r"一、工作开展情况", text)  # the outline headings are ours, not the unit's


def test_ledger_statuses_follow_the_schema_of_the_data_being_built(kb):
    """The order comes from the model (the schema of the data dir built), not the repository's."""
    rows = ledger_rows(kb, "2026-01-01")
    seen = {row.item.status for row in rows}
    assert len(seen) > 1
    assert statuses(kb, rows) == [s for s in kb.ledger_statuses if s in seen]
    other = dataclasses.replace(kb, ledger_statuses=tuple(reversed(kb.ledger_statuses)))
    assert statuses(other, rows) == [s for s in reversed(kb.ledger_statuses) if s in seen]


def test_ongoing_and_worded_deadlines_on_the_ledger_and_report_pages(kb) -> None:
    """An ongoing deadline (长期坚持 …) is shown as the word and never overdue, even for an open
    status; a kept wording (deadline_text) is shown under its date on both pages."""
    from kb.site.pages import report_page

    report = next(r for r in kb.reports if len(r.ledger) >= 2)
    first, second = report.ledger[0], report.ledger[1]
    changed = [dataclasses.replace(first, deadline="持续推进", status="推进中", completed=""),
               dataclasses.replace(second, deadline="2000-03-31", deadline_text="2000年3月底前", status="推进中")]
    edited = dataclasses.replace(kb, reports=[dataclasses.replace(r, ledger=changed) if r is report else r
                                              for r in kb.reports])
    rows = [row for row in ledger_rows(edited, "2026-01-01") if row.report.id == report.id]
    assert [(row.overdue, row.item.ongoing) for row in rows] == [(False, True), (True, False)]
    ledger = next(p.content for p in view_pages(edited, settings()) if p.src_uri == "views/ledger.md")
    assert '<td class="kb-nowrap">持续推进</td>' in ledger
    assert '<td class="kb-nowrap">2000-03-31<br><small>原文：2000年3月底前</small></td>' in ledger
    page = report_page(next(r for r in edited.reports if r.id == report.id), settings()).content
    assert "| 持续推进 |" in page and "| 2000-03-31<br><small>原文：2000年3月底前</small> |" in page
