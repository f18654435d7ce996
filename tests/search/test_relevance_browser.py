"""Search as a reader's query runs it: the site's own search code (docs/assets/search.js)
against the built Pagefind index in headless Chromium — relevance, filters, excerpts, and a
site indexed in shards that searches as one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from search_http import browser, serve
from search_sites import copy_site

from conftest import DATA
from kb.search.records import site_records
from kb.search.runner import index_site
from kb.search.tokens import tokenize
from kb.site import build


@pytest.mark.browser
def test_sharded_index_finds_the_same_results(built_site: Path, chromium: str,
                                              tmp_path: Path) -> None:
    """A site indexed in several Pagefind runs (to bound memory) searches as one, from
    one index: one metadata file and one chunk per query word (kb.search.merge)."""
    cases = [case for case in RELEVANCE_CASES if case[0] in {"财政局", "申即", "枫桥经验"}]
    kb, _ = build.load(DATA)
    site = copy_site(built_site, tmp_path / "site")
    stats = index_site(site, kb, shard_words=20_000)
    shards = json.loads((site / "pagefind" / "kb-shards.json").read_text())["shards"]
    assert stats.shards >= 4 and shards == []
    with serve(site) as base, browser(chromium) as instance:
        page = instance.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "reports/")
        page.evaluate("kbSearch.search('调查研究', {}, 1)")
        metas = [u for u in requests if u.endswith(".pf_meta")]
        chunks = [u for u in requests if u.endswith(".pf_index")]
        assert len(metas) == 1 and len(chunks) <= 3, requests  # at most a chunk per bigram
        search = SiteSearch(page)
        for query, filters, expected in cases:
            top = [g["page"] for g in search.search(query, filters)["groups"]]
            assert set(expected) <= set(top), (query, top)
        counts = page.evaluate("kbSearch.search('整改', {'报告部分': '整改台账'}, 50)")
        assert counts["total"] == sum(1 for r in site_records(site, kb)
                                      if r.filters.get("报告部分") == ["整改台账"]
                                      and "整改" in r.text)
        # A shard without one of the query's words adds nothing (records need every word).
        for query in ("枫桥 问题", "信访 枫桥经验", "带着问题下去"):
            words = {w for w in tokenize(query) if len(w) == 2}  # its bigrams must all occur
            expected = sum(1 for r in site_records(site, kb)
                           if words <= set(tokenize(f"{r.text} {r.context}")))
            found = page.evaluate(f"kbSearch.search('{query}', {{}}, 500)")
            assert found["total"] == expected > 0, query


R = "reports/"


RELEVANCE_CASES = [
    # unit names
    ("财政局", {}, [R + "2023-zhuti/shi-czj/", R + "2023-zhuti/qu-czj/", R + "2024-dangji/shi-czj/"]),
    ("信访局", {}, [R + "2023-zhuti/qu-xfj/", R + "2024-dangji/qu-xfj/"]),
    ("卫生健康", {}, [R + "2023-zhuti/qu-wjw/", R + "2023-zhuti/shi-wjw/"]),
    # terms, with and without filters
    ("调查研究", {"学习教育": "2023年主题教育", "报告部分": "亮点做法"},
     [R + "2023-zhuti/shi-swj/", R + "2023-zhuti/shi-czj/"]),
    ("接诉即办", {"指导组": "第三指导组"}, [R + "2023-zhuti/qu-xfj/"]),
    ("信访", {"学习教育": "2024年党纪学习教育"}, [R + "2024-dangji/qu-xfj/"]),
    ("整改", {"学习教育": "2024年党纪学习教育", "报告部分": "整改台账"},
     [R + "2024-dangji/shi-czj/", R + "2024-dangji/qu-xfj/"]),
    ("法律援助", {}, [R + "2023-zhuti/shi-sfj/", R + "2024-dangji/shi-sfj/"]),
    # two-character words, also inside longer words
    ("零工", {}, [R + "2023-zhuti/qu-rsj/"]),            # 零工市场
    ("助餐", {}, [R + "2023-zhuti/shi-mzj/", R + "2023-zhuti/jd-dongcheng/"]),  # 老年助餐点
    ("申即", {}, [R + "2023-zhuti/shi-czj/", R + "2023-zhuti/qu-rsj/", R + "2023-zhuti/shi-fgw/"]),  # 免申即享
    ("紧日", {}, [R + "2023-zhuti/shi-czj/", R + "2023-zhuti/qu-czj/"]),  # 过紧日子
    ("息访", {}, [R + "2023-zhuti/qu-xfj/"]),
    ("首办", {"报告部分": "整改台账"}, [R + "2023-zhuti/qu-xfj/"]),  # 初信初访首办不到位
    # phrases from report bodies, numbers, words typed together
    ("带着问题下去、带着办法回来", {}, [R + "2023-zhuti/shi-czj/"]),
    ("93%", {}, [R + "2023-zhuti/qu-jyj/", R + "2023-zhuti/qu-xfj/"]),
    ("财政局整改", {}, [R + "2023-zhuti/shi-czj/", R + "2023-zhuti/qu-czj/", R + "2024-dangji/shi-czj/"]),
    ("财政局 整改", {}, [R + "2023-zhuti/shi-czj/", R + "2023-zhuti/qu-czj/", R + "2024-dangji/shi-czj/"]),
    # study materials and their category filter
    ("枫桥经验", {"材料类别": "典型案例"}, ["materials/#fengqiao-anli-2023"]),
    ("调查研究", {"材料类别": "党内法规"}, ["materials/#dxdcyj-fangan-2023"]),
]


class SiteSearch:
    """The built site open in Chromium; ``search`` calls ``window.kbSearch.search``."""

    def __init__(self, page) -> None:
        self.page = page

    def search(self, query: str, filters: dict | None = None, groups: int = 5) -> dict:
        return self.page.evaluate("([q, f, n]) => window.kbSearch.search(q, f, n)",
                                  [query, filters or {}, groups])


@pytest.fixture(scope="module")
def site_search(built_site: Path, chromium: str):
    with serve(built_site) as base, browser(chromium) as instance:
        page = instance.new_page()
        page.goto(base + "reports/")
        yield SiteSearch(page)


@pytest.mark.browser
@pytest.mark.parametrize(("query", "filters", "expected"), RELEVANCE_CASES,
                         ids=[f"{q}{'+' + '+'.join(f.values()) if f else ''}"
                              for q, f, _ in RELEVANCE_CASES])
def test_relevance_top5(site_search: SiteSearch, query: str, filters: dict, expected: list[str]) -> None:
    result = site_search.search(query, filters)
    top = [g["page"] for g in result["groups"][:5]]
    missing = [page for page in expected if page not in top]
    assert not missing, f"{query}: {missing} not in top 5 {top}"


@pytest.mark.browser
def test_filters_restrict_every_result(site_search: SiteSearch) -> None:
    result = site_search.search("整改", {"学习教育": "2024年党纪学习教育", "报告部分": "整改台账"}, 50)
    assert result["groups"]
    for group in result["groups"]:
        assert group["page"].startswith("reports/2024-dangji/")
        assert all(e["url"].endswith("#ledger") for e in group["entries"])


@pytest.mark.browser
@pytest.mark.parametrize(("query", "mark"), [("整改", "整改"), ("信访", "信访"), ("接诉即办", "接诉即办")])
def test_excerpts_highlight_exactly_the_query(site_search: SiteSearch, query: str, mark: str) -> None:
    """Marks cover the query and nothing else (no query split into single characters)."""
    result = site_search.search(query, {}, 10)
    marks = {m for g in result["groups"] for e in g["entries"] for m in e["marked"]}
    assert marks == {mark}


@pytest.mark.browser
def test_result_points_at_the_matching_subsection(site_search: SiteSearch) -> None:
    result = site_search.search("带着问题下去", {}, 1)
    entry = result["groups"][0]["entries"][0]
    assert entry["url"].endswith("reports/2023-zhuti/shi-czj/#highlights-2")
    assert entry["section"].startswith("一、工作开展情况及创新亮点做法 › （二）")
    assert "带着问题下去" in entry["excerpt"]


@pytest.mark.browser
def test_query_without_exact_match_falls_back_to_words(site_search: SiteSearch) -> None:
    """Words typed together that never occur together still find the reports."""
    result = site_search.search("信访局枫桥经验整改台账")
    assert result["relaxed"] and R + "2023-zhuti/qu-xfj/" in [g["page"] for g in result["groups"]]


# Queries whose characters occur in the site only apart (殖 and 块 nowhere at all):
# Pagefind drops or shortens such words, which must not pass for a match.
NOWHERE = ["火星殖民", "区块链"]


@pytest.mark.browser
@pytest.mark.parametrize("query", NOWHERE)
def test_query_of_words_nowhere_in_the_site_finds_nothing(site_search: SiteSearch, query: str) -> None:
    result = site_search.search(query)
    assert (result["total"], result["groups"], result["relaxed"]) == (0, [], False)


@pytest.mark.browser
@pytest.mark.parametrize(("query", "found"), [
    ("财政局区块链", "财政局"),  # 区块链 nowhere: no stray 区 marked
    ("量子计算机", "计算"),  # only 计算 is in the site (data views: 由报告数据文件计算)
])
def test_partial_match_keeps_only_the_words_that_exist(site_search: SiteSearch, query: str,
                                                       found: str) -> None:
    result = site_search.search(query, {}, 10)
    assert result["relaxed"] and result["groups"]
    marks = {m for g in result["groups"] for e in g["entries"] for m in e["marked"]}
    assert marks and all(m in found for m in marks), marks


QUERY_TERMS = [
    ("调研报告", ["调研", "研报", "报告"]),
    ("局", ["局"]),
    ("2023年主题教育", ["2023", "年主", "主题", "题教", "教育"]),
    ("带着问题下去、带着办法", ["带着", "着问", "问题", "题下", "下去", "带着", "着办", "办法"]),
    ("财政局 整改", ["财政", "政局", "整改"]),
    ("ＧＢ／Ｔ　９７０４", ["GB／T", "9704"]),
]


@pytest.mark.browser
@pytest.mark.parametrize(("text", "terms"), QUERY_TERMS, ids=[t for t, _ in QUERY_TERMS])
def test_query_terms_are_index_words(site_search: SiteSearch, text: str, terms: list[str]) -> None:
    """search.js turns a query into the words kb.search.tokens puts in the index."""
    got = site_search.page.evaluate("t => window.kbSearch.queryTerms(t)", text)
    assert got == terms
    assert set(got) <= set(tokenize(text))
