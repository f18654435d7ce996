"""The MkDocs configs the kit builds with, each derived from the project's ``mkdocs.yml``.

:func:`read` loads ``mkdocs.yml`` without constructing its ``!!python/…`` or ``!ENV``
objects (only plain values are wanted here). :func:`derived` writes a config that
INHERITs ``mkdocs.yml`` from anywhere: the paths the project gives relative to its config
(docs, theme overrides, hooks, data) are made absolute, then the overrides are applied.
The configs of the kit:

* :func:`timed` — the project as it is, plus the timing hook (:mod:`benchkit.timing_hook`);
* the floor (:mod:`benchkit.floor`) and Material's own search (:mod:`benchkit.search_bench`)
  pass their overrides to :func:`derived`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from benchkit.paths import MKDOCS_YML, REPO

TIMING_HOOK = Path(__file__).resolve().parent / "timing_hook.py"


class TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, leaving its ``!!python/…`` and ``!ENV`` values out (None)."""


TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
TolerantLoader.add_multi_constructor("!", lambda *_: None)


def load(text: str) -> dict[str, Any]:
    """An mkdocs.yml text as plain data (tagged values are None)."""
    return yaml.load(text, Loader=TolerantLoader) or {}  # noqa: S506 - a SafeLoader subclass


def read(path: Path = MKDOCS_YML) -> dict[str, Any]:
    return load(path.read_text(encoding="utf-8"))


def project_paths(base: dict[str, Any]) -> dict[str, Any]:
    """The settings of ``base`` that name paths relative to its folder, made absolute."""
    theme = base.get("theme") or {}
    kb_extra = (base.get("extra") or {}).get("kb") or {}
    out: dict[str, Any] = {"docs_dir": str(REPO / base.get("docs_dir", "docs")),
                           "hooks": [str(REPO / h) for h in base.get("hooks") or []]}
    if theme.get("custom_dir"):
        out["theme"] = {"custom_dir": str(REPO / theme["custom_dir"])}
    if kb_extra.get("data_dir"):
        out["extra"] = {"kb": {"data_dir": str(REPO / kb_extra["data_dir"])}}
    return out


def derived(path: Path, **overrides: Any) -> Path:
    """Write a config at ``path`` that inherits mkdocs.yml with ``overrides``; returns ``path``."""
    config = {"INHERIT": str(MKDOCS_YML), **project_paths(read()), **overrides}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def timed(work: Path) -> Path:
    """The project's config with the timing hook after the project's own hooks."""
    hooks = project_paths(read())["hooks"]
    return derived(work / "mkdocs-timed.yml", hooks=[*hooks, str(TIMING_HOOK)])
