"""Per-phase build timings for the benchmark, recorded only when ``KB_TIMINGS`` is set.

``KB_TIMINGS=/path/timings.json mkdocs build`` makes :func:`instrument` wrap the MkDocs
event handlers of ``hooks/site.py`` and every registered post-build step, and write
after each build a JSON list of builds, each a list of spans
``{"name": "on_config", "start": <epoch s>, "end": <epoch s>, "maxrss": <bytes>}`` (the
peak resident set of the build process so far). Under ``mkdocs serve``
every rebuild appends one build. Without the variable nothing is wrapped and nothing
is written, so the normal build pays nothing.

The phases the benchmark reports come from these spans (see :mod:`benchkit.bench`):
load + validate = ``on_config``; page generation = ``on_files``; MkDocs rendering =
from the end of ``on_files`` to the start of ``on_post_build``; each post-build step
as ``step:<module.function>`` (``step:kb.search.postbuild_step``); page producers and
report extras likewise as ``producer:…`` and ``extras:…`` (inside ``on_files``).
"""

from __future__ import annotations

import functools
import json
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.site import memory

ENV = "KB_TIMINGS"
FIRST_EVENT = "on_config"
LAST_EVENT = "on_post_build"
PER_PAGE = ("on_page", "on_post_page")  # once per page: not wrapped (too many spans)
_builds: list[list[dict[str, Any]]] = []


def target(environ: dict[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    raw = env.get(ENV, "").strip()
    return Path(raw) if raw else None


def _record(name: str, start: float, end: float) -> None:
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
