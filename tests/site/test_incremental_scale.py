"""kb.site.incremental at scale: what a serve rebuild asks of every file and every page
must not cost a system call, a path object or a hash per item again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_memory import _Cycle

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


def test_a_complete_serve_build_collects_then_freezes_what_is_alive(monkeypatch):
    import gc
    import weakref

    monkeypatch.setattr(incremental, "PAGES", incremental.PageCache())
    monkeypatch.setattr(incremental, "RENDERED", incremental.RenderCache())
    monkeypatch.setattr(incremental, "QUICK", incremental.QuickRebuild())
    monkeypatch.setattr(incremental, "state", incremental.ServeState(serving=True, dirty=True, builds=1))
    garbage = _Cycle()
    gone = weakref.ref(garbage)
    gc.freeze()  # as an earlier complete build left it
    del garbage
    gc.collect()
    assert gone() is not None  # frozen: the quick builds' collections do not walk it
    incremental.QUICK.pending = True  # a quick build: nothing is settled
    incremental.QUICK.trigger_dir = None
    incremental.build_done("site")
    assert gone() is not None
    incremental.QUICK.pending = False  # the complete build
    incremental.build_done("site")
    assert gone() is None  # collected at last
    assert gc.get_freeze_count() > 0  # what is alive now is left out of later collections
