"""What a guidance group sends upward, for one campaign or one guidance group of it.

:func:`upward` computes once per build (shared by the pages and the Word drafts through
:meth:`kb.markup.cache.BuildCache.once`): for every campaign the dashboard's
:class:`kb.views.producer.CampaignView` — so the drafts give exactly the dashboard's
figures —, the 共性问题 (:mod:`kb.upward.grouping`) and the 典型做法
(:mod:`kb.upward.practices`); :class:`Scope` is one campaign or one group of it, with
every figure a draft states.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.data.model import Campaign, Group, KnowledgeBase
from kb.markup.cache import BuildCache
from kb.upward import grouping, practices
from kb.views.copies import load_template
from kb.views.ledger import LedgerRow, LedgerSummary, ledger_rows
from kb.views.producer import CampaignView, campaign_view

PROBLEMS_SHOWN = 50  # 共性问题 listed on a page
PRACTICES_SHOWN = 20


@dataclass(frozen=True)
class FigureLine:
    label: str
    unit: str
    total: int | None  # None: no report of the scope gives it (the dashboard's "—")
    reports: int  # reports giving it


@dataclass(frozen=True)
class Scope:
    """A campaign (``group`` None) or one guidance group of it."""

    view: CampaignView
    group: Group | None
    problems: list[grouping.ProblemGroup]
    practices: list[practices.Practice]
    overdue_rows: list[LedgerRow]  # of the campaign
    practice_units: int = 0  # units of the scope with a practice ranked (典型做法 chosen from)

    @property
    def campaign(self) -> Campaign:
        return self.view.campaign

    @property
    def name(self) -> str:
        return self.group.name if self.group else "全部指导组"

    def _status(self):
        return next(s for s in self.view.status if s.group.id == self.group.id)

    @property
    def expected(self) -> int:
        return len(self._status().expected) if self.group else self.view.expected

    @property
    def submitted(self) -> int:
        return self._status().submitted if self.group else self.view.submitted

    @property
    def on_time(self) -> int:
        return self._status().on_time if self.group else sum(s.on_time for s in self.view.status)

    @property
    def late(self) -> int:
        return len(self._status().late) if self.group else self.view.late

    @property
    def missing(self) -> int:
        return len(self._status().missing) if self.group else self.view.missing

    @property
    def figures(self) -> list[FigureLine]:
        out = []
        for t in self.view.stats.totals:
            if self.group is None:
                out.append(FigureLine(t.figure.label, t.figure.unit, t.total, t.reports))
                continue
            given = sum(1 for r in self.view.stats.reports
                        if r.group.id == self.group.id and t.figure.key in r.figures)
            out.append(FigureLine(t.figure.label, t.figure.unit, t.by_group[self.group.id], given))
        return out

    @property
    def ledger(self) -> LedgerSummary:
        if self.group is None:
            return self.view.ledger_summaries[-1]
        groups = self.view.stats.groups
        return self.view.ledger_summaries[next(i for i, g in enumerate(groups) if g.id == self.group.id)]

    @property
    def statuses(self) -> list[str]:
        return self.view.ledger_statuses

    @property
    def overdue(self) -> list[LedgerRow]:
        return [row for row in self.overdue_rows
                if self.group is None or row.report.group.id == self.group.id]


@dataclass(frozen=True)
class CampaignUpward:
    view: CampaignView
    problems: list[grouping.ProblemGroup]  # the campaign's 共性问题, largest first
    ranked: list[practices.Practice]  # every practice, most distinctive first

    def scope(self, group: Group | None = None) -> Scope:
        overdue = [row for row in self.view.ledger if row.overdue]
        gid = group.id if group else None
        units = len(practices.best_of_units(self.ranked, gid))
        typical = practices.typical(self.ranked, PRACTICES_SHOWN, gid)
        if group is None:
            return Scope(self.view, None, self.problems, typical, overdue, units)
        return Scope(self.view, group, grouping.for_group(self.problems, group.id),
                     typical, overdue, units)

    def scopes(self) -> list[Scope]:
        return [self.scope(), *(self.scope(g) for g in self.view.stats.groups)]


def _compute(kb: KnowledgeBase, build_date: str) -> list[CampaignUpward]:
    rows = ledger_rows(kb, build_date)
    template = load_template(kb.data_dir)
    out = []
    for c in sorted(kb.campaigns.values(), key=lambda c: (c.start, c.id)):
        view = campaign_view(kb, c, rows, build_date)
        reports = view.stats.reports
        out.append(CampaignUpward(view, grouping.campaign_problems(reports),
                                  practices.scored(reports, template)))
    return out


def upward(kb: KnowledgeBase, build_date: str, cache: BuildCache | None = None) -> list[CampaignUpward]:
    """Every campaign's upward material, computed once per build."""
    return (cache or BuildCache()).once("upward", lambda: _compute(kb, build_date))
