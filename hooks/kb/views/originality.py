"""Copy detection (原创度): how much of a report's prose repeats earlier text word for word.

A report's prose (opening, section titles, intros, points, plans) is reduced to its
letters, digits and Chinese characters; punctuation, spaces and Markdown marks do not
count. Fixed terms every report must use (campaign names, study-material titles, official
formulations such as “习近平新时代中国特色社会主义思想”) are cut out and counted neither
as copied nor as original. A character is *copied* when it lies in a run of at least
:data:`SHINGLE` characters that also occurs in the official template or in a report of
another unit written earlier (the caller gives the documents in writing order).

The work is linear in the total text, with no comparison of pairs of reports and no
Python object per shingle. Owners are numbered in writing order (the template first).
Every shingle (character n-gram) becomes one 64-bit hash in a numpy array per batch of
documents (9 bytes a shingle with its bucket number; every other array is bounded by a
batch, a pick of buckets or a bucket, see ``BATCH``, ``PICK``, ``BUCKET``). The hashes are
split into buckets by their high bits and one bucket is sorted at a time: for each hash
value h, F(h) is its first owner and O(h) its first owner of a unit other than F(h)'s. A
shingle h of the report of owner k and unit u comes from F(h), or from O(h) when F(h) is
u's own text, provided that source was written before k. This is exactly what checking the
reports one by one against an index of all earlier text gives (tests/support/originality_reference.py
is that sequential version, kept as the test oracle). Runs of copied characters are then
merged report by report.
For very large corpora ``stride`` > 1 indexes only every stride-th shingle of a report
(every shingle of the template is indexed): a passage of ``SHINGLE + stride - 1`` or more
characters copied from an earlier report is still found, whole except at most
``stride - 1`` characters at either end; shorter shared phrases may be missed.

Shingles are compared by hash value: a polynomial over the code points (each first mixed to
64 pseudo-random bits), with fixed constants and explicit little-endian decoding, finished
by the splitmix64 finaliser — never Python's ``hash()`` — so results do not depend on the
process, PYTHONHASHSEED or platform. Two different shingles with the same hash would be
taken as the same text; taking the hash values as random, the chance that a corpus of N
distinct shingles holds any such pair is about N²/2⁶⁵: 1 in 3 million for the 3.4 million
distinct shingles of 1,000 synthetic reports, 1 in 130,000 for the 17 million of 5,000.
Each such pair could miscount at most ``SHINGLE`` characters of a report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from itertools import accumulate

import numpy as np

SHINGLE = 13  # characters; shorter common phrases are not counted as copying
STRIDE = 1  # index every shingle (exact); see the module docstring for larger strides
PASSAGES = 3  # longest copied passages kept per report
TEMPLATE = "template"
BATCH = 1 << 19  # characters of text hashed at a time (bounds the temporary arrays)
BUCKET = 1 << 17  # shingles sorted at a time, roughly (sets the number of hash buckets)
PICK = 1 << 20  # shingles picked from the batches at a time, roughly

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

_DROPPED = re.compile(r"[\W_]+")
_BMP = 0x10000  # code points with a precomputed table


def code_points(text: str) -> np.ndarray:
    """The code points of ``text``, one per string index (uint32; lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@cache
def _kept_bmp() -> np.ndarray:
    """``_kept_bmp()[c]``: ``_DROPPED`` keeps code point ``c`` (below 0x10000)."""
    every = np.arange(_BMP, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(_BMP, dtype=bool)
    table[code_points(_DROPPED.sub("", every))] = True
    return table


def kept_mask(code: np.ndarray) -> np.ndarray:
    """Which code points are kept (letters, digits, Chinese characters), as ``_DROPPED`` says."""
    kept = _kept_bmp()[np.minimum(code, _BMP - 1)]
    beyond = np.flatnonzero(code >= _BMP)
    if beyond.size:
        kept[beyond] = [not _DROPPED.match(chr(c)) for c in code[beyond].tolist()]
    return kept


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


def fixed_terms_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any fixed term (normalised, longest first)."""
    normalised = {_DROPPED.sub("", t) for t in terms}
    alternatives = sorted((t for t in normalised if t), key=lambda t: (-len(t), t))
    if not alternatives:
        return None
    return re.compile("|".join(re.escape(t) for t in alternatives))


def segments(text: str, fixed: re.Pattern[str] | None, start: int = 0,
             end: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` between fixed terms (counted from ``start``)."""
    end = len(text) if end is None else end
    spans, pos = [], start
    if fixed is not None:
        for m in fixed.finditer(text, start, end):
            if m.start() > pos:
                spans.append((pos - start, m.start() - start))
            pos = m.end()
    if pos < end:
        spans.append((pos - start, end - start))
    return spans


# --- shingle hashes ------------------------------------------------------------------------

_U64 = np.uint64
_GAMMA = _U64(0x9E3779B97F4A7C15)  # splitmix64 increment: no code point maps to 0
_BASE = _U64(0xD6E8FEB86659FD93)  # odd multiplier of the polynomial (wraps modulo 2**64)


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, in place: a bijection of uint64 that spreads every bit."""
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


@cache
def _mixed_bmp() -> np.ndarray:
    """``mix(c + GAMMA)`` of every code point ``c`` of the Basic Multilingual Plane."""
    return _mix(np.arange(_BMP, dtype=np.uint64) + _GAMMA)


def window_hashes(code: np.ndarray, n: int) -> np.ndarray:
    """The 64-bit hash of every window of ``n`` code points (``code.size - n + 1`` of them).

    With ``x = mix(c + GAMMA)`` for each code point ``c``, a window's hash is
    ``mix(x[0]·B^(n-1) + x[1]·B^(n-2) + … + x[n-1])`` modulo 2**64 (``mix``: the
    splitmix64 finaliser), the same on every process and platform. In-place uint64 array
    arithmetic wraps without warnings.
    """
    count = code.size - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    x = _mixed_bmp()[np.minimum(code, _BMP - 1)]
    beyond = np.flatnonzero(code >= _BMP)
    x[beyond] = _mix(code[beyond].astype(np.uint64) + _GAMMA)
    h = x[:count].copy()
    for j in range(1, n):
        h *= _BASE
        h += x[j:j + count]
    return _mix(h)


# --- shingles of a batch of documents ------------------------------------------------------

@dataclass
class _Batch:
    """The shingles of consecutive owners, in order: owner by owner, span by span.

    ``values`` holds each shingle's hash until its bucket is resolved, then the owner it
    was copied from (0: not copied). Spans without shingles are left out of ``span_*``.
    """

    first_owner: int
    template: bool
    values: np.ndarray  # uint64, one per shingle
    owner_starts: np.ndarray  # int64: first shingle of each owner, then the total
    span_starts: np.ndarray  # int64: first shingle of each span
    span_pos: np.ndarray  # int64: its first character in the owner's normalised text
    span_owner: np.ndarray  # int64: its owner's index in the batch
    buckets: np.ndarray | None = None  # uint8: bucket of each shingle (None: one bucket)

    def select(self, first: int, count: int) -> tuple[np.ndarray, list[int]]:
        """The shingles of buckets ``first`` to ``first + count - 1``, bucket after bucket,
        and where each bucket starts among them (then their number)."""
        if self.buckets is None:
            return np.arange(self.values.size), [0, self.values.size]
        shingles = np.flatnonzero((self.buckets >= first) & (self.buckets < first + count))
        bucket = self.buckets[shingles] - np.uint8(first)
        shingles = shingles[np.argsort(bucket, kind="stable")]  # a radix sort of bytes
        cuts = [0, *np.cumsum(np.bincount(bucket, minlength=count)).tolist()]
        return shingles, cuts

    def owners(self, shingles: np.ndarray) -> np.ndarray:
        local = np.searchsorted(self.owner_starts, shingles, side="right") - 1
        return (local + self.first_owner).astype(np.int32)

    def spans(self, shingles: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.span_starts, shingles, side="right") - 1


def _batch(texts: list[str], first_owner: int, template: bool, fixed: re.Pattern[str] | None,
           n: int) -> tuple[_Batch, list[int]]:
    """The shingles of consecutive owners' texts, and the counted characters of each."""
    code = code_points("".join(texts))
    kept = kept_mask(code)
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)  # of each text, in the kept characters
    np.cumsum([len(t) for t in texts], out=bounds[1:])
    before = np.zeros(code.size + 1, dtype=np.int64)
    np.cumsum(kept, out=before[1:])
    bounds = before[bounds].tolist()
    code = code[kept]
    del kept, before
    joined = "" if fixed is None else code.tobytes().decode("utf-32-le", "surrogatepass")
    chars: list[int] = []
    starts, lengths, pos, owner, per_owner = [], [], [], [], []
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        spans = segments(joined, fixed, a, b)
        chars.append(sum(e - s for s, e in spans))
        spans = [(s, e) for s, e in spans if e - s >= n]
        starts += [a + s for s, _ in spans]
        lengths += [e - s - n + 1 for s, e in spans]
        pos += [s for s, _ in spans]
        owner += [i] * len(spans)
        per_owner.append(sum(lengths[len(lengths) - len(spans):]))
    hashes = window_hashes(code, n)
    span_starts = np.array(starts, dtype=np.int64)  # in the joined text, then in the shingles
    counts = np.array(lengths, dtype=np.int64)
    keep = np.zeros(hashes.size + 1, dtype=np.int8)
    keep[span_starts] = 1
    keep[span_starts + counts] -= 1  # ranges are disjoint: the ends are distinct
    values = hashes[np.cumsum(keep[:-1], dtype=np.int8).astype(bool)]
    del hashes, keep
    span_starts[:1] = 0
    np.cumsum(counts[:-1], out=span_starts[1:])
    owner_starts = np.zeros(len(per_owner) + 1, dtype=np.int64)
    np.cumsum(per_owner, out=owner_starts[1:])
    batch = _Batch(first_owner, template, values, owner_starts, span_starts,
                   np.array(pos, dtype=np.int64), np.array(owner, dtype=np.int64))
    return batch, chars


# --- owners, bucket by bucket --------------------------------------------------------------

_NONE = np.iinfo(np.int32).max  # no owner (owners are int32: up to 2**31 - 2 documents)
_TEMPLATE_UNIT = -1


def _hash_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order that sorts ``key`` (as ``np.argsort``), and ``key`` sorted.

    Sorting values is several times faster than sorting indices, so each hash has its low
    bits replaced by its index and these values are sorted. Hashes that agree above those
    bits but differ below (rare) may then be out of order: only their groups are re-sorted.
    """
    bits = max(1, key.size.bit_length())
    low = _U64((1 << bits) - 1)
    packed = key & ~low
    packed |= np.arange(key.size, dtype=np.uint64)
    packed.sort()
    order = (packed & low).astype(np.int64)
    key = key[order]
    wrong = np.flatnonzero(key[1:] < key[:-1])
    if wrong.size:
        packed >>= _U64(bits)  # the high bits that were sorted
        bounds = np.concatenate(([0], np.flatnonzero(packed[1:] != packed[:-1]) + 1, [key.size]))
        for g in np.unique(np.searchsorted(bounds, wrong, side="right") - 1).tolist():
            a, b = int(bounds[g]), int(bounds[g + 1])
            fix = np.argsort(key[a:b], kind="stable")
            order[a:b] = order[a:b][fix]
            key[a:b] = key[a:b][fix]
    return order, key


def _sources(key: np.ndarray, owner: np.ndarray, indexed: np.ndarray | None,
             units: np.ndarray) -> np.ndarray:
    """For each shingle (hash ``key`` of ``owner``), the earlier owner it was copied from, or 0.

    ``indexed`` marks the shingles earlier text is compared with (None: all; with stride > 1
    not the unsampled report shingles). Sorting by hash groups equal shingles; F is the first
    indexed owner of a group and O the first of another unit than F's. A shingle comes from
    F, or from O when F is its own unit, if that was written before.
    ``units[-1]`` belongs to no owner: it stands for "no F".
    """
    order, key = _hash_order(key)
    new = np.ones(key.size + 1, dtype=bool)  # starts a group of equal hashes (and the end)
    np.not_equal(key[1:], key[:-1], out=new[1:-1])
    del key
    shared = np.flatnonzero(~(new[:-1] & new[1:]))  # not alone in its group: maybe copied
    out = np.zeros(order.size, dtype=np.int32)
    if not shared.size:
        return out
    order = order[shared]
    owner = owner[order]
    starts = np.flatnonzero(new[shared])
    del new, shared
    sizes = np.diff(starts, append=owner.size)
    if indexed is None:
        listed = owner
        first = np.minimum.reduceat(owner, starts)
        first_unit = units[first]
    else:
        listed = np.where(indexed[order], owner, _NONE)
        first = np.minimum.reduceat(listed, starts)
        first_unit = units[np.minimum(first, units.size - 1)]
    own_unit = units[owner]
    first_unit = np.repeat(first_unit, sizes)
    other_unit = own_unit != first_unit
    other = np.minimum.reduceat(np.where(other_unit, listed, _NONE), starts)
    source = np.where(other_unit, np.repeat(first, sizes), np.repeat(other, sizes))
    source[source >= owner] = 0
    out[order] = source
    return out


def _resolve_buckets(batches: list[_Batch], first: int, count: int, units: np.ndarray,
                     stride: int) -> None:
    """Replace the hashes of some buckets by the owner each shingle was copied from.

    The shingles of these buckets are picked from every batch in one pass; each bucket is
    then resolved on its own.
    """
    picked, keys, owners, indexed, cuts = [], [], [], [], []
    for batch in batches:
        shingles, bounds = batch.select(first, count)
        picked.append(shingles)
        cuts.append(bounds)
        keys.append(batch.values[shingles])
        owners.append(batch.owners(shingles))
        if stride > 1 and batch.template:
            indexed.append(np.ones(shingles.size, dtype=bool))
        elif stride > 1:
            spans = batch.spans(shingles)
            indexed.append((shingles - batch.span_starts[spans]) % stride == 0)
    sources = [np.empty(s.size, dtype=np.int32) for s in picked]
    for j in range(count):
        parts = [slice(c[j], c[j + 1]) for c in cuts]
        if not any(p.stop > p.start for p in parts):
            continue
        found = _sources(np.concatenate([k[p] for k, p in zip(keys, parts, strict=True)]),
                         np.concatenate([o[p] for o, p in zip(owners, parts, strict=True)]),
                         np.concatenate([x[p] for x, p in zip(indexed, parts, strict=True)])
                         if indexed else None, units)
        at = 0
        for s, p in zip(sources, parts, strict=True):
            s[p] = found[at:at + p.stop - p.start]
            at += p.stop - p.start
    for batch, shingles, s in zip(batches, picked, sources, strict=True):
        batch.values[shingles] = s


def _resolve(batches: list[_Batch], units: np.ndarray, stride: int) -> None:
    """Replace every hash by the owner the shingle was copied from (0: not copied).

    The hashes are split by their high bits into about ``BUCKET`` per bucket (at most 256)
    and each bucket is sorted on its own; the buckets are picked ``PICK`` shingles at a time.
    """
    total = sum(b.values.size for b in batches)
    if not total:
        return
    bits = min(8, max(0, (total - 1) // BUCKET).bit_length())
    if bits:
        for b in batches:
            b.buckets = (b.values >> _U64(64 - bits)).astype(np.uint8)
    buckets = 1 << bits
    count = 1 << min(bits, max(0, (buckets * PICK // max(total, 1)).bit_length() - 1))
    for first in range(0, buckets, count):
        _resolve_buckets(batches, first, count, units, stride)


# --- runs of copied characters -------------------------------------------------------------

Run = tuple[int, int, int]  # (start, end, owner) of copied characters


def _runs(batch: _Batch, n: int, template_owner: int) -> dict[int, list[Run]]:
    """Maximal runs of copied characters by owner, for each owner (index in the batch).

    Consecutive copied shingles of one span extend a run while they overlap it and come
    from the same kind of source (template or reports); a run keeps the source it was first
    found in (several earlier reports may share it). Characters also in the template are
    the template's: a template run cuts short the report run it overlaps. Numpy finds where
    runs break; Python walks only those breaks.
    """
    runs: dict[int, list[Run]] = {}
    hits = np.flatnonzero(batch.values)
    if not hits.size:
        return runs
    spans = batch.spans(hits)
    pos = batch.span_pos[spans] + hits - batch.span_starts[spans]
    source = batch.values[hits].astype(np.int64)
    template = source == template_owner
    new = np.empty(hits.size, dtype=bool)
    new[:1] = True
    new[1:] = ((spans[1:] != spans[:-1]) | (pos[1:] - pos[:-1] > n)
               | (template[1:] != template[:-1]))
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, hits.size - 1)
    out: list[Run] = []
    span, run_owner = -1, 0
    run_start = run_end = covered = 0
    for s, p, q, o, t in zip(spans[first].tolist(), pos[first].tolist(),
                             pos[last].tolist(), source[first].tolist(),
                             template[first].tolist(), strict=True):
        if s != span:
            if run_owner:
                out.append((run_start, run_end, run_owner))
            span, run_owner, run_end, covered = s, 0, -1, -1
            out = runs.setdefault(int(batch.span_owner[s]), [])
        elif t and p < run_end:
            run_end = max(p, run_start)
        if run_owner and run_end > run_start:
            out.append((run_start, run_end, run_owner))
            covered = run_end
        run_start, run_end, run_owner = max(p, covered), q + n, o
    out.append((run_start, run_end, run_owner))
    return runs


class _Wording:
    """The original wording (with punctuation) of the reports of one batch."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.starts = [0, *accumulate(len(t) for t in texts)]

    @cached_property
    def _kept(self) -> tuple[np.ndarray, list[int]]:
        """Where every kept character is in the joined texts, and how many precede each."""
        where = np.flatnonzero(kept_mask(code_points("".join(self.texts))))
        return where, np.searchsorted(where, self.starts).tolist()

    def span(self, i: int, start: int, end: int) -> str:
        """Text ``i`` from its kept character ``start`` to ``end - 1``, as it was written."""
        where, before = self._kept
        first, last = where[before[i] + start], where[before[i] + end - 1]
        return self.texts[i][int(first) - self.starts[i]: int(last) - self.starts[i] + 1]


def _result(doc: Document, chars: int, runs: list[Run], ids: list[str], template_owner: int,
            limit: int, wording: Callable[[int, int], str]) -> Result:
    counts: dict[int, int] = {}
    for a, b, owner in runs:
        counts[owner] = counts.get(owner, 0) + b - a
    from_template = counts.pop(template_owner, 0)
    by_source = {ids[o]: c for o, c in counts.items()}
    longest = sorted(runs, key=lambda r: (r[0] - r[1], r[0]))[:limit]
    return Result(
        id=doc.id,
        chars=chars,
        from_template=from_template,
        from_documents=sum(by_source.values()),
        sources=dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))),
        passages=tuple(Passage(wording(a, b), b - a, ids[o]) for a, b, o in longest),
    )


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
    ids, unit_ids = [""], [-2]  # owner -> document id, unit number (owner 0 is never used)
    units: dict[str, int] = {}
    batches: list[_Batch] = []
    template_owner = 0
    if template:
        template_owner = len(ids)
        ids.append(TEMPLATE)
        unit_ids.append(_TEMPLATE_UNIT)
        batches.append(_batch([template], template_owner, True, fixed, n)[0])
    chars: list[int] = []
    first_doc = len(ids)
    texts: list[str] = []
    size = 0
    for doc in documents:
        ids.append(doc.id)
        unit_ids.append(units.setdefault(doc.owner, len(units)))
        texts.append(doc.text)
        size += len(doc.text)
        if size >= BATCH or len(ids) == first_doc + len(documents):
            batch, counted = _batch(texts, len(ids) - len(texts), False, fixed, n)
            batches.append(batch)
            chars += counted
            texts, size = [], 0
    unit_of = np.array([*unit_ids, -2], dtype=np.int32)  # the last: no owner
    _resolve(batches, unit_of, stride)
    results: dict[str, Result] = {}
    for batch in batches:
        if batch.template:
            continue
        runs = _runs(batch, n, template_owner)
        first = batch.first_owner - first_doc
        docs = documents[first: first + batch.owner_starts.size - 1]
        wording = _Wording([d.text for d in docs])
        for i, doc in enumerate(docs):
            results[doc.id] = _result(doc, chars[first + i], runs.get(i, []), ids,
                                      template_owner, passages, partial(wording.span, i))
    return results
