"""Assemble every generated page of the site from the knowledge base.

The composition root of the pages: this module makes the core pages (home, report
index, campaign tables, one page per report, study materials) and lists what the
feature packages contribute — their producers in :data:`PRODUCERS`, the per-report data
their templates need in :data:`REPORT_EXTRAS`, their home-page links in
:data:`HOME_LINKS`. Features do not import the site layer. Each producer takes the model,
the site settings and the build's cache (:class:`kb.markup.cache.BuildCache`) and returns
:class:`kb.markup.render.GeneratedPage` objects. Work is linear in the number of reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from kb import urls, views
from kb.data.model import Campaign, KnowledgeBase, Material, Report
from kb.markup.cache import BuildCache
from kb.markup.render import GeneratedPage, SiteSettings, render, render_page
from kb.official import bundle as official_bundle
from kb.official import downloads as official_downloads
from kb.site import memory
from kb.site.incremental import signature
from kb.upward import upward_pages

Producer = Callable[[KnowledgeBase, SiteSettings, BuildCache], list[GeneratedPage]]

KEY_FIGURES = 4
REPORTS_URL = urls.url(urls.REPORTS)  # the nav section the campaign pages join


@dataclass(frozen=True)
class HomeLink:
    """A link on the home page to a page a feature adds (views, performance …)."""

    title: str
    src: str
    description: str


HOME_LINKS: list[HomeLink] = [
    HomeLink("指导组视图", views.OVERVIEW, "各项数据合计与图表、报送情况、单位对比表和原创度排行。"),
    HomeLink("整改台账", views.LEDGER, "全部单位的问题清单和整改事项，可按状态、指导组、学习教育筛选，标出逾期事项。"),
    HomeLink("打印汇编", official_bundle.INDEX, "按指导组汇编的全部报告，按公文格式打印，每份报告从新的一页开始。"),
    HomeLink("性能", urls.PERFORMANCE, "报告数量很多时的构建时间、内存、页面大小和搜索速度（规模基准的结果）。"),
]

# Per-report data from features (copy detection, downloads …): each callable returns
# {report.id: {name: value}}; report pages see the merged dict as ``x``.
ReportExtras = Callable[[KnowledgeBase, SiteSettings, BuildCache], dict[str, dict]]
REPORT_EXTRAS: list[ReportExtras] = [views.report_extras, official_downloads.report_extras]


def report_extras(kb: KnowledgeBase, settings: SiteSettings, cache: BuildCache) -> dict[str, dict]:
    merged: dict[str, dict] = defaultdict(dict)
    for extras in REPORT_EXTRAS:
        for report_id, values in extras(kb, settings, cache).items():
            merged[report_id].update(values)
    return merged


def _campaigns_with_reports(kb: KnowledgeBase) -> list[tuple[Campaign, list[Report]]]:
    by_campaign: dict[str, list[Report]] = defaultdict(list)
    for report in kb.reports:
        by_campaign[report.campaign.id].append(report)
    ordered = sorted(kb.campaigns.values(), key=lambda c: (c.start, c.id))
    return [(c, by_campaign.get(c.id, [])) for c in ordered]


def report_page(report: Report, settings: SiteSettings, extras: dict | None = None,
                cache: BuildCache | None = None) -> GeneratedPage:
    return (cache or BuildCache()).report_part(  # serve rebuilds reuse unchanged pages
        report, (settings, extras),
        lambda: render_page("report.md.j2", report.src_uri, r=report, settings=settings,
                            x=extras or {}),
    )


def campaign_page(
    kb: KnowledgeBase, campaign: Campaign, reports: list[Report]
) -> GeneratedPage:
    src = urls.campaign(campaign.id)
    by_unit = {r.unit.id: r for r in reports}
    rows: dict[tuple[int, str], list] = defaultdict(list)
    for entry in campaign.roster:
        rows[(entry.batch, entry.group)].append((kb.units[entry.unit], by_unit.get(entry.unit)))
    groups = sorted(kb.groups.values(), key=lambda g: g.number)
    key_figures = [f for f in campaign.figures if f.required][:KEY_FIGURES]
    return render_page(
        "campaign.md.j2", src, c=campaign, groups=groups, rows=rows,
        reports=reports, key_figures=key_figures,
    )


@dataclass
class MaterialSection:
    title: str
    anchor: str
    categories: list[tuple[str, list[Material]]]
    primary: dict[str, bool]
    cited: dict[str, list[Report]]  # material id -> reports listed as back-links here


def _backlinks(kb: KnowledgeBase, m: Material, campaign_id: str, primary: bool) -> list[Report]:
    """Reports citing ``m`` shown in one section: those of the section's campaign, plus, in the
    material's first section, those of campaigns the material is not listed for."""
    return [
        r for r in kb.citations.get(m.id, [])
        if r.campaign.id == campaign_id or (primary and r.campaign.id not in m.campaigns)
    ]


