"""benchkit.upward_bench: a tiny run, and its section on the 性能 page."""

from __future__ import annotations

import json

from benchkit import results, upward_bench
from conftest import ROOT

SAMPLE = {
    "benchmark": "upward", "started": "2026-12-05", "seed": 2024,
    "runs": [{"n": 1000, "items": 7330, "grouping_seconds": 1.6, "practices_seconds": 1.1,
              "upward_seconds": 3.0, "drafts_seconds": 0.4, "drafts": 36, "cpu_seconds": 3.2,
              "peak_bytes": 52_000_000, "purity": 0.969, "recall": 0.959, "planted": 861}],
    "build": {"n": 1000, "rounds": 2, "old_fastest": 50.0, "new_fastest": 53.5,
              "old_ratio": 2.0, "new_ratio": 2.14},
}


def _page(extra: dict) -> str:
    data = json.loads((ROOT / "docs" / "performance.json").read_text("utf-8"))
    data.pop("upward", None)
    return results.results_page({**data, **extra})


def test_the_page_has_an_upward_section_when_its_json_has_the_key():
    page = _page({"upward": SAMPLE})
    section = page[page.index("## 上报材料"):page.index("## 怎样测量")]
    assert "| 1,000 | 7,330 | 1.6 | 1.1 | 3.0 | 36 / 0.4 | 3.2 | 52.0 | 0.969 | 0.959 |" in section
    assert "不含上报材料 50.0 秒" in section and "增加 7.0%（目标 ≤ 15%）" in section


def test_no_section_without_the_key():
    assert "## 上报材料" not in _page({})


def test_a_tiny_run_measures_and_scores(tmp_path):
    run = upward_bench.run(12, tmp_path)
    assert run["n"] == 12 and run["drafts"] > 0 and run["peak_bytes"] > 0 and run["cpu_seconds"] > 0
    assert 0 < run["purity"] <= 1 and 0 < run["recall"] <= 1
