"""Per-phase build timings: the spans a timed build records, and the phases made of them.

Recording happens only in a timed build: the bench builds with the config of
:func:`benchkit.configs.timed`, whose second hook (:mod:`benchkit.timing_hook`) calls
:func:`instrument_site`. That wraps, from outside, the MkDocs event handlers of
``hooks/site.py`` and the functions of the project's registries (post-build steps, page
producers, report extras), and writes after each build to the file named by
``KB_TIMINGS`` a JSON list of builds, each a list of spans
``{"name": "on_config", "start": <epoch s>, "end": <epoch s>, "maxrss": <bytes>, "rss": <bytes>}``
(``maxrss``: the peak resident set of the build process so far). Under ``mkdocs serve``
every rebuild appends one build. ``mkdocs.yml`` never names the timing hook, so the
normal build pays nothing.

The phases the benchmark reports come from these spans (:func:`phases`): load + validate =
``on_config``; page generation = ``on_files``; MkDocs rendering = from the end of
``on_files`` to the start of ``on_post_build``; each post-build step as
``step:<module.function>`` (``step:kb.search.postbuild_step``); page producers and report
extras likewise as ``producer:…`` and ``extras:…`` (inside ``on_files``).
"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from benchkit.paths import HOOKS

ENV = "KB_TIMINGS"
SITE_HOOK = HOOKS / "site.py"
FIRST_EVENT = "on_config"
LAST_EVENT = "on_post_build"
PER_PAGE = ("on_page", "on_post_page")  # once per page: not wrapped (too many spans)
_builds: list[list[dict[str, Any]]] = []

# ---------------------------------------------------------------------------------------
# Recording (inside the timed build)
# ---------------------------------------------------------------------------------------


def target(environ: dict[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    raw = env.get(ENV, "").strip()
    return Path(raw) if raw else None


def _record(name: str, start: float, end: float) -> None:
    from kb.site import memory

    if name == FIRST_EVENT or not _builds:
        _builds.append([])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # bytes, so far
    _builds[-1].append({"name": name, "start": start, "end": end, "maxrss": peak,
                        "rss": memory.resident_bytes()})


def timed(name: str, func: Callable, on_done: Callable[[], None] | None = None) -> Callable:
    """``func`` wrapped so that each call records a span called ``name``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.time()
        try:
            return func(*args, **kwargs)
        finally:
            _record(name, start, time.time())
            if on_done is not None:
                on_done()

    wrapper.__kb_timed__ = True  # type: ignore[attr-defined]
    return wrapper


def step_name(step: Callable) -> str:
    return f"{getattr(step, '__module__', '?')}.{getattr(step, '__qualname__', repr(step))}"


def write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_builds, ensure_ascii=False, indent=1), encoding="utf-8")


def instrument(namespace: dict[str, Any], environ: dict[str, str] | None = None,
               **registries: list[Callable]) -> bool:
    """Wrap the ``on_*`` handlers in ``namespace``, and in place the functions of each
    registry (``step=postbuild.STEPS`` …) as spans named ``"<kind>:<module.function>"``.

    Returns whether anything was wrapped (only when ``KB_TIMINGS`` is set).
    """
    path = target(environ)
    if path is None:
        return False
    for name, func in list(namespace.items()):
        if (name.startswith("on_") and not name.startswith(PER_PAGE) and callable(func)
                and not getattr(func, "__kb_timed__", False)):
            done = functools.partial(write, path) if name == LAST_EVENT else None
            namespace[name] = timed(name, func, done)
    for kind, functions in registries.items():
        for i, func in enumerate(functions):
            if not getattr(func, "__kb_timed__", False):
                functions[i] = timed(f"{kind}:{step_name(func)}", func)
    return True


def registries() -> dict[str, list[Callable]]:
    """The project's lists of functions whose calls are timed, by span prefix."""
    from kb.site import pages, postbuild

    return {"step": postbuild.STEPS, "producer": pages.PRODUCERS, "extras": pages.REPORT_EXTRAS}


def site_hook() -> ModuleType:
    """The module MkDocs loaded from ``hooks/site.py`` (hooks load before they register)."""
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and Path(path).resolve() == SITE_HOOK:
            return module
    raise RuntimeError(f"计时钩子找不到已加载的 {SITE_HOOK.name}：它必须在配置的 hooks 中列在项目的钩子之后")


def instrument_site(environ: dict[str, str] | None = None) -> bool:
    """Time the events of the loaded ``hooks/site.py`` and the project's registries."""
    return instrument(vars(site_hook()), environ, **registries())


# ---------------------------------------------------------------------------------------
# Reading (in the bench)
# ---------------------------------------------------------------------------------------

SEARCH_STEP = "search"  # post-build steps whose qualified name contains this are search indexing

PHASES = ["load", "generate", "render", "search", "postbuild_other", "rest"]
PHASE_ZH = {
    "load": "加载+校验", "generate": "生成页面", "render": "MkDocs 渲染",
    "search": "搜索索引（Word 文件同时生成）", "postbuild_other": "其他后处理（搜索之外）", "rest": "其余",
}


def phases(spans: list[dict[str, Any]], wall: float) -> dict[str, float]:
    """Split a build's wall time by its spans (one build).

    ``render`` is MkDocs' own work between our page generation and the post-build
    steps (nav, Markdown → HTML, theme templates, writing files). The post-build steps
    run side by side: ``search`` is the search step's wall time (the Word files are
    written meanwhile), ``postbuild_other`` what the post-build took beyond it; ``rest`` is what no
    span covers (interpreter start, imports, config, copying theme assets) and is the
    wall time minus the other phases, so the phases add up to the wall time.
    """
    last = {s["name"]: s for s in spans}

    def length(name: str) -> float:
        s = last.get(name)
        return max(0.0, s["end"] - s["start"]) if s else 0.0

    out = {name: 0.0 for name in PHASES}
    out["load"] = length("on_config")
    out["generate"] = length("on_files")
    if "on_files" in last and "on_post_build" in last:
        out["render"] = max(0.0, last["on_post_build"]["start"] - last["on_files"]["end"])
    steps = {n: length(n) for n in last if n.startswith("step:")}
    out["search"] = sum(v for n, v in steps.items() if SEARCH_STEP in n)
    post_total = length("on_post_build")
    out["postbuild_other"] = max(0.0, post_total - out["search"])
    out["rest"] = max(0.0, wall - sum(out[n] for n in PHASES if n != "rest"))
    return out


def span_summary(spans: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Seconds and peak memory of the build process (so far) at the end of each span."""
    return {s["name"]: {"seconds": round(s["end"] - s["start"], 3),
                        "maxrss": s.get("maxrss", 0)} for s in spans}


def read_spans(path: Path) -> list[dict[str, Any]]:
    """Spans of the last build recorded in a ``KB_TIMINGS`` file (empty if none)."""
    if not path.exists():
        return []
    builds = json.loads(path.read_text("utf-8"))
    return builds[-1] if builds else []
