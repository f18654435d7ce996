"""WCAG 2.1 AA in headless Chromium: axe-core (bundled by axe-playwright-python) over every
page reachable from the home page of the example site, and over the states a reader makes:
the search open on a query with results and filters chosen, the ledger filtered, the 404 page.

Any violation fails the test, listed as ``page  rule  element  (summary)``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_pages import reachable, search_done

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def violations(tab, where: str) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(tab, options=AXE_OPTIONS).response
    return [f"{where}  {v['id']}  {' '.join(map(str, node['target']))}  ({node['failureSummary'][:160]!r})"
            for v in result["violations"] for node in v["nodes"]]


def test_every_reachable_page_meets_wcag_21_aa(page, site: str, built_site: Path) -> None:
    pages = reachable(built_site, site)
    assert len(pages) >= 40, pages
    found: list[str] = []
    for url in pages:
        page.goto(url)  # waits for "load": views.js has named and opened the scroll boxes by then
        found += violations(page, url.removeprefix(site) or "/")
    assert not found, f"{len(found)} WCAG violations:\n" + "\n".join(found)


def open_search_with_filters(tab, site: str) -> None:
    tab.goto(site)
    tab.keyboard.press("/")
    tab.keyboard.type("调研", delay=40)
    done = search_done(tab)
    assert tab.locator(".kb-search__item").count() > 0
    if tab.locator("[data-kb-search-filters-open]").count():
        tab.click("[data-kb-search-filters-open]")  # the filters load on demand
    tab.select_option('select[name="报告部分"]', "存在的问题")
    search_done(tab, done)
    assert tab.locator(".kb-search__item").count() > 0


def filter_ledger(tab, site: str) -> None:
    tab.goto(site + "views/ledger/")
    tab.select_option("select[name=campaign]", "2023-zhuti")
    tab.check("input[name=overdue]")
    assert tab.locator("#ledger-items tbody tr:visible").count() > 0


def open_404(tab, site: str) -> None:
    tab.goto(site + "404.html")


@pytest.mark.parametrize("state", [open_search_with_filters, filter_ledger, open_404],
                         ids=["search-open-filtered", "ledger-filtered", "404"])
def test_reader_states_meet_wcag_21_aa(page, site: str, state) -> None:
    state(page, site)
    page.wait_for_load_state("networkidle")
    found = violations(page, state.__name__)
    assert not found, f"{len(found)} WCAG violations:\n" + "\n".join(found)


def test_charts_have_their_data_as_accessible_description(page, site: str) -> None:
    """What a screen reader gets for each chart (Chromium's accessibility tree): its name and
    the data in words, every group and value."""
    page.goto(site + "views/2023-zhuti/")
    drawn = page.locator(".kb-chart svg").count()
    assert drawn >= 3
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    images = [n for n in nodes if n.get("role", {}).get("value") == "image"
              and "kb-chart" not in str(n.get("name", {}).get("value", ""))]
    described = [n.get("description", {}).get("value", "") for n in images]
    charts = [d for d in described if "第一指导组" in d]
    assert len(charts) == drawn, described
    values = page.locator(".kb-chart__bar").evaluate_all("els => els.map(e => e.dataset.value)")
    assert values and all(any(v in d for d in charts) for v in values)
