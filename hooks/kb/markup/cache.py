"""The build's memory, handed to every producer and post-build step.

A :class:`BuildCache` is what ``mkdocs build`` uses: nothing outlives the build, and
:meth:`~BuildCache.once` only shares a result between the producers of one build (copy
detection feeds both the report pages and the dashboards). ``mkdocs serve`` hands a
subclass (:class:`kb.site.incremental.ServeCache`) that keeps rendered parts and files
between rebuilds. Producers ask the object they are given; no module reads a global
"are we serving" flag.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class BuildCache:
    """Memory of one build (``mkdocs build``): nothing is kept for the next one."""

    serving = False

    def __init__(self) -> None:
        self._this_build: dict[str, Any] = {}

    def once(self, name: str, make: Callable[[], T]) -> T:
        """``make()`` the first time ``name`` is asked for in this build, then the same result."""
        if name not in self._this_build:
            self._this_build[name] = make()
        return self._this_build[name]

    def report_part(self, report: Any, part: object, make: Callable[[], T]) -> T:
        """A part rendered from one report (its page, its print document); ``part`` tells
        parts apart and holds whatever else the part depends on. Serve reuses it while the
        report's file and the shared data are unchanged."""
        return make()

    def kept(self, space: str, key: Callable[[], str], make: Callable[[], T]) -> T:
        """``make()``; serve keeps the result under the content key ``key()`` across
        rebuilds (a build never computes the key) until :meth:`sweep`."""
        return make()

    def sweep(self, space: str) -> None:
        """Forget the entries of ``space`` this build did not ask for (serve)."""

    def validated(self, data_dir: Path, validate: Callable[..., Any]) -> tuple[Any, list]:
        """``validate(data_dir, None)``; serve re-checks only the reports that changed."""
        return validate(data_dir, None)

    def quick_pages(self, reports: list[Any], render_report: Callable[[Any, dict | None], Any],
                    ) -> list[Any] | None:
        """The pages of a quick serve rebuild, or None: generate everything."""
        return None

    def remember(self, pages: list[Any]) -> None:
        """The pages of a complete generation (the base of serve's next quick rebuild)."""

    @property
    def rebuilding(self) -> bool:
        """Whether post-build steps may run in the background (a serve rebuild)."""
        return False

    def in_background(self, job: Callable[[], None]) -> None:
        """Run ``job`` after the build has returned (serve); a build runs it at once."""
        job()

    def keep_extras(self, extras: dict[str, dict]) -> None:
        """The report extras of a complete generation (serve's quick rebuild reuses them)."""

    def page_unchanged(self, site_dir: str, src_uri: str, content: Callable[[], str],
                       nav_key: str) -> bool:
        """Whether a generated page is as in the last build of ``site_dir`` (serve ``--dirty``
        then skips it); ``content()`` is its Markdown."""
        return False

    @property
    def quick_pending(self) -> bool:
        """Whether this build is a quick serve rebuild (a complete one follows)."""
        return False

    def build_done(self, site_dir: str) -> None:
        """The build of ``site_dir`` is over: drop what only this build needed."""
        self._this_build.clear()
