"""The bench's relevance suite (benchkit.relevance, issue 16) on a small synthetic site, so
``make test`` guards it: phrases that stand verbatim on one report page only, while their
bigrams are common and stand together elsewhere, find that page first."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_http import browser, serve

from benchkit import relevance, synth
from conftest import run_mkdocs

pytestmark = pytest.mark.browser

REPORTS = 150
PHRASES = 30


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("relevance")
    synth.generate(work / "data", REPORTS, seed=2024)
    result = run_mkdocs(work / "site", env={"KB_DATA_DIR": str(work / "data"),
                                            "SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr[-3000:]
    return work / "site"


def test_seeded_phrases_find_their_page_first(synthetic_site: Path, chromium: str) -> None:
    phrases = relevance.site_phrases(synthetic_site, PHRASES)
    assert len(phrases) == PHRASES
    assert all(p.rivals >= relevance.MIN_RIVALS for p in phrases)  # the hard case
    with serve(synthetic_site) as base, browser(chromium) as instance:
        page = instance.new_page()
        page.goto(base + "reports/")
        result = relevance.summary(phrases, relevance.ranks(page, phrases))
    assert result["first_share"] >= relevance.FIRST_TARGET, result["misses"]
    assert result["top5_share"] >= relevance.TOP5_TARGET, result["misses"]
