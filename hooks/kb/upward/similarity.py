"""Character n-gram TF-IDF vectors, alike pairs without comparing all pairs, and groups.

The text of every item (a problem, a ledger problem, a practice) becomes a sparse vector
of its Han and alphanumeric character 2- and 3-grams, weighted by sublinear term
frequency × inverse document frequency over the corpus and scaled to unit length; two
items are alike when the cosine of their vectors is at least a threshold. Chinese has
no spaces, and paraphrases of one problem share their content words (理论学习, 系统), so
character n-grams see them without a word segmenter.

Two fields of an item (a title and a body) can be weighted apart (:func:`combine`), words
any text of the corpus uses can be left out (``generic``), and n-grams only one item has
can count for less (``single``) — see :mod:`kb.upward.grouping`.

Comparing every pair is quadratic (10,000 reports hold ~70,000 problems). Instead the
vectors are an inverted index: n-grams held by more than :func:`stop_df` items
(:data:`DFMAX`, whatever the corpus size) are *stop-grams*, left out of the vectors like
stop words (they carry little weight anyway); for every other n-gram, the items holding
it are paired and their weights multiplied, and summing those products per pair gives
the exact cosine of every pair that shares anything — work proportional to the postings
times their (bounded) length, done with numpy a block of equal-sized postings at a time.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from kb.text import HAN

DFMAX = 150  # items an n-gram may be held by before it is a stop-gram, at any size: a
# share of the items instead made the pairs per n-gram grow with the corpus (O(n²) work
# and memory: 10,000 reports took 58 s and 605 MB in the grouping alone)
PAIR_FLOOR = 0.05  # pairs less alike are not kept
CHUNK = 1 << 18  # products of weights summed at a time
_OTHER = re.compile(f"[^{HAN}A-Za-z0-9]+")

Vector = dict[int, float]


def _normal(text: str, generic: re.Pattern[str] | None = None) -> str:
    """Lower case; every run of other characters (punctuation, spaces) as one NUL, and
    every match of ``generic`` (words any statement may use, such as 还不够) too."""
    text = text.lower()
    if generic is not None:
        text = generic.sub("\0", text)
    return _OTHER.sub("\0", text)


def grams(text: str) -> list[str]:
    """Character 2- and 3-grams of the Han/alphanumeric runs (punctuation splits runs)."""
    out: list[str] = []
    for run in _normal(text).split("\0"):
        for n in (2, 3):
            out.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return out


def stop_df(n: int) -> int:  # noqa: ARG001 - the same for every corpus size (see DFMAX)
    return DFMAX


class Corpus:
    """The TF-IDF vectors of a list of texts as postings (n-gram, item, weight), sorted by
    n-gram then item. n-grams held by one item only (they pair nothing) and stop-grams are
    not posted; every vector is scaled to unit length over all its non-stop n-grams."""

    def __init__(self, n: int, gram: np.ndarray, item: np.ndarray, weight: np.ndarray) -> None:
        self.n, self.gram, self.item, self.weight = n, gram, item, weight
        self._by_item: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return self.n

    def vector(self, i: int) -> Vector:
        if self._by_item is None:
            order = np.argsort(self.item, kind="stable")
            self._by_item = (order, np.searchsorted(self.item[order], np.arange(self.n + 1)))
        order, bounds = self._by_item
        rows = order[bounds[i]:bounds[i + 1]]
        return dict(zip(self.gram[rows].tolist(), self.weight[rows].tolist(), strict=True))


def _ngram_codes(texts: list[str], generic: re.Pattern[str] | None = None,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(n-gram code, item) of every 2- and 3-gram: code points packed 21 bits each."""
    normal = [_normal(t, generic) for t in texts]
    if not normal:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined = "\0".join(normal) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    item = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in normal])
    ok = codes != 0
    two = ok[:-1] & ok[1:]
    three = two[:-1] & ok[2:]
    bigram = (codes[:-1] << 21) | codes[1:]
    trigram = (codes[:-2] << 42) | (codes[1:-1] << 21) | codes[2:]
    return (np.concatenate([bigram[two], trigram[three]]),
            np.concatenate([item[:-1][two], item[:-2][three]]))


