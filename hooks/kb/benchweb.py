"""Browser measurements of the scale benchmark (headless Chromium through Playwright).

* :func:`search_payload` serves a built site on a loopback port, opens the home page in
  a fresh (cold) browser context, types one query into the header search box as a person
  types, and reports the bytes the browser fetched for it and the time from the last
  keystroke to the first result;
* :func:`serve_edit_latency` starts ``make serve`` on a loopback port over a data folder,
  opens one report page, edits that report's data file and measures how long it takes
  until the new text is on the page (MkDocs' live reload).

Both return plain dicts (JSON-able) and raise :class:`BrowserUnavailable` when Chromium
or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kb import timings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SEARCH_TOGGLE = 'label.md-header__button[for="__search"]'
SEARCH_INPUT = "[data-kb-search-input]"
SEARCH_RESULT = "[data-kb-search-results] > li"
REPO = Path(__file__).resolve().parent.parent.parent


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is not installed."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def static_server(root: Path):
    """Serve ``root`` on a loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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


def _body_size(request: Any) -> int:
    try:
        return int(request.sizes().get("responseBodySize") or 0)
    except Exception:  # noqa: BLE001 - a failed request has no sizes
        return 0


def search_payload(site_dir: Path, query: str, *, type_delay_ms: int = 120,
                   timeout_s: float = 30.0) -> dict[str, Any]:
    """Bytes fetched for one query typed into the search box on a cold page.

    ``bytes`` counts every response under ``pagefind/`` (index, WebAssembly, fragments)
    plus anything else requested after the search box was opened.
    """
    with static_server(site_dir) as base, browser() as b:
        context = b.new_context()
        page = context.new_page()
        log: list[tuple[float, str, Any]] = []
        page.on("requestfinished", lambda req: log.append((time.time(), req.url, req)))
        page.goto(base + "/", wait_until="load")
        page_load = sum(_body_size(r) for _t, _u, r in log)
        opened = time.time()
        page.click(SEARCH_TOGGLE)
        box = page.locator(SEARCH_INPUT)
        box.press_sequentially(query, delay=type_delay_ms)
        typed = time.time()
        page.wait_for_selector(SEARCH_RESULT, timeout=timeout_s * 1000)
        first = time.time() - typed
        page.wait_for_load_state("networkidle")
        time.sleep(0.5)
        results = page.locator(SEARCH_RESULT).count()
        picked = [(u, r) for t, u, r in log if "/pagefind/" in u or t >= opened]
        context.close()
    return {
        "query": query,
        "bytes": sum(_body_size(r) for _u, r in picked),
        "requests": len(picked),
        "pagefind_requests": sum(1 for u, _r in picked if "/pagefind/" in u),
        "page_load_bytes": page_load,
        "first_result_seconds": first,
        "results_shown": results,
    }


# ---------------------------------------------------------------------------------------
# make serve
# ---------------------------------------------------------------------------------------


def _wait_http(url: str, timeout_s: float, proc: subprocess.Popen) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"make serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not up after {timeout_s:.0f} s")


def mark_opening(text: str, marker: str) -> str:
    """The report YAML with ``marker`` put at the start of its opening paragraph."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^opening:\s*[|>]", line) and i + 1 < len(lines):
            indent = re.match(r"^\s*", lines[i + 1]).group(0)
            lines[i + 1] = indent + marker + lines[i + 1][len(indent):]
            return "\n".join(lines)
        if line.startswith("opening: "):
            value = line[len("opening: "):]
            lines[i] = "opening: " + marker + value
            return "\n".join(lines)
    raise ValueError("no opening: field in the report")


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
    proc = subprocess.Popen(["make", "-s", "serve", f"ADDR=127.0.0.1:{port}"], cwd=REPO,
                            env=env, stdout=log, stderr=log, start_new_session=True)
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
                time.sleep(2.0)  # let the watcher settle
                marker = f"基准测试修改标记{i}{rng.randint(100000, 999999)}"
                edited = mark_opening(original, marker)
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
