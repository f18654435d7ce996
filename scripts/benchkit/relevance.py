"""The search relevance suite (issue 16): seeded phrases that only a phrase-aware ranking finds first.

A bigram index finds every page that holds all bigrams of a query; the hard case is a
phrase of 4–6 Han characters that stands verbatim on exactly one page while its bigrams
are common and stand together (apart) on several other pages. :func:`seed_phrases` picks
such phrases from the search records of a built site by a deterministic procedure:

1. every indexed page's text (its records' text and context) and, per Han bigram, the
   pages holding it;
2. report pages (``reports/<campaign>/<unit>/``) in the order of the SHA-1 of their URL;
3. from each such page, its section text (no headings: a heading match is the easy case),
   the Han substrings of length 4, 5 or 6 (by turns) in the order of their SHA-1, the first
   that (a) stands verbatim on this page only, (b) has every bigram on at least
   :data:`COMMON_SHARE` of the pages, and (c) has all its bigrams on at least
   :data:`MIN_RIVALS` other pages;
4. until ``count`` phrases were found.

:func:`measure` types each phrase into the site's own search code
(``window.kbSearch.search`` of docs/assets/search.js) in headless Chromium and records the
rank of the page that holds it; :func:`summary` gives the figures of the 性能 page. The
browser test (tests/search/test_relevance_suite_browser.py) runs the same code on a small
synthetic site.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kb.search.records import Record, iter_records
from kb.text import HAN

COMMON_SHARE = 0.05  # a bigram on at least 5 % of the indexed pages is common
MIN_RIVALS = 3  # other pages that hold every bigram of the phrase (not verbatim)
LENGTHS = (4, 5, 6)
FIRST_TARGET = 0.95
TOP5_TARGET = 1.0
_REPORT = re.compile(r"^reports/[^/]+/[^/]+/$")
_HAN_RUN = re.compile(f"[{HAN}]+")


@dataclass(frozen=True)
class Phrase:
    text: str
    page: str  # the one page holding it verbatim
    rivals: int  # other pages holding all of its bigrams


@dataclass
class Corpus:
    """The indexed text of a site: per page, and per Han bigram the pages holding it."""

    texts: dict[str, str]
    sections: dict[str, list[str]]  # section text (no headings) of each page
    postings: dict[str, set[str]]

    @classmethod
    def of(cls, records: Iterable[Record]) -> Corpus:
        parts: dict[str, list[str]] = defaultdict(list)
        sections: dict[str, list[str]] = defaultdict(list)
        for record in records:
            parts[record.page] += [b.text for b in record.blocks] + [record.context]
            sections[record.page] += [b.text for b in record.blocks if b.kind == "p"]
        texts = {page: "\n".join(p) for page, p in parts.items()}
        postings: dict[str, set[str]] = defaultdict(set)
        for page, text in texts.items():
            for run in _HAN_RUN.findall(text):
                for i in range(len(run) - 1):
                    postings[run[i:i + 2]].add(page)
        return cls(texts, dict(sections), dict(postings))

    def holding_all(self, phrase: str) -> set[str]:
        """Pages holding every bigram of ``phrase``."""
        sets = sorted((self.postings.get(b, set()) for b in _bigrams(phrase)), key=len)
        return set.intersection(*sets) if sets else set()


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _candidates(texts: list[str], length: int) -> list[str]:
    found = {run[i:i + length] for text in texts for run in _HAN_RUN.findall(text)
             for i in range(len(run) - length + 1)}
    return sorted(found, key=_sha)


def _qualifies(corpus: Corpus, page: str, phrase: str, common: int) -> int | None:
    """Rivals of ``phrase`` if it is a hard case standing verbatim on ``page`` only, else None."""
    if min(len(corpus.postings.get(b, ())) for b in _bigrams(phrase)) < common:
        return None
    holding = corpus.holding_all(phrase)
    if len(holding) - 1 < MIN_RIVALS:
        return None
    verbatim = [p for p in holding if phrase in corpus.texts[p]]
    return len(holding) - 1 if verbatim == [page] else None


def seed_phrases(corpus: Corpus, count: int) -> list[Phrase]:
    """Up to ``count`` hard-case phrases, one per report page, by the module's procedure."""
    common = max(2, round(COMMON_SHARE * len(corpus.texts)))
    pages = sorted((p for p in corpus.texts if _REPORT.match(p)), key=_sha)
    phrases: list[Phrase] = []
    for page in pages:
        if len(phrases) >= count:
            break
        length = LENGTHS[len(phrases) % len(LENGTHS)]
        for text in _candidates(corpus.sections.get(page, []), length):
            rivals = _qualifies(corpus, page, text, common)
            if rivals is not None:
                phrases.append(Phrase(text, page, rivals))
                break
    return phrases


def site_phrases(site: Path, count: int) -> list[Phrase]:
    """:func:`seed_phrases` over the search records of the built ``site``."""
    return seed_phrases(Corpus.of(iter_records(site)), count)


# -- measuring in the browser ---------------------------------------------------------

SHOWN = 10  # result groups asked for (the first page of results)


def ranks(page: Any, phrases: list[Phrase]) -> list[int | None]:
    """Rank (1-based) of each phrase's page among the results of the site's search code in
    the open Playwright ``page``; None when it is not in the first :data:`SHOWN`."""
    out: list[int | None] = []
    for phrase in phrases:
        found = page.evaluate("([q, n]) => window.kbSearch.search(q, {}, n)", [phrase.text, SHOWN])
        pages = [g["page"] for g in found["groups"]]
        out.append(pages.index(phrase.page) + 1 if phrase.page in pages else None)
    return out


def summary(phrases: list[Phrase], found: list[int | None]) -> dict[str, Any]:
    """The suite's figures: share first, share in the first five, MRR, and every miss."""
    n = len(phrases)
    first = sum(1 for r in found if r == 1)
    top5 = sum(1 for r in found if r is not None and r <= 5)
    return {
        "phrases": n,
        "first": first,
        "top5": top5,
        "first_share": first / n if n else 0.0,
        "top5_share": top5 / n if n else 0.0,
        "mrr": sum(1 / r for r in found if r) / n if n else 0.0,
        "met": bool(n) and first / n >= FIRST_TARGET and top5 / n >= TOP5_TARGET,
        "misses": [{**asdict(p), "rank": r} for p, r in zip(phrases, found, strict=True) if r != 1],
        "procedure": {"common_share": COMMON_SHARE, "min_rivals": MIN_RIVALS,
                      "lengths": list(LENGTHS)},
    }


def measure(site: Path, phrases: list[Phrase]) -> dict[str, Any]:
    """Serve ``site``, run every phrase in a headless Chromium, return :func:`summary`."""
    from playwright.sync_api import sync_playwright

    from benchkit.chromium import CHROMIUM, CHROMIUM_ARGS
    from benchkit.search_bench import serve

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(base + "reports/", wait_until="load")
            found = ranks(page, phrases)
        finally:
            browser.close()
    return summary(phrases, found)