def _material_sections(kb: KnowledgeBase) -> list[MaterialSection]:
    groups: list[tuple[str, str, str, list[Material]]] = [
        (c.short_name, f"campaign-{c.id}", c.id, kb.materials_of(c.id))
        for c, _ in _campaigns_with_reports(kb)
    ]
    groups.append(("通用材料", "general", "", kb.general_materials()))
    seen: set[str] = set()
    sections = []
    for title, anchor, campaign_id, materials in groups:
        if not materials:
            continue
        primary = {m.id: m.id not in seen for m in materials}
        seen.update(primary)
        order = {c: i for i, c in enumerate(kb.material_categories)}
        by_cat: dict[str, list[Material]] = defaultdict(list)
        for m in sorted(materials, key=lambda m: (not m.required, m.date, m.id)):
            by_cat[m.category].append(m)
        categories = sorted(by_cat.items(), key=lambda kv: order.get(kv[0], len(order)))
        cited = {m.id: _backlinks(kb, m, campaign_id, primary[m.id]) for m in materials}
        sections.append(MaterialSection(title, anchor, categories, primary, cited))
    return sections


def core_pages(kb: KnowledgeBase, settings: SiteSettings,
               cache: BuildCache | None = None) -> list[GeneratedPage]:
    """Home, report index, one page per campaign and per report, study materials."""
    campaigns = _campaigns_with_reports(kb)
    pages = [
        GeneratedPage(
            urls.HOME,
            render(
                "home.md.j2", kb=kb, src=urls.HOME, campaigns=campaigns,
                unit_count=len({r.unit.id for r in kb.reports}),
                ledger_count=sum(len(r.ledger) for r in kb.reports),
                extra_links=HOME_LINKS,
            ),
        ),
        GeneratedPage(
            urls.REPORTS,
            render("reports_index.md.j2", src=urls.REPORTS, campaigns=campaigns),
        ),
        render_page("materials.md.j2", urls.MATERIALS, sections=_material_sections(kb)),
    ]
    pages += [campaign_page(kb, c, reports) for c, reports in campaigns]
    cache = cache or BuildCache()
    extras = report_extras(kb, settings, cache)
    pages += [report_page(r, settings, extras.get(r.id), cache) for r in kb.reports]
    cache.keep_extras(extras)  # a quick serve rebuild reuses them
    return pages


PRODUCERS: list[Producer] = [core_pages, views.view_pages, official_bundle.bundle_pages,
                             upward_pages]


def nav_key(nav: object, kb: KnowledgeBase) -> str:
    """What every page shows of the nav (a serve rebuild renders all pages when it changes)."""
    return signature(nav, campaign_nav(kb), [c.short_name for c in kb.campaigns.values()])


def campaign_nav(kb: KnowledgeBase) -> list[str]:
    """Source URIs of the campaign pages, in time order, for the 报告库 nav section."""
    return [urls.campaign(c.id) for c, _ in _campaigns_with_reports(kb)]


def generate_pages(kb: KnowledgeBase, settings: SiteSettings,
                   cache: BuildCache | None = None) -> list[GeneratedPage]:
    """Every generated page; under ``make serve`` an edit of reports alone first gets a
    quick build (:class:`kb.site.incremental.QuickRebuild`)."""
    cache = cache or BuildCache()
    quick = cache.quick_pages(kb.reports, lambda r, x: report_page(r, settings, x, cache))
    if quick is not None:
        return quick
    pages: list[GeneratedPage] = []
    for produce in PRODUCERS:
        pages.extend(produce(kb, settings, cache))
        if not cache.rebuilding:  # what each producer keeps is left out of later collections
            memory.settle()
    cache.remember(pages)
    return pages
