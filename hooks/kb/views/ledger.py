"""The rectification ledger (整改台账) of every unit, with an overdue flag.

An item is *overdue* when it is still open (推进中 or 未开始) and its deadline lies before
the build date (``SiteSettings.build_date``, from ``SOURCE_DATE_EPOCH`` for reproducible
builds). 长期坚持 items, and items whose deadline is an ongoing word (长期坚持, 持续推进,
常态化) rather than a date, have no end and are never overdue; a done item finished after
its deadline is flagged as *completed late*.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kb.data.model import KnowledgeBase, LedgerItem, Report
from kb.views.submission import days_between


@dataclass(frozen=True)
class LedgerRow:
    report: Report
    number: int  # 1-based position in the report's ledger
    item: LedgerItem
    build_date: str

    @property
    def overdue(self) -> bool:
        return self.item.overdue(self.build_date)

    @property
    def days_overdue(self) -> int:
        return days_between(self.item.deadline, self.build_date) if self.overdue else 0

    @property
    def completed_late(self) -> bool:
        return self.item.completed_late


def ledger_rows(kb: KnowledgeBase, build_date: str) -> list[LedgerRow]:
    """Every ledger item, by campaign, group, unit and position."""
    reports = sorted(
        kb.reports,
        key=lambda r: (r.campaign.start, r.campaign.id, r.group.number, r.batch.id, r.unit.id),
    )
    return [
        LedgerRow(r, i, item, build_date)
        for r in reports
        for i, item in enumerate(r.ledger, start=1)
    ]


def statuses(kb: KnowledgeBase, rows: list[LedgerRow]) -> list[str]:
    """The statuses found, in the schema's order of progress (the schema of the data dir
    being built), then any other status found in the data."""
    seen = {row.item.status for row in rows}
    known = kb.ledger_statuses
    return [s for s in known if s in seen] + sorted(seen - set(known))


@dataclass(frozen=True)
class LedgerSummary:
    label: str
    total: int
    by_status: dict[str, int]
    overdue: int


def summarise(label: str, rows: list[LedgerRow], status_order: list[str]) -> LedgerSummary:
    counts = Counter(row.item.status for row in rows)
    return LedgerSummary(
        label=label,
        total=len(rows),
        by_status={s: counts.get(s, 0) for s in status_order},
        overdue=sum(row.overdue for row in rows),
    )
