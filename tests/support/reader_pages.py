"""Helpers for the reader-facing browser suites (accessibility, keyboard, layout): the built
site served over HTTP and one Chromium per module (fixtures the suites import), the pages
reachable from the home page of a built site, and waiting for the search box."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from search_http import browser, serve


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[str]:
    """The base URL of the example site, served for the module."""
    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def chromium_browser(chromium: str):
    """One headless Chromium for the module."""
    with browser(chromium) as instance:
        yield instance


def reachable(built_site: Path, base: str) -> list[str]:
    """Every HTML page of the built site reachable by links from the home page (URLs under base)."""
    from lxml import html

    seen, queue = {base}, [base]
    while queue:
        url = queue.pop(0)
        rel = urlsplit(url).path.lstrip("/")
        file = built_site / rel / "index.html" if rel == "" or rel.endswith("/") else built_site / rel
        if not file.is_file():
            continue
        for href in html.fromstring(file.read_bytes()).xpath("//a/@href"):
            target = urljoin(url, href).split("#")[0].split("?")[0]
            page = target.startswith(base) and target.endswith(("/", ".html"))  # not downloads
            if page and target not in seen:
                seen.add(target)
                queue.append(target)
    return sorted(seen)


def search_done(tab, after: int = 0) -> int:
    """Wait until the search box finished a search newer than ``after``; return its number."""
    tab.wait_for_function(
        "n => Number(document.querySelector('[data-kb-search]')"
        ".getAttribute('data-kb-search-done') || 0) > n", arg=after, timeout=15000)
    return int(tab.get_attribute("[data-kb-search]", "data-kb-search-done"))
