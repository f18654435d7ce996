"""Printable bundles: one page per guidance group and campaign with all its reports.

``print/<campaign>/<group>.md`` holds every report the group received in that campaign,
in the official layout (the same parts as the Word file, :mod:`kb.official.document`),
each starting on a new printed page; ``print/index.md`` lists the bundles. The pages
are left out of the search index (the reports are indexed on their own pages).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kb.model import Campaign, Group, KnowledgeBase, Report
from kb.official.document import OfficialDocument, official_document
from kb.render import GeneratedPage, SiteSettings, render

INDEX = "print/index.md"


def bundle_src(campaign_id: str, group_id: str) -> str:
    return f"print/{campaign_id}/{group_id}.md"


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

    def documents(self) -> list[OfficialDocument]:
        return [official_document(r) for r in self.reports]


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


def bundle_pages(kb: KnowledgeBase, settings: SiteSettings) -> list[GeneratedPage]:
    """Producer: the bundle pages and their index."""
    all_bundles = bundles(kb)
    pages = [
        GeneratedPage(
            b.src,
            render("official/bundle.md.j2", b=b, src=b.src, documents=b.documents()),
        )
        for b in all_bundles
    ]
    by_campaign: dict[str, list[Bundle]] = defaultdict(list)
    for b in all_bundles:
        by_campaign[b.campaign.id].append(b)
    campaigns = [(kb.campaigns[c], bs) for c, bs in by_campaign.items()]
    pages.append(GeneratedPage(
        INDEX, render("official/bundle_index.md.j2", src=INDEX, campaigns=campaigns),
    ))
    return pages
