"""Per-phase build timings: the spans a timed build records, and the phases made of them.

A timed build writes a JSON list of builds, each a list of spans
``{"name": "on_config", "start": <epoch s>, "end": <epoch s>, "maxrss": <bytes>}``.
The phases the benchmark reports come from these spans: load + validate = ``on_config``;
page generation = ``on_files``; MkDocs rendering = from the end of ``on_files`` to the
start of ``on_post_build``; each post-build step as ``step:<module.function>``; page
producers and report extras likewise as ``producer:…`` and ``extras:…``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SEARCH_STEP = "search"  # post-build steps whose qualified name contains this are search indexing

PHASES = ["load", "generate", "render", "search", "postbuild_other", "rest"]
PHASE_ZH = {
    "load": "加载+校验", "generate": "生成页面", "render": "MkDocs 渲染",
    "search": "搜索索引（Word 文件同时生成）", "postbuild_other": "其他后处理（搜索之外）", "rest": "其余",
}


def phases(spans: list[dict[str, Any]], wall: float) -> dict[str, float]:
    """Split a build's wall time by the spans of :mod:`kb.site.timings` (one build).

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
