"""Character n-gram TF-IDF vectors, alike pairs without comparing all pairs, and groups.

The text of every item (a problem, a ledger problem, a practice) becomes a sparse vector
of its Han and alphanumeric character 2- and 3-grams, weighted by sublinear term
frequency × inverse document frequency over the corpus and scaled to unit length; two
items are alike when the cosine of their vectors is at least a threshold. Chinese has
no spaces, and paraphrases of one problem share their content words (理论学习, 系统), so
character n-grams see them without a word segmenter.

Comparing every pair is quadratic (10,000 reports hold ~70,000 problems). Instead the
vectors are an inverted index: n-grams held by more than :func:`stop_df` items (a share
of the corpus, at least :data:`DFMAX`) are *stop-grams*, left out of the vectors like
stop words (they carry little weight anyway); for every other n-gram, the items holding
it are paired and their weights multiplied, and summing those products per pair gives
the exact cosine of every pair that shares anything — work proportional to the postings
times their (bounded) length, done with numpy a block of equal-sized postings at a time.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from kb.text import HAN

DFMAX = 150  # items an n-gram may be held by before it is a stop-gram …
DF_SHARE = 0.02  # … or this share of the items, when larger
PAIR_FLOOR = 0.05  # pairs less alike are not kept
_RUN = re.compile(f"[{HAN}A-Za-z0-9]+")

Vector = dict[int, float]


def grams(text: str) -> list[str]:
    """Character 2- and 3-grams of the Han/alphanumeric runs (punctuation splits runs)."""
    out: list[str] = []
    for run in _RUN.findall(text.lower()):
        if len(run) == 1:
            out.append(run)
        for n in (2, 3):
            out.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return out


def stop_df(n: int) -> int:
    return max(DFMAX, int(n * DF_SHARE))


def vectors(texts: list[str], stop: int | None = None) -> list[Vector]:
    """Unit-length TF-IDF vectors of ``texts`` without stop-grams (held by more than
    ``stop`` items, default :func:`stop_df`); n-gram ids are ints in first-seen order."""
    ids: dict[str, int] = {}
    counts = [Counter(ids.setdefault(g, len(ids)) for g in grams(t)) for t in texts]
    df: Counter[int] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(texts)
    limit = stop_df(n) if stop is None else stop
    idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items() if d <= limit}
    out = []
    for c in counts:
        v = {g: (1.0 + math.log(tf)) * idf[g] for g, tf in c.items() if g in idf}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        out.append({g: w / norm for g, w in v.items()})
    return out


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


def _postings(vecs: list[Vector]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gram = np.fromiter((g for v in vecs for g in v), dtype=np.int64)
    item = np.fromiter((i for i, v in enumerate(vecs) for _ in v), dtype=np.int64)
    weight = np.fromiter((w for v in vecs for w in v.values()), dtype=np.float64)
    order = np.lexsort((item, gram))
    return gram[order], item[order], weight[order]


def pairs(vecs: list[Vector], floor: float = PAIR_FLOOR) -> Pairs:
    """Every pair sharing an n-gram whose cosine is at least ``floor`` (no stop-gram is in
    a vector, so postings are at most :func:`stop_df` long)."""
    n = len(vecs)
    gram, item, weight = _postings(vecs)
    starts = np.flatnonzero(np.r_[True, gram[1:] != gram[:-1]]) if len(gram) else gram
    sizes = np.diff(np.r_[starts, len(gram)])
    keys, dots = [], []
    for size in np.unique(sizes):
        if size < 2:
            continue
        rows = starts[sizes == size][:, None] + np.arange(size)[None, :]
        iu, ju = np.triu_indices(int(size), 1)
        keys.append((item[rows[:, iu]] * n + item[rows[:, ju]]).ravel())
        dots.append((weight[rows[:, iu]] * weight[rows[:, ju]]).ravel())
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty, np.zeros(0))
    pair_keys, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    total = np.bincount(inverse, weights=np.concatenate(dots))
    kept = total >= floor
    pair_keys, total = pair_keys[kept], total[kept]
    order = np.lexsort((pair_keys, -total))
    return Pairs(pair_keys[order] // n, pair_keys[order] % n, total[order])


class _Clusters:
    """Clusters with their centroids (sum of member vectors, and its squared length)."""

    def __init__(self, vecs: list[Vector]) -> None:
        self.parent = list(range(len(vecs)))
        self.members = {i: [i] for i in range(len(vecs))}
        self.sums: dict[int, dict[int, float]] = {i: dict(v) for i, v in enumerate(vecs)}
        self.norm2 = {i: 1.0 for i in range(len(vecs))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def alike(self, a: int, b: int) -> float:
        """Cosine of the two clusters' centroids."""
        dot = cosine(self.sums[a], self.sums[b])
        return dot / math.sqrt(self.norm2[a] * self.norm2[b])

    def merge(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        dot = cosine(self.sums[a], self.sums[b])
        total = self.sums[a]
        for g, w in self.sums.pop(b).items():
            total[g] = total.get(g, 0.0) + w
        self.norm2[a] += self.norm2.pop(b) + 2 * dot
        self.members[a] += self.members.pop(b)
        self.parent[b] = a


def clusters(vecs: list[Vector], threshold: float, attach: float | None = None,
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
    def only_short(root: int) -> bool:
        return all(i in short for i in sets.members[root])

    offers: dict[int, tuple[float, int]] = {}
    for _, i, j in edges:
        a, b = sets.find(i), sets.find(j)
        if a == b:
            continue
        for small, big in ((a, b), (b, a)):
            if only_short(small) and not only_short(big):
                score = sets.alike(small, big)
                if score >= attach and (score, -big) > offers.get(small, (0.0, 0)):
                    offers[small] = (score, -big)
    for small in sorted(offers):
        sets.merge(sets.find(-offers[small][1]), sets.find(small))


def medoid(vecs: list[Vector], members: list[int]) -> int:
    """The member closest to the cluster's centroid (ties: the first)."""
    centroid: dict[int, float] = defaultdict(float)
    for i in members:
        for g, w in vecs[i].items():
            centroid[g] += w
    return max(members, key=lambda i: (cosine(vecs[i], centroid), -i))


def nearest(vecs: list[Vector], owners: list[str]) -> list[float]:
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
