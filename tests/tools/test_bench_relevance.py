"""benchkit.relevance: how the suite's phrases are chosen (deterministic, verbatim on one
page only, bigrams common and together on other pages) and how its figures are counted."""

from __future__ import annotations

import pytest

from benchkit import relevance
from benchkit.relevance import Corpus, Phrase
from kb.search.extract import Block
from kb.search.records import Record

FILLER = "共同推进工作"  # bigrams on every page


def record(page: str, text: str) -> Record:
    return Record(url=page + "#highlights", page=page, title="报告", section="亮点",
                  blocks=[Block("p", text)])


def corpus(texts: dict[str, str]) -> Corpus:
    return Corpus.of(record(page, text) for page, text in texts.items())


def pages(n: int, text: str) -> dict[str, str]:
    return {f"reports/c/u{i}/": f"{FILLER}。{text}" for i in range(n)}


def test_a_phrase_verbatim_on_one_page_with_its_bigrams_on_others_is_chosen() -> None:
    texts = pages(6, "四是、是商、商贸")  # its bigrams on every page, apart
    texts["reports/c/u0/"] = f"{FILLER}。四是商贸。"
    chosen = relevance.seed_phrases(corpus(texts), 5)
    assert Phrase("四是商贸", "reports/c/u0/", 5) in chosen
    assert all(p.page == "reports/c/u0/" for p in chosen)  # the others hold nothing unique


@pytest.mark.parametrize("texts", [
    pytest.param({**pages(6, "四是、商贸"), "reports/c/u0/": "四是商贸。"}, id="bigram-rare"),
    pytest.param({**pages(2, "四是、是商、商贸"), "reports/c/u0/": "四是商贸。"}, id="too-few-rivals"),
    pytest.param({**pages(6, "四是商贸"), "reports/c/u0/": "四是商贸。"}, id="verbatim-on-many"),
])
def test_easy_or_ambiguous_phrases_are_not_chosen(texts: dict[str, str]) -> None:
    assert all(p.text != "四是商贸" for p in relevance.seed_phrases(corpus(texts), 5))


def test_the_choice_is_deterministic() -> None:
    texts = pages(8, "四是、是商、商贸、贸部、部署")
    texts["reports/c/u3/"] += "四是商贸。"
    texts["reports/c/u6/"] += "商贸部署。"
    chosen = relevance.seed_phrases(corpus(texts), 4)
    assert chosen and {p.page for p in chosen} <= {"reports/c/u3/", "reports/c/u6/"}
    assert chosen == relevance.seed_phrases(corpus(dict(reversed(texts.items()))), 4)


def test_summary_counts_first_top5_and_misses() -> None:
    phrases = [Phrase(str(i), f"p{i}", 3) for i in range(4)]
    result = relevance.summary(phrases, [1, 1, 3, None])
    assert (result["first"], result["top5"], result["mrr"]) == (2, 3, pytest.approx((1 + 1 + 1 / 3) / 4))
    assert [m["rank"] for m in result["misses"]] == [3, None]
    assert not result["met"]
