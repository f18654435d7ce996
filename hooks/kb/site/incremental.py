"""Fast rebuilds under ``mkdocs serve --dirty``: do again only what an edit changed.

These caches live here, in the ``kb`` package, because MkDocs re-executes ``hooks/site.py``
on every rebuild while imported packages stay loaded:

* :class:`LoadCache` — load + validate. It remembers the stamp (mtime, size) of every
  file under the data folder. When only report files changed since the last run, just
  those are parsed and checked again (with the shared files, as the validator always
  does) and merged into the previous result; any other change (a campaign, the units,
  a schema, a file added or removed) validates everything again. Report checks depend
  only on the report and the shared files, so the merged result equals a full run.
* :class:`RenderCache` — the Markdown of each report page (and its part of the print
  bundle), reused when the report file,
  every shared data file, the templates, the settings and the page's extras are the
  same as when it was rendered (report pages are the bulk of the Jinja work).
* :class:`PageCache` — the Markdown of every generated page by content hash, per site
  directory. A page whose Markdown is the same as in the last successful build of that
  directory, under the same nav (every page shows the nav), and whose HTML is still
  there is "unchanged", and MkDocs' ``--dirty`` build skips rendering it; an unchanged
  page that is in the nav still gets its title from its front matter, so the nav of
  the pages that are rendered stays right.
* :class:`QuickRebuild` — when only reports changed, a *quick* build regenerates just
  their pages and reuses every other page of the last complete build; the complete
  build (views, bundles, copy detection, search, Word files) follows at once, asked for
  through a folder the server watches.

A further saving: on a serve *re*build the post-build steps (search index, Word files)
run on a :class:`Background` worker after the pages are written, so the browser reloads
as soon as the edited page is there; the index follows a few seconds later. The first
build of ``mkdocs serve`` and every ``mkdocs build`` run them before returning.

All of this is used only while serving (:data:`state` ``.serving``, set from
``on_startup``); ``mkdocs build`` never consults it.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.data.model import Campaign, Report
from kb.data.problems import Problem, sort_problems
from kb.markup.cache import BuildCache
from kb.markup.render import TEMPLATES_DIR
from kb.site import memory

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
log = logging.getLogger("kb.site.incremental")  # not under "mkdocs": never fails a strict build


def start(command: str, dirty: bool) -> None:
    """Called from ``on_startup``: remember whether this process serves the site."""
    state.serving = command == "serve"
    state.dirty = bool(dirty)


def drop_dirty_warning(record: Any) -> bool:
    """Logging filter: MkDocs' generic ``--dirty`` warning would fail a strict serve.

    Our dirty builds keep the nav right (a nav change renders every generated page again,
    skipped nav pages keep their titles), so the warning does not apply; every other
    warning still counts.
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
    """``path`` (absolute, under ``data_dir``) is ``reports/<campaign>/<file>.yml``
    (string operations: every file of the data folder is asked on every serve rebuild)."""
    prefix = os.path.join(str(data_dir), "reports", "")
    if not path.startswith(prefix) or not path.endswith(".yml"):
        return False
    rest = path[len(prefix):].split(os.sep)
    return len(rest) == 2 and all(rest)


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
    changed: list[str] = field(default_factory=list)  # report files of the last partial run
    shared_key: str = ""  # digest of every non-report data file and every page template

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
        self.changed = changed or []
        self.shared_key = signature(
            sorted((p, st) for p, st in now.items() if not is_report_file(data_dir, p)),
            sorted(stamps(TEMPLATES_DIR).items()),
        )
        return raw, problems

    def changed_sources(self) -> set[str]:
        """``Report.source`` of each report file changed in the last partial run."""
        if self.data_dir is None:
            return set()
        root = self.data_dir.parent
        return {Path(os.path.relpath(p, root)).as_posix() for p in self.changed}

    def report_stamp(self, source: str) -> Stamp | None:
        """Stamp of a report file given as ``Report.source`` (relative to the data's parent)."""
        if self.data_dir is None:
            return None
        return self.stamps.get(os.path.join(self.data_dir.parent, source))

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


def signature(*parts: object) -> str:
    """A short digest of anything with a stable ``repr`` (the nav, for example)."""
    return digest(repr(parts))


def digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class PageCache:
    """Content hashes of the generated pages last written into each site directory."""

    built: dict[str, dict[str, str]] = field(default_factory=dict)  # site_dir -> src -> hash
    pending: dict[str, dict[str, str]] = field(default_factory=dict)

    def unchanged(self, site_dir: str, src_uri: str, content: str | bytes,
                  nav_key: str = "") -> bool:
        """Whether the page has the same Markdown (and nav) as in the last build of ``site_dir``."""
        return self.unchanged_digest(site_dir, src_uri, digest(content), nav_key)

    def unchanged_digest(self, site_dir: str, src_uri: str, content_digest: str,
                         nav_key: str = "") -> bool:
        """:meth:`unchanged` given the :func:`digest` of the Markdown."""
        h = content_digest + nav_key
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


