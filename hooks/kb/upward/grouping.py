"""共性问题: the problems of all reports of a campaign, grouped by meaning.

Items are every point of 二、存在的问题和不足之处 (compared by its lead and first sentence,
shown with its lead and text) and every ledger problem. They are grouped once per campaign
(:func:`campaign_problems`, TF-IDF over the campaign's items, see
:mod:`kb.upward.similarity`); a guidance group's 共性问题 are the campaign's groups
restricted to its units (:func:`for_group`). A group counts when at least
:data:`MIN_UNITS` units share it; groups are sorted by units, then items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.data.model import Report
from kb.upward import similarity

THRESHOLD = 0.25  # cosine at which two problems are the same problem
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
        """The unit's words as shown: lead and first sentence, or the ledger problem."""
        return self.key


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


def first_sentence(text: str) -> str:
    match = _SENTENCE.search(text.strip())
    sentence = match.group(0).strip() if match else text.strip()
    return sentence[:KEY_CHARS] + ("……" if len(sentence) > KEY_CHARS else "")


def items(reports: list[Report]) -> list[Item]:
    out: list[Item] = []
    for r in reports:
        out += [Item(r, "problem", n, p.lead, p.text) for n, p in enumerate(r.problems, start=1)]
        out += [Item(r, "ledger", n, "", x.problem) for n, x in enumerate(r.ledger, start=1)]
    return out


def _order(g: ProblemGroup) -> tuple:
    r = g.representative
    return (-g.units, -len(g.items), r.report.unit.id, r.kind, r.number)


def group_items(found: list[Item], threshold: float = THRESHOLD,
                attach: float | None = ATTACH) -> list[ProblemGroup]:
    """Every cluster of ``found`` (singletons too), largest first."""
    vecs = similarity.vectors([i.key for i in found])
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
