"""benchkit.compare: the old/new figures are the fastest builds over the floor of the same run."""

from __future__ import annotations

from benchkit import compare


def test_summary_takes_fastest_times_and_ratios_to_the_same_runs_floor() -> None:
    times = {"old": [33.2, 31.8, 36.1], "new": [33.7, 31.4, 31.7], "floor": [14.8, 14.6, 13.7]}
    out = compare.summary(times, "aaa", "bbb", 1000, True)
    assert (out["old_fastest"], out["new_fastest"], out["floor_fastest"]) == (31.8, 31.4, 13.7)
    assert (out["old_ratio"], out["new_ratio"]) == (2.32, 2.29)
    assert out["rounds"] == 3 and out["sites_identical"] is True


def test_export_writes_the_tracked_files_of_a_revision(tmp_path) -> None:
    tree = compare.export("HEAD", tmp_path / "tree")
    assert (tree / "mkdocs.yml").is_file() and (tree / "hooks" / "site.py").is_file()
