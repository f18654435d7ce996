"""Reading a built page (kb.search.extract): sections, Pagefind's filter and meta
declarations, ignored parts."""

from __future__ import annotations

import pytest
from search_sites import article

from kb.search.extract import read_page


def test_read_page_sections_filters_and_ignored_parts() -> None:
    page = read_page(article(
        '<h1 id="t">市财政局：报告<a class="headerlink" href="#t">¶</a></h1>'
        '<div class="kb-meta" data-pagefind-ignore><table><tr><td>表头不索引</td></tr></table></div>'
        '<div hidden><span data-pagefind-filter="学习教育">2023年主题教育</span>'
        '<span data-pagefind-meta="单位">市财政局</span></div>'
        "<p>开头<strong>一段</strong>话。<br>第二行</p>"
        '<h2 id="problems">二、存在的问题</h2>'
        '<div hidden data-pagefind-filter="报告部分:存在的问题"></div>'
        "<p>一是问题。</p><h3 id=\"problems-1\">小标题</h3><p>内容</p>"
        "<h2>没有 id 的二级标题不分段</h2><p>仍属问题部分</p>"
        '<h2 id="ledger">整改台账</h2><table><tr><td>1</td><td>问题甲</td><td>措施乙</td></tr></table>'
        '<h2 id="materials">学习材料</h2><div hidden data-pagefind-ignore="section"></div>'
        "<ul><li>《材料》</li></ul>"
    ))
    assert page.title == "市财政局：报告"
    head, problems, ledger, materials = page.sections
    assert head.filters == {"学习教育": ["2023年主题教育"]} and head.meta == {"单位": "市财政局"}
    assert [(b.kind, b.text) for b in head.blocks] == [("h1", "市财政局：报告"), ("p", "开头一段话。 第二行")]
    assert problems.anchor == "problems" and problems.heading == "二、存在的问题"
    assert problems.filters == {"报告部分": ["存在的问题"]}
    assert [(b.kind, b.id, b.text) for b in problems.blocks] == [
        ("h2", "problems", "二、存在的问题"), ("p", "", "一是问题。"), ("h3", "problems-1", "小标题"),
        ("p", "", "内容"), ("h2", "", "没有 id 的二级标题不分段"), ("p", "", "仍属问题部分")]
    assert [b.text for b in ledger.blocks] == ["整改台账", "1 问题甲 措施乙"]
    assert materials.ignored and not ledger.ignored


@pytest.mark.parametrize(("attribute", "expected"), [
    ('data-pagefind-filter="批次:第一批"', {"批次": ["第一批"]}),
    ('data-pagefind-filter="批次[data-x]" data-x="第二批"', {"批次": ["第二批"]}),
    ('data-pagefind-filter="批次:第一批, 指导组:第一指导组"', {"批次": ["第一批"], "指导组": ["第一指导组"]}),
    ('data-pagefind-filter="批次" data-pagefind-ignore="all"', {}),
])
def test_filter_declaration_forms(attribute: str, expected: dict) -> None:
    page = read_page(article(f"<p>正文</p><span {attribute}>第三批</span>"))
    assert page.head.filters == expected


def test_page_without_article_has_no_text() -> None:
    page = read_page("<html><head><title>重定向</title></head><body><p>x</p></body></html>")
    assert page.title == "重定向" and not any(s.blocks for s in page.sections)
