"""Pages of the upward material: per campaign ``views/<campaign>/upward/index.md`` and per
guidance group ``views/<campaign>/upward/<group>.md`` — 共性问题 with each unit's own wording
linked to its report, 典型做法, and the link to the drafted summary (.docx). The pages stay
out of the global nav (under ``views/*/``); the dashboards' view links lead to them.
"""

from __future__ import annotations

from kb.data.model import KnowledgeBase
from kb.markup.cache import BuildCache
from kb.markup.render import GeneratedPage, SiteSettings, render_page
from kb.upward import drafts, practices
from kb.upward.summary import PROBLEMS_SHOWN, Scope, upward
from kb.views import exports
from kb.views.producer import compare_src, dashboard_src, linker
from kb.views.stats import format_number

KIND_LABELS = {"problem": "存在的问题", "ledger": "整改台账"}


def scope_page(scope: Scope, siblings: list[Scope], settings: SiteSettings) -> GeneratedPage:
    src = drafts.page_src(scope)
    return render_page(
        "upward/scope.md.j2", src, u=linker(src), s=scope, v=scope.view, siblings=siblings,
        problems=scope.problems[:PROBLEMS_SHOWN], more=max(0, len(scope.problems) - PROBLEMS_SHOWN),
        docx=drafts.file_name(scope), docx_name=drafts.download_name(scope),
        page_src=drafts.page_src, kinds=KIND_LABELS, settings=settings, fmt=format_number,
        dashboard_src=dashboard_src, compare_src=compare_src, distinct_min=practices.DISTINCT_MIN,
        group_downloads=exports.group_downloads(scope.campaign, scope.group) if scope.group else [],
    )


def upward_pages(kb: KnowledgeBase, settings: SiteSettings,
                 cache: BuildCache | None = None) -> list[GeneratedPage]:
    """PRODUCERS hook: one page per campaign and per guidance group of it."""
    pages = []
    for campaign in upward(kb, settings.build_date, cache):
        scopes = campaign.scopes()
        pages += [scope_page(s, scopes, settings) for s in scopes]
    return pages

