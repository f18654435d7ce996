"""kb.site.incremental: quick serve rebuilds show an edit at once; the complete build that
follows produces exactly the pages of a plain build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchkit import synth
from kb.official.bundle import bundle_src
from kb.site import build, incremental, pages


def touch_report(path: Path, marker: str) -> None:
    """Edit a synthetic report's opening and move its mtime on (as an editor would)."""
    text = path.read_text("utf-8").replace("opening: |-\n  ", f"opening: |-\n  {marker}", 1)
    assert marker in text
    path.write_text(text, "utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


@pytest.fixture
def serving(tmp_path, monkeypatch):
    """Synthetic data and a fresh serve state after the first build (trigger folder set)."""
    made = synth.generate(tmp_path / "data", 12, seed=5)
    trigger = tmp_path / "trigger"
    trigger.mkdir()
    monkeypatch.setattr(incremental, "state", incremental.ServeState(serving=True, dirty=True, builds=1))
    monkeypatch.setattr(incremental, "LOADS", incremental.LoadCache())
    monkeypatch.setattr(incremental, "RENDERED", incremental.RenderCache())
    monkeypatch.setattr(incremental, "PAGES", incremental.PageCache())
    monkeypatch.setattr(incremental, "QUICK", incremental.QuickRebuild(trigger_dir=str(trigger)))
    return made, trigger


def generate(data_dir: Path) -> dict[str, str]:
    """The pages of one build, with the cache the build would be handed (serve or not)."""
    cache = incremental.cache_for_build()
    kb, _ = build.load(data_dir, cache=cache)
    settings = build.settings_from_extra({}, "")
    return {p.src_uri: p.inline() for p in pages.generate_pages(kb, settings, cache)}


def _bundle_of(made, index: int) -> str:
    campaign, _unit = made.report_ids[index].split("/")
    kb, _ = build.load(made.data_dir)
    report = next(r for r in kb.reports if r.id == made.report_ids[index])
    assert report.campaign.id == campaign
    return bundle_src(campaign, report.group.id)


def test_quick_build_remakes_only_the_edited_report_then_the_complete_one_follows(serving, monkeypatch):
    made, trigger = serving
    first = generate(made.data_dir)  # complete: the base of quick builds
    edited = f"reports/{made.report_ids[4]}.md"
    bundle = _bundle_of(made, 4)

    touch_report(made.reports[4], "快速显示的修改")
    quick = generate(made.data_dir)
    assert incremental.QUICK.pending
    assert {k for k in first if quick[k] != first[k]} == {edited}
    assert "快速显示的修改" in quick[edited]
    assert "快速显示的修改" not in quick[bundle]  # aggregates wait for the complete build

    incremental.build_done(str(made.data_dir.parent / "site"))
    assert (trigger / "rebuild").read_text() == "1"  # the server is asked for the complete build

    complete = generate(made.data_dir)  # nothing changed on disk since: a complete build
    assert not incremental.QUICK.pending
    assert "快速显示的修改" in complete[bundle]
    monkeypatch.setattr(incremental, "state", incremental.ServeState(serving=False))
    assert complete == generate(made.data_dir)  # the same pages as a plain build


def test_edits_before_the_complete_build_are_all_kept(serving):
    made, _ = serving
    generate(made.data_dir)
    touch_report(made.reports[2], "第一处修改")
    generate(made.data_dir)
    touch_report(made.reports[7], "第二处修改")
    second = generate(made.data_dir)
    assert incremental.QUICK.pending
    assert "第一处修改" in second[f"reports/{made.report_ids[2]}.md"]
    assert "第二处修改" in second[f"reports/{made.report_ids[7]}.md"]


def test_a_change_beyond_reports_gets_a_complete_build(serving):
    made, _ = serving
    generate(made.data_dir)
    units = made.data_dir / "units.yml"
    units.write_text(units.read_text("utf-8") + "\n# 备注\n", "utf-8")
    generate(made.data_dir)
    assert not incremental.QUICK.pending


@pytest.mark.parametrize("state", [
    incremental.ServeState(serving=False, dirty=True, builds=1),
    incremental.ServeState(serving=True, dirty=False, builds=1),  # MkDocs renders all anyway
    incremental.ServeState(serving=True, dirty=True, builds=0),  # the first build is complete
])
def test_quick_builds_only_on_dirty_serve_rebuilds(serving, monkeypatch, state):
    made, _ = serving
    generate(made.data_dir)
    touch_report(made.reports[4], "修改")
    kb, _ = build.load(made.data_dir, cache=incremental.cache_for_build())  # only reports changed
    assert incremental.LOADS.last_mode == "partial:1"
    monkeypatch.setattr(incremental, "state", state)
    assert incremental.QUICK.quick_pages(kb.reports, lambda r, x: r) is None
    assert not incremental.QUICK.pending
