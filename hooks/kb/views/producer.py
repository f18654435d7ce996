"""Generated pages of the guidance-group views (指导组视图).

``views/index.md`` (overview), per campaign ``views/<campaign>/index.md`` (dashboard:
totals, charts, submission status, ledger summary, copy ranking) and
``views/<campaign>/compare.md`` (comparison table), and ``views/ledger.md`` (the ledger of
every unit). Pages with charts carry inline SVG and are not sanitised: their templates
HTML-escape every data string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb import urls
from kb.data.model import Campaign, KnowledgeBase
from kb.markup.cache import BuildCache
from kb.markup.render import GeneratedPage, SiteSettings, render
from kb.views import charts
from kb.views.copies import ranking, source_ref
from kb.views.exports import downloads
from kb.views.ledger import LedgerRow, LedgerSummary, ledger_rows, statuses, summarise
from kb.views.stats import CampaignStats, campaign_stats, format_number, group_medians
from kb.views.submission import GroupStatus, submission_status

OVERVIEW = urls.VIEWS
LEDGER = urls.LEDGER
SUBMISSION_SERIES = [
    charts.Series("按时报送", "#2e7d32"),
    charts.Series("迟报", "#ef6c00"),
    charts.Series("未报送", "#757575"),
]


def dashboard_src(campaign: Campaign) -> str:
    return urls.dashboard(campaign.id)


def compare_src(campaign: Campaign) -> str:
    return urls.compare(campaign.id)


def linker(src: str) -> Callable[[str], str]:
    return lambda to: urls.href(src, to)


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: str


def figure_charts(stats: CampaignStats, medians: dict) -> tuple[list[Chart], list[Chart]]:
    """Per-group totals (bars) and per-unit distribution (dots + group median) per figure."""
    bars, strips = [], []
    for t in stats.totals:
        f = t.figure
        bars.append(Chart(
            f"{f.label}（{f.unit}），各指导组合计",
            charts.bar_chart(f"{f.label}各指导组合计", [(g.name, t.by_group[g.id]) for g in stats.groups], f.unit),
        ))
        rows = [
            (g.name,
             [(r.unit.name, r.figures[f.key]) for r in stats.reports
              if r.group.id == g.id and f.key in r.figures],
             medians[g.id][f.key])
            for g in stats.groups
        ]
        strips.append(Chart(
            f"{f.label}（{f.unit}），各单位分布（竖线为指导组中位数）",
            charts.strip_chart(f"{f.label}各单位分布", rows, f.unit),
        ))
    return bars, strips


def submission_chart(status: list[GroupStatus]) -> Chart:
    rows = [(s.group.name, [s.on_time, len(s.late), len(s.missing)]) for s in status]
    return Chart("各指导组报送情况（单位数）", charts.stacked_chart("各指导组报送情况", rows, SUBMISSION_SERIES))


@dataclass(frozen=True)
class CampaignView:
    campaign: Campaign
    stats: CampaignStats
    status: list[GroupStatus]
    ledger: list[LedgerRow]
    ledger_summaries: list[LedgerSummary]
    ledger_statuses: list[str]

    @property
    def expected(self) -> int:
        return len(self.campaign.roster)

    @property
    def submitted(self) -> int:
        return sum(s.submitted for s in self.status)

    @property
    def late(self) -> int:
        return sum(len(s.late) for s in self.status)

    @property
    def missing(self) -> int:
        return sum(len(s.missing) for s in self.status)

    @property
    def overdue_missing(self) -> int:
        return sum(e.overdue for s in self.status for e in s.missing)

    @property
    def ledger_overdue(self) -> int:
        return sum(row.overdue for row in self.ledger)


def campaign_view(kb: KnowledgeBase, campaign: Campaign, rows: list[LedgerRow],
                  build_date: str) -> CampaignView:
    stats = campaign_stats(kb, campaign)
    mine = [row for row in rows if row.report.campaign.id == campaign.id]
    order = statuses(kb, rows)
    summaries = [summarise(g.name, [r for r in mine if r.report.group.id == g.id], order)
                 for g in stats.groups]
    summaries.append(summarise("合计", mine, order))
    return CampaignView(campaign, stats, submission_status(kb, campaign, build_date), mine,
                        summaries, order)


def view_pages(kb: KnowledgeBase, settings: SiteSettings,
               cache: BuildCache | None = None) -> list[GeneratedPage]:
    """PRODUCERS hook: every page of the guidance-group views."""
    rows = ledger_rows(kb, settings.build_date)
    campaigns = sorted(kb.campaigns.values(), key=lambda c: (c.start, c.id))
    views = [campaign_view(kb, c, rows, settings.build_date) for c in campaigns]
    ranked = ranking(kb, cache or BuildCache())
    common = {"settings": settings, "fmt": format_number, "dashboard_src": dashboard_src,
              "compare_src": compare_src, "downloads": downloads}
    pages = [GeneratedPage(OVERVIEW, render(
        "views/overview.md.j2", src=OVERVIEW, u=linker(OVERVIEW), views=views, ranked=ranked,
        notices=[p for p in kb.notices if not p.is_error], **common,
    ))]
    for v in views:
        src = dashboard_src(v.campaign)
        medians = group_medians(v.stats)
        bars, strips = figure_charts(v.stats, medians)
        pages.append(GeneratedPage(src, render(
            "views/dashboard.md.j2", src=src, u=linker(src), v=v, bars=bars, strips=strips,
            submission_chart=submission_chart(v.status), ranked=ranked[v.campaign.id],
            source_label=lambda source: source_ref(kb, source, 0).label,
            **common,
        ), sanitize=False))
        src = compare_src(v.campaign)
        pages.append(GeneratedPage(src, render(
            "views/compare.md.j2", src=src, u=linker(src), v=v, medians=medians, **common,
        )))
    order = statuses(kb, rows)
    by_campaign = [summarise(v.campaign.short_name, v.ledger, order) for v in views]
    by_campaign.append(summarise("合计", rows, order))
    pages.append(GeneratedPage(LEDGER, render(
        "views/ledger.md.j2", src=LEDGER, u=linker(LEDGER), rows=rows, statuses=order,
        summaries=by_campaign, views=views, **common,
    )))
    return pages