# ---------------------------------------------------------------------------------------
# Rendered report pages
# ---------------------------------------------------------------------------------------


def fingerprint(value: Any) -> Any:
    """A hashable, comparable summary of page data: plain values as they are, dataclasses
    field by field, model objects read from a data file (a report) by file and stamp."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return tuple((fingerprint(k), fingerprint(v)) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(fingerprint(v) for v in value)
    if isinstance(value, Report):  # its own file; unit, group, campaign are in shared_key
        return ("report", value.source, LOADS.report_stamp(value.source))
    if isinstance(value, Campaign):
        return ("campaign", value.id)
    if dataclasses.is_dataclass(value):
        return (type(value).__name__,
                *(fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return repr(value)


def report_key(report: Any, part: object) -> str | None:
    """Cache key of a part rendered from one report (``part`` names it and holds what else
    it depends on), or None when the report's file is unknown (no caching)."""
    if LOADS.raw is None:
        return None
    stamp = LOADS.report_stamp(report.source)
    if stamp is None:
        return None
    return signature(report.source, stamp, LOADS.shared_key, fingerprint(part))


@dataclass
class RenderCache:
    """Rendered parts (Markdown, HTML …) by key; entries not used by the last two builds
    are dropped."""

    current: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, Any] = field(default_factory=dict)
    hits: int = 0

    def get(self, key: str) -> Any:
        found = self.current.get(key)
        if found is None and key in self.previous:
            found = self.current[key] = self.previous.pop(key)
        self.hits += found is not None
        return found

    def put(self, key: str, content: Any) -> None:
        self.current[key] = content

    def rotate(self) -> None:
        self.previous, self.current = self.current, {}


RENDERED = RenderCache()


def cached(key: str | None, make: Callable[[], Any]) -> Any:
    """``make()``, or what it gave for ``key`` in a recent serve build (no key: no cache)."""
    if key is None:
        return make()
    found = RENDERED.get(key)
    if found is None:
        found = make()
        RENDERED.put(key, found)
    return found


def build_done(site_dir: str) -> None:
    """A build of ``site_dir`` finished (called last in ``on_post_build``)."""
    PAGES.commit(site_dir)
    if QUICK.pending:  # the complete build follows and still needs every cached entry
        QUICK.request_follow_up()
    else:
        RENDERED.rotate()
        settle_memory()
    state.builds += 1


def settle_memory() -> None:
    """After a complete serve build: collect the garbage of the builds before it now, then
    exempt everything alive from later collections (:func:`kb.site.memory.settle`).

    With 10,000 reports the server holds some ten million objects (caches, the model, the
    pages). Python's full collection walks all of them, a second or more, and it came in
    the middle of the next quick build: 3.8 s instead of 2.2 s from an edit to the browser.
    Now it runs here, when no one waits for the browser, and the quick builds' collections
    only walk what was made since. What was frozen and has become garbage since is thawed
    and collected at the next complete build, so memory does not grow from build to build.
    """
    memory.settle(everything=True)


# ---------------------------------------------------------------------------------------
# Quick rebuilds: the edited report first, everything it feeds right after
# ---------------------------------------------------------------------------------------


