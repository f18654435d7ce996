"""kb.site.incremental at scale: what a serve rebuild asks of every file and every page
must not cost a system call, a path object or a hash per item again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.markup.render import GeneratedPage
from kb.site import incremental

DATA = Path("/srv/kb/data")


@pytest.mark.parametrize(("rel", "expected"), [
    ("reports/2024-dangji/a-czj.yml", True),
    ("reports/2024-dangji/a-czj.yaml", False),
    ("reports/a-czj.yml", False),
    ("reports/c/x/a-czj.yml", False),
    ("campaigns/2024-dangji.yml", False),
    ("units.yml", False),
])
def test_is_report_file(rel, expected):
    assert incremental.is_report_file(DATA, os.path.join(str(DATA), *rel.split("/"))) is expected


def test_a_page_object_seen_before_is_not_expanded_and_hashed_again(monkeypatch):
    monkeypatch.setattr(incremental, "PAGES", incremental.PageCache())
    cache = incremental.ServeCache()
    page = GeneratedPage("reports/c/u.md", "# 报告\n<!-- kb-fragment 0 -->\n", fragments=("<p>正文</p>",))
    calls = []

    class Counting:
        def __init__(self, page):
            self.page = page

        def inline(self):
            calls.append(self.page.src_uri)
            return self.page.inline()

    same = Counting(page)
    assert cache.page_unchanged("site", page.src_uri, same.inline, "nav") is False
    incremental.PAGES.commit("site")
    assert cache.page_unchanged("site", page.src_uri, same.inline, "nav") is True
    assert calls == [page.src_uri]  # the second build reused the digest
    assert cache.page_unchanged("site", page.src_uri, same.inline, "other nav") is False
    edited = Counting(GeneratedPage(page.src_uri, "# 报告（改）\n"))
    assert cache.page_unchanged("site", page.src_uri, edited.inline, "nav") is False
    assert len(calls) == 2  # a new page object is read
