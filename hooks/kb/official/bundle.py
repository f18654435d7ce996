"""Printable bundles: one page per guidance group and campaign with all its reports.

``print/<campaign>/<group>.md`` holds every report the group received in that campaign,
in the official layout (the same parts as the Word file, :mod:`kb.official.document`),
each starting on a new printed page; ``print/index.md`` lists the bundles. The pages
are left out of the search index (the reports are indexed on their own pages).
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from kb import urls
from kb.data.model import Campaign, Group, KnowledgeBase, Report
from kb.markup.cache import BuildCache
from kb.markup.render import GeneratedPage, SiteSettings, fragment_marker, render
from kb.official import prose
from kb.official.document import Body, Heading, OfficialDocument, official_document

INDEX = urls.PRINT
BUNDLE_KEY = "bundle"  # report_key salt: a report's bundle part, not its page


def bundle_src(campaign_id: str, group_id: str) -> str:
    return urls.bundle(campaign_id, group_id)


@dataclass
class Bundle:
    campaign: Campaign
    group: Group
    reports: list[Report]

    @property
    def src(self) -> str:
        return bundle_src(self.campaign.id, self.group.id)

    @property
    def title(self) -> str:
        return f"{self.campaign.short_name}{self.group.name}自查评估报告汇编"

    def documents(self, cache: BuildCache) -> list[tuple[OfficialDocument, str]]:
        """Each report's document and its HTML."""
        return [report_document(report, cache) for report in self.reports]


@dataclass(frozen=True)
class HtmlPart:
    """A heading, or prose rendered to HTML (with its 一是… lead)."""

    heading: Heading | None = None
    html: str = ""


def _body_html(part: Body) -> str:
    body = prose.to_html(part.prose)
    if not part.lead:
        return body
    lead = html.escape(part.lead, quote=False)
    lead = f"<strong>{lead}</strong>" if part.lead_bold else lead
    if body.startswith("<p>"):
        return f"<p>{lead}{body[3:]}"
    return f"<p>{lead}</p>{body}"


def document_html(doc: OfficialDocument, prefix: str) -> str:
    """The official document as HTML (the prose is rendered once here, not by the page)."""
    parts = [HtmlPart(heading=p) if isinstance(p, Heading) else HtmlPart(html=_body_html(p))
             for p in doc.body]
    return render("official/document.html.j2", d=doc, prefix=prefix, parts=parts)


def report_document(report: Report, cache: BuildCache) -> tuple[OfficialDocument, str]:
    """A report's official document and its HTML (serve rebuilds reuse unchanged ones)."""

    def make() -> tuple[OfficialDocument, str]:
        doc = official_document(report)
        return doc, document_html(doc, report.unit.id)

    return cache.report_part(report, BUNDLE_KEY, make)


def bundles(kb: KnowledgeBase) -> list[Bundle]:
    """Bundles in campaign order, then group number; reports by batch, then unit."""
    grouped: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in kb.reports:
        grouped[(report.campaign.id, report.group.id)].append(report)
    out = [
        Bundle(kb.campaigns[c], kb.groups[g], sorted(rs, key=lambda r: (r.batch.id, r.unit.id)))
        for (c, g), rs in grouped.items()
    ]
    return sorted(out, key=lambda b: (b.campaign.start, b.campaign.id, b.group.number))


def bundle_page(b: Bundle, cache: BuildCache) -> GeneratedPage:
    """One bundle: its Markdown holds each report's HTML as a fragment marker."""
    documents = b.documents(cache)
    markers = [(doc, fragment_marker(i)) for i, (doc, _html) in enumerate(documents)]
    content = render("official/bundle.md.j2", b=b, src=b.src, documents=markers)
    return GeneratedPage(b.src, content, fragments=tuple(html for _doc, html in documents))


def bundle_pages(kb: KnowledgeBase, settings: SiteSettings,
                 cache: BuildCache | None = None) -> list[GeneratedPage]:
    """Producer: the bundle pages and their index."""
    all_bundles = bundles(kb)
    cache = cache or BuildCache()
    pages = [bundle_page(b, cache) for b in all_bundles]
    by_campaign: dict[str, list[Bundle]] = defaultdict(list)
    for b in all_bundles:
        by_campaign[b.campaign.id].append(b)
    campaigns = [(kb.campaigns[c], bs) for c, bs in by_campaign.items()]
    pages.append(GeneratedPage(
        INDEX, render("official/bundle_index.md.j2", src=INDEX, campaigns=campaigns),
    ))
    return pages