def vectors(texts: list[str], stop: int | None = None,
            generic: re.Pattern[str] | None = None,
            single: float | list[float] = 1.0) -> Corpus:
    """Unit-length TF-IDF vectors of ``texts`` (sublinear tf, smooth idf), without
    stop-grams (held by more than ``stop`` items, default :func:`stop_df`) and without
    the words ``generic`` matches (they split the text like punctuation). An n-gram no
    other item holds is weighted ``single`` (per item when a list): below 1, what two
    items share counts for more than what one of them says alone."""
    n = len(texts)
    code, item = _ngram_codes(texts, generic)
    if not len(code):  # no reports, or nothing but marks and single characters
        empty = np.zeros(0, dtype=np.int64)
        return Corpus(n, empty, empty, np.zeros(0))
    order = np.lexsort((item, code))
    code, item = code[order], item[order]
    new_pair = np.r_[True, (code[1:] != code[:-1]) | (item[1:] != item[:-1])]
    starts = np.flatnonzero(new_pair)
    tf = np.diff(np.r_[starts, len(code)])
    code, item = code[starts], item[starts]
    gram = np.cumsum(np.r_[True, code[1:] != code[:-1]]) - 1
    df = np.bincount(gram)[gram]
    keep = df <= (stop_df(n) if stop is None else stop)
    weight = (1.0 + np.log(tf)) * (np.log((1 + n) / (1 + df)) + 1.0)
    alone = np.asarray(single, dtype=float)[item] if isinstance(single, list) else single
    weight = np.where(keep, weight, 0.0) * np.where(df > 1, 1.0, alone)
    norm = np.sqrt(np.bincount(item, weights=weight * weight, minlength=n))
    weight = weight / np.where(norm > 0, norm, 1.0)[item]
    posted = keep & (df > 1)
    return Corpus(n, gram[posted], item[posted], weight[posted])


def combine(first: Corpus, second: Corpus, weight: float) -> Corpus:
    """One vector per item from two fields of it (such as a title and a body): the
    cosine of two combined vectors is ``weight`` × the first fields' cosine + (1 −
    ``weight``) × the second fields'. The second field's n-grams are numbered after the
    first's, so the postings stay sorted by n-gram."""
    if first.n != second.n:
        raise ValueError("fields of different numbers of items")
    offset = int(first.gram.max()) + 1 if len(first.gram) else 0
    return Corpus(first.n, np.concatenate([first.gram, second.gram + offset]),
                  np.concatenate([first.item, second.item]),
                  np.concatenate([first.weight * math.sqrt(weight),
                                  second.weight * math.sqrt(1.0 - weight)]))


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


@dataclass(frozen=True)
class Pairs:
    """Alike pairs i < j with their cosine, most alike first."""

    first: np.ndarray
    second: np.ndarray
    cosine: np.ndarray

    def __len__(self) -> int:
        return len(self.cosine)


