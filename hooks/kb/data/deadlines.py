"""Ledger deadlines (完成时限) and statuses as people write them.

A deadline in a data file is a date (YYYY-MM-DD) or one of the *ongoing* words of the
schema (长期坚持, 持续推进, 常态化), which go with the status 长期坚持. People write
deadlines less strictly: 2023年12月底, 12月31日前, 2024年3月, 2023年底, 二〇二三年十二月.
:func:`read_deadline` turns such a wording into a date (a month alone means its last day,
a year alone its last day; a wording without a year takes the ``year`` given), saying
whether the wording was an exact date (then the date says it all) or an approximate one
(then the original wording is worth keeping in ``deadline_text``). :func:`ongoing_word`
finds the ongoing word a wording means, and :func:`read_status` maps a status as units
write it (已整改, 整改中 …) through the schema's table of status synonyms.

Shared by the validator (its messages suggest the exact value to write) and the Word
import (kb.contrib), so both read a wording the same way. Imports nothing of ``kb``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_RUN = re.compile(r"[〇零一二三四五六七八九十两]+")
_HALF = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# What may follow a deadline without changing it: 前, 之前, 以前, 完成, 为止 ….
_TAIL = re.compile(r"(?:之前|以前|前|为止|止|内|完成|结束|以内)+$")
_SEP = r"[年./\-]"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})(?:月|[./\-])(?P<d>\d{{1,2}})日?(?:号)?")),
    ("ym", re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})月?(?:份)?(?P<part>底|末|下旬|中旬|上旬)?")),
    ("half", re.compile(r"(?P<y>\d{4})年(?:度)?(?P<half>上半年|下半年)(?:底|末)?")),
    ("quarter", re.compile(r"(?P<y>\d{4})年(?:度)?第?(?P<q>[1-4])季度(?:底|末)?")),
    ("y", re.compile(r"(?P<y>\d{4})年(?:度)?(?:年?底|年?末|内)?")),
    ("md", re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日?(?:号)?")),
    ("m", re.compile(r"(?P<m>\d{1,2})月(?:份)?(?P<part>底|末|下旬|中旬|上旬)?")),
    ("yearend", re.compile(r"(?:今年|本年度?|年)(?:底|末)")),
)
_PART_DAY = {"上旬": 10, "中旬": 20}


@dataclass(frozen=True)
class Deadline:
    """A deadline read from a wording: the date, and whether the wording named that day exactly."""

    date: str  # YYYY-MM-DD
    exact: bool  # 2023年12月31日 (exact) rather than 2023年12月底, 12月31日前 (approximate)


def is_date(value: object) -> bool:
    """``value`` is a real YYYY-MM-DD date (an ongoing word, a wording or anything else: False)."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _arabic(text: str) -> str:
    """Chinese numerals as Arabic digits: 二〇二三 → 2023, 十二 → 12, 三十一 → 31."""

    def one(match: re.Match[str]) -> str:
        run = match.group()
        if "十" not in run:
            return "".join(str(_CN_DIGITS[c]) for c in run)
        tens, _, ones = run.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return run
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))

    return _CN_RUN.sub(one, text)


def _squash(text: str) -> str:
    """Half-width, Arabic digits, no white space, no brackets around the whole."""
    text = re.sub(r"\s", "", text.translate(_HALF))
    text = text.strip("()（）[]【】")
    return _arabic(text)


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _date(year: int | None, month: int, day: int | None, exact: bool) -> Deadline | None:
    if year is None or not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    day = _month_end(year, month) if day is None else day
    try:
        return Deadline(dt.date(year, month, day).isoformat(), exact)
    except ValueError:
        return None


def read_deadline(text: str, year: int | None = None) -> Deadline | None:
    """The date a deadline wording means, or None (an ongoing word, 尽快, an impossible date).

    ``year`` completes a wording without one (12月31日前, 3月底, 年底): the year of the
    report's date or of its campaign. A wording with 前/之前/完成 … after the date means
    the same day, not exactly named (``exact`` False), as do month, quarter and year ends.
    """
    squashed = _squash(text)
    core = _TAIL.sub("", squashed)
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(core)
        if match:
            found = _from_match(kind, match, year)
            if found is not None and core != squashed:
                return Deadline(found.date, False)
            return found
    return None


def _from_match(kind: str, match: re.Match[str], year: int | None) -> Deadline | None:
    groups = match.groupdict()
    y = int(groups["y"]) if groups.get("y") else year
    if kind in ("ymd", "md"):
        return _date(y, int(groups["m"]), int(groups["d"]), exact=kind == "ymd")
    if kind in ("ym", "m"):
        part = groups.get("part")
        day = _PART_DAY.get(part or "")
        return _date(y, int(groups["m"]), day, exact=False)
    if kind == "half":
        return _date(y, 6 if groups["half"] == "上半年" else 12, None, exact=False)
    if kind == "quarter":
        return _date(y, int(groups["q"]) * 3, None, exact=False)
    return _date(y, 12, None, exact=False)  # 2023年底, 年底


def ongoing_word(text: str, words: tuple[str, ...]) -> str | None:
    """The ongoing word (of ``words``, the schema's) a deadline wording means, or None:
    the word itself (长期坚持), a wording containing it (常态化推进), or one starting
    like it (长期 → 长期坚持, 持续整改 → 持续推进)."""
    squashed = _squash(text)
    if not squashed:
        return None
    for word in words:
        if word in squashed:
            return word
    for word in words:
        if squashed.startswith(word[:2]):
            return word
    return None


def read_status(text: str, table: Mapping[str, str]) -> str | None:
    """The schema's status for a status wording, through ``table`` (every status and every
    synonym → its status): the whole wording, else the leftmost, longest entry it contains
    (未完成整改 → 未完成 → 推进中, 完成（2023.11.28） → 完成 → 已完成). None when nothing matches."""
    squashed = re.sub(r"\s", "", text.translate(_HALF))
    if not squashed:
        return None
    if squashed in table:
        return table[squashed]
    longest = max(map(len, table), default=0)
    for start in range(len(squashed)):
        for end in range(min(len(squashed), start + longest), start, -1):
            if squashed[start:end] in table:
                return table[squashed[start:end]]
    return None
