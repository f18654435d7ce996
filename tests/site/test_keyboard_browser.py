"""A keyboard-only walk in headless Chromium: Tab reaches the search box and its filters,
the sortable headers of the comparison table, the ledger's filters, the print and Word
buttons of a report; each is operated with Enter or Space; every element the walk stops
on shows a visible focus (an outline or a box shadow, read from the computed style)."""

from __future__ import annotations

import pytest
from reader_pages import search_done

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_TABS = 250
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  e.getAnimations({subtree: false}).forEach(a => a.finish());  // fade-ins of the focus style
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
    && s.outlineColor !== 'rgba(0, 0, 0, 0)' && s.outlineColor !== 'transparent';
  return {
    label: e.tagName + '.' + e.className + ' ' + (e.getAttribute('aria-label') || e.textContent || e.name || '').trim().slice(0, 30),
    shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0,
    ring: outline || s.boxShadow !== 'none',
  };
}"""


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                           accept_downloads=True)
    context.add_init_script("window.kbPrinted = 0; window.print = () => { window.kbPrinted += 1; };")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    assert tab.errors == []
    context.close()


def tab_to(tab, selector: str, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until the focus is on ``selector``; every stop on the way shows its focus."""
    hidden: list[str] = []
    for _ in range(MAX_TABS):
        tab.keyboard.press(key)
        focus = tab.evaluate(FOCUS)
        if focus is None:
            continue
        if not (focus["shown"] and focus["ring"]):
            hidden.append(focus["label"])
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            assert not hidden, f"focus not visible on: {hidden}"
            return
    pytest.fail(f"Tab never reached {selector} in {MAX_TABS} presses (focus not visible on: {hidden})")


def test_search_and_its_filters_from_the_keyboard(page, site: str) -> None:
    page.goto(site)
    tab_to(page, "[data-kb-search-input]")
    page.keyboard.type("调研", delay=40)
    done = search_done(page)
    tab_to(page, '[data-kb-search-filters] select, [data-kb-search-filters-open]')
    if page.evaluate("document.activeElement.matches('[data-kb-search-filters-open]')"):
        page.keyboard.press("Enter")  # the filters load on demand
        page.wait_for_selector('select[name="报告部分"]')
        tab_to(page, "[data-kb-search-input]", key="Shift+Tab")
        tab_to(page, "[data-kb-search-filters] select")
    page.wait_for_load_state("networkidle")  # any search the filters started has finished
    done = max(done, search_done(page, done - 1))
    before = page.evaluate("document.activeElement.value")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") != before
    search_done(page, done)
    tab_to(page, "[data-kb-search-input]", key="Shift+Tab")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # results settled before the arrow key moves into them
    page.keyboard.press("ArrowDown")  # the results are reached with the arrow keys, as in Material
    focus = page.evaluate(FOCUS)
    assert focus["label"].startswith("A.md-search-result__link") and focus["ring"], focus
    href = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(href)


def test_tab_out_of_the_search_closes_it(page, site: str) -> None:
    """Focus that leaves the open search for the page behind it closes the overlay (it
    moved on a page the overlay covered)."""
    page.goto(site)
    tab_to(page, "[data-kb-search-input]")
    page.keyboard.type("调研", delay=40)
    search_done(page)
    assert page.evaluate("document.querySelector('[data-md-toggle=search]').checked")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('[data-kb-search]').contains(document.activeElement)"):
            break
    assert page.evaluate("document.activeElement !== document.body")
    assert not page.evaluate("document.querySelector('[data-md-toggle=search]').checked")


@pytest.mark.parametrize("key", ["Enter", " "], ids=["enter", "space"])
def test_sortable_headers_from_the_keyboard(page, site: str, key: str) -> None:
    page.goto(site + "views/2023-zhuti/compare/")
    tab_to(page, "button.kb-sort")
    header = "document.activeElement.closest('th').getAttribute('aria-sort')"
    assert page.evaluate(header) is None
    page.keyboard.press(key)
    first = page.evaluate(header)
    assert first in {"ascending", "descending"}
    page.keyboard.press(key)
    assert page.evaluate(header) == ({"ascending", "descending"} - {first}).pop()


def test_ledger_filters_from_the_keyboard(page, site: str) -> None:
    page.goto(site + "views/ledger/")
    rows = page.locator("#ledger-items tbody tr:visible")
    total = rows.count()
    tab_to(page, "select[name=status]")
    page.keyboard.press("ArrowDown")
    assert page.input_value("select[name=status]") != ""
    assert 0 < rows.count() < total
    page.focus("select[name=status]")
    tab_to(page, "input[name=overdue]")
    page.keyboard.press(" ")
    assert page.is_checked("input[name=overdue]")
    assert "overdue=yes" in page.url


def test_print_and_word_buttons_from_the_keyboard(page, site: str) -> None:
    page.goto(site + "reports/2023-zhuti/shi-czj/")
    tab_to(page, ".kb-print")
    page.keyboard.press("Enter")
    page.keyboard.press(" ")
    assert page.evaluate("window.kbPrinted") == 2
    assert page.evaluate("window.scrollY") == 0  # Space printed; it did not scroll the page
    tab_to(page, "a[download][href$='.docx']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".docx")


def test_print_button_of_a_bundle_from_the_keyboard(page, site: str) -> None:
    page.goto(site + "print/2023-zhuti/g1/")
    tab_to(page, ".kb-print")
    page.keyboard.press(" ")
    assert page.evaluate("window.kbPrinted") == 1
