"""Helpers for the reader-facing browser suites (accessibility, keyboard, layout): the pages
reachable from the home page of a built site, and waiting for the search box."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit


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
