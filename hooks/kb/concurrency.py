"""Work side by side in daemon threads (post-build steps, Pagefind shards).

Daemon threads, not a ``ThreadPoolExecutor``: the interpreter waits for a pool's threads
at exit, so Ctrl-C on a build (or stopping ``make serve``) would wait for every Word
file and search shard; a daemon thread ends with the process, and the Pagefind child
is stopped by :data:`kb.search.RUNS` at exit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("mkdocs.hooks.kb")


class Job:
    """``fn()`` running in a daemon thread; :meth:`wait` returns or raises its outcome."""

    def __init__(self, fn: Callable[[], None], name: str) -> None:
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name=name, daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self.error = exc

    def wait(self) -> None:
        self._thread.join()
        if self.error is not None:
            raise self.error


def run_all(jobs: list[Callable[[], None]], name: str) -> None:
    """Run ``jobs`` side by side and wait for all; the first failure is raised once
    every job has ended, later ones are logged."""
    running = [Job(fn, f"{name}-{i}") for i, fn in enumerate(jobs)]
    errors = []
    for job in running:
        try:
            job.wait()
        except Exception as exc:  # noqa: BLE001 - collected, the first is raised below
            errors.append(exc)
    for extra in errors[1:]:
        log.error("另一后处理步骤也失败：%s: %s", type(extra).__name__, extra)
    if errors:
        raise errors[0]
