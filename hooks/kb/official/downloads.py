"""What a report page says of its Word file: the file's name, the name a reader's browser
saves it under, and the report's place in the printable bundle of its guidance group
(:func:`report_extras`, before the pages are rendered). The files themselves are written
after the build by :mod:`kb.official.wordfiles`.
"""

from __future__ import annotations

import re

from kb.data.model import KnowledgeBase, Report
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.official.bundle import bundle_src

_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def docx_name(report: Report) -> str:
    """File name on the site: ``<unit>.docx`` (ids are ASCII, safe in any URL)."""
    return f"{report.unit.id}.docx"


def download_name(report: Report) -> str:
    """File name offered when saving: 市财政局2023年主题教育开展成效自查评估报告.docx."""
    return _UNSAFE_FILENAME.sub("_", report.named_title) + ".docx"


def report_extras(kb: KnowledgeBase, settings: SiteSettings,
                  cache: BuildCache | None = None) -> dict[str, dict]:
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
