"""The Pagefind runner (kb.search.runner): the build writes the index, ``index_site`` rebuilds
it in place, ``mkdocs serve`` serves one; runs under ``mkdocs serve``: a newer build or a
timeout kills the run with its whole process group (no orphan), and a new index replaces
the old folder in one step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from nginx_server import free_port
from search_sites import copy_site

from conftest import DATA, ROOT
from kb import search
from kb.search import runner
from kb.search.records import site_records
from kb.search.runner import IndexSuperseded, Runs, SearchIndexError, index_site
from kb.site import build

PY = sys.executable


def group_command(pid_file: Path) -> list[str]:
    return ["sh", "-c", f"sleep 300 & echo $! > {pid_file}; wait"]


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs a second after a kill (SIGKILL takes effect asynchronously)."""
    pause = threading.Event()
    for _ in range(20):
        if not _running(pid):
            return False
        pause.wait(0.05)
    return True


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as stat:  # a zombie is as good as dead
            return stat.read().split()[2] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def grandchild(pid_file: Path, runs: Runs) -> int:
    """Wait (bounded by the event, not by time) until the run started and wrote its pid."""
    started = threading.Event()
    while not (runs._running and pid_file.exists() and pid_file.read_text().strip()):
        started.wait(0.05)
    return int(pid_file.read_text())


def test_supersede_kills_the_run_and_its_group(tmp_path: Path) -> None:
    runs = Runs()
    pid_file = tmp_path / "pid"
    outcome: list[BaseException] = []

    def job() -> None:
        try:
            runs.run(group_command(pid_file))
        except BaseException as err:  # noqa: BLE001 - handed to the test thread
            outcome.append(err)

    thread = threading.Thread(target=job)
    thread.start()
    pid = grandchild(pid_file, runs)
    runs.supersede()
    thread.join(30)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], IndexSuperseded)
    assert not alive(pid) and not runs._running


def test_run_started_before_a_supersede_does_not_start(tmp_path: Path) -> None:
    runs = Runs()
    generation = runs.generation
    runs.supersede()
    with pytest.raises(IndexSuperseded):
        runs.run(["true"], generation=generation)


def test_timeout_kills_the_run_and_its_group(tmp_path: Path) -> None:
    """The clock is fake: the deadline passes at the first check after the start."""
    ticks = iter([0.0] + [1e9] * 1000)
    pid_file = tmp_path / "pid"
    runs = Runs(clock=lambda: next(ticks))
    with pytest.raises(SearchIndexError) as caught:
        runs.run(["sh", "-c", f"sleep 300 & echo $! > {pid_file}; wait"], timeout=10)
    assert not isinstance(caught.value, IndexSuperseded)
    assert "超过 10 秒" in str(caught.value)
    assert not alive(int(pid_file.read_text())) and not runs._running


def test_stop_kills_every_running_run(tmp_path: Path) -> None:
    runs = Runs()
    pid_file = tmp_path / "pid"
    errors: list[BaseException] = []
    thread = threading.Thread(target=lambda: errors.append(runs.run(group_command(pid_file))))
    thread.start()
    pid = grandchild(pid_file, runs)
    runs.stop()
    thread.join(30)
    assert not alive(pid)
    assert errors and errors[0][0] != 0  # killed, so not a success


def test_finished_run_returns_code_and_output() -> None:
    assert Runs().run([PY, "-c", "print('好'); raise SystemExit(3)"]) == (3, "好\n")


@pytest.mark.parametrize("old", [True, False], ids=["replace", "first"])
def test_new_index_is_swapped_into_place(tmp_path: Path, old: bool) -> None:
    target = tmp_path / "pagefind"
    if old:
        target.mkdir()
        (target / "old.txt").write_text("old")
    new = tmp_path / ".kb-pagefind-1"
    new.mkdir()
    (new / "new.txt").write_text("new")
    runner._swap_into_place(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert (new / "old.txt").exists() == old


def test_supersede_during_index_site_keeps_the_old_index(tmp_path: Path, monkeypatch) -> None:
    """A superseded build leaves the served index as it was and no scratch folder."""
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "old.txt").write_text("old")
    (site / "index.html").write_text(
        '<html><body><article class="md-content__inner"><h1>首页</h1><p>整改落实</p>'
        "</article></body></html>", encoding="utf-8")

    def superseded(documents: Path, output: Path, generation: int | None = None) -> None:
        raise IndexSuperseded("superseded")

    monkeypatch.setattr(runner, "_run_pagefind", superseded)
    with pytest.raises(IndexSuperseded):
        runner.index_site(site)
    assert [p.name for p in (site / "pagefind").iterdir()] == ["old.txt"]
    assert not list(site.glob(".kb-pagefind-*"))
    search.postbuild_step(None, None, site)  # the post-build step takes it quietly


@pytest.mark.slow
def test_build_writes_the_index(built_site: Path) -> None:
    kb, _ = build.load(DATA)
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["und"]
    assert entry["languages"]["und"]["page_count"] == len(site_records(built_site, kb))
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"):
        assert (built_site / "pagefind" / name).is_file()


@pytest.mark.slow
def test_index_site_rebuilds_in_place(built_site: Path, tmp_path: Path) -> None:
    site = copy_site(built_site, tmp_path / "site")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "stale.pf_fragment").write_text("old")
    stats = index_site(site)
    assert stats.records == len(site_records(site)) and stats.files > 10 and stats.bytes > 0
    assert stats.shards == 1
    assert json.loads((site / "pagefind" / "kb-shards.json").read_text()) == {"shards": []}
    assert not (site / "pagefind" / "stale.pf_fragment").exists()


@pytest.mark.slow
def test_mkdocs_serve_builds_the_index() -> None:
    """``make serve`` runs the post-build step too: the dev server serves a search index."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json", timeout=5) as r:
                    entry = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "mkdocs serve did not serve pagefind/"
                time.sleep(1)
        assert entry["languages"]["und"]["page_count"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
