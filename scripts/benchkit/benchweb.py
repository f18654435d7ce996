"""Browser measurements of the scale benchmark (headless Chromium through Playwright).

* :func:`search_payload` measures one query on a cold page of the built site with the
  search feature's own measurement (:mod:`benchkit.search_bench`): bytes fetched for it and
  the time from input to the first result;
* :func:`serve_edit_latency` starts what ``make serve`` runs (``mkdocs serve --dirty``, with
  the timing hook) on a loopback port over a data folder, opens one report page, edits
  that report's data file and measures how long it takes until the new text is on the
  page (MkDocs' live reload).

Both return plain dicts (JSON-able) and raise :class:`BrowserUnavailable` when Chromium
or Playwright is missing.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchkit import configs, synth, timings
from benchkit.chromium import CHROMIUM, CHROMIUM_ARGS
from benchkit.paths import BIN, REPO


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is not installed."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def browser():
    if not Path(CHROMIUM).is_file():
        raise BrowserUnavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:  # pragma: no cover - playwright is pinned
        raise BrowserUnavailable(str(err)) from None
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def search_payload(site_dir: Path, query: str) -> dict[str, Any]:
    """One query on a cold page of the built site, measured the way the search feature
    measures itself (:func:`benchkit.search_bench.measure_query`): bytes fetched for the search
    (Pagefind index, WebAssembly, fragments) and the time from input to the first result."""
    if not Path(CHROMIUM).is_file():
        raise BrowserUnavailable(f"{CHROMIUM} not found")
    from benchkit import search_bench

    out = search_bench.measure_query(site_dir, query, search_bench.KB, chromium=CHROMIUM)
    return {
        "query": query,
        "bytes": out["search_bytes"],
        "bytes_before_first_result": out["search_bytes_first"],
        "requests": out["search_requests"],
        "page_load_bytes": out["all_bytes"] - out["search_bytes"],
        "first_result_seconds": out["first_result_seconds"],
        "results_shown": out["results_shown"],
        "other_hosts": out["other_hosts"],
    }


# ---------------------------------------------------------------------------------------
# make serve
# ---------------------------------------------------------------------------------------


def _wait_http(url: str, timeout_s: float, proc: subprocess.Popen) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not up after {timeout_s:.0f} s")


def _tree_cpu(pid: int) -> float:
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _wait_idle(pid: int, quiet_s: float = 2.0, timeout_s: float = 900.0) -> float:
    """Wait until the server (with its background post-build work) stays idle for
    ``quiet_s`` — under 10 % of one CPU; returns the seconds waited."""
    start = time.time()
    cpu, since = _tree_cpu(pid), time.time()
    while time.time() - start < timeout_s:
        time.sleep(0.5)
        now = _tree_cpu(pid)
        if now - cpu > 0.05:
            since = time.time()
        cpu = now
        if time.time() - since >= quiet_s:
            break
    return time.time() - start


def _page_has(page: Any, marker: str) -> bool:
    try:
        return bool(page.evaluate(
            "m => !!document.body && document.body.innerText.includes(m)", marker))
    except Exception:  # noqa: BLE001 - the page is reloading
        return False


def serve_edit_latency(data_dir: Path, report_file: Path, url_path: str, work: Path, *,
                       edits: int = 3, startup_timeout_s: float = 1200.0,
                       edit_timeout_s: float = 120.0) -> dict[str, Any]:
    """Seconds from saving an edited report to the new text showing in the browser."""
    port = free_port()
    timings_file = work / "timings-serve.json"
    timings_file.unlink(missing_ok=True)
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), timings.ENV: str(timings_file),
           "NO_MKDOCS_2_WARNING": "1"}
    log = open(work / "serve.log", "wb")  # noqa: SIM115 - closed in finally
    # What `make serve` runs, with the timing hook added to the project's config.
    cmd = [str(BIN / "mkdocs"), "serve", "--dirty", "-a", f"127.0.0.1:{port}",
           "-f", str(configs.timed(work))]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=log,
                            start_new_session=True)
    original = report_file.read_text("utf-8")
    results: list[dict[str, Any]] = []
    try:
        base = f"http://127.0.0.1:{port}"
        startup = _wait_http(base + "/", startup_timeout_s, proc)
        with browser() as b:
            page = b.new_page()
            page.goto(base + "/" + url_path, wait_until="load")
            rng = random.Random(8)
            for i in range(edits):
                _wait_idle(proc.pid)  # no rebuild or background indexing still running
                marker = f"基准测试修改标记{i}{rng.randint(100000, 999999)}"
                edited = synth.mark_opening(original, marker)
                saved = time.time()
                report_file.write_text(edited, "utf-8")
                seen = None
                while time.time() - saved < edit_timeout_s:
                    if _page_has(page, marker):
                        seen = time.time() - saved
                        break
                    time.sleep(0.05)
                results.append({"marker": marker, "seconds": seen,
                                "rebuild": _last_rebuild(timings_file)})
    finally:
        report_file.write_text(original, "utf-8")
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    seconds = [r["seconds"] for r in results if r["seconds"] is not None]
    return {
        "startup_seconds": startup,
        "edits": results,
        "worst": max(seconds) if len(seconds) == len(results) and seconds else None,
        "median": statistics.median(seconds) if seconds else None,
    }


def _last_rebuild(path: Path) -> dict[str, float]:
    """Durations (s) of the spans of the latest build recorded under serve."""
    try:
        builds = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not builds:
        return {}
    spans = builds[-1]
    out = {s["name"]: round(s["end"] - s["start"], 3) for s in spans}
    if spans:
        out["total_hooks_span"] = round(spans[-1]["end"] - spans[0]["start"], 3)
    return out
