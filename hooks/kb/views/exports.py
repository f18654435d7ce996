"""Excel (.xlsx) and CSV downloads of the guidance-group views (指导组视图).

The tables a guidance group keeps in its own records, with the rows of the HTML tables
they come from:

- per campaign, next to its comparison table (``views/<c>/compare/``): ``compare`` —
  the units × figures table (``#compare-table``);
- per campaign, next to its dashboard (``views/<c>/``): ``submission`` — every unit of the
  roster with its report date and status (the dashboard's missing and late tables are
  its 未报送 and 迟报 rows, its per-group table their counts), and ``originality`` — the
  原创度 ranking (``#originality-table``);
- next to the ledger (``views/ledger/``): ``ledger`` (every item, ``#ledger-items``) and
  ``ledger-<c>`` (the items of one campaign);
- per campaign × guidance group, next to the group's upward page
  (``views/<c>/upward/<g>/``, :func:`group_downloads`): ``compare``, ``ledger`` and
  ``submission`` — the same tables, made by the same code, with that group's rows only.

Each as ``<stem>.xlsx`` and ``<stem>.csv`` (:mod:`kb.views.sheets`), written after the build
by :func:`write_exports` (a post-build step, registered in :mod:`kb.site.postbuild`); the
pages link to them through :func:`downloads` (their templates include
``views/_downloads.md.j2``). File names are ASCII; the reader's browser saves them under
the Chinese name of :attr:`Download.name`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kb import urls
from kb.data.model import Campaign, Group, KnowledgeBase
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.views.copies import ReportCopy, ranking, source_ref
from kb.views.ledger import LedgerRow, ledger_rows
from kb.views.sheets import Column, Sheet, Value, write_both
from kb.views.stats import CampaignStats, campaign_stats
from kb.views.submission import GroupStatus, submission_status

_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
EXCERPT = 60  # characters of the longest passage the dashboard shows (the file has it all)


@dataclass(frozen=True)
class Download:
    """A table offered for download: ``<page folder>/<stem>.xlsx`` and ``.csv``."""

    page: str  # source path of the page whose folder holds the files
    stem: str  # ASCII file name without extension
    name: str  # name offered when saving, without extension

    def folder(self, site_dir: Path) -> Path:
        return site_dir / urls.url(self.page)


def _saved_name(text: str) -> str:
    return _UNSAFE_FILENAME.sub("_", text)


def compare_download(c: Campaign) -> Download:
    return Download(urls.compare(c.id), "compare", _saved_name(f"{c.short_name}对比表"))


def submission_download(c: Campaign) -> Download:
    return Download(urls.dashboard(c.id), "submission", _saved_name(f"{c.short_name}报送情况"))


def originality_download(c: Campaign) -> Download:
    return Download(urls.dashboard(c.id), "originality", _saved_name(f"{c.short_name}原创度排行"))


def ledger_download(c: Campaign | None = None) -> Download:
    if c is None:
        return Download(urls.LEDGER, "ledger", "整改台账（全部）")
    return Download(urls.LEDGER, f"ledger-{c.id}", _saved_name(f"{c.short_name}整改台账"))


GROUP_TABLES = [("本组对比表", "compare", "对比表"), ("本组整改台账", "ledger", "整改台账"),
                ("本组报送情况", "submission", "报送情况")]


def group_downloads(c: Campaign, g: Group) -> list[tuple[str, Download]]:
    """A guidance group's own tables of a campaign, in the folder of its upward page."""
    page = urls.upward(c.id, g.id)
    return [(label, Download(page, stem, _saved_name(f"{c.short_name}{g.name}{title}")))
            for label, stem, title in GROUP_TABLES]


class _Downloads:
    """What the view templates link to (the Jinja global ``downloads``)."""

    compare = staticmethod(compare_download)
    submission = staticmethod(submission_download)
    originality = staticmethod(originality_download)
    ledger = staticmethod(ledger_download)
    group = staticmethod(group_downloads)

    @staticmethod
    def ledgers(campaigns: Iterable[Campaign]) -> list[tuple[str, Download]]:
        """The ledger page's links: every item, then each campaign's."""
        return [("全部事项", ledger_download())] + [(c.short_name, ledger_download(c)) for c in campaigns]


downloads = _Downloads()


# --- the tables ---------------------------------------------------------------------------

def compare_sheet(stats: CampaignStats, group: Group | None = None) -> Sheet:
    """The comparison table; with ``group``, only that group's units."""
    figures = stats.campaign.figures
    columns = [Column("单位", width=24), Column("指导组", width=14), Column("批次", width=10)]
    columns += [Column(f"{f.label}（{f.unit}）", "number", 14) for f in figures]

    def rows() -> Iterator[list[Value]]:
        for r in stats.reports:
            if group is not None and r.group.id != group.id:
                continue
            yield [r.unit.name, r.group.name, r.batch.name, *(r.figures.get(f.key) for f in figures)]

    return Sheet("对比表", columns, rows)


LEDGER_COLUMNS = [
    Column("学习教育", width=16), Column("指导组", width=14), Column("单位", width=22),
    Column("问题", width=48), Column("整改措施", width=48), Column("责任单位（责任人）", width=24),
    Column("完成时限", "date", 12), Column("状态", width=10), Column("逾期天数", "number", 10),
    Column("完成时限原文", width=16), Column("完成日期", "date", 12), Column("逾期完成", width=10),
]


