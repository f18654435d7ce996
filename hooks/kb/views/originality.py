"""Copy detection (原创度): how much of a report's prose repeats earlier text word for word.

A report's prose (opening, section titles, intros, points, plans) is reduced to its
letters, digits and Chinese characters; punctuation, spaces and Markdown marks do not
count. Fixed terms every report must use (campaign names, study-material titles, official
formulations such as “习近平新时代中国特色社会主义思想”) are cut out and counted neither
as copied nor as original. A character is *copied* when it lies in a run of at least
:data:`SHINGLE` characters that also occurs in the official template or in a report of
another unit submitted earlier (ties broken by campaign and unit id).

The work is linear in the total text. Every shingle (character n-gram) of the template
is indexed; of each report only its winnowing fingerprints (the smallest shingle of every
window of :data:`WINDOW` consecutive shingles, Schleimer et al. 2003) enter the index,
``shingle -> first owner``, so the index stays small. Every shingle of a report is looked
up, so a passage copied from another report is found from its first fingerprint on; at
most ``WINDOW - 1`` characters at either end of such a passage can be missed. Shingles
are compared as strings (no hash values), so results never depend on the process.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SHINGLE = 13  # characters; shorter common phrases are not counted as copying
WINDOW = 8  # winnowing window; must not exceed SHINGLE so coverage stays contiguous
PASSAGES = 3  # longest copied passages kept per report
TEMPLATE = "template"

# Official formulations that reports are expected to use verbatim (not copying).
FIXED_TERMS: tuple[str, ...] = (
    "习近平新时代中国特色社会主义思想",
    "学思想、强党性、重实践、建新功",
    "以学铸魂、以学增智、以学正风、以学促干",
    "学思用贯通、知信行统一",
    "以习近平同志为核心的党中央",
    "中国特色社会主义",
    "中国共产党纪律处分条例",
    "中央八项规定精神",
    "全面从严治党",
)

_KEPT = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Document:
    """One text to check: ``owner`` is the unit (own earlier texts are not copying)."""

    id: str
    owner: str
    text: str


@dataclass(frozen=True)
class Passage:
    """A maximal run of copied characters from one source, in the report's own wording."""

    text: str
    length: int  # counted characters
    source: str  # TEMPLATE or the id of the earlier document


@dataclass(frozen=True)
class Result:
    id: str
    chars: int  # counted characters (without fixed terms)
    from_template: int
    from_documents: int
    sources: dict[str, int] = field(default_factory=dict)  # earlier document id -> chars
    passages: tuple[Passage, ...] = ()

    @property
    def copied(self) -> int:
        return self.from_template + self.from_documents

    def share(self, part: int | None = None) -> float:
        """Share (0..1) of counted characters that are copied (or of ``part``)."""
        value = self.copied if part is None else part
        return value / self.chars if self.chars else 0.0


@dataclass
class _Normalised:
    text: str  # kept characters only
    norm_starts: list[int]  # start of each kept run in ``text``
    orig_starts: list[int]  # start of the same run in the original text
    original: str

    def original_span(self, start: int, end: int) -> str:
        """The original wording (with punctuation) of normalised characters [start, end)."""
        a = self._orig(start)
        b = self._orig(end - 1) + 1
        return self.original[a:b]

    def _orig(self, pos: int) -> int:
        k = bisect.bisect_right(self.norm_starts, pos) - 1
        return self.orig_starts[k] + pos - self.norm_starts[k]


def normalise(text: str) -> _Normalised:
    parts, norm_starts, orig_starts = [], [], []
    length = 0
    for m in _KEPT.finditer(text):
        norm_starts.append(length)
        orig_starts.append(m.start())
        parts.append(m.group())
        length += len(m.group())
    return _Normalised("".join(parts), norm_starts, orig_starts, text)


def fixed_terms_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any fixed term (normalised, longest first)."""
    normalised = {normalise(t).text for t in terms}
    alternatives = sorted((t for t in normalised if t), key=lambda t: (-len(t), t))
    if not alternatives:
        return None
    return re.compile("|".join(re.escape(t) for t in alternatives))


def segments(text: str, fixed: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Spans of ``text`` between fixed terms."""
    spans, pos = [], 0
    if fixed is not None:
        for m in fixed.finditer(text):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _shingles(text: str, start: int, end: int, n: int) -> list[str]:
    return [text[i:i + n] for i in range(start, end - n + 1)]


