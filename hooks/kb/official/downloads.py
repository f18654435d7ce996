"""The Word file of every report, published next to its page, and the links to it.

:func:`write_word_files` is a post-build step: it writes
``<site>/reports/<campaign>/<unit>/<unit>.docx`` (the folder of the report page, so the
page links to it by its bare name). :func:`report_extras` gives each report page the
link, the file name a reader's browser saves it under and the report's place in the
printable bundle of its guidance group.

Files are cached in memory by their content: while ``mkdocs serve`` rebuilds, only the
reports that changed are exported again.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kb.data.model import KnowledgeBase, Report
from kb.markup.render import SiteSettings
from kb.official import word
from kb.official.bundle import bundle_src
from kb.official.document import official_document
from kb.site import incremental

# Bump when the export changes in a way the cache key does not see (layout, styles).
EXPORT_VERSION = "1"
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_cache: dict[str, bytes] = {}


def docx_name(report: Report) -> str:
    """File name on the site: ``<unit>.docx`` (ids are ASCII, safe in any URL)."""
    return f"{report.unit.id}.docx"


def download_name(report: Report) -> str:
    """File name offered when saving: 市财政局2023年主题教育开展成效自查评估报告.docx."""
    return _UNSAFE_FILENAME.sub("_", f"{report.unit.name}{report.title}") + ".docx"


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


def docx_bytes(report: Report) -> bytes:
    """The report's .docx; ``make serve`` keeps them for its rebuilds, a build does not
    (thousands of files would stay in memory while Pagefind runs)."""
    if not incremental.state.serving:
        return word.report_bytes(report)
    key = _cache_key(report)
    data = _cache.get(key)
    if data is None:
        data = _cache[key] = word.report_bytes(report)
    return data


def write_word_files(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path) -> None:
    """Post-build step: the .docx of every report, in the folder of its page."""
    live: set[str] = set()
    for report in kb.reports:
        page_dir = site_dir / report.url
        if not (page_dir / "index.html").is_file():
            raise RuntimeError(
                f"报告页面 {report.url}index.html 不存在，无法放置 Word 文件"
                "（需要 use_directory_urls: true）"
            )
        if incremental.state.serving:
            live.add(_cache_key(report))
        docx_path(site_dir, report).write_bytes(docx_bytes(report))
    for stale in set(_cache) - live:  # keep memory bounded across serve rebuilds
        del _cache[stale]


def report_extras(kb: KnowledgeBase, settings: SiteSettings) -> dict[str, dict]:
    """``x.official`` on report pages: the Word file and the group's printable bundle."""
    return {
        r.id: {
            "official": {
                "docx": docx_name(r),
                "docx_name": download_name(r),
                "bundle": f"{bundle_src(r.campaign.id, r.group.id)}#{r.unit.id}",
            }
        }
        for r in kb.reports
    }