@dataclass
class QuickRebuild:
    """Edit → browser in two builds, like the fast render mode of other site generators.

    When only report files changed, the *quick* build regenerates just those reports'
    pages and reuses every other page of the last complete build as it was (MkDocs'
    dirty build then renders only the edited pages), so the browser shows the edit at
    once. What the edit also feeds — campaign tables, guidance-group views, print
    bundles, copy detection of the other reports, the search index, Word files — comes
    with a *complete* build that the quick one asks for when it ends, by writing a file
    into a folder the server watches (:meth:`request_follow_up`). The complete build
    produces exactly the pages a plain build would (tests compare them).
    """

    pages: list[Any] | None = None  # GeneratedPage list of the last complete build
    extras: dict[str, dict] = field(default_factory=dict)  # report extras it used
    pending: bool = False  # this build is quick: a complete one must follow
    trigger_dir: str | None = None  # watched by the server (set in on_serve)
    requests: int = 0
    since: set[str] = field(default_factory=set)  # reports edited since the complete build

    def usable(self) -> bool:
        return (state.rebuilding and state.dirty and self.trigger_dir is not None
                and self.pages is not None and LOADS.last_mode.startswith("partial:"))

    def remember(self, pages: list[Any]) -> None:
        """A complete generation while serving: the base of the next quick build (with the
        report extras it kept, :meth:`keep_extras`)."""
        if state.serving:
            self.pages, self.pending, self.since = list(pages), False, set()

    def keep_extras(self, extras: dict[str, dict]) -> None:
        if state.serving:
            self.extras = extras

    def quick_pages(self, reports: list[Any], render_report: Callable[[Any, dict | None], Any],
                    ) -> list[Any] | None:
        """The last complete pages with the changed reports' pages made again, or None
        when a quick build cannot stand in (not serving, another kind of change …)."""
        if not self.usable():
            return None
        changed = self.since | LOADS.changed_sources()  # earlier quick edits stay in
        fresh = {r.src_uri: r for r in reports if r.source in changed}
        known = {p.src_uri for p in self.pages or ()}
        if len(fresh) != len(changed) or not fresh.keys() <= known:
            return None
        self.pending, self.since = True, changed
        return [render_report(fresh[p.src_uri], self.extras.get(fresh[p.src_uri].id))
                if p.src_uri in fresh else p for p in self.pages or ()]

    def request_follow_up(self) -> None:
        """Ask the server for the complete build (a file event in the watched folder)."""
        if self.trigger_dir is None:
            return
        self.requests += 1
        Path(self.trigger_dir, "rebuild").write_text(str(self.requests), encoding="ascii")

    def watch_folder(self) -> str:
        """The folder to hand to ``server.watch`` (made once per process)."""
        if self.trigger_dir is None:
            self.trigger_dir = tempfile.mkdtemp(prefix="kb-serve-")
            atexit.register(shutil.rmtree, self.trigger_dir, True)
        return self.trigger_dir


QUICK = QuickRebuild()


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


# ---------------------------------------------------------------------------------------
# The object the producers and post-build steps are handed
# ---------------------------------------------------------------------------------------


class ServeCache(BuildCache):
    """:class:`kb.markup.cache.BuildCache` for ``mkdocs serve``: rendered report parts are
    reused while their report and the shared data are unchanged (:data:`RENDERED`), kept
    files (Word exports) survive rebuilds until a build no longer uses them, validation
    re-checks only changed reports (:data:`LOADS`), quick rebuilds (:data:`QUICK`) and
    post-build steps in the background (:data:`BACKGROUND`)."""

    serving = True

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._digests: dict[str, tuple[object, str]] = {}  # src_uri -> (page, Markdown digest)

    def report_part(self, report: Any, part: object, make: Callable[[], Any]) -> Any:
        return cached(report_key(report, part), make)

    def kept(self, space: str, key: Callable[[], str], make: Callable[[], Any]) -> Any:
        value = key()
        self._used.setdefault(space, set()).add(value)
        entries = self._kept.setdefault(space, {})
        if value not in entries:
            entries[value] = make()
        return entries[value]

    def sweep(self, space: str) -> None:
        used = self._used.pop(space, set())
        entries = self._kept.get(space, {})
        for stale in set(entries) - used:  # memory stays bounded across rebuilds
            del entries[stale]

    def validated(self, data_dir: Path, validate: Callable[..., Any]) -> tuple[Any, list[Problem]]:
        return LOADS.load(data_dir, validate)

    def quick_pages(self, reports: list[Any], render_report: Callable[[Any, dict | None], Any],
                    ) -> list[Any] | None:
        return QUICK.quick_pages(reports, render_report)

    def remember(self, pages: list[Any]) -> None:
        QUICK.remember(pages)

    def keep_extras(self, extras: dict[str, dict]) -> None:
        QUICK.keep_extras(extras)

    @property
    def rebuilding(self) -> bool:
        return state.rebuilding

    def in_background(self, job: Callable[[], None]) -> None:
        BACKGROUND.submit(job)

    def page_unchanged(self, site_dir: str, src_uri: str, content: Callable[[], str],
                       nav_key: str) -> bool:
        # A quick rebuild hands back the very page objects of the last complete build:
        # their Markdown is not expanded and hashed again (10,000 report pages).
        page = getattr(content, "__self__", None)
        known = self._digests.get(src_uri)
        if page is not None and known is not None and known[0] is page:
            return PAGES.unchanged_digest(site_dir, src_uri, known[1], nav_key)
        text = content()
        if page is not None:
            self._digests[src_uri] = (page, digest(text))
            return PAGES.unchanged_digest(site_dir, src_uri, self._digests[src_uri][1], nav_key)
        return PAGES.unchanged(site_dir, src_uri, text, nav_key)

    @property
    def quick_pending(self) -> bool:
        return QUICK.pending

    def build_done(self, site_dir: str) -> None:
        super().build_done(site_dir)
        build_done(site_dir)


SERVE = ServeCache()


def cache_for_build() -> BuildCache:
    """The cache a build of this process hands around: the serve cache while serving."""
    return SERVE if state.serving else BuildCache()
