"""Engine-independent build steps: load + validate the data, make the site settings.

``hooks/site.py`` calls these from MkDocs events; a later move to another engine
(ProperDocs, Zensical) calls the same functions.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import os
from pathlib import Path
from typing import Any

from kb import urls
from kb.data import confine, model
from kb.data.load import load_and_validate
from kb.data.problems import Problem, has_errors
from kb.markup.cache import BuildCache
from kb.markup.render import TEMPLATES_DIR, SiteSettings
from kb.site import memory

BUILD_MARKER = urls.BUILD_MARKER  # written last: a site without it is incomplete (publish refuses it)
DATA_DIR_ENV = "KB_DATA_DIR"
ONLY_ENV = "KB_ONLY"  # comma-separated report files: build a preview with just these


class DataError(Exception):
    """The data has errors: the build must stop. Carries the problem records."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.is_error for p in problems)} data error(s)")
        self.problems = problems



def build_date(environ: dict[str, str] | None = None) -> str:
    """The build date (YYYY-MM-DD, UTC): from SOURCE_DATE_EPOCH when set, for reproducible builds."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch
        else dt.datetime.now(dt.UTC)
    )
    return moment.date().isoformat()


def resolve_data_dir(config_dir: Path, extra: dict[str, Any]) -> Path:
    """``KB_DATA_DIR`` if set, else ``extra.kb.data_dir`` relative to mkdocs.yml."""
    configured = os.environ.get(DATA_DIR_ENV) or (extra.get("kb") or {}).get("data_dir", "data")
    path = Path(configured)
    # Lexical, not resolve(): a data/ that is a symlink must stay visible to kb.data.confine.
    return Path(os.path.normpath(path if path.is_absolute() else config_dir / path))


def check_sources(config_dir: Path, docs_dir: Path, site_dir: Path | None = None) -> None:
    """Raise :class:`DataError` for any symlink or special file in ``docs/``, the templates
    or the site folder (when it lies in the repository).

    MkDocs would follow a link in ``docs/`` and copy its target into the site (``/etc``
    included), and would empty and fill a ``site`` that links elsewhere; the data folder is
    checked by the validator itself.
    """
    problems = confine.scan(docs_dir, config_dir) + confine.scan(TEMPLATES_DIR, config_dir)
    if site_dir is not None and _inside(site_dir, config_dir):  # not the server's temporary
        problems += confine.scan(site_dir, config_dir)  # site: 75,000 files at 10,000 reports
    if problems:
        raise DataError(problems)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder)))


def only_reports(environ: dict[str, str] | None = None) -> list[Path] | None:
    env = os.environ if environ is None else environ
    raw = env.get(ONLY_ENV, "").strip()
    return [Path(p).resolve() for p in raw.split(",") if p.strip()] if raw else None


def settings_from_extra(extra: dict[str, Any], repo_url: str = "") -> SiteSettings:
    kb_extra = extra.get("kb") or {}
    return SiteSettings(
        build_date=build_date(),
        repo_url=kb_extra.get("repo_url") or repo_url or "",
        branch=kb_extra.get("branch", "main"),
        forge=kb_extra.get("forge", "gitlab"),
    )


def load(data_dir: Path, only: list[Path] | None = None,
         cache: BuildCache | None = None) -> tuple[model.KnowledgeBase, list[Problem]]:
    """Load and validate; raise :class:`DataError` when any error was found. The serve
    cache re-checks only the reports that changed since its last build.

    Reports are kept slim (the model needs their data only: 10,000 checked reports would
    hold about 0.9 GB of marks and source lines), and a build checks them in forked worker
    processes (not while serving: the server's threads run then)."""
    serving = cache is not None and cache.serving
    validate = functools.partial(load_and_validate, slim=True, jobs=1 if serving else os.cpu_count() or 1)
    if only is None and cache is not None:
        raw, problems = cache.validated(data_dir, validate)
    else:
        raw, problems = validate(data_dir, only=only)
    if has_errors(problems):
        raise DataError(problems)
    gc.disable()  # ~200,000 small objects, no cycles: under serve, with its caches, the
    try:  # collector's full passes took up to twice the time of the build itself at 1,000 reports
        kb = model.build(raw, notices=problems)
    finally:
        gc.enable()
    if cache is not None and not cache.rebuilding:  # a build (not a serve rebuild): the model
        memory.settle()  # lives to the end, later collections need not walk it (kb.site.memory)
    return kb, problems


def clear_marker(site_dir: Path) -> None:
    """Forget that ``site_dir`` was complete: called before a build writes into it."""
    (site_dir / BUILD_MARKER).unlink(missing_ok=True)


def write_marker(site_dir: Path, kb: model.KnowledgeBase, settings: SiteSettings) -> None:
    """Mark ``site_dir`` as a complete build (the last thing a successful build writes)."""
    record = {"build_date": settings.build_date, "reports": len(kb.reports),
              "campaigns": sorted(kb.campaigns)}
    (site_dir / BUILD_MARKER).write_text(json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")
