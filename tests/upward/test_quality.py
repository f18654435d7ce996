"""共性问题 grouping quality on the paraphrase families the synthetic generator plants
(benchkit.synth.families): purity and recall of the clusters must both be at least 0.9,
and the work stays bounded (no all-pairs comparison)."""

from __future__ import annotations

import pytest

from benchkit import synth
from benchkit.synth import families, vocabulary
from kb.site import build
from kb.upward import grouping, similarity

N = 240  # 60 reports a campaign, ~35 planted problems each
SEED = 2024


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    made = synth.generate(tmp_path_factory.mktemp("families") / "data", N, seed=SEED)
    loaded, _ = build.load(made.data_dir)
    return loaded


def _score(reports, groups) -> families.Score:
    planted = {(p.report_id, p.kind, p.index + 1): p.family
               for p in families.planted([r.id for r in reports], SEED)}
    cluster_of, sizes = {}, {}
    for n, g in enumerate(groups):
        sizes[n] = len(g.items)
        for item in g.items:
            cluster_of[(item.report.id, item.kind, item.number)] = n
    return families.score(planted, cluster_of, sizes)


@pytest.mark.parametrize("campaign", [c["id"] for c in synth.CAMPAIGNS])
def test_planted_families_are_grouped_with_purity_and_recall_of_at_least_0_9(kb, campaign):
    reports = kb.reports_of(campaign)
    score = _score(reports, grouping.group_items(grouping.items(reports)))
    assert score.planted >= 20
    assert score.purity >= 0.9, score
    assert score.recall >= 0.9, score


def test_the_generator_plants_what_it_says(kb):
    """The planted first problem carries one of its family's leads (the labels are true)."""
    leads = {f.id: set(f.leads) for f in families.FAMILIES}
    ledgers = {f.id: set(f.ledger) for f in families.FAMILIES}
    for p in families.planted([r.id for r in kb.reports], SEED):
        report = kb.report(*p.report_id.split("/"))
        if p.kind == "problem":
            assert report.problems[p.index].lead in leads[p.family]
        else:
            assert report.ledger[p.index].problem in ledgers[p.family]


def test_random_problems_stay_apart(kb):
    """Without families the generator's problems are a random term and one of a few dozen
    complaints (vocabulary ISSUES, NEG, GAPS: 缺经费, 材料多 …). Grouped by topic, items
    sharing a complaint may form a group; a large group must be such a complaint (most
    items carry it), never a chain of unrelated items."""
    reports = kb.reports_of("2023-zhuti")
    planted = {(p.report_id, p.index + 1) for p in families.planted([r.id for r in reports], SEED)}
    rest = [i for i in grouping.items(reports) if (i.report.id, i.number) not in planted]
    complaints = set(vocabulary.ISSUES) | set(vocabulary.NEG) | set(vocabulary.GAPS)
    large = [g for g in grouping.group_items(rest) if len(g.items) > 8]
    assert max(len(g.items) for g in large) <= 20
    for g in large:
        shared = max(sum(c in i.topic for i in g.items) for c in complaints)
        assert shared >= 0.8 * len(g.items), [i.topic for i in g.items]


def test_pairs_are_not_all_pairs():
    """n-grams held by more than stop_df items are never posted: a corpus where every item
    shares one n-gram yields no pair from it."""
    texts = [f"共同问题{chr(0x4e00 + 7 * i)}{chr(0x4e00 + 7 * i + 3)}" for i in range(400)]
    vecs = similarity.vectors(texts)
    assert len(similarity.pairs(vecs, 0.0)) == 0
    # The cap is the same at any size: pairs per posted n-gram do not grow with the corpus
    # (a share of it made the grouping O(n²): 58 s and 605 MB at 10,000 reports).
    assert similarity.stop_df(100_000) == similarity.stop_df(1_000) == similarity.DFMAX


def test_pairs_summed_a_chunk_at_a_time_are_the_same(kb, monkeypatch):
    """Memory holds one chunk of products: chunking must not change any cosine."""
    texts = [i.key for i in grouping.items(kb.reports_of("2023-zhuti"))]
    corpus = similarity.vectors(texts)
    whole = similarity.pairs(corpus)
    monkeypatch.setattr(similarity, "CHUNK", 97)
    chunked = similarity.pairs(corpus)
    assert len(whole) > 100
    assert (whole.first == chunked.first).all() and (whole.second == chunked.second).all()
    assert abs(whole.cosine - chunked.cosine).max() < 1e-9
