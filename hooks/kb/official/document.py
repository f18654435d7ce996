"""One report as the official document (公文) a guidance group receives, as a list of parts.

Both the Word export and the printable bundle pages render this same sequence, so the
two never disagree about what the document says or in which order:

    Title                      report title (二号 小标宋, centred)
    Addressee                  主题教育第一指导组：
    Body (opening)             prose
    Heading(1) 一、…            then Body intro, Heading(2) （一）… with Body intro/text
    Body (point)               一是<lead>。<text>  (lead in bold)
    … 二、… 三、…
    AttachmentNote             附件：1．关键数据 / 2．整改台账 / 3．学习材料 (when there are any)
    Signature                  落款 and date 2023年9月6日, right-aligned
    Attachment × n             附件N, its title and a table

This order and wording is also what the Word importer (contributors' issue) reads back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.data.model import Report
from kb.text import chinese_number

HIGHLIGHTS = "工作开展情况及创新亮点做法"
PROBLEMS = "存在的问题和不足之处"
PLANS = "下步工作打算"

FIGURES_TITLE = "关键数据"
LEDGER_TITLE = "整改台账"
MATERIALS_TITLE = "学习材料"
FIGURES_HEADER = ["项目", "数量", "单位"]
LEDGER_HEADER = ["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限", "状态"]
MATERIALS_HEADER = ["序号", "材料名称", "类别", "要求"]


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、  2: （一）
    text: str  # with its number: "一、工作开展情况及创新亮点做法"
    anchor: str


@dataclass(frozen=True)
class Body:
    """Prose (Markdown); ``lead`` is put before its first paragraph (一是…。)."""

    prose: str
    lead: str = ""
    lead_bold: bool = False


@dataclass(frozen=True)
class Attachment:
    number: int
    title: str
    anchor: str
    header: list[str]
    rows: list[list[str]]

    @property
    def label(self) -> str:
        return f"附件{self.number}"


@dataclass
class OfficialDocument:
    report: Report
    title: str
    addressee: str
    body: list[Heading | Body]
    signature: str
    date: str
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def attachment_note(self) -> list[str]:
        """附件说明 lines: "1．关键数据" … (GB/T 9704: numbered with a full-width dot)."""
        return [f"{a.number}．{a.title}" for a in self.attachments]


def chinese_date(iso: str) -> str:
    """2023-09-06 → 2023年9月6日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    year, month, day = iso[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _points(points) -> list[Body]:
    out = []
    for n, p in enumerate(points, start=1):
        if p.lead:
            out.append(Body(p.text, f"{chinese_number(n)}是{p.lead}。", True))
        else:
            out.append(Body(p.text, f"{chinese_number(n)}是"))
    return out


def _sections(sections, anchor: str) -> list[Heading | Body]:
    parts: list[Heading | Body] = []
    for n, s in enumerate(sections, start=1):
        parts.append(Heading(2, f"（{chinese_number(n)}）{s.title}", f"{anchor}-{n}"))
        parts += [Body(t) for t in (s.intro, s.text) if t and t.strip()]
        parts += _points(s.points)
    return parts


def _body(report: Report) -> list[Heading | Body]:
    parts: list[Heading | Body] = [Body(report.opening)]
    parts.append(Heading(1, f"一、{HIGHLIGHTS}", "highlights"))
    if report.highlights_intro.strip():
        parts.append(Body(report.highlights_intro))
    parts += _sections(report.highlights, "highlights")
    parts.append(Heading(1, f"二、{PROBLEMS}", "problems"))
    if report.problems_intro.strip():
        parts.append(Body(report.problems_intro))
    parts += _points(report.problems)
    parts.append(Heading(1, f"三、{PLANS}", "plans"))
    if report.plans_intro.strip():
        parts.append(Body(report.plans_intro))
    parts += _sections(report.plans, "plans")
    return parts


def _ledger_status(item) -> str:
    """The status, and on a second line the date a finished item was completed."""
    return f"{item.status}\n{item.completed}" if item.completed else item.status


def _attachments(report: Report) -> list[Attachment]:
    tables: list[tuple[str, str, list[str], list[list[str]]]] = []
    figures = [[f.label, str(v), f.unit] for f, v in report.figure_rows() if v is not None]
    if figures:
        tables.append((FIGURES_TITLE, "figures", FIGURES_HEADER, figures))
    if report.ledger:
        rows = [
            [str(n), i.problem, i.measure, i.responsible_unit, i.responsible_person,
             i.deadline, _ledger_status(i)]
            for n, i in enumerate(report.ledger, start=1)
        ]
        tables.append((LEDGER_TITLE, "ledger", LEDGER_HEADER, rows))
    if report.materials:
        rows = [
            [str(n), f"《{m.title}》", m.category, m.reading]
            for n, m in enumerate(report.materials, start=1)
        ]
        tables.append((MATERIALS_TITLE, "materials", MATERIALS_HEADER, rows))
    return [
        Attachment(n, title, anchor, header, rows)
        for n, (title, anchor, header, rows) in enumerate(tables, start=1)
    ]


def official_document(report: Report) -> OfficialDocument:
    return OfficialDocument(
        report=report,
        title=report.title,
        addressee=report.addressee,
        body=_body(report),
        signature=report.signature,
        date=chinese_date(report.submitted),
        attachments=_attachments(report),
    )
