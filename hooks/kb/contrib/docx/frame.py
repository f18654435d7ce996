"""The frame around the outline: title, addressee, signature, date and attachment notes.

:func:`head` finds the title and the addressee ``……第N指导组：`` (a date under the title is
the report's date); :func:`trailer` takes the signature, the date and ``附件：`` notes off
the end. What lies before the title or between it and the addressee is kept as leftovers.
"""

from __future__ import annotations

import re

from kb.contrib.docx.normalise import half, parse_date, squash
from kb.contrib.docx.outline import HEADING_MAX, SENTENCE_PUNCT, classify
from kb.contrib.docx.read import Para
from kb.contrib.docx.state import Work
from kb.contrib.reference import Reference
from kb.data import rules

PARTY_SUFFIXES = ("党工委", "党总支", "党支部", "党组", "党委")
ADDRESSEE_RE = re.compile(
    r"^(?P<prefix>.{0,40}?)第\s*(?P<n>[一二三四五六七八九十]{1,3}|\d{1,2})\s*(?P<kind>[^\s:]{0,6}?)指导组\s*:?\s*$"
)
ATTACHMENT_NOTE = re.compile(r"^附件\s*:\s*[^。]{1,40}$|^\d{1,2}\s*[.、]\s*[^。]{1,30}$")


def head(work: Work) -> tuple[Para | None, Para | None, int]:
    """Title and addressee paragraphs, and the index where the opening starts."""
    limit = min(len(work.blocks), 8)
    addressee_at = next(
        (i for i in range(limit) if isinstance(work.blocks[i], Para)
         and ADDRESSEE_RE.match(half(work.blocks[i].text))),
        None,
    )
    first_part = next((i for i, b in enumerate(work.blocks) if isinstance(b, Para)
                       and (h := classify(b, work.levels)) is not None and h.kind == "part"), len(work.blocks))
    head_end = addressee_at if addressee_at is not None else min(first_part, 1)
    candidates = [i for i in range(head_end) if isinstance(work.blocks[i], Para)]
    title_at = next((i for i in candidates if "报告" in work.blocks[i].text), candidates[0] if candidates else None)
    title = work.blocks[title_at] if title_at is not None else None
    for i in candidates:
        block = work.blocks[i]
        if i == title_at:
            continue
        date = parse_date(block.text)
        if date and not work.submitted:
            work.submitted = date
            work.note(rules.IMPORT_DATE_BELOW_TITLE, f"标题下的日期作为报告日期 {date}", block)
        else:
            work.leftover(rules.IMPORT_LEFTOVER, "标题前后的这一段不属于报告提纲", block)
    if title is None:
        work.note(rules.IMPORT_NO_TITLE, "没有找到报告标题，将使用学习教育的标准标题")
    addressee = work.blocks[addressee_at] if addressee_at is not None else None
    if addressee is None:
        work.note(rules.IMPORT_NO_ADDRESSEE, "没有找到收文的指导组（如“主题教育第一指导组：”），指导组以名单为准")
    for i in [title_at, addressee_at]:
        if i is not None:
            work.used.add(id(work.blocks[i]))
    start = (addressee_at if addressee_at is not None else (title_at if title_at is not None else -1)) + 1
    return title, addressee, start


def trailer(work: Work, first_part: int) -> int:
    """Signature and date at the end; returns where the body ends."""
    work.signature = ""
    end = len(work.blocks)
    i = end - 1
    taken = 0
    while i >= first_part and taken < 4:
        block = work.blocks[i]
        if id(block) in work.used:
            i -= 1
            continue
        if not isinstance(block, Para):
            break
        date = parse_date(block.text)
        if date:
            if not work.submitted:
                work.submitted = date
            work.used.add(id(block))
        elif is_signature(block.text, work.ref) and not work.signature:
            work.signature = block.text.strip()
            work.used.add(id(block))
        elif ATTACHMENT_NOTE.match(half(block.text)):
            work.used.add(id(block))
            work.note(rules.IMPORT_ATTACHMENT_NOTE, "附件说明已识别（附件的表格单独导入）", block)
            i -= 1
            continue
        else:
            break
        taken += 1
        i -= 1
    return end


def is_signature(text: str, ref: Reference) -> bool:
    t = squash(text)
    if not t or len(t) > HEADING_MAX or SENTENCE_PUNCT.search(t):
        return False
    if t.startswith("中共") or t.endswith(PARTY_SUFFIXES):
        return True
    return any(t in {squash(str(u.get("name", ""))), squash(str(u.get("party_org", "")))}
               for u in ref.units)
