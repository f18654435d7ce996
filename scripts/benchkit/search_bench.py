"""Measure the search issue's three targets against Material's built-in search.

Used by ``scripts/search_bench.py``. Everything heavy runs in child processes of the
venv's Python (``python -m benchkit.search_bench build|index …``, see the bottom of this
module), so this module imports neither MkDocs nor Playwright at import time:

* :func:`build_site` builds the site from a data folder with every post-build step
  switched off (:func:`render_only`: the time MkDocs takes to load, generate and render
  the pages), either as the project builds it or with Material's built-in search plugin
  (lunr, and jieba when it is importable) instead of ours (:func:`material_config`);
* :func:`time_index` runs :func:`kb.search.index_site` on a built site (:func:`index_stats`);
* :func:`measure_query` serves a built site on loopback, opens its home page in a cold
  headless Chromium, enters one query into the header search box right after the page
  loaded (one input event, as a paste or an IME commit gives), and returns the time from the first keystroke to the first result shown
  (measured inside the page), the search bytes fetched until then and once the first
  page of results is complete (network idle), and any request to another host.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchkit import configs, timings
from benchkit.chromium import CHROMIUM, CHROMIUM_ARGS
from benchkit.paths import HOOKS, MKDOCS_YML, REPO, SCRIPTS


@dataclass
class Variant:
    """How to find results and tell search traffic apart in one kind of site."""

    name: str
    open_search: str
    first_result: str
    search_urls: tuple[str, ...]


KB = Variant("kb", "input.md-search__input",
             "[data-kb-search-results] > li", ("/pagefind/", "/assets/search."))
MATERIAL = Variant("material", "input.md-search__input",
                   ".md-search-result__item", ("search_index.json", "/workers/search", "/lunr/"))


def material_config(work: Path) -> Path:
    """A config that inherits mkdocs.yml but uses Material's search and header instead of ours."""
    base = configs.read()
    empty = work / "material-theme"
    empty.mkdir(parents=True, exist_ok=True)
    return configs.derived(
        work / "mkdocs-material-search.yml",
        theme={"custom_dir": str(empty)},
        plugins=[{"search": {"lang": "zh"}}],
        extra_javascript=[j for j in base.get("extra_javascript", []) if "search" not in j],
        extra_css=[c for c in base.get("extra_css", []) if "search" not in c],
        strict=False,
    )


def _env(data: Path, extra_path: str = "") -> dict[str, str]:
    env = {**os.environ, "KB_DATA_DIR": str(data), "SOURCE_DATE_EPOCH": "1767225600",
           "NO_MKDOCS_2_WARNING": "1"}
    paths = [str(HOOKS), str(SCRIPTS), extra_path, env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    return env


def _child(*args: str, data: Path, extra_path: str = "", what: str) -> str:
    """The last line a ``python -m benchkit.search_bench`` child printed."""
    result = subprocess.run([sys.executable, "-m", "benchkit.search_bench", *args], cwd=REPO,
                            env=_env(data, extra_path), capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def build_site(data: Path, site: Path, config: Path | None = None,
               extra_path: str = "") -> float:
    """Build without post-build steps (in a child process); the build's wall time in seconds."""
    return float(_child("build", str(config or MKDOCS_YML), str(site), data=data,
                        extra_path=extra_path, what="build"))


def time_index(data: Path, site: Path) -> dict[str, Any]:
    """Run the search post-build step on a built site (in a child process); its stats
    (``seconds`` included)."""
    return json.loads(_child("index", str(data), str(site), data=data, what="indexing"))


def render_only(config: Path, site: Path) -> float:
    """Build ``config`` into ``site`` with no post-build step: only MkDocs' own work (load,
    generate, render) is timed. Run in a child process: it empties the project's list."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    timings.registries()["step"].clear()
    start = time.perf_counter()
    build(load_config(str(config), site_dir=str(site), strict=False))
    return time.perf_counter() - start


def index_stats(data: Path, site: Path) -> dict[str, Any]:
    """The search index of the built ``site`` written as the post-build step writes it."""
    from kb.search import index_site
    from kb.site import build

    kb, _problems = build.load(data)
    return asdict(index_site(site, kb))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port); yield ``http://127.0.0.1:P/``."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# In-page stopwatch: from the first input event in the search box to the first result
# element in the document (a MutationObserver), so no test-driver latency is counted.
_STOPWATCH = """selector => {
  window.__kbBench = {};
  document.addEventListener("input", () => {
    if (!__kbBench.input) __kbBench.input = performance.now();
  }, true);
  new MutationObserver(() => {
    if (!__kbBench.first && __kbBench.input && document.querySelector(selector)) {
      __kbBench.first = performance.now();
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""


def _sizes(request: Any) -> int:
    try:
        sizes = request.sizes()
        return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])
    except Exception:  # noqa: BLE001 - a failed request has no sizes
        return 0


def measure_query(site: Path, query: str, variant: Variant, *, timeout_s: float = 120,
                  chromium: str = CHROMIUM) -> dict[str, Any]:
    """Cold page, query entered in one go right after ``load``; time and bytes to first result."""
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            finished: list[tuple[float, Any]] = []
            page.on("requestfinished", lambda r: finished.append((time.perf_counter(), r)))
            page.goto(base, wait_until="load")
            page.evaluate(_STOPWATCH, variant.first_result)
            page.focus(variant.open_search)
            page.keyboard.insert_text(query)  # the whole query in one input event
            page.wait_for_function("() => window.__kbBench.first", timeout=timeout_s * 1000)
            first = page.evaluate("__kbBench.first - __kbBench.input") / 1000
            done = time.perf_counter()
            page.wait_for_load_state("networkidle")  # the rest of the first page of results
            page.wait_for_timeout(500)
            shown = page.locator(variant.first_result).count()

            def searching(r: Any) -> bool:
                return any(s in r.url for s in variant.search_urls)

            before = [r for t, r in finished if t <= done]
            result = {
                "query": query,
                "first_result_seconds": round(first, 3),
                "search_bytes_first": sum(_sizes(r) for r in before if searching(r)),
                "search_bytes": sum(_sizes(r) for _t, r in finished if searching(r)),
                "search_requests": sum(1 for _t, r in finished if searching(r)),
                "all_bytes": sum(_sizes(r) for _t, r in finished),
                "results_shown": shown,
                "other_hosts": [r.url for _t, r in finished if not r.url.startswith(base)],
            }
            context.close()
        finally:
            browser.close()
    return result


def main(argv: list[str]) -> int:
    """``build CONFIG SITE`` prints :func:`render_only`'s seconds, ``index DATA SITE``
    :func:`index_stats` as JSON (the children of :func:`build_site` and :func:`time_index`)."""
    if len(argv) == 3 and argv[0] == "build":
        print(render_only(Path(argv[1]), Path(argv[2])))
    elif len(argv) == 3 and argv[0] == "index":
        print(json.dumps(index_stats(Path(argv[1]), Path(argv[2]))))
    else:
        print("usage: python -m benchkit.search_bench build CONFIG SITE | index DATA SITE",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