def _merge(keys: list[np.ndarray], dots: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Pair keys made unique, with the dot products of each summed."""
    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate(dots), minlength=len(unique))


def pairs(corpus: Corpus, floor: float = PAIR_FLOOR) -> Pairs:
    """Every pair sharing an n-gram whose cosine is at least ``floor``: the products of
    weights of each n-gram's items, summed per pair. Postings are at most :func:`stop_df`
    long, so the work is bounded by that per posted n-gram of an item; the products are
    made and summed :data:`CHUNK` at a time, so memory holds one chunk and the sums."""
    n, gram, item, weight = corpus.n, corpus.gram, corpus.item, corpus.weight
    starts = np.flatnonzero(np.r_[True, gram[1:] != gram[:-1]]) if len(gram) else gram
    sizes = np.diff(np.r_[starts, len(gram)])
    keys: list[np.ndarray] = []
    dots: list[np.ndarray] = []
    pending = 0
    for size in np.unique(sizes):
        iu, ju = np.triu_indices(int(size), 1)
        blocks = starts[sizes == size]
        step = max(1, CHUNK // len(iu))
        for first in range(0, len(blocks), step):
            rows = blocks[first:first + step][:, None] + np.arange(size)[None, :]
            a, b = rows[:, iu].ravel(), rows[:, ju].ravel()
            keys.append(item[a] * n + item[b])
            dots.append(weight[a] * weight[b])
            pending += len(a)
            if pending >= CHUNK:
                merged = _merge(keys, dots)
                keys, dots, pending = [merged[0]], [merged[1]], 0
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty, np.zeros(0))
    pair_keys, total = _merge(keys, dots)
    kept = total >= floor
    pair_keys, total = pair_keys[kept], total[kept]
    order = np.lexsort((pair_keys, -total))
    return Pairs(pair_keys[order] // n, pair_keys[order] % n, total[order])


class _Clusters:
    """Clusters with their centroids (sum of member vectors, and its squared length)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.parent = list(range(len(corpus)))
        self.members = {i: [i] for i in range(len(corpus))}
        self._sums: dict[int, dict[int, float]] = {}
        self.norm2 = dict.fromkeys(range(len(corpus)), 1.0)

    def sum(self, root: int) -> dict[int, float]:
        if root not in self._sums:  # a single item's vector, read when first needed
            self._sums[root] = self.corpus.vector(root)
        return self._sums[root]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def alike(self, a: int, b: int) -> float:
        """Cosine of the two clusters' centroids."""
        dot = cosine(self.sum(a), self.sum(b))
        return dot / math.sqrt(self.norm2[a] * self.norm2[b])

    def merge(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        dot = cosine(self.sum(a), self.sum(b))
        total = self.sum(a)
        for g, w in self.sum(b).items():
            total[g] = total.get(g, 0.0) + w
        self._sums.pop(b)
        self.norm2[a] += self.norm2.pop(b) + 2 * dot
        self.members[a] += self.members.pop(b)
        self.parent[b] = a


def clusters(vecs: Corpus, threshold: float, attach: float | None = None,
             short: set[int] | None = None) -> list[list[int]]:
    """Agglomerative groups by centroid linkage: pairs at least ``threshold`` alike are
    taken most alike first, and two clusters merge only when their centroids are at least
    ``threshold`` alike too (single links would chain loosely related items into one large
    group). With ``attach``, groups of ``short`` items then join a neighbouring group
    (:func:`_attach`). Each cluster in index order, clusters by their first index."""
    found = pairs(vecs, threshold if attach is None else min(threshold, attach))
    edges = list(zip(found.cosine.tolist(), found.first.tolist(), found.second.tolist(),
                     strict=True))
    sets = _Clusters(vecs)
    for s, i, j in edges:
        if s < threshold:
            break
        a, b = sets.find(i), sets.find(j)
        if a != b and sets.alike(a, b) >= threshold:
            sets.merge(a, b)
    if attach is not None:
        _attach(sets, edges, attach, short or set())
    return sorted(sorted(m) for m in sets.members.values())


def _attach(sets: _Clusters, edges: list[tuple[float, int, int]], attach: float,
            short: set[int]) -> None:
    """Let each group made of short items only (such as ledger problems, a few words each)
    join the neighbouring group of longer items whose centroid it is most alike, when at
    least ``attach``: a short wording is less alike the longer points of the same problem
    than those points are to each other."""
    short_roots = {root for root, members in sets.members.items()
                   if all(i in short for i in members)}

    def only_short(root: int) -> bool:
        return root in short_roots

    offers: dict[int, tuple[float, int]] = {}
    asked: set[tuple[int, int]] = set()
    for _, i, j in edges:
        a, b = sets.find(i), sets.find(j)
        if a == b:
            continue
        for small, big in ((a, b), (b, a)):
            if only_short(small) and not only_short(big) and (small, big) not in asked:
                asked.add((small, big))
                score = sets.alike(small, big)
                if score >= attach and (score, -big) > offers.get(small, (0.0, 0)):
                    offers[small] = (score, -big)
    for small in sorted(offers):
        sets.merge(sets.find(-offers[small][1]), sets.find(small))


def medoid(vecs: Corpus, members: list[int]) -> int:
    """The member closest to the cluster's centroid over shared n-grams (ties: the first)."""
    if len(members) == 1:
        return members[0]
    vectors_ = {i: vecs.vector(i) for i in members}
    centroid: dict[int, float] = defaultdict(float)
    for v in vectors_.values():
        for g, w in v.items():
            centroid[g] += w
    return max(members, key=lambda i: (cosine(vectors_[i], centroid), -i))


def nearest(vecs: Corpus, owners: list[str]) -> list[float]:
    """For each item, its highest cosine to an item of another owner (0 when none shares
    an n-gram with it)."""
    best = np.zeros(len(vecs))
    found = pairs(vecs, 0.0)
    codes = {o: k for k, o in enumerate(sorted(set(owners)))}
    owner = np.asarray([codes[o] for o in owners], dtype=np.int64)
    other = owner[found.first] != owner[found.second]
    np.maximum.at(best, found.first[other], found.cosine[other])
    np.maximum.at(best, found.second[other], found.cosine[other])
    return best.tolist()
