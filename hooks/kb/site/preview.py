"""What ``make preview`` shows in the browser while the report has errors.

MkDocs' development server keeps the last good site and makes every request wait while a
rebuild fails ("the server will appear stuck"). The preview instead serves
:func:`error_page` — the validator's problems in Chinese, each with ``file:line:col`` — for
every page until a rebuild succeeds; the server's live reload then shows the report again.
:class:`ErrorPages` holds that state between the build thread and the request threads.
This module knows nothing of MkDocs: ``scripts/preview.py`` wires it into the server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.data.problems import LEVEL_ZH, Problem, summary, visible
from kb.markup.render import render


@dataclass(frozen=True)
class _Shown:
    """One problem as the error page lists it."""

    where: str
    level: str
    level_zh: str
    path: str
    message: str


def error_page(problems: Iterable[Problem]) -> bytes:
    """The Chinese error page (UTF-8 HTML) listing ``problems``; none: the build failed otherwise."""
    items = list(problems)
    shown = [
        _Shown(
            f"{p.file}:{p.line}:{p.column}" if p.line else p.file, p.level, LEVEL_ZH.get(p.level, p.level),
            visible(p.path), visible(p.full_message()),
        )
        for p in items
    ]
    text = summary(items) if items else "网站没能生成"
    return render("preview_error.html.j2", problems=shown, summary=text).encode("utf-8")


class ErrorPages:
    """The error page to serve instead of the site, or None while the last build succeeded."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._page: bytes | None = None

    @property
    def page(self) -> bytes | None:
        with self._lock:
            return self._page

    def guard(self, build: Callable[[], object], check: Callable[[], list[Problem]],
              say: Callable[[str], None] = print) -> Callable[[], None]:
        """``build`` that never fails: on failure the errors ``check`` finds become the page
        to serve (the build has listed them on the terminal; a Chinese line says what next);
        on success the site is served again."""

        def guarded() -> None:
            try:
                build()
            except (Exception, SystemExit) as err:  # MkDocs aborts a failed build with SystemExit
                problems = [p for p in check() if p.is_error]
                with self._lock:
                    self._page = error_page(problems)
                reason = summary(problems) if problems else f"网站没能生成（{type(err).__name__}）"
                say(f"{reason}：浏览器中显示错误列表；改正并保存报告文件后会自动刷新。")
                return
            with self._lock:
                was_broken, self._page = self._page is not None, None
            if was_broken:
                say("报告已改正，浏览器中的页面会自动刷新。")

        return guarded