def _ledger_row(row: LedgerRow) -> list[Value]:
    r, i = row.report, row.item
    responsible = i.responsible_unit + (f"（{i.responsible_person}）" if i.responsible_person else "")
    return [r.campaign.short_name, r.group.name, r.unit.name, i.problem, i.measure, responsible,
            i.deadline, i.status, row.days_overdue if row.overdue else None,
            i.deadline_note, i.completed or None, "是" if row.completed_late else ""]


def ledger_sheet(rows: list[LedgerRow]) -> Sheet:
    return Sheet("整改台账", LEDGER_COLUMNS, lambda: (_ledger_row(row) for row in rows))


SUBMISSION_COLUMNS = [
    Column("指导组", width=14), Column("批次", width=10), Column("单位", width=24),
    Column("报送截止", "date", 12), Column("报告日期", "date", 12), Column("状态", width=10),
    Column("迟报天数", "number", 10), Column("逾期未报天数", "number", 12),
]


def submission_sheet(statuses: list[GroupStatus], group: Group | None = None) -> Sheet:
    """Every unit of a campaign's roster (``statuses``: :func:`submission_status`; with
    ``group``, of that group): 按时报送, 迟报 or 未报送.
    迟报天数: a late report's days after its deadline; 逾期未报天数: a missing unit's days
    from the deadline to the build date, once the deadline has passed (the dashboard's
    迟报 and 未报送 tables say the same)."""

    def rows() -> Iterator[list[Value]]:
        for status in statuses:
            if group is not None and status.group.id != group.id:
                continue
            for e in status.expected:
                state = "未报送" if e.missing else "迟报" if e.late else "按时报送"
                yield [e.group.name, e.batch.name, e.unit.name, e.batch.deadline,
                       e.report.submitted if e.report else None, state,
                       e.days_late if e.late else None, e.days_late if e.overdue else None]

    return Sheet("报送情况", SUBMISSION_COLUMNS, rows)


ORIGINALITY_COLUMNS = [
    Column("排名", "number", 6), Column("单位", width=24), Column("指导组", width=14),
    Column("重复率", "percent", 10), Column("重复较多", width=10),
    Column("其中：模板", "percent", 12), Column("其中：其他单位报告", "percent", 16),
    Column("最长的重复段落", width=60), Column("段落字数", "number", 10),
    Column("段落来源", width=28),
]


def _originality_row(kb: KnowledgeBase, o: ReportCopy) -> list[Value]:
    res = o.result
    p = res.passages[0] if res.passages else None
    return [o.rank, o.report.unit.name, o.report.group.name, res.share(),
            "是" if o.high else "", res.share(res.from_template), res.share(res.from_documents),
            p.text.replace("\r", "").replace("\n", " ") if p else "",
            p.length if p else None, source_ref(kb, p.source, 0).label if p else ""]


def originality_sheet(kb: KnowledgeBase, ranked: list[ReportCopy]) -> Sheet:
    return Sheet("原创度排行", ORIGINALITY_COLUMNS,
                 lambda: (_originality_row(kb, o) for o in ranked))


# --- the post-build step ------------------------------------------------------------------

def exports(kb: KnowledgeBase, settings: SiteSettings,
            cache: BuildCache | None = None) -> Iterator[tuple[Download, Sheet]]:
    """Every download with its table, in a fixed order (rows are made when written)."""
    rows = ledger_rows(kb, settings.build_date)
    ranked = ranking(kb, cache or BuildCache())
    for c in sorted(kb.campaigns.values(), key=lambda c: (c.start, c.id)):
        stats = campaign_stats(kb, c)
        mine = [r for r in rows if r.report.campaign.id == c.id]
        yield compare_download(c), compare_sheet(stats)
        statuses = submission_status(kb, c, settings.build_date)  # once for all its sheets
        yield submission_download(c), submission_sheet(statuses)
        yield originality_download(c), originality_sheet(kb, ranked[c.id])
        yield ledger_download(c), ledger_sheet(mine)
        for g in stats.groups:
            compare, ledger, submission = (d for _, d in group_downloads(c, g))
            yield compare, compare_sheet(stats, g)
            yield ledger, ledger_sheet([r for r in mine if r.report.group.id == g.id])
            yield submission, submission_sheet(statuses, g)
    yield ledger_download(), ledger_sheet(rows)


def document_time(build_date: str) -> dt.datetime:
    """The workbooks' timestamp: midnight UTC of the build date (``SOURCE_DATE_EPOCH``)."""
    return dt.datetime.combine(dt.date.fromisoformat(build_date), dt.time(), dt.UTC)


def write_exports(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path,
                  cache: BuildCache | None = None) -> None:
    """Post-build step: the .xlsx and .csv of every table, in the folder of its page."""
    created = document_time(settings.build_date)
    for download, sheet in exports(kb, settings, cache):
        folder = download.folder(site_dir)
        if not (folder / "index.html").is_file():
            raise RuntimeError(f"页面 {urls.url(download.page)}index.html 不存在，无法放置下载文件")
        write_both(folder, download.stem, sheet, created)
