"""The knowledge-base model: typed records built from validated data files.

:func:`build` turns the validated :class:`kb.data.raw.RawData` into a
:class:`KnowledgeBase` with every cross reference resolved (report → unit, campaign,
group, batch, materials), and keeps the validator's advisory problems (``notices``) for
the reviewers' pages. It assumes validation found no errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb import urls
from kb.data.deadlines import is_date
from kb.data.problems import Problem
from kb.data.raw import RawData
from kb.data.yamlsafe import SourceDoc


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    number: int
    note: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    party_org: str


@dataclass(frozen=True)
class Material:
    id: str
    title: str
    category: str
    required: bool
    publisher: str
    date: str
    campaigns: tuple[str, ...]
    summary: str
    link: str = ""

    @property
    def reading(self) -> str:
        return "必读" if self.required else "选读"


@dataclass(frozen=True)
class Batch:
    id: int
    name: str
    start: str
    end: str
    deadline: str


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    required: bool


@dataclass(frozen=True)
class RosterEntry:
    unit: str
    group: str
    batch: int


@dataclass
class Campaign:
    id: str
    name: str
    short_name: str
    report_title: str
    addressee_prefix: str
    start: str
    end: str
    summary: str
    batches: list[Batch]
    figures: list[Figure]
    required_materials: list[str]
    roster: list[RosterEntry]
    source: str = ""

    def batch(self, batch_id: int) -> Batch:
        return next(b for b in self.batches if b.id == batch_id)

    @cached_property
    def _roster_by_unit(self) -> dict[str, RosterEntry]:
        return {r.unit: r for r in self.roster}

    def roster_entry(self, unit_id: str) -> RosterEntry | None:
        return self._roster_by_unit.get(unit_id)


@dataclass(frozen=True)
class Point:
    """一是/二是… : an optional short lead sentence and its text."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Section:
    """（一）（二）… : a titled theme with an optional intro, text and points."""

    title: str
    intro: str = ""
    text: str = ""
    points: tuple[Point, ...] = ()


OPEN_STATUSES = frozenset({"未开始", "推进中"})  # 长期坚持 has no end; 已完成 is closed


@dataclass(frozen=True)
class LedgerItem:
    problem: str
    measure: str
    responsible_unit: str
    responsible_person: str
    deadline: str  # YYYY-MM-DD, or an ongoing word of the schema (长期坚持, 持续推进, 常态化)
    status: str
    completed: str = ""
    deadline_text: str = ""  # the report's own wording (2023年12月底), when the data file keeps it

    @property
    def ongoing(self) -> bool:
        """The deadline is no date (长期坚持 …): the item has no end, it is never overdue."""
        return not is_date(self.deadline)

    @property
    def deadline_note(self) -> str:
        """The original wording to show next to the deadline, "" when it adds nothing."""
        text = self.deadline_text.strip()
        return text if text and text != self.deadline else ""

    def overdue(self, on: str) -> bool:
        """Still open and its deadline, a date, lies before ``on`` (YYYY-MM-DD, the build date)."""
        return self.status in OPEN_STATUSES and not self.ongoing and self.deadline < on

    @property
    def completed_late(self) -> bool:
        """Completed after its deadline (an ongoing deadline has none to be late for)."""
        return bool(self.completed) and not self.ongoing and self.completed > self.deadline


@dataclass
class Report:
    unit: Unit
    campaign: Campaign
    group: Group
    batch: Batch
    submitted: str
    title: str
    opening: str
    highlights_intro: str
    highlights: list[Section]
    problems_intro: str
    problems: list[Point]
    plans_intro: str
    plans: list[Section]
    figures: dict[str, int]
    ledger: list[LedgerItem]
    materials: list[Material]
    signature: str
    source: str  # repository-relative path of the data file

    @property
    def id(self) -> str:
        return f"{self.campaign.id}/{self.unit.id}"

    @property
    def url(self) -> str:
        """Site-relative directory URL of the report page."""
        return urls.url(self.src_uri)

    @property
    def src_uri(self) -> str:
        return urls.report(self.campaign.id, self.unit.id)

    @property
    def named_title(self) -> str:
        """The title led by the unit's name, unless it already names the unit
        (市水利局2023年…, not 市水利局市水利局2023年…)."""
        return self.title if self.unit.name in self.title else f"{self.unit.name}{self.title}"

    @property
    def addressee(self) -> str:
        return f"{self.campaign.addressee_prefix}{self.group.name}："

    @property
    def late(self) -> bool:
        return self.submitted > self.batch.deadline

    def figure_rows(self) -> list[tuple[Figure, int | None]]:
        """Declared figures of the campaign with this report's value (None if not given)."""
        return [(f, self.figures.get(f.key)) for f in self.campaign.figures]


@dataclass
class KnowledgeBase:
    groups: dict[str, Group]
    units: dict[str, Unit]
    materials: dict[str, Material]
    campaigns: dict[str, Campaign]
    reports: list[Report]
    citations: dict[str, list[Report]] = field(default_factory=dict)
    data_dir: Path | None = None  # where the data came from (template, schema live there)
    notices: list[Problem] = field(default_factory=list)  # validator warnings, shown to reviewers
    # The schema enumerations of the data folder built (not the repository's): 整改台账
    # statuses in order of progress (the last closes an item), material categories in
    # the order pages list them.
    ledger_statuses: tuple[str, ...] = ()
    material_categories: tuple[str, ...] = ()

    def reports_of(self, campaign_id: str) -> list[Report]:
        return [r for r in self.reports if r.campaign.id == campaign_id]

    @cached_property
    def _reports_by_id(self) -> dict[str, Report]:
        return {r.id: r for r in self.reports}

    def report(self, campaign_id: str, unit_id: str) -> Report | None:
        return self._reports_by_id.get(f"{campaign_id}/{unit_id}")

    def materials_of(self, campaign_id: str) -> list[Material]:
        return [m for m in self.materials.values() if campaign_id in m.campaigns]

    def general_materials(self) -> list[Material]:
        return [m for m in self.materials.values() if not m.campaigns]


