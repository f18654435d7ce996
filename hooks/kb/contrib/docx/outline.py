"""The report's outline: 一、 parts, （一） sections, 一是 points and their leads.

The template's outline is found mainly by *text* — 一、/（一）/一是… typed or
auto-numbered — with heading styles and bold as hints, so a report imports whether its
headings are Word heading styles, bold paragraphs or plain paragraphs. :func:`classify`
tells a heading from body text; :func:`parts` turns the blocks between the first part
and the signature into the ``highlights``, ``problems`` and ``plans`` fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kb.contrib.docx.normalise import cn_to_int, escape_markdown, half, squash
from kb.contrib.docx.prose import Span, table_markdown
from kb.contrib.docx.read import Block, Para, Table
from kb.contrib.docx.state import Work
from kb.data import rules
from kb.text import chinese_number

PART_KEYS = ("highlights", "problems", "plans")
PART_TITLES = {
    "highlights": "一、工作开展情况及创新亮点做法",
    "problems": "二、存在的问题和不足之处",
    "plans": "三、下步工作打算",
}
PART_WORDS = {
    "highlights": ("亮点", "开展情况", "主要做法", "工作开展", "做法", "成效"),
    "problems": ("问题", "不足", "差距"),
    "plans": ("打算", "下步", "下一步", "努力方向", "工作思路"),
}
LEAD_MAX = 40
HEADING_MAX = 40

_PART_RE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、,.]\s*")
SECTION_RE = re.compile(r"^\s*\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*[、,.]?\s*")
_BOUNDARY = "。;!?:"
SENTENCE_PUNCT = re.compile(r"[。;!?]")


@dataclass


class Heading:
    kind: str  # "part" | "section"
    n: int | None
    title: str
    body_start: int  # where run-in body text starts in the paragraph (len = none)


def heading_levels(blocks: list[Block]) -> dict[int, str]:
    """Outline levels of heading styles below the title → part / section."""
    levels = sorted({b.level for b in blocks[1:] if isinstance(b, Para) and b.level})
    return {lvl: kind for lvl, kind in zip(levels, ("part", "section"), strict=False)}


def _split_title(p: Para, start: int) -> tuple[str, int]:
    """Title text after a heading marker and where the run-in body begins."""
    text = p.text
    bold_end = p.bold_end(start)
    if start < bold_end < len(text.rstrip()) and text[start:bold_end].strip():
        return text[start:bold_end].strip().rstrip("。.：:"), bold_end
    h = half(text)
    m = SENTENCE_PUNCT.search(h, start)
    if m and text[m.end():].strip():
        return text[start:m.start()].strip(), m.end()
    return text[start:].strip().rstrip("。.：:"), len(text)


def classify(p: Para, levels: dict[int, str]) -> Heading | None:
    """Whether a paragraph is a 一、 part or （一） section heading."""
    h = half(p.text)
    styled = levels.get(p.level)
    m = _PART_RE.match(h)
    if m:
        rest = h[m.end():].rstrip("。. ")
        short = len(rest) <= HEADING_MAX and not SENTENCE_PUNCT.search(rest)
        if short or styled == "part" or p.all_bold:
            return Heading("part", cn_to_int(m.group(1)), p.text[m.end():].strip().rstrip("。."), len(p.text))
    m = SECTION_RE.match(h)
    if m:
        title, body = _split_title(p, m.end())
        return Heading("section", cn_to_int(m.group(1)), title, body)
    if styled and len(p.text) <= HEADING_MAX * 2:
        title, body = _split_title(p, 0)
        return Heading(styled, None, title, body)
    return None


def _find_marker(p: Para, marker: str, start: int, end: int) -> int | None:
    h = half(p.text)
    first = start
    while first < end and h[first].isspace():
        first += 1
    pos = h.find(marker, start, end)
    while pos >= 0:
        before = h[start:pos].rstrip()
        if pos == first or (before and before[-1] in _BOUNDARY):
            return pos
        pos = h.find(marker, pos + 1, end)
    return None


def split_points(spans: list[Span]) -> tuple[list[Span], list[list[Span]]]:
    """Text before 一是, then one span list per point (一是, 二是 … in sequence)."""
    pre: list[Span] = []
    points: list[list[Span]] = []
    current = pre
    for sp in spans:
        if sp.para is None:
            current.append(sp)
            continue
        pos = sp.start
        while True:
            marker = chinese_number(len(points) + 1) + "是"
            at = _find_marker(sp.para, marker, pos, sp.end)
            if at is None:
                break
            if sp.para.text[pos:at].strip():
                current.append(Span(sp.para, pos, at))
            current = []
            points.append(current)
            pos = at
        if sp.para.text[pos:sp.end].strip():
            current.append(Span(sp.para, pos, sp.end))
    return pre, points


def doubled_marker(text: str) -> str:
    """The marker written twice at the start of a point (``二是是``, ``二是二是``), else ""."""
    h = half(text)
    marker = h[:2]
    after = h[2:].lstrip(":,、 ")
    if after.startswith(marker):
        return marker + marker
    if after.startswith(marker[-1]) and not after.startswith("是否"):
        return marker + marker[-1]
    return ""


def lead_and_body(spans: list[Span]) -> tuple[str, list[Span]]:
    """(lead, body spans) of one point whose first span starts at its 一是 marker.

    The lead is the bold text right after the marker, else the first sentence when it
    is short and more text follows; without a lead the whole point is its text.
    """
    first = spans[0]
    p = first.para
    assert p is not None
    h = half(p.text)
    start = first.start + 2
    while start < first.end and h[start] in ":,、 ":
        start += 1
    lead = ""
    rest_start = start
    bold_end = min(p.bold_end(first.start), first.end)
    if bold_end <= start:
        bold_end = min(p.bold_end(start), first.end)
    if start < bold_end < first.end and p.text[bold_end:first.end].strip():
        lead, rest_start = p.text[start:bold_end].strip(), bold_end
    else:
        m = re.search("。", h[start:first.end])
        if m and 0 < m.start() <= LEAD_MAX:
            after = p.text[start + m.end():first.end].strip()
            if after or len(spans) > 1:
                lead, rest_start = p.text[start:start + m.start()].strip(), start + m.end()
    lead = lead.rstrip("。.；;：: ")
    if len(lead) > LEAD_MAX:
        lead, rest_start = "", start
    body = [Span(p, rest_start, first.end)] + spans[1:]
    body = [b for b in body if b.text]
    if not body:  # a lead alone is the text
        lead, body = "", [Span(p, start, first.end)]
    return lead, body


# ------------------------------------------------------------------- stages


def plain_spans(work: Work, start: int, end: int) -> list[Span]:
    """The blocks from ``start`` to ``end`` not yet used, as prose spans (the opening)."""
    spans = []
    for block in work.blocks[start:end]:
        if id(block) in work.used:
            continue
        if isinstance(block, Para):
            spans.append(Span(block, 0, len(block.text)))
        elif block.rows:
            spans.append(Span(None, markdown=table_markdown(block)))
            work.note(rules.IMPORT_TABLE_PROSE, "表格不是整改台账，已作为 Markdown 表格放进正文")
    return spans


def parts(work: Work, parts_at: list[tuple[int, Heading]], end: int) -> dict[str, Any]:
    """The three parts from their headings ``parts_at`` (by keyword, else by position) to ``end``."""
    out: dict[str, Any] = {}
    if not parts_at:
        work.note(rules.IMPORT_NO_PARTS, "没有找到“一、”“二、”“三、”各部分的标题：报告提纲无法识别")
        return out
    assigned: list[tuple[str | None, int, Heading]] = []
    taken: set[str] = set()
    for pos, (i, h) in enumerate(parts_at):
        key = next((k for k in PART_KEYS if k not in taken and any(w in h.title for w in PART_WORDS[k])), None)
        if key is None and pos < len(PART_KEYS) and PART_KEYS[pos] not in taken:
            key = PART_KEYS[pos]
        if key is not None:
            taken.add(key)
        assigned.append((key, i, h))
    for n, (key, i, _) in enumerate(assigned):
        stop = assigned[n + 1][1] if n + 1 < len(assigned) else end
        heading = work.blocks[i]
        assert isinstance(heading, Para)
        blocks = [b for b in work.blocks[i + 1:stop] if id(b) not in work.used]
        if key is None:
            work.leftover(rules.IMPORT_EXTRA_PART, "这一部分超出了报告提纲的三个部分（一、二、三），未导入", heading)
            for b in blocks:
                work.leftover(rules.IMPORT_EXTRA_PART, "属于未导入的部分", b)
            continue
        standard = PART_TITLES[key]
        if squash(heading.text.lstrip("一二三四五六七八九十、. ")) != squash(standard[2:]):
            work.note(rules.IMPORT_STANDARD_TITLE, f"这个标题在网页上显示为标准标题“{standard}”", heading)
        out[key] = _part(work, key, blocks)
    for key in PART_KEYS:
        if key not in out:
            work.note(rules.IMPORT_PART_MISSING, f"没有找到“{PART_TITLES[key]}”这一部分")
    return out


def _part(work: Work, key: str, blocks: list[Block]) -> dict[str, Any]:
    intro: list[Span] = []
    sections: list[tuple[Heading, Para, list[Span]]] = []
    for block in blocks:
        if isinstance(block, Table):
            span = Span(None, markdown=table_markdown(block))
            (sections[-1][2] if sections else intro).append(span)
            work.note(rules.IMPORT_TABLE_PROSE, "表格不是整改台账，已作为 Markdown 表格放进正文")
            continue
        h = classify(block, work.levels) if block.level or SECTION_RE.match(half(block.text)) else None
        if h is not None and h.kind == "section":
            body = [Span(block, h.body_start, len(block.text))] if h.body_start < len(block.text) else []
            sections.append((h, block, body))
            continue
        target = sections[-1][2] if sections else intro
        target.append(Span(block, 0, len(block.text)))
    _check_numbers(work, sections)
    if key == "problems":
        return _problems(work, intro, sections)
    result: dict[str, Any] = {}
    if sections:
        if intro:
            result["intro"] = work.prose_spans(intro)
        make = _section if key == "highlights" else _plan
        result["sections"] = [make(work, h, p, body) for h, p, body in sections]
    else:
        result.update(_sections_from_points(work, key, intro))
    if key == "plans" and not result.get("intro"):
        work.note(rules.IMPORT_INTRO_MISSING, "“三、下步工作打算”标题下、（一）之前没有导语段落（intro 必填）")
    return result


def _sections_from_points(work: Work, key: str, spans: list[Span]) -> dict[str, Any]:
    """No （一） headings: each 一是/二是 becomes a section titled by its lead."""
    result: dict[str, Any] = {}
    pre, points = split_points(spans)
    if pre:
        result["intro"] = work.prose_spans(pre)
    result["sections"] = []
    if not points:
        work.note(rules.IMPORT_NO_SECTIONS, f"“{PART_TITLES[key]}”中没有（一）（二）……小节，至少需要一个")
        return result
    work.note(rules.IMPORT_SECTIONS_FROM_POINTS, f"“{PART_TITLES[key]}”没有（一）（二）小标题，按“一是、二是……”分为小节")
    body_key = "intro" if key == "highlights" else "text"
    for spans_of_point in points:
        check_marker(work, spans_of_point)
        lead, body = lead_and_body(spans_of_point)
        section = {"title": work.inline(escape_markdown(lead)) if lead else "【请填写小标题】"}
        section[body_key] = work.prose_spans(body)
        if not lead:
            work.note(rules.IMPORT_NO_LEAD, "这一条没有可作小标题的首句，已填“【请填写小标题】”", spans_of_point[0].para)
        result["sections"].append(section)
    return result


def _check_numbers(work: Work, sections: list[tuple[Heading, Para, list[Span]]]) -> None:
    for expected, (h, p, _) in enumerate(sections, 1):
        if h.n is not None and h.n != expected:
            work.note(rules.IMPORT_SECTION_NUMBERING, f"小标题编号不连续：这里应为（{chinese_number(expected)}），网页按顺序重新编号", p)


def _section(work: Work, h: Heading, p: Para, body: list[Span]) -> dict[str, Any]:
    section: dict[str, Any] = {"title": work.inline(escape_markdown(h.title))}
    pre, points = split_points(body)
    if pre:
        section["intro"] = work.prose_spans(pre)
    if points:
        section["points"] = [_point(work, spans) for spans in points]
    if not h.title:
        work.note(rules.IMPORT_EMPTY_TITLE, "小标题为空", p)
    return section


def _plan(work: Work, h: Heading, p: Para, body: list[Span]) -> dict[str, Any]:
    """A （一） of 三、下步工作打算: title and text (一是… stay in the text)."""
    section = {"title": work.inline(escape_markdown(h.title)), "text": work.prose_spans(body)}
    if not section["text"]:
        work.note(rules.IMPORT_EMPTY_SECTION, "这个小节只有标题没有正文（text 必填）", p)
    if not h.title:
        work.note(rules.IMPORT_EMPTY_TITLE, "小标题为空", p)
    return section


def check_marker(work: Work, spans: list[Span]) -> None:
    """A typo such as the template's own “二是是还存在…” is imported as written: say so."""
    first = spans[0]
    assert first.para is not None
    doubled = doubled_marker(first.para.text[first.start:first.end])
    if doubled:
        message = (f"这一条以“{doubled}”开头，序号重复了（笔误？）：已按“{doubled[:2]}”导入，"
                   f"正文以“{doubled[2:]}”开头。请在 Word 或数据文件中删去重复的“{doubled[2:]}”")
        work.say(rules.IMPORT_DOUBLED_MARKER, message, first.para.text[first.start:], first.para.number)


