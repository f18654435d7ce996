"""Measure the search issue's three targets against Material's built-in search.

Used by ``scripts/search_bench.py``. Everything heavy runs in child processes of the
venv's Python, so this module imports neither MkDocs nor Playwright at import time:

* :func:`build_site` builds the site from a data folder with every post-build step
  switched off (the time MkDocs takes to load, generate and render the pages), either
  as the project builds it or with Material's built-in search plugin (lunr, and jieba
  when it is importable) instead of ours;
* :func:`time_index` runs :func:`kb.search.index_site` on a built site;
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
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOOKS = Path(__file__).resolve().parent.parent.parent / "hooks"
REPO = HOOKS.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

_BUILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {hooks!r})
    from kb.site import postbuild
    postbuild.STEPS.clear()  # only MkDocs' own work is timed
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    start = time.perf_counter()
    build(load_config({config!r}, site_dir={site!r}, strict=False))
    print(time.perf_counter() - start)
""")

_INDEX = textwrap.dedent("""
    import json, sys, time
    from dataclasses import asdict
    from pathlib import Path
    sys.path.insert(0, {hooks!r})
    from kb.site import build
    from kb.search import index_site
    kb, _ = build.load(Path({data!r}))
    stats = index_site(Path({site!r}), kb)
    print(json.dumps(asdict(stats)))
""")


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
    import yaml

    base = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    empty = work / "material-theme"
    empty.mkdir(parents=True, exist_ok=True)
    config = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "docs_dir": str(REPO / "docs"),
        "hooks": [str(REPO / h) for h in base.get("hooks", [])],
        "theme": {"custom_dir": str(empty)},
        "plugins": [{"search": {"lang": "zh"}}],
        "extra_javascript": [j for j in base.get("extra_javascript", []) if "search" not in j],
        "extra_css": [c for c in base.get("extra_css", []) if "search" not in c],
        "strict": False,
    }
    path = work / "mkdocs-material-search.yml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


class _Loader(__import__("yaml").SafeLoader):
    """Reads mkdocs.yml, ignoring its ``!!python/…`` tags (only lists are needed here)."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _env(data: Path, extra_path: str = "") -> dict[str, str]:
    env = {**os.environ, "KB_DATA_DIR": str(data), "SOURCE_DATE_EPOCH": "1767225600",
           "NO_MKDOCS_2_WARNING": "1"}
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [extra_path, env.get("PYTHONPATH")]))
    return env


def build_site(data: Path, site: Path, config: Path | None = None,
               extra_path: str = "") -> float:
    """Build without post-build steps; return the wall time of the build in seconds."""
    script = _BUILD.format(hooks=str(HOOKS), config=str(config or REPO / "mkdocs.yml"),
                           site=str(site))
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=_env(data, extra_path),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"build failed:\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def time_index(data: Path, site: Path) -> dict[str, Any]:
    """Run the search post-build step on a built site; its stats (``seconds`` included)."""
    script = _INDEX.format(hooks=str(HOOKS), data=str(data), site=str(site))
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=_env(data),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"indexing failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


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
