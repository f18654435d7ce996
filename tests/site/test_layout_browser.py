"""Layout in headless Chromium: on a phone (390 px) no page scrolls sideways, wide tables
scroll in their own focusable, named box, the search overlay and its filters fit, the cards
and charts reflow; at 1280 px every report's ledger shows its 状态 column (issue 18).

Screenshots at 390 px of the report, dashboard and ledger pages go to build/screenshots/phone/
for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_pages import reachable, search_done

from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = 390
SHOTS = ROOT / "build" / "screenshots" / "phone"
SCREENSHOTS = {"report": "reports/2023-zhuti/shi-czj/", "dashboard": "views/2023-zhuti/",
               "ledger": "views/ledger/"}
# Boxes wider than the screen: each scrolls itself, is reachable by Tab and says what it holds.
SCROLL_BOXES = """() => Array.from(document.querySelectorAll('.md-typeset__scrollwrap'))
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => ({tabindex: w.getAttribute('tabindex'), role: w.getAttribute('role'),
              label: w.getAttribute('aria-label') || '', right: w.getBoundingClientRect().right}))"""
# Elements under a root that reach past the right edge (scroll boxes hold theirs).
OUTSIDE = """([w, root]) => Array.from(document.querySelectorAll(root + ' *'))
  .filter(e => !e.closest('.md-typeset__scrollwrap'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > w + 1 || r.left < -1); })
  .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def phone(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": PHONE, "height": 800}, locale="zh-CN",
                                           has_touch=True)
    tab = context.new_page()
    yield tab
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone, site: str, built_site: Path) -> None:
    wrong: list[str] = []
    for url in reachable(built_site, site):
        phone.goto(url)
        name = url.removeprefix(site) or "/"
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE:
            wrong.append(f"{name}: page {width} px wide {phone.evaluate(OUTSIDE, [PHONE, '.md-content'])}")
        for box in phone.evaluate(SCROLL_BOXES):
            if box["tabindex"] != "0" or box["role"] != "region" or not box["label"].startswith("表格"):
                wrong.append(f"{name}: scroll box {box}")
            if box["right"] > PHONE + 1:
                wrong.append(f"{name}: scroll box reaches {box['right']} px")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", SCREENSHOTS)
def test_phone_pages_reflow(phone, site: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.goto(site + SCREENSHOTS[name])
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE
    assert phone.evaluate(OUTSIDE, [PHONE, ".md-content"]) == []
    for selector in (".kb-figure", ".kb-chart svg"):
        boxes = phone.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")
        assert all(b["left"] >= 0 and b["right"] <= PHONE for b in boxes), (selector, boxes)
    charts = phone.locator(".kb-chart svg").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert all(w > PHONE * 0.8 for w in charts), charts  # one chart per row, near the full width
    phone.screenshot(path=str(SHOTS / f"{name}-{PHONE}.png"), full_page=True)


def test_search_overlay_and_filters_fit_a_phone(phone, site: str) -> None:
    phone.goto(site)
    phone.click("label.md-header__button[for='__search']")
    phone.fill("[data-kb-search-input]", "调研")
    done = search_done(phone)
    if phone.locator("[data-kb-search-filters-open]").count():
        phone.click("[data-kb-search-filters-open]")
    phone.select_option('select[name="报告部分"]', "存在的问题")
    search_done(phone, done)
    assert phone.locator(".kb-search__item").count() > 0
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE
    assert phone.evaluate(OUTSIDE, [PHONE, ".md-search__inner"]) == []
    selects = phone.locator("[data-kb-search-filters] select").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().toJSON())")
    assert selects and all(b["left"] >= 0 and b["right"] <= PHONE for b in selects), selects
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"search-{PHONE}.png"))


def test_every_report_ledger_shows_its_status_column_at_1280(chromium_browser, site: str,
                                                             built_site: Path) -> None:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    cut: list[str] = []
    reports = [url for url in reachable(built_site, site) if url.count("/reports/") and url.count("/") >= 6]
    assert len(reports) >= 20, reports
    for url in reports:
        tab.goto(url)
        if not tab.locator(".kb-ledger").count():
            continue
        fits = tab.evaluate("""() => {
          const wrap = document.querySelector('.kb-ledger .md-typeset__scrollwrap');
          const status = Array.from(wrap.querySelectorAll('th')).pop();
          return [status.textContent, wrap.scrollWidth <= wrap.clientWidth,
                  status.getBoundingClientRect().right <= wrap.getBoundingClientRect().right];
        }""")
        if fits != ["状态", True, True]:
            cut.append(f"{url.removeprefix(site)}: {fits}")
    context.close()
    assert not cut, "\n".join(cut)
