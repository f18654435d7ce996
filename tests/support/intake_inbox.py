"""An intake inbox made at test time, and the data directory it is taken into.

Reports come from two sources: the site's own Word export of the example reports
(:func:`exported`) and the official template filled in with python-docx
(:func:`built`, ``tests/fixtures/docx/builders.py``). :func:`data_copy` is a copy of
``data/`` without reports plus one unit whose registered name the reports only abbreviate
(市林业和草原局, written 市林业局 in its report). :data:`EXPECTED` is what the intake should
make of every file of :func:`make_inbox`: (outcome, unit).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import docx
from datacopy import copy_data
from tests.fixtures.docx import builders as B

from conftest import DATA
from kb.contrib import scaffold
from kb.contrib.intake.summary import ATTENTION, FAILED, IMPORTED, NOT_REPORT, WARNED

FORESTRY = {"id": "shi-lcj", "name": "市林业和草原局", "party_org": "市林业和草原局党组"}

# file in the inbox -> (outcome, unit)
EXPECTED = {
    "2023-zhuti-shi-fgw.docx": (IMPORTED, "shi-fgw"),
    "关于报送市财政局自查评估报告的函.docx": (WARNED, "shi-swj"),  # the text (市商务局) wins over the file name
    "关于报送市林业局自查评估报告的函.docx": (WARNED, "shi-lcj"),  # fuzzy: 市林业局 ~ 市林业和草原局
    "财政局自查报告.docx": (ATTENTION, ""),  # 市财政局 or 区财政局?
    "会议通知.docx": (NOT_REPORT, ""),
    "损坏的报告.docx": (FAILED, ""),
    "说明.txt": (NOT_REPORT, ""),
    "邮件附件/2023-zhuti-shi-jtj.docx": (IMPORTED, "shi-jtj"),  # one level down is read
    "指向别处.docx": (FAILED, ""),  # a symlink: refused, never read
}
NOT_TAKEN = [".~lock.报告.docx#", "~$报告.docx", "邮件附件/更深/2023-zhuti-shi-sfj.docx"]


@cache
def _reports() -> dict:
    from kb.site import build

    kb, _ = build.load(DATA)
    return {r.id: r for r in kb.reports}


def exported(report_id: str, path: Path) -> Path:
    """The example report ``report_id`` as the site's Word export writes it."""
    from kb.official.word import export_report

    return export_report(_reports()[report_id], path)


def built(party_org: str, path: Path, layout: str = "plain") -> Path:
    """The official template filled in for ``party_org`` (addressed to the first group)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return B.BUILDERS[layout](B.template_paragraphs(party_org=party_org).paragraphs, path)


def data_copy(target: Path) -> Path:
    """data/ without reports, with 市林业和草原局 registered and in the 2023 roster (group g1, batch 1)."""
    data = copy_data(target)
    units = data / "units.yml"
    units.write_text(scaffold.append_list_item(units.read_text(encoding="utf-8"), "units", FORESTRY),
                     encoding="utf-8")
    campaign = data / "campaigns" / "2023-zhuti.yml"
    entry = {"unit": "shi-lcj", "group": "g1", "batch": 1}
    campaign.write_text(scaffold.append_list_item(campaign.read_text(encoding="utf-8"), "roster", entry),
                        encoding="utf-8")
    return data


def make_inbox(inbox: Path) -> Path:
    """Every file of :data:`EXPECTED` and :data:`NOT_TAKEN` in ``inbox``."""
    inbox.mkdir(parents=True)
    exported("2023-zhuti/shi-fgw", inbox / "2023-zhuti-shi-fgw.docx")
    exported("2023-zhuti/shi-swj", inbox / "关于报送市财政局自查评估报告的函.docx")
    built("市林业局党组", inbox / "关于报送市林业局自查评估报告的函.docx")
    built("财政局党组", inbox / "财政局自查报告.docx", layout="headings")
    notice = docx.Document()
    notice.add_paragraph("关于召开主题教育推进会的通知")
    notice.add_paragraph("请各单位主要负责同志按时参加。")
    notice.save(inbox / "会议通知.docx")
    whole = (inbox / "2023-zhuti-shi-fgw.docx").read_bytes()
    (inbox / "损坏的报告.docx").write_bytes(whole[: len(whole) // 2])
    (inbox / "说明.txt").write_text("这些是报告。", encoding="utf-8")
    exported("2023-zhuti/shi-jtj", inbox / "邮件附件" / "2023-zhuti-shi-jtj.docx")
    os.symlink(inbox / "2023-zhuti-shi-fgw.docx", inbox / "指向别处.docx")
    for name in NOT_TAKEN:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(whole)
    return inbox