def _fingerprints(keys: list[str], window: int) -> set[str]:
    if len(keys) <= window:
        return {min(keys)} if keys else set()
    return set(map(min, *(keys[k:len(keys) - window + 1 + k] for k in range(window))))


class Index:
    """``shingle -> first owner``, plus the first owner from another unit when it differs."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.owners: list[str | None] = []  # owner index -> unit (None: the template)
        self.ids: list[str] = []

    def add_owner(self, doc_id: str, unit: str | None) -> int:
        self.ids.append(doc_id)
        self.owners.append(unit)
        return len(self.ids) - 1

    def add(self, keys: Iterable[str], owner: int) -> None:
        first, other, owners = self.first, self.other, self.owners
        unit = owners[owner]
        for key in keys:
            prev = first.setdefault(key, owner)
            if prev != owner and owners[prev] is not None and owners[prev] != unit:
                other.setdefault(key, owner)

    def source(self, key: str, unit: str) -> int | None:
        """The earliest owner of ``key`` that is not ``unit`` itself."""
        owner = self.first.get(key)
        if owner is None or self.owners[owner] != unit:
            return owner
        return self.other.get(key)


def _coverage(
    text: str, spans: list[tuple[int, int]], index: Index, unit: str, n: int, window: int
) -> tuple[list[int | None], list[str]]:
    """Source owner of every character of ``text`` (None: original) and the report's fingerprints."""
    src: list[int | None] = [None] * len(text)
    prints: list[str] = []
    first = index.first
    for start, end in spans:
        keys = _shingles(text, start, end, n)
        if not keys:
            continue
        prints.extend(_fingerprints(keys, window))
        hits = list(map(first.get, keys))
        reach = start
        for i, owner in enumerate(hits):
            if owner is None:
                continue
            if index.owners[owner] == unit:
                owner = index.source(keys[i], unit)
                if owner is None:
                    continue
            pos = start + i
            lo = max(pos, reach)
            hi = pos + n
            if lo < hi:
                src[lo:hi] = [owner] * (hi - lo)
                reach = hi
    return src, prints


def _passages(norm: _Normalised, src: list[int | None], index: Index, limit: int) -> tuple[Passage, ...]:
    runs: list[tuple[int, int, int]] = []
    i, length = 0, len(src)
    while i < length:
        owner = src[i]
        if owner is None:
            i += 1
            continue
        j = i + 1
        while j < length and src[j] == owner:
            j += 1
        runs.append((i, j, owner))
        i = j
    runs.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
    return tuple(
        Passage(norm.original_span(a, b), b - a, index.ids[owner]) for a, b, owner in runs[:limit]
    )


def analyse(
    documents: Sequence[Document],
    template: str = "",
    fixed_terms: Iterable[str] = FIXED_TERMS,
    *,
    n: int = SHINGLE,
    window: int = WINDOW,
    passages: int = PASSAGES,
) -> dict[str, Result]:
    """Copy-detection results of ``documents``, given in the order they were written."""
    if not 1 <= window <= n:
        raise ValueError("window must be between 1 and the shingle length")
    fixed = fixed_terms_pattern(fixed_terms)
    index = Index()
    if template:
        owner = index.add_owner(TEMPLATE, None)
        t = normalise(template).text
        for start, end in segments(t, fixed):
            index.add(_shingles(t, start, end, n), owner)
    results: dict[str, Result] = {}
    for doc in documents:
        norm = normalise(doc.text)
        spans = segments(norm.text, fixed)
        src, prints = _coverage(norm.text, spans, index, doc.owner, n, window)
        counted = sum(e - s for s, e in spans)
        from_template = 0
        by_source: dict[str, int] = {}
        for owner in src:
            if owner is None:
                continue
            if index.owners[owner] is None:
                from_template += 1
            else:
                by_source[index.ids[owner]] = by_source.get(index.ids[owner], 0) + 1
        results[doc.id] = Result(
            id=doc.id,
            chars=counted,
            from_template=from_template,
            from_documents=sum(by_source.values()),
            sources=dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))),
            passages=_passages(norm, src, index, passages),
        )
        index.add(prints, index.add_owner(doc.id, doc.owner))
    return results
