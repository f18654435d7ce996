"""The first, pure-Python implementation of :func:`kb.views.originality.analyse`: the test oracle.

One dictionary maps every shingle (as a string) of the template and of the reports seen so
far to its first owner; reports are checked one after another in writing order. It is
slow and memory-hungry at scale, but short and obviously sequential, so the vectorised
module is compared against it on many random corpora (tests/views/test_views_originality.py).
Kept verbatim from the module before it was vectorised; only the value types (Document,
Passage, Result) and the constants are shared, so that results compare equal.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from itertools import compress

from kb.views.originality import (
    FIXED_TERMS,
    PASSAGES,
    SHINGLE,
    STRIDE,
    TEMPLATE,
    Document,
    Passage,
    Result,
)

_KEPT = re.compile(r"[^\W_]+")
_DROPPED = re.compile(r"[\W_]+")


class Normalised:
    """A text reduced to its kept characters, able to give back the original wording."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = _DROPPED.sub("", original)
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []

    def _orig(self, pos: int) -> int:
        if not self._norm_starts:
            length = 0
            for m in _KEPT.finditer(self.original):
                self._norm_starts.append(length)
                self._orig_starts.append(m.start())
                length += m.end() - m.start()
        k = bisect.bisect_right(self._norm_starts, pos) - 1
        return self._orig_starts[k] + pos - self._norm_starts[k]

    def original_span(self, start: int, end: int) -> str:
        """The original wording (with punctuation) of kept characters [start, end)."""
        return self.original[self._orig(start): self._orig(end - 1) + 1]


def normalise(text: str) -> Normalised:
    return Normalised(text)


def fixed_terms_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any fixed term (normalised, longest first)."""
    normalised = {_DROPPED.sub("", t) for t in terms}
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


class Index:
    """``shingle -> first owner``, plus the first owner from another unit when it differs.

    Owners are numbered from 1 (0 is never used, so owner numbers are all true).
    """

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.units: list[str | None] = [None]  # owner -> unit (None: the template)
        self.ids: list[str] = [""]

    def add_owner(self, doc_id: str, unit: str | None) -> int:
        self.ids.append(doc_id)
        self.units.append(unit)
        return len(self.ids) - 1

    def add(self, keys: Iterable[str], owner: int) -> None:
        first, other, units = self.first, self.other, self.units
        unit = units[owner]
        for key in keys:
            prev = first.setdefault(key, owner)
            if prev != owner and units[prev] is not None and units[prev] != unit:
                other.setdefault(key, owner)

    def source(self, key: str, unit: str) -> int | None:
        """The earliest owner of ``key`` that is not ``unit`` itself."""
        owner = self.first.get(key)
        if owner is None or self.units[owner] != unit:
            return owner
        return self.other.get(key)


Run = tuple[int, int, int]  # (start, end, owner) of copied characters


def _coverage(text: str, spans: list[tuple[int, int]], index: Index, unit: str, n: int,
              stride: int) -> tuple[list[Run], list[str]]:
    """Maximal runs of copied characters by owner, and the shingles of ``text`` to index.

    Work is one dictionary look-up per shingle plus a few steps per hit; characters are
    never visited one by one. A character found in the template and in an earlier report
    counts as copied from the template. Before the first hit ``run_end`` is -1.
    """
    runs: list[Run] = []
    sampled: list[str] = []
    first, units = index.first, index.units
    for start, end in spans:
        keys = _shingles(text, start, end, n)
        if not keys:
            continue
        sampled.extend(keys[::stride])
        hits = list(map(first.get, keys))
        run_start, run_end, run_owner, covered = 0, -1, 0, -1
        for i in compress(range(len(hits)), hits):
            owner = hits[i]
            if units[owner] == unit:
                owner = index.source(keys[i], unit)
                if owner is None:
                    continue
            pos = start + i
            template = units[owner] is None
            if pos <= run_end and template == (units[run_owner] is None):
                # A contiguous copied passage keeps the source it was first found in
                # (several earlier reports may share it); template and reports stay apart.
                run_end = pos + n
                continue
            if run_owner:
                if template and pos < run_end:
                    run_end = max(pos, run_start)  # characters also in the template are its
                if run_end > run_start:
                    runs.append((run_start, run_end, run_owner))
                    covered = run_end
            run_start, run_end, run_owner = max(pos, covered), pos + n, owner
        if run_owner:
            runs.append((run_start, run_end, run_owner))
    return runs, sampled


def _passages(norm: Normalised, runs: list[Run], index: Index, limit: int) -> tuple[Passage, ...]:
    longest = sorted(runs, key=lambda r: (r[0] - r[1], r[0]))[:limit]
    return tuple(Passage(norm.original_span(a, b), b - a, index.ids[o]) for a, b, o in longest)


def analyse(
    documents: Sequence[Document],
    template: str = "",
    fixed_terms: Iterable[str] = FIXED_TERMS,
    *,
    n: int = SHINGLE,
    stride: int = STRIDE,
    passages: int = PASSAGES,
) -> dict[str, Result]:
    """Copy-detection results of ``documents``, given in the order they were written."""
    if not 1 <= stride <= n:
        raise ValueError("stride must be between 1 and the shingle length")
    fixed = fixed_terms_pattern(fixed_terms)
    index = Index()
    if template:
        owner = index.add_owner(TEMPLATE, None)
        t = _DROPPED.sub("", template)
        for start, end in segments(t, fixed):
            index.add(_shingles(t, start, end, n), owner)
    results: dict[str, Result] = {}
    for doc in documents:
        norm = normalise(doc.text)
        spans = segments(norm.text, fixed)
        runs, sampled = _coverage(norm.text, spans, index, doc.owner, n, stride)
        counts: dict[int, int] = {}
        for a, b, owner in runs:
            counts[owner] = counts.get(owner, 0) + b - a
        from_template = sum(c for o, c in counts.items() if index.units[o] is None)
        by_source = {index.ids[o]: c for o, c in counts.items() if index.units[o] is not None}
        results[doc.id] = Result(
            id=doc.id,
            chars=sum(e - s for s, e in spans),
            from_template=from_template,
            from_documents=sum(by_source.values()),
            sources=dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))),
            passages=_passages(norm, runs, index, passages),
        )
        index.add(sampled, index.add_owner(doc.id, doc.owner))
    return results
