"""The search box as a reader uses it, in headless Chromium against the built site served
over HTTP on loopback: open it from the keyboard, type Chinese, filter, open a result
and land on the section that matched — and no request leaves the test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from search_http import browser, serve

from conftest import DATA
from kb.search import FILTERS
from kb.search.records import site_records
from kb.search.tokens import tokenize
from kb.site import build

pytestmark = pytest.mark.browser

RESULT_LINKS = ".kb-search__item a.md-search-result__link"


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[str]:
    with serve(built_site) as base:
        yield base


@pytest.fixture
def page(site: str, chromium: str):
    """A fresh page (cold cache) that records the URL of every request it makes."""
    with browser(chromium) as instance:
        context = instance.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.requests = []
        tab.on("request", lambda request: tab.requests.append(request.url))
        tab.errors = []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        yield tab
        context.close()


def search_done(page, after: int = 0) -> int:
    """Wait until the search box finished a search newer than ``after``; return its number."""
    page.wait_for_function(
        "n => Number(document.querySelector('[data-kb-search]')"
        ".getAttribute('data-kb-search-done') || 0) > n", arg=after, timeout=15000)
    return int(page.get_attribute("[data-kb-search]", "data-kb-search-done"))


def only_local(requests: list[str], base: str) -> list[str]:
    origin = urlsplit(base).netloc
    return [url for url in requests if urlsplit(url).netloc != origin and not url.startswith("data:")]


def test_search_filter_and_open_the_matching_section(page, site: str) -> None:
    page.goto(site + "reports/")
    page.keyboard.press("/")
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.matches('[data-kb-search-input]')")

    page.keyboard.type("接诉即办", delay=40)
    done = search_done(page)
    assert "处匹配" in page.inner_text("[data-kb-search-status]")
    first = page.locator(".kb-search__item").first
    assert "自查评估报告" in first.locator("h1").inner_text() or "《" in first.inner_text()
    assert page.locator(".kb-search__item mark", has_text="接诉即办").count() > 0
    # The filter menus load when asked for (their data would double a query's transfer).
    assert not [url for url in page.requests if url.endswith(".pf_filter")]
    assert page.locator("[data-kb-filter]").count() == 0
    page.click("[data-kb-search-filters-open]")
    page.wait_for_selector("[data-kb-filter]")
    done = search_done(page, done)  # searched again: the counts of the current results
    names = page.eval_on_selector_all("[data-kb-filter]", "els => els.map(e => e.name)")
    assert names == FILTERS
    assert page.evaluate("document.activeElement.matches('[data-kb-filter]')")
    assert [url for url in page.requests if url.endswith(".pf_filter")]

    page.select_option('select[name="报告部分"]', "存在的问题")
    search_done(page, done)
    sections = page.locator(".kb-search__section").all_inner_texts()
    assert sections and all(s.startswith("二、存在的问题和不足之处") for s in sections)
    expected = page.get_attribute(f"{RESULT_LINKS} >> nth=0", "href")
    assert expected.endswith("#problems")

    page.locator(RESULT_LINKS).first.click()
    page.wait_for_url(expected)
    assert "/reports/" in page.url and page.url.endswith("#problems")
    box = page.evaluate("(() => { const r = document.getElementById('problems')"
                        ".getBoundingClientRect(); return [r.top, innerHeight]; })()")
    assert 0 <= box[0] < box[1] / 2, box  # the section heading is at the top of the window
    problems = page.evaluate(
        "(() => { let t = '', n = document.getElementById('problems').nextElementSibling;"
        " while (n && n.tagName !== 'H2') { t += n.textContent; n = n.nextElementSibling; }"
        " return t; })()")
    assert "接诉即办" in problems

    assert any("/pagefind/" in url for url in page.requests)
    assert only_local(page.requests, site) == []
    assert page.errors == []


def test_keyboard_opens_result_and_escape_closes(page, site: str) -> None:
    page.goto(site)
    page.keyboard.press("s")
    page.keyboard.type("带着问题下去", delay=40)
    search_done(page)
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("/")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('a.md-search-result__link')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/2023-zhuti/shi-czj/#highlights-2")
    assert page.evaluate("document.getElementById('highlights-2').getBoundingClientRect().top") >= 0
    assert only_local(page.requests, site) == []
    assert page.errors == []


def test_no_search_index_is_loaded_before_the_reader_searches(page, site: str) -> None:
    page.goto(site + "reports/2023-zhuti/shi-czj/")
    page.wait_for_load_state("networkidle")
    assert not any("/pagefind/" in url for url in page.requests)
    assert page.evaluate("document.documentElement.lang") == "zh"


def test_phone_layout(site: str, chromium: str) -> None:
    with browser(chromium) as instance:
        context = instance.new_context(viewport={"width": 390, "height": 800}, has_touch=True)
        tab = context.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(site + "materials/")
        tab.click("label.md-header__button[for='__search']")
        tab.fill("[data-kb-search-input]", "枫桥经验")
        done = search_done(tab)
        tab.click("[data-kb-search-filters-open]")  # the menus fit the phone's width
        done = search_done(tab, done)
        assert tab.locator("[data-kb-filter]").first.is_visible()
        tab.select_option('select[name="材料类别"]', "典型案例")
        search_done(tab, done)
        link = tab.locator(RESULT_LINKS).first
        assert link.get_attribute("href").endswith("materials/#fengqiao-anli-2023")
        assert link.is_visible()
        link.click()
        tab.wait_for_url("**/materials/#fengqiao-anli-2023")
        assert not tab.evaluate("document.getElementById('__search').checked")
        assert only_local(requests, site) == []
        context.close()


def test_input_method_composition_searches_only_the_chosen_characters(page, site: str) -> None:
    """Pinyin being composed (diaoyan) is not searched; the characters chosen are."""
    page.goto(site)
    page.keyboard.press("/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "diaoyan", "selectionStart": 7, "selectionEnd": 7})
    assert page.input_value("[data-kb-search-input]") == "diaoyan"
    page.wait_for_timeout(600)
    assert page.get_attribute("[data-kb-search]", "data-kb-search-done") is None
    assert page.inner_text("[data-kb-search-status]") == "输入关键词搜索报告和学习材料"
    cdp.send("Input.insertText", {"text": "调研"})
    search_done(page)
    assert page.input_value("[data-kb-search-input]") == "调研"
    assert page.locator(".kb-search__item mark", has_text="调研").count() > 0


def test_more_results_appends_further_reports(page, site: str) -> None:
    page.goto(site)
    page.keyboard.press("/")
    page.keyboard.type("整改", delay=40)
    search_done(page)
    titles = page.locator(".kb-search__item h1").all_inner_texts()
    assert len(titles) == 10
    page.click("[data-kb-search-more]")
    page.wait_for_function("document.querySelectorAll('.kb-search__item').length > 10")
    more = page.locator(".kb-search__item h1").all_inner_texts()
    assert more[:10] == titles
    pages = page.eval_on_selector_all(".kb-search__item", "els => els.map(e => e.dataset.page)")
    assert len(set(pages)) == len(pages)  # each page (or study material) once


@pytest.mark.parametrize(("query", "status"), [
    ("火星殖民", "没有找到相关结果"),  # every character is in the site, never together
    ("财政局区块链", "没有完全匹配的结果，以下为部分匹配"),
])
def test_status_tells_when_the_query_is_not_fully_found(page, site: str, query: str, status: str) -> None:
    page.goto(site)
    page.keyboard.press("/")
    page.keyboard.type(query, delay=40)
    search_done(page)
    assert page.inner_text("[data-kb-search-status]").startswith(status)
    if status.startswith("没有找到"):
        assert page.locator(".kb-search__item").count() == 0
    assert page.errors == []


def test_a_common_word_shows_results_after_a_few_fragments(page, site: str) -> None:
    """Results are checked for every query word as they load, not all up front: a word
    found in most records shows its first results after about one round of fragments."""
    page.goto(site + "reports/")
    page.keyboard.press("/")
    page.keyboard.type("整改")
    page.wait_for_selector(".kb-search__item")
    fragments = [u for u in page.requests if u.endswith(".pf_fragment")]
    total = page.evaluate("kbSearch.search('整改', {}, 1)")["total"]
    assert total > 60  # enough that checking them all first would be slow
    assert len(fragments) <= 24, len(fragments)
    search_done(page)
    assert "处匹配" in page.inner_text("[data-kb-search-status]")
    assert not page.errors


def test_count_says_when_results_are_not_yet_checked(page, site: str) -> None:
    """A common word: most results are checked only as they load; the count says so."""
    page.goto(site)
    page.keyboard.press("/")
    page.keyboard.type("整改")
    search_done(page)
    status = page.inner_text("[data-kb-search-status]")
    assert status.startswith("约 ") and "未逐条核对" in status, status


@pytest.mark.parametrize("query", ["访局", "带着问题", "信访 整改"])
def test_count_is_exact_once_every_result_is_checked(page, site: str, built_site: Path,
                                                     query: str) -> None:
    """Pagefind also returns records holding only part of a word (访局: 访); once every
    result was checked, the count is that of the records holding every query word."""
    words = {w for w in tokenize(query) if len(w) == 2}
    expected = sum(1 for r in site_records(built_site, build.load(DATA)[0])
                   if words <= set(tokenize(f"{r.text} {r.context}")))
    page.goto(site)
    found = page.evaluate("q => kbSearch.search(q, {}, 1000)", query)
    assert (found["total"], found["exact"]) == (expected, True)
    page.keyboard.press("/")
    page.keyboard.type(query)
    search_done(page)
    while page.is_visible("[data-kb-search-more]"):
        shown = page.locator(".kb-search__item").count()
        page.click("[data-kb-search-more]")
        page.wait_for_function(f"document.querySelectorAll('.kb-search__item').length > {shown}"
                               " || document.querySelector('[data-kb-search-more]').hidden")
    page.wait_for_function("!/约/.test(document.querySelector('[data-kb-search-status]').textContent)")
    assert page.inner_text("[data-kb-search-status]") == f"共 {expected} 处匹配"
