"""File watching for ``make serve``: the system's change notifications instead of polling.

MkDocs 1.6's live-reload server polls every watched folder twice a second (watchdog's
``PollingObserver``): each poll lists and stats every file below it. With 10,000 report
files that keeps one of the machine's cores busy all the time the server runs, slows
every rebuild (the polling thread holds the interpreter lock) and sees an edit up to a
second late. Linux (inotify), macOS (FSEvents) and Windows tell a program when a file
changes; :func:`use_native_observer` moves the server's watches onto watchdog's native
observer before the server starts it:

only events that change something trigger a rebuild: a file opened, or closed after
reading, does not (the build itself reads every data file). A single watched file
(``mkdocs.yml``) is watched through its folder by watchdog itself, so an editor that
saves by renaming a new file over the old one is still seen.

``KB_SERVE_POLLING=1`` keeps MkDocs' polling (for network file systems, where change
notifications do not arrive); so does a server whose watches cannot be moved (another
MkDocs version) or a system that cannot give notifications.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

POLLING_ENV = "KB_SERVE_POLLING"

# What a save, a new file, a deletion or a rename produces (not: opened, closed unwritten).
CHANGES: list[type[events.FileSystemEvent]] = [
    events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
    events.FileMovedEvent, events.FileClosedEvent, events.FileAttribEvent,
    events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent,
]

log = logging.getLogger("kb.site.watching")


class ChangesObserver(Observer):  # type: ignore[misc, valid-type]  # the platform's class
    """The native observer, reporting changes only."""

    def schedule(self, event_handler: events.FileSystemEventHandler, path: str | os.PathLike,
                 *, recursive: bool = False,
                 event_filter: list[type[events.FileSystemEvent]] | None = None,
                 follow_symlink: bool = False) -> Any:
        return super().schedule(event_handler, path, recursive=recursive,
                                event_filter=event_filter or CHANGES,
                                follow_symlink=follow_symlink)


def native_available() -> bool:
    """Whether this system has change notifications watchdog can use."""
    return not issubclass(Observer, PollingObserver)


def use_native_observer(server: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Move the watches of MkDocs' live-reload ``server`` (not yet started) onto a
    :class:`ChangesObserver`; False (and the server left as it was) when polling stays."""
    env = os.environ if environ is None else environ
    if env.get(POLLING_ENV, "").strip() not in ("", "0") or not native_available():
        return False
    paths, refs = getattr(server, "_watched_paths", None), getattr(server, "_watch_refs", None)
    old = getattr(server, "observer", None)
    if not isinstance(paths, dict) or not isinstance(refs, dict) or old is None or old.is_alive():
        return False
    watched = [(path, count, getattr(refs.get(path), "is_recursive", True))
               for path, count in paths.items()]
    if not _can_watch(watched):
        return False
    server.observer = ChangesObserver()
    paths.clear()
    refs.clear()
    for path, count, recursive in watched:
        for _ in range(count):
            server.watch(path, recursive=recursive)
    return True


def _can_watch(watched: list[tuple[str, int, bool]]) -> bool:
    """Start (and stop) a trial observer on the paths: the system's notifications are set
    up when an observer starts, and a failure then (too many watches) would end the server."""
    trial = ChangesObserver()
    try:
        for path, _count, recursive in watched:
            trial.schedule(events.FileSystemEventHandler(), path, recursive=recursive)
        trial.start()
    except OSError as exc:  # e.g. the system's limit of watches is reached
        log.info("文件变化通知不可用（%s），继续按时轮询", exc.strerror or type(exc).__name__)
        return False
    finally:
        if trial.is_alive():
            trial.stop()
            trial.join(5)
    return True
