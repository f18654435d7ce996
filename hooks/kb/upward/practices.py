"""典型做法: the highlight practices of a campaign least like any other unit's and the template's.

A practice is a point of 一、工作开展情况及创新亮点做法 (its section title, lead and text).
Its *distinctiveness* is 1 − the highest cosine (:mod:`kb.upward.similarity`) between it
and any practice of another unit or any passage of the official template's 一、 part; a
point the template or other units also wrote scores low, a unit's own way of working
scores high. Points of fewer than :data:`MIN_CHARS` characters are not ranked (an empty
point is "distinctive" but says nothing). Within a unit, only its most distinctive point
is listed, and only the most distinctive third of the units' best points (:func:`typical`):
a list of every unit would not say which ways of working stand out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kb.data.model import Report
from kb.upward import similarity

MIN_CHARS = 60
KEY_CHARS = 80  # of the lead and text compared
STOP_DF = 30  # n-grams more practices share are not distinctive of anyone (and cost pairs)
TOP = 20
SHARE = 3  # the most distinctive 1/SHARE of the units' best practices are listed …
DISTINCT_MIN = 0.5  # … when at least this distinctive
WHOLE_CHARS = 120  # a point this short is shown whole, a longer one by its first sentence
_FIRST = re.compile(r".+?[。！？!?](?=.)", re.S)
TEMPLATE_OWNER = ""
_TEMPLATE_PART = re.compile(r"一、(.*?)(?:\n二、|$)", re.S)
_TEMPLATE_SPLIT = re.compile(r"（[一二三四五六七八九十]+）|[一二三四五六七八九十]是")


@dataclass(frozen=True)
class Practice:
    report: Report
    section: int  # 1-based section of 一、
    number: int  # 1-based point in the section
    title: str
    lead: str
    text: str
    distinct: float = 0.0  # 1 − highest likeness to another unit's point or the template

    @property
    def anchor(self) -> str:
        return f"highlights-{self.section}"

    @property
    def key(self) -> str:
        return f"{self.lead}。{self.text}"[:KEY_CHARS]

    @property
    def excerpt(self) -> str:
        """Whole sentences, never cut mid-phrase: a short point whole, a longer one up to
        the end of its first sentence."""
        text = " ".join(self.text.split())
        if len(text) <= WHOLE_CHARS:
            return text
        match = _FIRST.match(text)
        return match.group(0) if match else text


def practices(reports: list[Report]) -> list[Practice]:
    return [
        Practice(r, s, n, section.title, p.lead, p.text)
        for r in reports
        for s, section in enumerate(r.highlights, start=1)
        for n, p in enumerate(section.points, start=1)
        if len(p.text) >= MIN_CHARS
    ]


def template_passages(template: str) -> list[str]:
    """The passages of the template's 一、 part (split at （一） and 一是 …)."""
    match = _TEMPLATE_PART.search(template)
    if not match:
        return []
    return [p.strip()[:KEY_CHARS] for p in _TEMPLATE_SPLIT.split(match.group(1)) if len(p.strip()) > 10]


def scored(reports: list[Report], template: str) -> list[Practice]:
    """Every practice with its distinctiveness, most distinctive first."""
    found = practices(reports)
    passages = template_passages(template)
    vecs = similarity.vectors([p.key for p in found] + passages, STOP_DF)
    owners = [p.report.unit.id for p in found] + [TEMPLATE_OWNER] * len(passages)
    best = similarity.nearest(vecs, owners)
    ranked = [
        Practice(p.report, p.section, p.number, p.title, p.lead, p.text, round(1.0 - best[k], 4))
        for k, p in enumerate(found)
    ]
    return sorted(ranked, key=lambda p: (-p.distinct, p.report.unit.id, p.section, p.number))


def best_of_units(ranked: list[Practice], group_id: str | None = None) -> list[Practice]:
    """Each unit's most distinctive practice (of one guidance group if given), most
    distinctive first."""
    seen: set[str] = set()
    out = []
    for p in ranked:
        if (group_id and p.report.group.id != group_id) or p.report.unit.id in seen:
            continue
        seen.add(p.report.unit.id)
        out.append(p)
    return out


def shown(units: int, top: int = TOP) -> int:
    """How many of ``units`` units' best practices are listed: a third, rounded up, at
    most ``top``."""
    return min(top, math.ceil(units / SHARE))


def typical(ranked: list[Practice], top: int = TOP, group_id: str | None = None) -> list[Practice]:
    """典型做法: of each unit's most distinctive practice, the most distinctive third
    (:func:`shown`) that are at least :data:`DISTINCT_MIN` distinctive."""
    best = best_of_units(ranked, group_id)
    return [p for p in best[:shown(len(best), top)] if p.distinct >= DISTINCT_MIN]
