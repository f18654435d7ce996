"""Submission status: the campaign roster against the reports present.

A unit is *late* when its report is dated after its batch's deadline, *missing* when the
roster expects it and no report exists; a missing unit is *overdue* once the build date
is past the deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.data.model import Batch, Campaign, Group, KnowledgeBase, Report, Unit
from kb.views.stats import campaign_groups


@dataclass(frozen=True)
class Expected:
    unit: Unit
    group: Group
    batch: Batch
    report: Report | None
    build_date: str

    @property
    def late(self) -> bool:
        return self.report is not None and self.report.late

    @property
    def missing(self) -> bool:
        return self.report is None

    @property
    def overdue(self) -> bool:
        """Missing and the deadline has passed at build time."""
        return self.missing and self.build_date > self.batch.deadline

    @property
    def days_late(self) -> int:
        if self.report is None:
            return days_between(self.batch.deadline, self.build_date) if self.overdue else 0
        return max(0, days_between(self.batch.deadline, self.report.submitted))


@dataclass(frozen=True)
class GroupStatus:
    group: Group
    expected: list[Expected]

    @property
    def submitted(self) -> int:
        return sum(not e.missing for e in self.expected)

    @property
    def on_time(self) -> int:
        return sum(not e.missing and not e.late for e in self.expected)

    @property
    def late(self) -> list[Expected]:
        return [e for e in self.expected if e.late]

    @property
    def missing(self) -> list[Expected]:
        return [e for e in self.expected if e.missing]


def days_between(earlier: str, later: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


def submission_status(kb: KnowledgeBase, campaign: Campaign, build_date: str) -> list[GroupStatus]:
    """Per guidance group of the roster: every expected unit with its report (or none)."""
    reports = {r.unit.id: r for r in kb.reports_of(campaign.id)}
    rows: dict[str, list[Expected]] = {}
    for entry in campaign.roster:
        rows.setdefault(entry.group, []).append(Expected(
            unit=kb.units[entry.unit],
            group=kb.groups[entry.group],
            batch=campaign.batch(entry.batch),
            report=reports.get(entry.unit),
            build_date=build_date,
        ))
    return [
        GroupStatus(g, sorted(rows[g.id], key=lambda e: (e.batch.id, e.unit.id)))
        for g in campaign_groups(kb, campaign)
    ]
