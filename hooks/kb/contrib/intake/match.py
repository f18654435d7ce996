"""Which unit a file in the inbox belongs to.

Three rules, in order (:func:`match_unit`): the unit the importer found in the text (its
party organisation or name, :mod:`kb.contrib.docx.identify`); a unit whose name or party
organisation the file name contains (``关于报送市林业局自查评估报告的函.docx``); then a
fuzzy match (rapidfuzz) of what the file name and the text's party organisations say
against the names in the roster, abbreviations included (``市发改委`` for
``市发展和改革委员会``). A fuzzy winner must score at least :data:`THRESHOLD` and lead the
second by :data:`MARGIN`; anything less clear is ambiguous and listed with its candidates,
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kb.contrib.docx.frame import PARTY_SUFFIXES
from kb.contrib.docx.normalise import squash

THRESHOLD = 80.0  # the lowest fuzzy score that may name a unit
MARGIN = 8.0  # how far the winner must lead the second
ABBREVIATION = 88.0  # the score of a query whose characters appear in order in a name (市卫健委)
SHOWN = 3  # candidates listed for an ambiguous file

TEXT, FILE_NAME, FUZZY = "正文", "文件名", "名单模糊匹配"

# Words of a file name that say what the file is, not whose it is.
_BOILERPLATE = re.compile(
    r"关于|报送|上报|呈报|提交|报请|印发|转发|的函|的报告|的请示|自查评估报告|自查评估|自查报告|评估报告|情况报告|报告|"
    r"学习贯彻.{0,30}?主题教育|主题教育|党纪学习教育|学习教育|定稿|终稿|修改稿|最终版|副本|草稿|"
    r"\d{4}\s*年度?|[0-9０-９]+|中共|" + "|".join(PARTY_SUFFIXES)
)
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_ORGS = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:" + "|".join(PARTY_SUFFIXES) + ")")


@dataclass(frozen=True)
class Match:
    """The unit a file belongs to (``unit``, found by rule ``how``), or why none was chosen."""

    unit: str = ""
    how: str = ""  # TEXT, FILE_NAME or FUZZY; "" when none was chosen
    candidates: tuple[tuple[str, float], ...] = ()  # (unit id, score), best first
    notes: tuple[str, ...] = field(default_factory=tuple)  # Chinese, for the summary

    @property
    def ambiguous(self) -> bool:
        return not self.unit and len(self.candidates) > 1


def _strip_party(name: str) -> str:
    name = name.removeprefix("中共")
    for suffix in PARTY_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def _names(unit: Mapping) -> list[str]:
    """The squashed names a unit goes by: its name and its party organisation (with and without 党组…)."""
    found = [squash(str(unit.get("name", ""))), squash(str(unit.get("party_org", "")))]
    found.append(_strip_party(found[1]))
    return [n for n in dict.fromkeys(found) if n]


def file_query(file_name: str) -> str:
    """What a file name says about whose file it is: the stem without boilerplate words."""
    stem = squash(file_name.rsplit(".", 1)[0] if "." in file_name else file_name)
    return _NOT_CJK.sub("", _BOILERPLATE.sub(" ", stem))


def text_queries(texts: Iterable[str]) -> list[str]:
    """The party organisations ``texts`` mention (``中共市林业局党组`` → ``市林业局``)."""
    found = []
    for text in texts:
        found += [_strip_party(org) for org in _ORGS.findall(squash(text))]
    return [q for q in dict.fromkeys(found) if len(q) >= 2]


def by_file_name(file_name: str, units: Sequence[Mapping]) -> list[str]:
    """Units whose name or party organisation the file name contains, longest name only."""
    stem = squash(file_name)
    hits: dict[str, int] = {}
    for unit in units:
        longest = max((len(n) for n in _names(unit) if n in stem and len(n) >= 3), default=0)
        if longest:
            hits[str(unit["id"])] = longest
    if not hits:
        return []
    best = max(hits.values())
    return [uid for uid, length in hits.items() if length == best]


def _is_abbreviation(query: str, name: str) -> bool:
    """Every character of ``query`` appears in ``name`` in order, starting and ending alike (市发改委 → 市发展和改革委员会)."""
    ending = name[-1] if not name.endswith("委员会") else "委"  # 委员会 is shortened to 委
    if len(query) < 3 or len(query) >= len(name) or query[0] != name[0] or query[-1] != ending:
        return False
    rest = iter(name)
    return all(char in rest for char in query)


def score(query: str, name: str) -> float:
    """How well ``query`` names ``name``: rapidfuzz's WRatio, raised for an abbreviation."""
    value = float(fuzz.WRatio(query, name, processor=None))
    return max(value, ABBREVIATION) if _is_abbreviation(query, name) else value


