"""Pages and sites for the search tests: a Material article page, a built site without its index."""

from __future__ import annotations

import shutil
from pathlib import Path


def article(body: str, title: str = "页面") -> str:
    return (f'<html lang="zh"><head><title>{title} - 站点</title></head><body>'
            f'<nav><p>导航菜单不索引</p></nav><article class="md-content__inner md-typeset">{body}'
            "</article><footer>页脚</footer></body></html>")


def copy_site(built_site: Path, site: Path) -> Path:
    """The built site without its search index."""
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
    return site
