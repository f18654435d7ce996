"""Search records (kb.search.records): one per page section and per study material, as the
documents Pagefind indexes; every report section of the built site is one."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_sites import article

from conftest import DATA
from kb.search.extract import Block, read_page
from kb.search.records import (
    SECONDARY_WEIGHT,
    SECONDARY_WORDS,
    Record,
    material_records,
    page_records,
    record_html,
    site_records,
)
from kb.search.tokens import tokenize
from kb.site import build


def test_page_records_one_per_section_with_context() -> None:
    page = read_page(article(
        '<h1>区信访局：报告</h1><span hidden data-pagefind-filter="指导组">第三指导组</span><p>开头</p>'
        '<h2 id="plans">三、下步工作打算</h2><div hidden data-pagefind-filter="报告部分:下步打算"></div>'
        "<p>打算</p>"))
    head, plans = page_records(page, "reports/c/u/")
    assert (head.url, plans.url) == ("reports/c/u/", "reports/c/u/#plans")
    assert head.page == plans.page == "reports/c/u/"
    assert plans.filters == {"指导组": ["第三指导组"], "报告部分": ["下步打算"]}
    assert head.filters == {"指导组": ["第三指导组"]}
    assert plans.context == "区信访局：报告 第三指导组" and head.context == "第三指导组"
    assert head.primary and plans.primary


def test_pages_without_filters_are_secondary() -> None:
    (record,) = page_records(read_page(article("<h1>首页</h1><p>各单位报告列表</p>")), "")
    assert not record.primary
    assert f'data-pagefind-weight="{SECONDARY_WEIGHT}"' in record_html(record)


def test_secondary_pages_keep_headings_and_first_words() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>某单位问题整改事项说明文字</td></tr>" for i in range(400))
    page = read_page(article(f'<h1>台账汇总</h1><h2 id="items">台账明细</h2><table>{rows}</table>'
                             '<h3 id="later">后面的小标题</h3><p>后面的文字</p>'))
    head, items = page_records(page, "views/ledger/")
    kept = [b.text for b in items.blocks]
    assert kept[0] == "台账明细" and "后面的小标题" in kept and "后面的文字" not in kept
    words = sum(len(tokenize(t)) for t in kept)
    assert SECONDARY_WORDS <= words < SECONDARY_WORDS + 50


def test_record_html_is_in_search_tokens_with_readable_metadata() -> None:
    record = Record(
        url="reports/c/u/#problems", page="reports/c/u/", title="市财政局：报告 <1>",
        section="二、存在的问题", blocks=[Block("h2", "二、存在的问题", "problems"), Block("p", "调研报告")],
        filters={"报告部分": ["存在的问题"]}, meta={"单位": "市财政局"}, context="市财政局",
    )
    doc = record_html(record)
    assert '<html lang="und">' in doc
    assert '<h2 id="problems">二 、 存在 在的 的问 问题 题</h2>' in doc
    assert "<p>调研 研报 报告 告</p>" in doc
    assert 'data-pagefind-filter="报告部分[content]" content="存在的问题"' in doc
    assert 'data-pagefind-meta="title[content]" content="市财政局：报告 &lt;1&gt;"' in doc
    assert 'data-pagefind-meta="url[content]" content="reports/c/u/#problems"' in doc
    # the context line comes last; "ctx" says where it starts (7 + 4 words before it)
    assert 'data-pagefind-meta="ctx[content]" content="11"' in doc
    assert doc.index("市财 财政 政局 局") > doc.index("调研 研报")


def test_material_records_carry_category_and_campaigns() -> None:
    kb, _ = build.load(DATA)
    records = material_records(kb)
    assert len(records) == len(kb.materials)
    for record, material in zip(records, kb.materials.values(), strict=True):
        assert record.url == f"materials/#{material.id}"
        assert record.filters["材料类别"] == [material.category]
        assert record.blocks[0].text == f"《{material.title}》"
        for campaign in material.campaigns:
            assert kb.campaigns[campaign].short_name in record.filters["学习教育"]


SECTIONS = {"highlights": "亮点做法", "problems": "存在的问题", "plans": "下步打算", "ledger": "整改台账"}


@pytest.mark.slow
def test_every_report_section_is_a_record(built_site: Path) -> None:
    kb, _ = build.load(DATA)
    by_url = {r.url: r for r in site_records(built_site, kb)}
    for report in kb.reports:
        anchors = ["highlights", "problems", "plans"] + (["ledger"] if report.ledger else [])
        for anchor in anchors:
            record = by_url[f"{report.url}#{anchor}"]
            assert record.filters == {
                "学习教育": [report.campaign.short_name], "指导组": [report.group.name],
                "批次": [report.batch.name], "报告部分": [SECTIONS[anchor]]}
            assert record.meta["单位"] == report.unit.name
        assert f"{report.url}#materials" not in by_url  # left out: the materials have records
        assert by_url[report.url].blocks[0].kind == "h1"
    assert "materials/" not in by_url and all(f"materials/#{m}" in by_url for m in kb.materials)