def _items(doc: SourceDoc | None, key: str) -> list[dict]:
    if doc is None or not isinstance(doc.data, dict):
        return []
    return list(doc.data.get(key) or [])


def _material(d: dict) -> Material:
    return Material(
        id=d["id"],
        title=d["title"],
        category=d["category"],
        required=bool(d.get("required", False)),
        publisher=d.get("publisher", ""),
        date=str(d.get("date", "")),
        campaigns=tuple(d.get("campaigns") or ()),
        summary=d.get("summary", ""),
        link=d.get("link", ""),
    )


def _campaign(doc: SourceDoc) -> Campaign:
    d = doc.data
    return Campaign(
        id=d["id"],
        name=d["name"],
        short_name=d.get("short_name") or d["name"],
        report_title=d["report_title"],
        addressee_prefix=d.get("addressee_prefix", ""),
        start=d["start"],
        end=d["end"],
        summary=d.get("summary", ""),
        batches=[Batch(b["id"], b["name"], b["start"], b["end"], b["deadline"]) for b in d["batches"]],
        figures=[
            Figure(f["key"], f["label"], f["unit"], bool(f.get("required", False)))
            for f in d["figures"]
        ],
        required_materials=list(d.get("required_materials") or []),
        roster=[RosterEntry(r["unit"], r["group"], r["batch"]) for r in d.get("roster") or []],
        source=doc.rel,
    )


def _point(d: dict) -> Point:
    return Point(text=d.get("text", ""), lead=d.get("lead", ""))


def _section(d: dict) -> Section:
    return Section(
        title=d["title"],
        intro=d.get("intro", ""),
        text=d.get("text", ""),
        points=tuple(_point(p) for p in d.get("points") or ()),
    )


def _ledger_item(d: dict) -> LedgerItem:
    return LedgerItem(
        problem=d["problem"],
        measure=d["measure"],
        responsible_unit=d.get("responsible_unit", ""),
        responsible_person=d.get("responsible_person", ""),
        deadline=d["deadline"],
        status=d["status"],
        completed=d.get("completed", ""),
        deadline_text=d.get("deadline_text", ""),
    )


def _report(doc: SourceDoc, kb: KnowledgeBase) -> Report:
    d = doc.data
    campaign = kb.campaigns[d["campaign"]]
    unit = kb.units[d["unit"]]
    entry = campaign.roster_entry(unit.id)
    assert entry is not None, f"{doc.rel}: unit not in roster (validation should catch this)"
    highlights = d["highlights"]
    problems = d["problems"]
    plans = d["plans"]
    return Report(
        unit=unit,
        campaign=campaign,
        group=kb.groups[entry.group],
        batch=campaign.batch(entry.batch),
        submitted=d["submitted"],
        title=d.get("title") or campaign.report_title,
        opening=d["opening"],
        highlights_intro=highlights.get("intro", ""),
        highlights=[_section(s) for s in highlights["sections"]],
        problems_intro=problems.get("intro", ""),
        problems=[_point(p) for p in problems["points"]],
        plans_intro=plans.get("intro", ""),
        plans=[_section(s) for s in plans["sections"]],
        figures=dict(d.get("figures") or {}),
        ledger=[_ledger_item(i) for i in d.get("ledger") or []],
        materials=[kb.materials[m] for m in d.get("materials") or []],
        signature=d.get("signature") or f"中共{unit.party_org}",
        source=doc.rel,
    )


def build(raw: RawData, notices: Iterable[Problem] = ()) -> KnowledgeBase:
    """Build the model from validated raw documents; ``notices`` are the validator's
    advisory problems (warnings and notes), listed for reviewers on the site."""
    kb = KnowledgeBase(
        groups={
            g["id"]: Group(g["id"], g["name"], g["number"], g.get("note", ""))
            for g in _items(raw.groups, "groups")
        },
        units={
            u["id"]: Unit(u["id"], u["name"], u["party_org"]) for u in _items(raw.units, "units")
        },
        materials={m["id"]: _material(m) for m in _items(raw.materials, "materials")},
        campaigns={},
        reports=[],
        data_dir=raw.data_dir,
        notices=list(notices),
        ledger_statuses=raw.enums.ledger_statuses,
        material_categories=raw.enums.material_categories,
    )
    for doc in raw.campaigns:
        campaign = _campaign(doc)
        kb.campaigns[campaign.id] = campaign
    kb.reports = sorted(
        (_report(doc, kb) for doc in raw.reports),
        key=lambda r: (r.campaign.start, r.campaign.id, r.batch.id, r.group.number, r.unit.id),
    )
    citations: dict[str, list[Report]] = defaultdict(list)
    for report in kb.reports:
        for material in report.materials:
            citations[material.id].append(report)
    kb.citations = dict(citations)
    return kb
