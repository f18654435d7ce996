"""The scale benchmark: the synthetic data generator, the bench arithmetic and rounds, the
results page, and the serve caches (the benchmark itself is a command, not a timed test).
The per-phase timings are in test_bench_timings.py."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
import yaml

from benchkit import bench, builds, floor, processes, results, synth, targets, timings
from conftest import ROOT
from kb.data.load import load_and_validate
from kb.site import incremental

N = 40


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> synth.SynthResult:
    return synth.generate(tmp_path_factory.mktemp("synth") / "data", N, seed=7)


# ---------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------


def test_generated_data_validates_without_problems(synthetic):
    raw, problems = load_and_validate(synthetic.data_dir)
    assert problems == []
    assert len(raw.reports) == N
    assert len(raw.campaigns) == len(synth.CAMPAIGNS)


def test_every_file_starts_with_the_modeline(synthetic):
    files = sorted(synthetic.data_dir.rglob("*.yml"))
    assert len(files) == N + len(synth.CAMPAIGNS) + 3
    for path in files:
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), path


def test_reports_carry_about_4000_characters(synthetic):
    sizes = [synth.prose_chars(yaml.safe_load(p.read_text("utf-8"))) for p in synthetic.reports]
    assert 3500 <= statistics.mean(sizes) <= 4500
    assert min(sizes) >= 2500 and max(sizes) <= 6500


def test_reports_cover_campaigns_groups_figures_and_ledgers(synthetic):
    raw, _ = load_and_validate(synthetic.data_dir)
    data = [d.data for d in raw.reports]
    assert {d["campaign"] for d in data} == {c["id"] for c in synth.CAMPAIGNS}
    rosters = [e for c in raw.campaigns for e in c.data["roster"]]
    assert len({e["group"] for e in rosters}) >= 4
    assert all(d["figures"] and d["ledger"] for d in data)
    assert any("\n- " in p["text"] for d in data for s in d["highlights"]["sections"]
               for p in s["points"])  # some Markdown lists


def test_same_seed_same_files_and_prefix_stable(tmp_path, synthetic):
    small = synth.generate(tmp_path / "small", 10, seed=7)
    for path in small.reports:
        twin = synthetic.data_dir / path.relative_to(small.data_dir)
        assert twin.read_bytes() == path.read_bytes()
    other = synth.generate(tmp_path / "other", 10, seed=8)
    assert other.reports[0].read_bytes() != small.reports[0].read_bytes()


def test_generate_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(FileExistsError):
        synth.generate(tmp_path, 1)


def test_synthetic_reports_are_not_near_copies(tmp_path):
    """Copy detection must not see the generated reports as copies of one another."""
    from kb.site import build
    from kb.views import copies

    made = synth.generate(tmp_path / "data", 200, seed=3)
    kb, _ = build.load(made.data_dir)
    results = copies.originality(kb, copies.load_template(made.data_dir))
    shares = sorted(r.share() for r in results.values())
    assert statistics.median(shares) < 0.10
    assert shares[-1] < copies.HIGH_SHARE


@pytest.mark.parametrize("opening", [
    "opening: |-\n  第一段\n  第二行\n",  # a block scalar, as the generator writes it
    "opening: 第一段\n",  # a plain scalar
])
def test_touch_report_marks_the_opening_and_moves_the_mtime(tmp_path, opening):
    path = tmp_path / "r.yml"
    path.write_text(f"unit: a\n{opening}campaign: c\n", "utf-8")
    before = path.stat().st_mtime_ns
    synth.touch_report(path, "标记")
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["opening"].startswith("标记第一段") and data["campaign"] == "c"
    assert path.stat().st_mtime_ns > before


def test_touch_report_refuses_a_file_without_an_opening(tmp_path):
    path = tmp_path / "r.yml"
    path.write_text("unit: a\n", "utf-8")
    with pytest.raises(ValueError):
        synth.touch_report(path, "标记")


# ---------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "floor", "expected"), [
    (50.0, 20.0, 2.5), (10.0, 40.0, 0.25), (3.0, 0.0, None), (3.0, -1.0, None),
])
def test_ratio(value, floor, expected):
    assert targets.ratio(value, floor) == expected


def test_page_stats_average_largest_and_over_limit():
    sizes = {"reports/a/x/": 30_000, "reports/a/y/": 50_000, "reports/b/z/": 130_000}
    stats = builds.page_stats(sizes, limit=100_000)
    assert stats.count == 3
    assert stats.average == pytest.approx(70_000)
    assert (stats.largest, stats.largest_path) == (130_000, "reports/b/z/")
    assert stats.over_limit == 1
    assert builds.page_stats({}).count == 0


@pytest.mark.parametrize(("small", "large", "linear"), [
    (60.0, 300.0, True),  # exactly 5×
    (60.0, 330.0, True),  # 5.5× is still within the target
    (60.0, 331.0, False),
    (60.0, 240.0, True),  # sub-linear
])
def test_growth_against_the_linear_target(small, large, linear):
    assert (targets.growth(small, large) <= targets.MAX_GROWTH_5000_OVER_1000) is linear


def test_phases_split_the_wall_time():
    spans = [
        {"name": "on_config", "start": 100.0, "end": 102.0},
        {"name": "producer:kb.site.pages.core_pages", "start": 102.5, "end": 104.0},
        {"name": "on_files", "start": 102.5, "end": 105.0},
        {"name": "on_nav", "start": 105.1, "end": 105.2},
        {"name": "step:kb.search.postbuild_step", "start": 115.0, "end": 119.0},
        {"name": "step:kb.official.wordfiles.write_word_files", "start": 119.0, "end": 120.0},
        {"name": "on_post_build", "start": 115.0, "end": 120.0},
    ]
    out = timings.phases(spans, wall=25.0)
    assert out == pytest.approx({
        "load": 2.0, "generate": 2.5, "render": 10.0, "search": 4.0,
        "postbuild_other": 1.0, "rest": 5.5,
    })
    assert sum(out.values()) == pytest.approx(25.0)


def test_phases_without_spans_put_everything_in_rest():
    assert timings.phases([], wall=12.0) == {
        "load": 0.0, "generate": 0.0, "render": 0.0, "search": 0.0,
        "postbuild_other": 0.0, "rest": 12.0,
    }


def _runs(full1=50.0, floor1=25.0, avg=30_000, largest=60_000, validate=1.5,
          peak5=900 * targets.MB, full5=260.0, serve=2.0, payload=400_000, first=0.8,
          search=10.0) -> dict[int, dict]:
    return {
        1000: {
            "full": {"wall": full1, "pages": {"count": 1000, "average": avg, "largest": largest},
                     "phases": {"search": search}},
            "floor": {"wall": floor1},
            "validate": {"wall": validate},
            "serve": {"worst": serve, "edits": [{}, {}, {}]},
            "search": {"bytes": payload, "first_result_seconds": first, "requests": 9},
        },
        5000: {"full": {"wall": full5, "peak_tree_rss": peak5}},
    }


def test_all_targets_met():
    found = targets.evaluate(_runs())
    assert [t.ok for t in found] == [True] * len(found)
    by_key = {t.key: t for t in found}
    assert by_key["full_over_floor"].value == pytest.approx(2.0)
    assert by_key["growth"].value == pytest.approx(5.2)
    assert by_key["index_over_render"].value == pytest.approx(0.4)


@pytest.mark.parametrize(("change", "key"), [
    ({"full1": 63.0}, "full_over_floor"),
    ({"avg": 41_000}, "avg_report_page"),
    ({"largest": 100_001}, "largest_report_page"),
    ({"validate": 2.01}, "validate"),
    ({"peak5": 1.6 * targets.GB}, "peak_memory"),
    ({"full5": 280.0}, "growth"),
    ({"serve": 3.2}, "serve_edit"),
    ({"payload": 1_200_000}, "search_bytes"),
    ({"first": 1.6}, "first_result"),
    ({"search": 26.0}, "index_over_render"),
])
def test_each_missed_target_is_reported(change, key):
    found = {t.key: t for t in targets.evaluate(_runs(**change))}
    assert found[key].ok is False
    assert found[key].verdict == "未达到"
    assert all(t.ok for k, t in found.items() if k != key)


def test_targets_not_measured_are_marked():
    found = targets.evaluate({100: {"full": {"wall": 3.0}}})
    assert all(t.ok is None and t.verdict == "未测" and t.shown == "—" for t in found)


def test_table_has_one_column_per_size():
    runs = _runs()
    runs[1000]["full"].update(cpu=80.0, peak_tree_rss=500 * targets.MB, site_bytes=90 * targets.MB,
                              site_files=2100,
                              phases={p: 1.0 for p in timings.PHASES})
    runs[1000]["floor"].update(peak_tree_rss=300 * targets.MB, site_bytes=60 * targets.MB)
    table = results.format_table(runs)
    lines = table.splitlines()
    assert lines[0] == "| | N = 1,000 | N = 5,000 | 增长 1,000 → 5,000（线性 5×） |"
    assert "| 完整构建（墙钟） | 50.0 s | 260.0 s | 5.20× |" in lines
    assert "| 完整构建 / 地板 | 2.00× | — | — |" in lines  # a ratio has no growth
    assert "| 报告页平均 / 最大 | 30.0 KB / 60.0 KB | — | — |" in lines  # a missing figure neither
    assert all(line.count("|") == 5 for line in lines)


def _scale_runs(full10=520.0, peak10=1.8 * targets.GB, serve10=2.5, validate10=9.0,
                payload=800_000, first=1.2) -> dict[int, dict]:
    runs = _runs()
    runs[5000]["search"] = {"bytes": payload, "first_result_seconds": first, "requests": 40}
    runs[10000] = {"full": {"wall": full10, "peak_tree_rss": peak10},
                   "serve": {"worst": serve10, "edits": [{}]}, "validate": {"wall": validate10},
                   "search": {"bytes": payload, "first_result_seconds": first, "requests": 50}}
    return runs


def test_table_shows_10000_beside_1000_and_5000_with_each_growth():
    lines = results.format_table(_scale_runs()).splitlines()
    assert lines[0] == ("| | N = 1,000 | N = 5,000 | N = 10,000 | 增长 1,000 → 5,000（线性 5×）"
                        " | 增长 5,000 → 10,000（线性 2×） |")
    assert "| 完整构建（墙钟） | 50.0 s | 260.0 s | 520.0 s | 5.20× | 2.00× |" in lines
    assert "| 峰值内存（进程树） | — | 900.0 MB | 1800.0 MB | — | 2.00× |" in lines
    assert all(line.count("|") == 7 for line in lines)


def test_issue19_targets_only_with_a_run_at_10000():
    assert not any(t.key.endswith("10000") for t in targets.evaluate(_runs()))
    found = {t.key: t for t in targets.evaluate(_scale_runs())}
    scale = {k: t for k, t in found.items() if k.endswith(("_5000", "10000", "_1000"))}
    assert set(scale) == {"growth_10000_over_5000", "growth_10000_over_1000", "peak_memory_10000",
                          "serve_edit_10000", "validate_10000", "search_bytes_5000",
                          "first_result_5000", "search_bytes_10000", "first_result_10000"}
    assert all(t.ok for t in scale.values())
    assert found["growth_10000_over_5000"].value == pytest.approx(2.0)
    assert found["growth_10000_over_1000"].value == pytest.approx(10.4)


@pytest.mark.parametrize(("change", "key"), [
    ({"full10": 580.0}, "growth_10000_over_5000"),  # 2.23× of 5,000 (11.6× of 1,000 too)
    ({"full10": 560.0}, "growth_10000_over_1000"),  # 11.2× of 1,000 (2.15× of 5,000: met)
    ({"peak10": 2.1 * targets.GB}, "peak_memory_10000"),
    ({"serve10": 3.1}, "serve_edit_10000"),
    ({"validate10": 10.5}, "validate_10000"),
    ({"payload": 1_100_000}, "search_bytes_10000"),
    ({"first": 1.6}, "first_result_10000"),
])
def test_each_missed_issue19_target_is_reported(change, key):
    found = {t.key: t for t in targets.evaluate(_scale_runs(**change))}
    assert found[key].ok is False and found[key].verdict == "未达到"


def test_a_failed_build_at_10000_gives_no_growth():
    runs = _scale_runs()
    runs[10000]["full"]["returncode"] = 1
    found = {t.key: t for t in targets.evaluate(runs)}
    assert found["growth_10000_over_5000"].ok is None


def _result(runs: dict[int, dict]) -> dict:
    return {"command": "scripts/bench.py --units 1000 5000", "started": "20261128-010203",
            "seed": 7, "machine": {"cpus": 2, "memory_bytes": 24 * targets.GB,
                                   "load_average": [1.25, 1.0, 1.0], "python": "3.11.7"},
            "runs": {str(n): r for n, r in runs.items()}}


def test_results_page_shows_the_command_targets_and_table():
    result = _result(_runs(serve=3.5)) | {"commit": "abc123def456",
                                          "settings": {"shard_words": 1200000, "validate_runs": 3}}
    page = results.results_page(result)
    assert "随机种子 7；代码版本 `abc123def456`\n" in page
    assert "每片 1,200,000 个索引词；validate.py 运行 3 次取最快" in page
    assert page.startswith("---\ntitle: 性能\n---")
    assert "`scripts/bench.py --units 1000 5000`" in page
    assert 'make bench BENCH_ARGS="--units 1000 5000"' in page
    assert "| N=1000 make serve 下修改一份报告到浏览器显示 | ≤ 3 秒 | 3.50 秒 | 未达到 |" in page
    assert "| 构建时间 N=5000 / N=1000 | ≤ 5.5× | 5.20× | 达到 |" in page
    assert "| | N = 1,000 | N = 5,000 |" in page
    assert "开始时系统负载 1.2" in page
    assert "地板（只用 MkDocs + Material 构建同样的页面）" not in page  # no floor at 5,000 here
    assert "重复与取最快" not in page  # measured before builds ran in rounds over all sizes
    page_now = results.results_page(result | {"settings": results.settings()})
    assert "**重复与取最快**" in page_now and "规模的顺序逐轮颠倒" in page_now
    runs = _runs()
    runs[5000]["floor"] = {"wall": 130.0}
    page = results.results_page(_result(runs))
    assert "从 N = 1,000 到 N = 5,000 的构建时间增长 5.20×。" in page
    assert "按中位数算" not in page  # one build per size: no median to show
    runs[1000]["full"]["walls"] = [70.0, 50.0, 60.0]
    runs[5000]["full"]["walls"] = [250.0, 330.0, 300.0]
    page = results.results_page(_result(runs))
    assert ("N = 1,000 为 70.0 / 50.0 / 60.0 秒，N = 5,000 为 250.0 / 330.0 / 300.0 秒；按中位数算，"
            "增长为 5.00×；同一轮内两者之比依次为 3.57× / 6.60× / 5.00×。") in page
    runs[1000]["full"]["returncodes"] = [0, 1, 0]  # a failed build's time is left out
    page = results.results_page(_result(runs))
    assert "N = 1,000 为 70.0 / 60.0 秒" in page and "增长为 4.62×" in page
    assert "之比依次为 3.57× / 5.00×。" in page  # rounds stay paired


def test_performance_page_is_the_one_its_json_gives():
    """docs/performance.md is generated (scripts/bench.py --page), never edited by hand."""
    page = ROOT / "docs" / "performance.md"
    result = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    assert page.read_text(encoding="utf-8") == results.results_page(result)
    assert {"1000", "5000"} <= set(result["runs"])


def test_writing_the_page_keeps_the_other_benches_sections(tmp_path):
    page = tmp_path / "performance.md"
    intake = json.loads((ROOT / "docs" / "performance.json").read_text("utf-8"))["intake"]
    page.with_suffix(".json").write_text(json.dumps(
        {"runs": {"7": {}}, "command": "old", "intake": intake, "another_bench": {"any": 1}}), "utf-8")
    bench.write_page(_result(_runs()), page)
    written = json.loads(page.with_suffix(".json").read_text("utf-8"))
    assert written["intake"] == intake
    assert written["another_bench"] == {"any": 1}
    assert set(written["runs"]) == {"1000", "5000"} and written["command"].endswith("1000 5000")
    assert "## Word 报告导入（intake）" in page.read_text("utf-8")


def test_floor_and_serve_sizes_are_chosen_by_flag(tmp_path, monkeypatch):
    args = bench.parse(["--units", "1000", "10000", "--floor-up-to", "5000",
                        "--serve-at", "1000", "10000"])
    assert args.serve_at == [1000, 10000]
    monkeypatch.setattr(bench.synth, "generate", lambda folder, n, seed: synth.SynthResult(
        folder, [folder / "r.yml"], ["c/u"], 4000))
    monkeypatch.setattr(bench.builds, "validate_run", lambda *_a: [_run(1.0)])
    monkeypatch.setattr(bench.floor, "write_floor_project", lambda _d, f: f / "mkdocs.yml")
    assert bench.prepare(1000, args, tmp_path).floor_config is not None
    assert bench.prepare(10000, args, tmp_path).floor_config is None


def test_floor_nav_lists_the_campaign_pages():
    config = (Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text("utf-8")
    nav = floor.floor_nav(config, ["reports/a/index.md", "reports/b/index.md"])
    flat = json.dumps(nav, ensure_ascii=False)
    assert flat.index("reports/index.md") < flat.index("reports/a/index.md") \
        < flat.index("reports/b/index.md")


# ---------------------------------------------------------------------------------------
# Serve caches
# ---------------------------------------------------------------------------------------


def _compare(a, b):
    assert [str(d.path) for d in a[0].reports] == [str(d.path) for d in b[0].reports]
    assert [d.data for d in a[0].reports] == [d.data for d in b[0].reports]
    assert a[1] == b[1]


def test_load_cache_merges_changed_reports_like_a_full_run(tmp_path):
    made = synth.generate(tmp_path / "data", 12, seed=5)
    cache = incremental.LoadCache()
    cache.load(made.data_dir, load_and_validate)
    assert cache.last_mode == "full"
    cache.load(made.data_dir, load_and_validate)
    assert cache.last_mode == "cached"

    synth.touch_report(made.reports[3], "改过的开头")
    merged = cache.load(made.data_dir, load_and_validate)
    assert cache.last_mode == "partial:1"
    _compare(merged, load_and_validate(made.data_dir))
    assert "改过的开头" in merged[0].reports[[str(d.path) for d in merged[0].reports]
                                           .index(str(made.reports[3]))].data["opening"]


@pytest.mark.parametrize("bad", [
    "unit: not-in-roster\n",  # an error in the changed report
    "figures: {}\n",  # missing required figures
])
def test_load_cache_reports_new_problems_of_the_changed_file(tmp_path, bad):
    made = synth.generate(tmp_path / "data", 8, seed=5)
    cache = incremental.LoadCache()
    cache.load(made.data_dir, load_and_validate)
    path = made.reports[2]
    key = bad.split(":")[0]
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines = [bad if line.startswith(key + ":") else line for line in lines]
    if key == "figures":  # drop the indented figure lines that followed
        out, skip = [], False
        for line in lines:
            if line == bad:
                out.append(line)
                skip = True
            elif skip and line.startswith("  "):
                continue
            else:
                skip = False
                out.append(line)
        lines = out
    path.write_text("".join(lines), "utf-8")
    merged = cache.load(made.data_dir, load_and_validate)
    full = load_and_validate(made.data_dir)
    assert merged[1] and merged[1] == full[1]
    assert cache.last_mode == "partial:1"


def test_load_cache_runs_fully_when_shared_files_or_the_file_set_change(tmp_path):
    made = synth.generate(tmp_path / "data", 8, seed=5)
    cache = incremental.LoadCache()
    cache.load(made.data_dir, load_and_validate)
    groups = made.data_dir / "groups.yml"
    groups.write_text(groups.read_text("utf-8").replace("第一指导组", "第一督导组"), "utf-8")
    _compare(cache.load(made.data_dir, load_and_validate), load_and_validate(made.data_dir))
    assert cache.last_mode == "full"
    made.reports[0].unlink()
    _compare(cache.load(made.data_dir, load_and_validate), load_and_validate(made.data_dir))
    assert cache.last_mode == "full"


def test_page_cache_unchanged_only_after_a_committed_build():
    cache = incremental.PageCache()
    assert cache.unchanged("/site", "a.md", "A") is False
    assert cache.unchanged("/site", "a.md", "A") is False  # not committed yet
    cache.commit("/site")
    assert cache.unchanged("/site", "a.md", "A") is True
    assert cache.unchanged("/site", "a.md", "A2") is False
    assert cache.unchanged("/other", "a.md", "A") is False  # per site directory
    cache.commit("/site")
    assert cache.unchanged("/site", "a.md", "A") is False  # A2 was built last


def test_dirty_warning_filter_drops_only_that_warning():
    import logging

    def record(msg: str) -> logging.LogRecord:
        return logging.LogRecord("mkdocs.commands.build", logging.WARNING, "", 0, msg, (), None)

    assert not incremental.drop_dirty_warning(record(
        "A 'dirty' build is being performed, this will likely lead to inaccurate navigation"))
    assert incremental.drop_dirty_warning(record("Doc file 'x.md' contains a link 'y'"))


def test_background_runs_the_latest_job_and_survives_errors():
    import threading

    runner = incremental.Background()
    gate, started = threading.Event(), threading.Event()
    done: list[str] = []

    def first():
        started.set()
        gate.wait(5)
        done.append("first")

    runner.submit(first)
    assert started.wait(5)
    runner.submit(lambda: done.append("superseded"))
    runner.submit(lambda: (_ for _ in ()).throw(RuntimeError("step failed")))
    runner.submit(lambda: done.append("latest"))
    gate.set()
    assert runner.wait(10)
    assert done == ["first", "latest"]
    runner.submit(lambda: done.append("again"))  # the worker restarts after going idle
    assert runner.wait(10)
    assert done[-1] == "again"


def test_report_pages_reused_only_when_nothing_they_show_changed(tmp_path, monkeypatch):
    from kb.site import build, pages

    made = synth.generate(tmp_path / "data", 12, seed=5)
    monkeypatch.setattr(incremental, "state", incremental.ServeState(serving=True))
    monkeypatch.setattr(incremental, "LOADS", incremental.LoadCache())
    monkeypatch.setattr(incremental, "RENDERED", incremental.RenderCache())
    settings = build.settings_from_extra({}, "")

    def generate() -> dict[str, str]:
        cache = incremental.cache_for_build()
        kb, _ = build.load(made.data_dir, cache=cache)
        return {p.src_uri: p.inline() for p in pages.generate_pages(kb, settings, cache)}

    before = generate()
    incremental.RENDERED.rotate()
    synth.touch_report(made.reports[4], "改过的开头")
    incremental.RENDERED.hits = 0
    after = generate()
    # report pages (copy detection may touch a few) and their parts of the print bundles
    assert incremental.RENDERED.hits >= 2 * len(made.reports) - 4
    edited = f"reports/{made.report_ids[4]}.md"
    assert "改过的开头" in after[edited] and "改过的开头" not in before[edited]
    monkeypatch.setattr(incremental, "state", incremental.ServeState(serving=False))
    assert after == generate()  # the same pages as without any cache


def _run(wall: float, rss: int = 1, rc: int = 0) -> processes.ProcessRun:
    return processes.ProcessRun(wall=wall, cpu=wall, peak_tree_rss=rss, max_process_rss=rss,
                            returncode=rc, started=0.0, ended=wall)


def _build(wall: float, rss: int, rc: int = 0, kind: str = "full", n: int = 1000) -> builds.BuildResult:
    return builds.BuildResult(kind, n, _run(wall, rss, rc))


def test_repeated_builds_keep_the_fastest_time_and_the_highest_memory():
    runs = [_build(90.0, 700), _build(60.0, 500), _build(50.0, 900, rc=1)]
    assert builds.best(runs).run.wall == 60.0  # a failed build never counts as fastest
    out = builds.summarize(runs)
    assert out["wall"] == 60.0 and out["walls"] == [90.0, 60.0, 50.0]
    assert out["peak_tree_rss"] == 900


def test_validate_counts_the_fastest_successful_run():
    runs = [_run(w, rc=rc) for w, rc in ((2.4, 0), (1.2, 1), (1.7, 0))]
    out = builds.validate_summary(runs)
    assert out["wall"] == 1.7 and out["walls"] == [2.4, 1.2, 1.7]
    assert out["returncode"] == 1  # a failing run is still reported


def test_each_timed_build_starts_without_the_previous_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "reports" / "a").mkdir(parents=True)
    (site / "reports" / "a" / "index.html").write_text("旧", "utf-8")
    seen = []

    def fake_measure(cmd, **_kwargs):
        seen.append(site.exists())
        return _run(1.0)

    monkeypatch.setattr(builds, "measure_process", fake_measure)
    builds.floor_build(tmp_path / "mkdocs.yml", site, 1, [], tmp_path)
    site.mkdir()
    builds.full_build(tmp_path / "data", site, 1, [], tmp_path)
    assert seen == [False, False]  # deleting the old site is not part of the timed build


def test_rounds_build_every_size_in_turn_and_save_as_they_go(tmp_path, monkeypatch):
    cli = bench
    order, saved, finished = [], [], []
    walls = iter([30.0, 10.0, 90.0, 50.0, 20.0, 8.0, 70.0, 40.0])  # floor, full per size and round

    class Made:
        data_dir = tmp_path
        report_ids: list = []

    def build(kind):
        def run_build(_source, _site, n, *_rest):
            order.append((kind, n))
            return _build(next(walls), 1, kind=kind, n=n)
        return run_build

    monkeypatch.setattr(cli, "prepare", lambda n, _args, work: cli.Size(
        n, work / f"n{n}", Made(), {"n": n}, tmp_path / "mkdocs.yml"))
    monkeypatch.setattr(cli.builds, "floor_build", build("floor"))
    monkeypatch.setattr(cli.builds, "full_build", build("full"))
    monkeypatch.setattr(cli, "finish", lambda size, _args: finished.append(size.n))
    args = cli.parse(["--units", "1000", "5000", "--repeat", "2"])
    cli.measure(args, tmp_path, lambda runs: saved.append(
        {n: (r.get("full") or {}).get("walls") for n, r in runs.items()}))
    assert order == [("floor", 1000), ("full", 1000), ("floor", 5000), ("full", 5000),
                     ("floor", 5000), ("full", 5000), ("floor", 1000), ("full", 1000)]
    assert saved[0] == {1000: [10.0], 5000: None}  # saved after the first size's first round
    assert saved[-1] == {1000: [10.0, 40.0], 5000: [50.0, 8.0]}
    # Search and serve right after each size's last build (the last round runs large to small).
    assert len(saved) == 4 + 2 and finished == [5000, 1000]
    assert saved[3] == {1000: [10.0], 5000: [50.0, 8.0]}


@pytest.mark.parametrize("last_rc, measured", [(0, True), (1, False)])
def test_search_is_measured_on_the_last_build_only_when_it_succeeded(tmp_path, monkeypatch,
                                                                     last_rc, measured):
    cli = bench
    seen = []
    monkeypatch.setattr(cli.benchweb, "search_payload", lambda site, query: seen.append(site) or {})
    size = cli.Size(100, tmp_path / "n100", None, {"n": 100}, None)
    size.fulls = [_build(5.0, 1), _build(9.0, 1, rc=last_rc)]  # the earlier one succeeded
    cli.finish(size, cli.parse(["--units", "100", "--serve-at", "0"]))
    assert seen == ([tmp_path / "n100" / "site"] if measured else [])


def test_page_says_which_sizes_had_no_floor_and_what_growth_means():
    page = results.results_page(_result(_scale_runs()))
    assert "| 增长 5,000 → 10,000（线性 2×） |" in page
    assert "低于它说明增长慢于线性" in page
    assert "N = 5,000 / 10,000 没有构建地板" in page  # neither has a floor in these runs
    assert "| 构建时间 N=10000 / N=5000 | ≤ 2.2× | 2.00× | 达到 |" in page


def test_page_says_which_sizes_were_not_built_or_failed():
    runs = _scale_runs()
    runs[10000] = {"validate": {"wall": 9.0}}  # the run stopped before its build
    page = results.results_page(_result(runs))
    assert "N = 10,000 的完整构建在这次运行中没有完成" in page
    runs[10000] = {"full": {"wall": 900.0, "walls": [900.0], "returncode": 1}}
    page = results.results_page(_result(runs))
    assert "N = 10,000 的完整构建失败" in page and "没有完成" not in page
