"""Post-build step: the Word file of every report, written next to its page.

:func:`write_word_files` writes ``<site>/reports/<campaign>/<unit>/<unit>.docx`` (the
folder of the report page, so the page links to it by its bare name, see
:mod:`kb.official.downloads`). Under ``mkdocs serve`` the cache it is handed keeps the
files by their content, so a rebuild exports again only the reports that changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kb.data.model import KnowledgeBase, Report
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.official import word
from kb.official.document import official_document
from kb.official.downloads import docx_name

# Bump when the export changes in a way the cache key does not see (layout, styles).
EXPORT_VERSION = "1"
DOCX_SPACE = "docx"  # the Word files serve keeps (kb.markup.cache.BuildCache.kept)


def docx_path(site_dir: Path, report: Report) -> Path:
    return site_dir / report.url / docx_name(report)


def _cache_key(report: Report) -> str:
    doc = official_document(report)
    content = (
        EXPORT_VERSION, report.id, report.unit, report.title, report.submitted,
        report.campaign.name, report.campaign.short_name, report.group.name,
        doc.addressee, doc.body, doc.signature, doc.date, doc.attachments,
    )
    return hashlib.sha256(repr(content).encode("utf-8")).hexdigest()


def docx_bytes(report: Report, cache: BuildCache) -> bytes:
    """The report's .docx; ``make serve`` keeps them for its rebuilds, a build does not
    (thousands of files would stay in memory while Pagefind runs)."""
    return cache.kept(DOCX_SPACE, lambda: _cache_key(report), lambda: word.report_bytes(report))


def write_word_files(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path,
                     cache: BuildCache | None = None) -> None:
    """Post-build step: the .docx of every report, in the folder of its page."""
    cache = cache or BuildCache()
    for report in kb.reports:
        page_dir = site_dir / report.url
        if not (page_dir / "index.html").is_file():
            raise RuntimeError(
                f"报告页面 {report.url}index.html 不存在，无法放置 Word 文件"
                "（需要 use_directory_urls: true）"
            )
        docx_path(site_dir, report).write_bytes(docx_bytes(report, cache))
    cache.sweep(DOCX_SPACE)  # keep memory bounded across serve rebuilds