def _point(work: Work, spans: list[Span]) -> dict[str, str]:
    check_marker(work, spans)
    lead, body = lead_and_body(spans)
    point = {"lead": work.inline(escape_markdown(lead))} if lead else {}
    point["text"] = work.prose_spans(body)
    return point


def _problems(work: Work, intro: list[Span], sections: list[tuple[Heading, Para, list[Span]]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if sections:
        work.note(rules.IMPORT_PROBLEM_SECTIONS, "“二、存在的问题和不足之处”用了（一）（二）小标题，按“一是、二是……”导入，小标题作为每条的首句")
        if intro:
            result["intro"] = work.prose_spans(intro)
        points = []
        for h, _, body in sections:
            point = {"lead": work.inline(escape_markdown(h.title)), "text": work.prose_spans(body)}
            if not point["text"]:
                point = {"text": point["lead"]}
            points.append(point)
        result["points"] = points
        return result
    pre, points_spans = split_points(intro)
    if pre:
        result["intro"] = work.prose_spans(pre)
    else:
        work.note(rules.IMPORT_INTRO_MISSING, "“二、存在的问题和不足之处”在“一是”之前没有导语段落（intro 必填）")
    result["points"] = [_point(work, spans) for spans in points_spans]
    if not points_spans:
        work.note(rules.IMPORT_NO_POINTS, "“二、存在的问题和不足之处”中没有找到“一是、二是……”，至少需要一条问题")
    return result


def all_text(data: dict) -> list[str]:
    """Every text of the opening and the three parts, in order (where figures and titles are looked for)."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for key in ("opening", *PART_KEYS):
        walk(data.get(key))
    return out
