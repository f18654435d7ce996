"""The drafted summary (汇报初稿) of a campaign or a guidance group, as a .docx.

Written in the official layout of the report export (:mod:`kb.official.word`: its styles,
page, footers and packing are reused, not copied), marked 初稿 in the title and in a
note under it, in this order:

    一、基本情况          units due, reported (on time, late), missing; a table with the
                          total of every figure and how many reports give it
    二、主要成效和典型做法  the most distinctive practices, each with its unit
    三、存在的共性问题      the largest 共性问题 groups, each with its number of units
    四、整改推进情况        ledger items by status, overdue items (a table)
    五、下步工作建议        a heading only: the group writes it

The figures are the dashboard's (:class:`kb.upward.summary.Scope`); the file is dated
with the build date, so two builds give the same bytes. The post-build step
:func:`write_drafts` writes each next to its page (:func:`docx_path`).
"""

from __future__ import annotations

from pathlib import Path

from kb import urls
from kb.data.model import KnowledgeBase
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.official import prose, word
from kb.official.document import chinese_date
from kb.text import chinese_number
from kb.upward.summary import Scope, upward
from kb.views.stats import format_number

DRAFT_MARK = "初稿"
NOTE = ("（初稿：由知识库根据各单位报告数据自动生成，数字与指导组视图的数据看板一致；"
        "“下步工作建议”请指导组撰写，其余内容请核对修改后使用。）")
HEADINGS = ("基本情况", "主要成效和典型做法", "存在的共性问题", "整改推进情况", "下步工作建议")
PRACTICES_IN_DRAFT = 8
PROBLEMS_IN_DRAFT = 8
UNITS_NAMED = 6  # units named after a 共性问题, then 等
OVERDUE_IN_DRAFT = 30
FIGURE_HEADER = ["项目", "合计", "单位", "填报份数"]
OVERDUE_HEADER = ["单位", "问题", "完成时限", "逾期天数"]


def title(scope: Scope) -> str:
    who = scope.group.name if scope.group else ""
    return f"{scope.campaign.short_name}{who}工作情况汇报（{DRAFT_MARK}）"


def file_name(scope: Scope) -> str:
    """The file's name on the site (ASCII), in the folder of the scope's page."""
    return "summary.docx"


def download_name(scope: Scope) -> str:
    return f"{scope.campaign.short_name}{scope.group.name if scope.group else ''}工作情况汇报（{DRAFT_MARK}）.docx"


def page_src(scope: Scope) -> str:
    return urls.upward(scope.campaign.id, scope.group.id if scope.group else "")


def docx_path(site_dir: Path, scope: Scope) -> Path:
    return site_dir / urls.url(page_src(scope)) / file_name(scope)


def basics(scope: Scope) -> str:
    """The 基本情况 paragraph (the dashboard's 应报、已报送、迟报、未报送)."""
    who = scope.group.name if scope.group else ""
    return (f"本次{scope.campaign.short_name}{who}应报单位{scope.expected}个，"
            f"已报送{scope.submitted}份，其中按时报送{scope.on_time}份、迟报{scope.late}份；"
            f"未报送单位{scope.missing}个。各项数据合计如下表（未填报的单位不计入合计）。")


def ledger_text(scope: Scope) -> str:
    s = scope.ledger
    parts = "、".join(f"{status}{s.by_status[status]}条" for status in scope.statuses)
    return (f"整改台账共{s.total}条" + (f"，其中{parts}" if parts else "")
            + f"；逾期未完成{s.overdue}条。")


def _numbered(out: word.Writer, n: int, lead: str, text: str) -> None:
    out.paragraph("Normal", [prose.Run(f"{chinese_number(n)}是{lead}", True), prose.Run(text)])


def _practices(out: word.Writer, scope: Scope) -> None:
    if not scope.practices:
        out.text("Normal", "各单位报告中暂无可列出的做法。")
    for n, p in enumerate(scope.practices[:PRACTICES_IN_DRAFT], start=1):
        lead = f"{p.report.unit.name}：{p.lead or p.title}。"
        _numbered(out, n, lead, p.excerpt)


def _problems(out: word.Writer, scope: Scope) -> None:
    if not scope.problems:
        out.text("Normal", "各单位报告的问题中暂未发现两个以上单位共有的问题。")
    for n, g in enumerate(scope.problems[:PROBLEMS_IN_DRAFT], start=1):
        names = sorted({i.report.unit.name for i in g.items})
        named = "、".join(names[:UNITS_NAMED]) + ("等" if len(names) > UNITS_NAMED else "")
        _numbered(out, n, f"{g.representative.name}。",
                  f"涉及{g.units}个单位（{named}），共{len(g.items)}条。")


def _ledger(out: word.Writer, scope: Scope) -> None:
    out.text("Normal", ledger_text(scope))
    rows = [[r.report.unit.name, r.item.problem, r.item.deadline, str(r.days_overdue)]
            for r in scope.overdue[:OVERDUE_IN_DRAFT]]
    if rows:
        out.text("Normal", "逾期未完成的事项如下表" + (
            f"（列出前{OVERDUE_IN_DRAFT}条）。" if len(scope.overdue) > OVERDUE_IN_DRAFT else "。"))
        out.table(OVERDUE_HEADER, rows, [28, 72, 32, 24])


def body(scope: Scope, build_date: str) -> word.Writer:
    out = word.Writer()
    out.text("Title", title(scope))
    out.text(word.STYLE_ADDRESSEE, f"{scope.campaign.addressee_prefix}领导小组办公室：")
    out.text("Normal", NOTE)
    numbered = [f"{chinese_number(n)}、{h}" for n, h in enumerate(HEADINGS, start=1)]
    out.text("Heading 1", numbered[0])
    out.text("Normal", basics(scope))
    out.table(FIGURE_HEADER, [[f.label, format_number(f.total), f.unit, str(f.reports)]
                              for f in scope.figures], [80, 26, 20, 30])
    out.text("Heading 1", numbered[1])
    _practices(out, scope)
    out.text("Heading 1", numbered[2])
    _problems(out, scope)
    out.text("Heading 1", numbered[3])
    _ledger(out, scope)
    out.text("Heading 1", numbered[4])
    word.write_signature(out, f"{scope.campaign.addressee_prefix}{scope.group.name}"
                         if scope.group else f"{scope.campaign.short_name}各指导组",
                         chinese_date(build_date))
    return out


def docx_bytes(scope: Scope, build_date: str) -> bytes:
    def core(props) -> None:
        props.title = title(scope)
        props.author = scope.name
        props.subject = scope.campaign.name
        props.category = scope.campaign.short_name
        props.keywords = f"{DRAFT_MARK} {scope.campaign.short_name} {scope.name}"
        props.comments = "由主题教育自查评估报告知识库生成的初稿"
        props.language = "zh-CN"

    return word.document_bytes(body(scope, build_date), core, build_date)


def write_drafts(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path,
                 cache: BuildCache | None = None) -> None:
    """Post-build step: the drafted summary of every campaign and group, next to its page."""
    for campaign in upward(kb, settings.build_date, cache):
        for scope in campaign.scopes():
            path = docx_path(site_dir, scope)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(docx_bytes(scope, settings.build_date))
