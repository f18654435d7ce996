"""Guidance-group views in headless Chromium: the dashboard on screen and in print (with
screenshots and an A4 PDF whose text is checked), the ledger filter, the sortable
comparison table, the copy-detection block, and no request to any other host.

Screenshots go to build/screenshots/views/ for people to look at.
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import CHROMIUM_ARGS, DATA, ROOT, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "build" / "screenshots" / "views"
BUILD_DATE = "2026-01-01"  # SOURCE_DATE_EPOCH of the built_site fixture


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(chromium: str):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, base_url: str):
    """A page that records requests to other hosts and script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.foreign = []
    tab.errors = []
    tab.on("request", lambda r: None if r.url.startswith((base_url, "data:", "blob:"))
           else tab.foreign.append(r.url))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    assert not tab.foreign, tab.foreign
    assert not tab.errors, tab.errors
    context.close()


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ledger_items() -> list[tuple[str, str, dict]]:
    return [(c.name, p.stem, item) for c in sorted((DATA / "reports").iterdir())
            for p in sorted(c.glob("*.yml")) for item in _load(p).get("ledger") or []]


def _group_of(campaign: str, unit: str) -> str:
    roster = _load(DATA / "campaigns" / f"{campaign}.yml")["roster"]
    return next(e["group"] for e in roster if e["unit"] == unit)


def _overdue(item: dict) -> bool:
    return item["status"] in {"推进中", "未开始"} and str(item["deadline"]) < BUILD_DATE


def test_dashboard_on_screen_and_in_print(page, base_url: str, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(base_url + "views/2023-zhuti/")
    page.wait_for_load_state("networkidle")
    charts = page.locator(".kb-chart svg")
    assert charts.count() >= 3
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 250 and box["height"] > 40
    assert page.locator(".kb-views-nav").is_visible()
    page.screenshot(path=str(SHOTS / "dashboard-screen.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".kb-views-nav").is_visible()
    box = charts.first.bounding_box()
    assert box and box["width"] > 250
    page.screenshot(path=str(SHOTS / "dashboard-print.png"), full_page=True)

    pdf = SHOTS / "dashboard.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run([require_tool("pdftotext", "checks the printed dashboard"), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    info = subprocess.run([require_tool("pdfinfo", "checks the paper of the PDF"), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert round(width) == 842 and round(height) == 595  # A4 landscape: wide tables and charts
    for label in ("各项数据合计", "第一指导组", "领导班子领题调研课题", "报送情况", "原创度"):
        assert label in text.replace(" ", ""), label


def test_ledger_filter(page, base_url: str) -> None:
    items = ledger_items()
    page.goto(base_url + "views/ledger/")
    rows = page.locator("#ledger-items tbody tr")
    visible = page.locator("#ledger-items tbody tr:visible")
    assert rows.count() == len(items) == visible.count()
    assert page.locator(".kb-filter__count").inner_text() == f"显示 {len(items)} / {len(items)} 条"

    page.select_option("select[name=status]", "已完成")
    done = [i for i in items if i[2]["status"] == "已完成"]
    assert visible.count() == len(done) > 0
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.kbStatus)")) == {"已完成"}

    page.select_option("select[name=status]", "")
    page.select_option("select[name=group]", "g1")
    page.select_option("select[name=campaign]", "2023-zhuti")
    page.check("input[name=overdue]")
    wanted = [i for i in items if i[0] == "2023-zhuti" and _group_of(i[0], i[1]) == "g1"
              and _overdue(i[2])]
    assert visible.count() == len(wanted) > 0
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.kbOverdue)")) == {"yes"}
    assert page.locator(".kb-filter__count").inner_text() == f"显示 {len(wanted)} / {len(items)} 条"
    page.screenshot(path=str(SHOTS / "ledger-filtered.png"), full_page=True)

    # The filter is in the address, so a link (e.g. from a dashboard) opens it filtered.
    assert "campaign=2023-zhuti" in page.url and "overdue=yes" in page.url
    page.goto(page.url)
    assert visible.count() == len(wanted)


def test_ledger_is_complete_without_javascript(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "views/ledger/")
    assert tab.locator("#ledger-items tbody tr:visible").count() == len(ledger_items())
    assert tab.locator("select").count() == 0
    context.close()


def test_comparison_table_sorts(page, base_url: str) -> None:
    page.goto(base_url + "views/2023-zhuti/compare/")
    table = page.locator("#compare-table table")
    header = table.locator("thead th").nth(3)  # first figure column
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"

    def column() -> list[str]:
        return table.locator("tbody tr").evaluate_all(
            "rs => rs.map(r => r.cells[3].textContent.trim())")

    values = column()
    numbers = [int(v) for v in values if v != "—"]
    assert numbers == sorted(numbers, reverse=True)
    assert values[len(numbers):] == ["—"] * (len(values) - len(numbers))
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    numbers = [int(v) for v in column() if v != "—"]
    assert numbers == sorted(numbers)
    page.screenshot(path=str(SHOTS / "compare-sorted.png"), full_page=True)


def test_report_page_copy_block_on_screen_not_in_print(page, base_url: str) -> None:
    page.goto(base_url + "views/2023-zhuti/")
    page.locator("#originality-table tbody tr").first.locator("a").click()  # the most copied
    page.wait_for_url("**/reports/2023-zhuti/*/#originality")
    block = page.locator("div#originality")
    block.wait_for()
    assert block.is_visible() and "重复率在本次学习教育" in block.inner_text()
    block.locator("summary").click()
    assert block.locator("li").count() >= 1
    page.screenshot(path=str(SHOTS / "report-originality.png"))
    page.emulate_media(media="print")
    assert not block.is_visible()
