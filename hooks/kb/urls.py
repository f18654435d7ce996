"""Where every page of the site lives: its source path under ``docs/`` and its URL.

The one module that spells page paths. Generated pages are made in memory under these
source paths (``File.generated``); with ``use_directory_urls`` a page ``a/b.md`` is served
at ``a/b/`` and ``a/index.md`` at ``a/``. Templates reach the same functions as the Jinja
global ``urls``. Two kinds of relative link: :func:`link` (a Markdown link to a source
path, which MkDocs resolves and checks) and :func:`href` (a finished URL, for raw HTML
that MkDocs does not rewrite).

A bottom-layer module: imports nothing from ``kb``.
"""

from __future__ import annotations

import posixpath

HOME = "index.md"
REPORTS = "reports/index.md"
MATERIALS = "materials/index.md"
CONTRIBUTING = "contributing.md"
PERFORMANCE = "performance.md"  # hand-written docs page made by scripts/bench.py --page
VIEWS = "views/index.md"
LEDGER = "views/ledger.md"
PRINT = "print/index.md"
# Not a page: the file a build writes last into the site folder; a site without it is
# incomplete (publishing refuses it).
BUILD_MARKER = "kb-build.json"


def report(campaign_id: str, unit_id: str) -> str:
    return f"reports/{campaign_id}/{unit_id}.md"


def campaign(campaign_id: str) -> str:
    return f"reports/{campaign_id}/index.md"


def dashboard(campaign_id: str) -> str:
    return f"views/{campaign_id}/index.md"


def compare(campaign_id: str) -> str:
    return f"views/{campaign_id}/compare.md"


def upward(campaign_id: str, group_id: str = "") -> str:
    """共性问题、典型做法 and the drafted summary of a campaign, or of one guidance group."""
    return f"views/{campaign_id}/upward/{group_id or 'index'}.md"


def bundle(campaign_id: str, group_id: str) -> str:
    """A guidance group's printable bundle of one campaign's reports."""
    return f"print/{campaign_id}/{group_id}.md"


def page_dir(src: str) -> str:
    """Directory of a page's URL: ``index.md`` → ``.``, ``a/index.md`` → ``a``, ``a/b.md`` → ``a/b``."""
    if src == HOME:
        return "."
    if src.endswith("/index.md"):
        return src[: -len("/index.md")]
    return src[: -len(".md")]


def url(src: str) -> str:
    """Site-relative URL of a page: ``a/b.md`` → ``a/b/``, ``index.md`` → ``""``."""
    folder = page_dir(src)
    return "" if folder == "." else folder + "/"


def link(src_from: str, src_to: str) -> str:
    """Relative Markdown link from one source file to another (MkDocs resolves and checks it)."""
    target, _, anchor = src_to.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(src_from) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def href(src_from: str, src_to: str) -> str:
    """Relative URL between two pages, for links inside raw HTML (MkDocs does not rewrite them)."""
    target, _, anchor = src_to.partition("#")
    rel = posixpath.relpath(page_dir(target), page_dir(src_from))
    address = "./" if rel == "." else rel + "/"
    return address + (f"#{anchor}" if anchor else "")
