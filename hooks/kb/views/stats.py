"""Figures of a campaign: totals per guidance group and batch, medians, the comparison table.

Only values a report actually gives are counted: a figure no report of a group gives is
shown as missing (None), not as zero.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from kb.data.model import Batch, Campaign, Figure, Group, KnowledgeBase, Report


@dataclass(frozen=True)
class FigureTotal:
    figure: Figure
    total: int | None
    reports: int  # how many reports give the figure
    by_group: dict[str, int | None]
    by_batch: dict[int, int | None]


@dataclass(frozen=True)
class CampaignStats:
    campaign: Campaign
    groups: list[Group]  # groups in the campaign roster, by number
    batches: list[Batch]
    reports: list[Report]
    totals: list[FigureTotal]


def _sum(values: list[int]) -> int | None:
    return sum(values) if values else None


def campaign_groups(kb: KnowledgeBase, campaign: Campaign) -> list[Group]:
    ids = {entry.group for entry in campaign.roster}
    return sorted((kb.groups[g] for g in ids), key=lambda g: (g.number, g.id))


def figure_total(figure: Figure, reports: list[Report], groups: list[Group],
                 batches: list[Batch]) -> FigureTotal:
    given = [r for r in reports if figure.key in r.figures]
    return FigureTotal(
        figure=figure,
        total=_sum([r.figures[figure.key] for r in given]),
        reports=len(given),
        by_group={g.id: _sum([r.figures[figure.key] for r in given if r.group.id == g.id])
                  for g in groups},
        by_batch={b.id: _sum([r.figures[figure.key] for r in given if r.batch.id == b.id])
                  for b in batches},
    )


def campaign_stats(kb: KnowledgeBase, campaign: Campaign) -> CampaignStats:
    reports = sorted(kb.reports_of(campaign.id),
                     key=lambda r: (r.group.number, r.batch.id, r.unit.id))
    groups = campaign_groups(kb, campaign)
    batches = list(campaign.batches)
    totals = [figure_total(f, reports, groups, batches) for f in campaign.figures]
    return CampaignStats(campaign, groups, batches, reports, totals)


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def group_medians(stats: CampaignStats) -> dict[str | None, dict[str, float | None]]:
    """Median of every figure per group id, and over all reports (key None)."""
    out: dict[str | None, dict[str, float | None]] = {}
    for group in [*stats.groups, None]:
        members = [r for r in stats.reports if group is None or r.group.id == group.id]
        out[None if group is None else group.id] = {
            f.key: median([r.figures[f.key] for r in members if f.key in r.figures])
            for f in stats.campaign.figures
        }
    return out


def format_number(value: float | int | None) -> str:
    """12 → "12", 12.5 → "12.5", None → "—"."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"
