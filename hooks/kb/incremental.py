"""Fast rebuilds under ``mkdocs serve --dirty``: do again only what an edit changed.

Two caches live here, in the ``kb`` package, because MkDocs re-executes ``hooks/site.py``
on every rebuild while imported packages stay loaded:

* :class:`LoadCache` — load + validate. It remembers the stamp (mtime, size) of every
  file under the data folder. When only report files changed since the last run, just
  those are parsed and checked again (with the shared files, as the validator always
  does) and merged into the previous result; any other change (a campaign, the units,
  a schema, a file added or removed) validates everything again. Report checks depend
  only on the report and the shared files, so the merged result equals a full run.
* :class:`PageCache` — the Markdown of every generated page by content hash, per site
  directory. A page whose Markdown is the same as in the last successful build of that
  directory (and whose HTML is still there) is "unchanged", and MkDocs' ``--dirty``
  build skips rendering it. Pages in the nav are always rendered again (their titles
  feed the nav of the pages that are rendered).

A third saving: on a serve *re*build the post-build steps (search index, Word files)
run on a :class:`Background` worker after the pages are written, so the browser reloads
as soon as the edited page is there; the index follows a few seconds later. The first
build of ``mkdocs serve`` and every ``mkdocs build`` run them before returning.

All of this is used only while serving (:data:`state` ``.serving``, set from
``on_startup``); ``mkdocs build`` never consults it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.problems import Problem, sort_problems

DIRTY_WARNING = "A 'dirty' build is being performed"

Stamp = tuple[int, int]


@dataclass
class ServeState:
    serving: bool = False
    dirty: bool = False
    builds: int = 0  # builds finished in this process

    @property
    def rebuilding(self) -> bool:
        """Serving, and the first build is done: post-build steps may run in the background."""
        return self.serving and self.builds > 0


state = ServeState()
log = logging.getLogger("kb.incremental")  # not under "mkdocs": never fails a strict build


def start(command: str, dirty: bool) -> None:
    """Called from ``on_startup``: remember whether this process serves the site."""
    state.serving = command == "serve"
    state.dirty = bool(dirty)


def drop_dirty_warning(record: Any) -> bool:
    """Logging filter: MkDocs' generic ``--dirty`` warning would fail a strict serve.

    Our dirty builds keep the nav right (nav pages are always rendered), so the warning
    does not apply; every other warning still counts.
    """
    return DIRTY_WARNING not in str(getattr(record, "msg", ""))


# ---------------------------------------------------------------------------------------
# Load + validate
# ---------------------------------------------------------------------------------------


def stamps(data_dir: Path) -> dict[str, Stamp]:
    """(mtime_ns, size) of every file under ``data_dir``, by absolute path."""
    out: dict[str, Stamp] = {}
    for folder, dirs, names in os.walk(data_dir):
        dirs.sort()
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            out[path] = (st.st_mtime_ns, st.st_size)
    return out


def is_report_file(data_dir: Path, path: str) -> bool:
    rel = Path(path).relative_to(data_dir).parts
    return len(rel) == 3 and rel[0] == "reports" and rel[2].endswith(".yml")


def changed_reports(data_dir: Path, before: dict[str, Stamp],
                    now: dict[str, Stamp]) -> list[str] | None:
    """Report files that changed, or None when anything else changed (full run needed)."""
    if before.keys() != now.keys():
        return None
    changed = [p for p, s in now.items() if before[p] != s]
    if any(not is_report_file(data_dir, p) for p in changed):
        return None
    return sorted(changed)


@dataclass
class LoadCache:
    """The last validation of one data folder, reusable when only reports changed."""

    data_dir: Path | None = None
    stamps: dict[str, Stamp] = field(default_factory=dict)
    raw: Any = None
    problems: list[Problem] = field(default_factory=list)
    last_mode: str = ""  # "full" | "partial:<n>" | "cached", for tests and timings

    def load(self, data_dir: Path, validate: Any) -> tuple[Any, list[Problem]]:
        """``validate(data_dir, only)`` → (RawData, problems), reusing what did not change."""
        data_dir = Path(os.path.abspath(data_dir))
        now = stamps(data_dir)
        changed = (changed_reports(data_dir, self.stamps, now)
                   if self.data_dir == data_dir and self.raw is not None else None)
        if changed is None:
            raw, problems = validate(data_dir, None)
            self.last_mode = "full"
        elif not changed:
            raw, problems = self.raw, self.problems
            self.last_mode = "cached"
        else:
            raw, problems = self._merge(data_dir, changed, validate)
            self.last_mode = f"partial:{len(changed)}"
        self.data_dir, self.stamps, self.raw, self.problems = data_dir, now, raw, problems
        return raw, problems

    def _merge(self, data_dir: Path, changed: list[str],
               validate: Any) -> tuple[Any, list[Problem]]:
        part, part_problems = validate(data_dir, [Path(p) for p in changed])
        root = data_dir.parent
        changed_rels = {Path(os.path.relpath(p, root)).as_posix() for p in changed}
        reports_rel = Path(os.path.relpath(data_dir / "reports", root)).as_posix() + "/"
        # Old problems under reports/ except the changed files'; everything else comes
        # from the partial run, which re-read the shared files and the changed reports.
        kept = [p for p in self.problems
                if p.file.startswith(reports_rel) and p.file not in changed_rels]
        fresh = {str(doc.path): doc for doc in part.reports}
        reports = [doc for doc in self.raw.reports if str(doc.path) not in fresh]
        reports += fresh.values()
        reports.sort(key=lambda doc: str(doc.path))
        part.reports = reports
        return part, sort_problems(kept + part_problems)


LOADS = LoadCache()


# ---------------------------------------------------------------------------------------
# Generated pages
# ---------------------------------------------------------------------------------------


def digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class PageCache:
    """Content hashes of the generated pages last written into each site directory."""

    built: dict[str, dict[str, str]] = field(default_factory=dict)  # site_dir -> src -> hash
    pending: dict[str, dict[str, str]] = field(default_factory=dict)

    def unchanged(self, site_dir: str, src_uri: str, content: str | bytes) -> bool:
        """Whether the page has the same Markdown as in the last build of ``site_dir``."""
        h = digest(content)
        self.pending.setdefault(site_dir, {})[src_uri] = h
        return self.built.get(site_dir, {}).get(src_uri) == h

    def commit(self, site_dir: str) -> None:
        """The build of ``site_dir`` succeeded: its pending hashes are now on disk."""
        if site_dir in self.pending:
            self.built[site_dir] = self.pending.pop(site_dir)

    def forget(self, site_dir: str) -> None:
        self.built.pop(site_dir, None)
        self.pending.pop(site_dir, None)


PAGES = PageCache()


def build_done(site_dir: str) -> None:
    """A build of ``site_dir`` finished (called last in ``on_post_build``)."""
    PAGES.commit(site_dir)
    state.builds += 1


# ---------------------------------------------------------------------------------------
# Post-build steps in the background
# ---------------------------------------------------------------------------------------


class Background:
    """One worker thread that runs the latest submitted job; a job still waiting when a
    newer one arrives is dropped (the newer build supersedes it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None
        self.finished = 0

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._pending = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="kb-postbuild", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._thread = None
                    return
            try:
                job()
            except Exception:  # noqa: BLE001 - keep serving; the next build retries
                log.exception("后处理步骤失败（搜索索引、Word 文件等），下次重建时会再试")
            self.finished += 1

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no job is running or waiting; False on timeout."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True


BACKGROUND = Background()