def fuzzy(queries: Sequence[str], units: Sequence[Mapping]) -> list[tuple[str, float]]:
    """Every unit scored against the queries (its best name, best query), best first."""
    scored = []
    for unit in units:
        best = max((score(q, n) for q in queries if q for n in _names(unit)), default=0.0)
        scored.append((str(unit["id"]), round(best, 1)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def _named(uid: str, units: Sequence[Mapping]) -> str:
    unit = next((u for u in units if str(u.get("id")) == uid), {})
    return f"{unit.get('name', uid)}（{uid}）"


def candidates_text(candidates: Sequence[tuple[str, float]], units: Sequence[Mapping]) -> str:
    """``市财政局（shi-czj）、区财政局（qu-czj）`` for a message."""
    return "、".join(_named(uid, units) for uid, _ in candidates[:SHOWN])


def match_unit(found: str, file_name: str, units: Sequence[Mapping], *, roster: Sequence[str] | None = None,
               texts: Sequence[str] = ()) -> Match:
    """The unit of a file: ``found`` by the importer in the text, else the file name, else fuzzy.

    ``units`` are the registered units; ``roster`` (unit ids) narrows the fuzzy match to the
    campaign's roster when given; ``texts`` (signature, opening) give party organisations
    for the fuzzy match.
    """
    known = {str(u.get("id")) for u in units}
    named = by_file_name(file_name, units)
    if found and found in known:
        notes = ()
        if named and found not in named:
            notes = (f"文件名指向{candidates_text([(n, 0) for n in named], units)}，"
                     f"但正文中是{_named(found, units)}：以正文为准",)
        return Match(found, TEXT, notes=notes)
    if len(named) == 1:
        return Match(named[0], FILE_NAME)
    if len(named) > 1:
        return Match(candidates=tuple((uid, 100.0) for uid in sorted(named)))
    pool = [u for u in units if roster is None or str(u.get("id")) in set(roster)]
    queries = [q for q in [file_query(file_name), *text_queries(texts)] if len(q) >= 2]
    scored = [c for c in fuzzy(queries, pool) if c[1] >= THRESHOLD]
    if len(scored) == 1 or (scored and scored[0][1] - scored[1][1] >= MARGIN):
        return Match(scored[0][0], FUZZY, candidates=tuple(scored[:SHOWN]))
    return Match(candidates=tuple(scored[:SHOWN]))


def describe(match: Match, units: Sequence[Mapping]) -> str:
    """One Chinese sentence: how the unit was found, or why none was chosen."""
    if match.unit:
        return f"单位：{_named(match.unit, units)}（按{match.how}识别）"
    if match.ambiguous:
        return (f"无法确定是哪个单位的报告，可能是：{candidates_text(match.candidates, units)}。"
                "请把文件改名为“单位名称＋自查评估报告”后重新运行")
    return ("无法确定是哪个单位的报告：正文、文件名和名单中都没有对应的单位。"
            "请把文件改名为“单位名称＋自查评估报告”，或用 --roster 先登记单位后重新运行")
