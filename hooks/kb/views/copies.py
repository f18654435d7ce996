"""Copy detection over the knowledge base: report texts, the shipped template, cached results.

:func:`originality` is the entry point the benchmark times: it takes the model and the
template text and checks every report once (linear in the total text). Report pages
and the dashboards share one result per build (the build's cache, :meth:`BuildCache.once`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kb import urls
from kb.data.model import KnowledgeBase, Report, Section
from kb.markup.cache import BuildCache
from kb.views.originality import FIXED_TERMS, TEMPLATE, Document, Result, analyse

TEMPLATE_FILE = Path("template") / "report-template-2023.txt"
HIGH_SHARE = 0.3  # at or above this share a report is marked 重复较多
EXCERPT = 120  # characters of a passage shown


def load_template(directory: Path | None) -> str:
    """The official template shipped in the data directory ('' when it is absent)."""
    if directory is None:
        return ""
    path = directory / TEMPLATE_FILE
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _point(lead: str, text: str) -> str:
    """一是 + lead + 。 + text, as the report page reads (the numbering is not the unit's prose)."""
    return f"{lead}。{text}" if lead else text


def _section_texts(sections: list[Section]) -> Iterator[str]:
    for s in sections:
        yield from (s.title, s.intro, s.text)
        for p in s.points:
            yield _point(p.lead, p.text)


def report_text(report: Report) -> str:
    """The prose a unit wrote, in reading order (headings of the outline excluded)."""
    parts = [report.opening, report.highlights_intro, *_section_texts(report.highlights),
             report.problems_intro, *(_point(p.lead, p.text) for p in report.problems),
             report.plans_intro, *_section_texts(report.plans)]
    return "\n".join(p for p in parts if p)


def writing_order(kb: KnowledgeBase) -> list[Report]:
    """Reports by submission date (then campaign and unit): the earlier text is the source."""
    return sorted(kb.reports, key=lambda r: (r.submitted, r.campaign.id, r.unit.id))


def fixed_terms(kb: KnowledgeBase) -> list[str]:
    terms = list(FIXED_TERMS)
    for c in kb.campaigns.values():
        terms += [c.name, c.short_name, c.report_title]
    terms += [m.title for m in kb.materials.values()]
    return terms


def originality(kb: KnowledgeBase, template: str) -> dict[str, Result]:
    """Copy-detection result of every report, by report id."""
    docs = [Document(r.id, r.unit.id, report_text(r)) for r in writing_order(kb)]
    return analyse(docs, template, fixed_terms(kb))


def cached_originality(kb: KnowledgeBase, cache: BuildCache) -> tuple[str, dict[str, Result]]:
    """The shipped template and :func:`originality` with it, computed once per build."""

    def compute() -> tuple[str, dict[str, Result]]:
        template = load_template(kb.data_dir)
        return template, originality(kb, template)

    return cache.once("views.originality", compute)


@dataclass(frozen=True)
class SourceRef:
    label: str
    src: str  # source file of the report page, '' for the template
    chars: int


@dataclass(frozen=True)
class PassageView:
    text: str  # excerpt in the report's own wording
    length: int
    source: SourceRef


@dataclass(frozen=True)
class ReportCopy:
    """What a report page and the dashboard ranking show about one report."""

    report: Report
    result: Result
    rank: int  # 1 = most copied within its campaign
    of: int
    has_template: bool

    @property
    def high(self) -> bool:
        return self.result.share() >= HIGH_SHARE

    def pct(self, part: str = "copied") -> str:
        value = {"copied": self.result.copied, "template": self.result.from_template,
                 "reports": self.result.from_documents}[part]
        return f"{100 * self.result.share(value):.1f}%"


def source_ref(kb: KnowledgeBase, source: str, chars: int) -> SourceRef:
    if source == TEMPLATE:
        return SourceRef("官方报告模板", "", chars)
    campaign, _, unit = source.partition("/")
    report = kb.report(campaign, unit)
    assert report is not None
    return SourceRef(f"{report.unit.name}（{report.campaign.short_name}）", report.src_uri, chars)


def sources(kb: KnowledgeBase, item: ReportCopy) -> list[SourceRef]:
    refs = [source_ref(kb, TEMPLATE, item.result.from_template)] if item.result.from_template else []
    return refs + [source_ref(kb, s, n) for s, n in item.result.sources.items()]


def passages(kb: KnowledgeBase, item: ReportCopy) -> list[PassageView]:
    out = []
    for p in item.result.passages:
        text = " ".join(p.text.split())
        if len(text) > EXCERPT:
            text = text[:EXCERPT] + "……"
        out.append(PassageView(text, p.length, source_ref(kb, p.source, p.length)))
    return out


def ranking(kb: KnowledgeBase, cache: BuildCache) -> dict[str, list[ReportCopy]]:
    """Per campaign id: its reports, most copied first."""
    template, results = cached_originality(kb, cache)
    has_template = bool(template)
    out: dict[str, list[ReportCopy]] = {}
    for campaign_id in kb.campaigns:
        reports = sorted(
            kb.reports_of(campaign_id),
            key=lambda r: (-results[r.id].share(), r.unit.id),
        )
        out[campaign_id] = [
            ReportCopy(r, results[r.id], i, len(reports), has_template)
            for i, r in enumerate(reports, start=1)
        ]
    return out


def report_extras(kb: KnowledgeBase, settings: object,
                  cache: BuildCache | None = None) -> dict[str, dict]:
    """REPORT_EXTRAS hook: ``x.originality`` (with sources and passages) on each report page."""
    out: dict[str, dict] = {}
    for items in ranking(kb, cache or BuildCache()).values():
        for item in items:
            out[item.report.id] = {
                "originality": item,
                "originality_sources": sources(kb, item),
                "originality_passages": passages(kb, item),
                "originality_dashboard": urls.dashboard(item.report.campaign.id) + "#originality",
            }
    return out
