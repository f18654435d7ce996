"""共性问题: the problems of all reports of a campaign, grouped by meaning.

Items are every point of 二、存在的问题和不足之处 (compared by its lead and first sentence,
shown with its lead and text) and every ledger problem. They are grouped once per campaign
(:func:`campaign_problems`, TF-IDF over the campaign's items, see
:mod:`kb.upward.similarity`) at the level of topics, as units word one problem in their
own ways (理论学习与财政业务融合还不够深, 理论学习的系统性有待加强): the lead and the first
sentence are compared as two fields of equal weight, so a short lead counts as much as a
long sentence; words every problem statement uses (还不够, 有待, 差距 …, :data:`GENERIC`)
split the text like punctuation; and n-grams only one point has count for less, so what
points share outweighs what each adds (:data:`SINGLE`). A guidance group's 共性问题 are
the campaign's groups restricted to its units (:func:`for_group`). A group counts when at least
:data:`MIN_UNITS` units share it; groups are sorted by units, then items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.data.model import Report
from kb.upward import similarity

THRESHOLD = 0.2  # cosine at which two problems are the same problem
LEAD_WEIGHT = 0.5  # of the lead's likeness in a pair's, the rest the first sentence's
SINGLE = 0.5  # weight of an n-gram no other item has (it says what is particular to one) …
BODY_SINGLE = 0.7  # … in a lead, and in a first sentence
# Words any problem statement uses, whatever its topic: they split the text like
# punctuation, so 理论学习的深度还不够 and 调查研究的深度还不够 share only 深度. 基层 and
# 平衡 qualify problems of any topic (基层减负, 基层党组织; 资源配置不均衡, 学习不平衡).
GENERIC = (
    "还不够", "不够", "还不", "有待", "进一步", "加强", "提升", "提高", "还有", "仍有", "仍然",
    "依然", "存在", "差距", "不足", "短板", "薄弱环节", "薄弱", "不到位", "问题", "现象", "情况",
    "部分", "个别", "少数", "一些", "有的", "方面", "的", "和", "与", "及", "在", "中", "仍",
    "还", "较", "不", "有", "待", "是", "了", "针对性", "透明", "差", "基层", "平衡", "均衡",
)
_GENERIC = re.compile("|".join(sorted(GENERIC, key=lambda w: (-len(w), w))))
ATTACH = 0.15  # a group of short items joins a group of points it is this alike
SHORT = 20  # characters: a ledger problem, a lead without text
MIN_UNITS = 2
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
KEY_CHARS = 60  # of the first sentence used for comparing
TITLE_CHARS = 30
_END_MARKS = "。；;，,！!？?：:"


@dataclass(frozen=True)
class Item:
    """One problem as a unit wrote it."""

    report: Report
    kind: str  # "problem" (二、 point) or "ledger"
    number: int  # 1-based position in the report's problems or ledger
    lead: str
    text: str

    @property
    def anchor(self) -> str:
        return "problems" if self.kind == "problem" else "ledger"

    @property
    def key(self) -> str:
        """What is compared: the lead and the first sentence (a ledger problem whole)."""
        return f"{self.lead}。{first_sentence(self.text)}" if self.lead else first_sentence(self.text)

    @property
    def topic(self) -> str:
        """The lead (a ledger problem, or a point without a lead: its first sentence)."""
        return self.lead or first_sentence(self.text)

    @property
    def body(self) -> str:
        """The first sentence of the text (a ledger problem whole)."""
        return first_sentence(self.text)

    @property
    def name(self) -> str:
        """The problem in one clause: the lead, or the first sentence, without its end mark."""
        return (self.lead or first_sentence(self.text)).rstrip(_END_MARKS)

    @property
    def title(self) -> str:
        """A short name of the problem: the lead, or the start of the wording."""
        text = self.lead or self.key
        return text[:TITLE_CHARS] + ("……" if len(text) > TITLE_CHARS else "")

    @property
    def wording(self) -> str:
        """The unit's words as shown: lead and whole first sentence (never cut mid-phrase),
        or the ledger problem."""
        sentence = first_sentence(self.text, None)
        return f"{self.lead}。{sentence}" if self.lead else sentence


@dataclass(frozen=True)
class ProblemGroup:
    representative: Item
    items: tuple[Item, ...]

    @property
    def units(self) -> int:
        return len({i.report.unit.id for i in self.items})

    def restricted(self, group_id: str) -> ProblemGroup | None:
        mine = tuple(i for i in self.items if i.report.group.id == group_id)
        if not mine:
            return None
        rep = self.representative if self.representative in mine else mine[0]
        return ProblemGroup(rep, mine)


def first_sentence(text: str, limit: int | None = KEY_CHARS) -> str:
    """The text up to its first end mark, cut at ``limit`` characters (for comparing)."""
    match = _SENTENCE.search(text.strip())
    sentence = match.group(0).strip() if match else text.strip()
    if limit is None:
        return sentence
    return sentence[:limit] + ("……" if len(sentence) > limit else "")


def items(reports: list[Report]) -> list[Item]:
    out: list[Item] = []
    for r in reports:
        out += [Item(r, "problem", n, p.lead, p.text) for n, p in enumerate(r.problems, start=1)]
        out += [Item(r, "ledger", n, "", x.problem) for n, x in enumerate(r.ledger, start=1)]
    return out


def _order(g: ProblemGroup) -> tuple:
    r = g.representative
    return (-g.units, -len(g.items), r.report.unit.id, r.kind, r.number)


def vectors(found: list[Item]) -> similarity.Corpus:
    """Lead and first sentence as two fields (:func:`similarity.combine`), generic
    words left out, and in a point's lead and sentence the n-grams no other item has
    weighted less (:data:`SINGLE`): two points are alike when their topics are. A ledger
    problem (a few words, both fields) keeps its own words at full weight: its subject
    is its topic."""
    point = [i.kind == "problem" for i in found]
    leads = similarity.vectors([i.topic for i in found], generic=_GENERIC,
                               single=[SINGLE if p else 1.0 for p in point])
    bodies = similarity.vectors([i.body for i in found], generic=_GENERIC,
                                single=[BODY_SINGLE if p else 1.0 for p in point])
    return similarity.combine(leads, bodies, LEAD_WEIGHT)


def group_items(found: list[Item], threshold: float = THRESHOLD,
                attach: float | None = ATTACH) -> list[ProblemGroup]:
    """Every cluster of ``found`` (singletons too), largest first."""
    vecs = vectors(found)
    groups = []
    for members in similarity.clusters(vecs, threshold, attach,
                                          {n for n, i in enumerate(found) if len(i.key) <= SHORT}):
        rep = found[similarity.medoid(vecs, members)]
        groups.append(ProblemGroup(rep, tuple(found[i] for i in members)))
    return sorted(groups, key=_order)


def common(groups: list[ProblemGroup], min_units: int = MIN_UNITS) -> list[ProblemGroup]:
    return [g for g in groups if g.units >= min_units]


def campaign_problems(reports: list[Report]) -> list[ProblemGroup]:
    """The 共性问题 of a campaign's reports (shared by at least MIN_UNITS units)."""
    return common(group_items(items(reports)))


def for_group(groups: list[ProblemGroup], group_id: str) -> list[ProblemGroup]:
    """A guidance group's 共性问题: the campaign's groups among its own units."""
    mine = [g.restricted(group_id) for g in groups]
    return sorted(common([g for g in mine if g is not None]), key=_order)
