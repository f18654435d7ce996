"""Text checks: template blanks left in any text, and numbering the page adds itself.

A report copied from the official template keeps its blanks (X个, 第X指导组, 【请填写…】);
those are errors wherever they are. Section titles and point leads are numbered by the
page ((一), 一是 …) and a lead ends with 。: a contributor who writes them too gets a
warning that shows how the page would read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from kb.data import rules
from kb.data.blanks import SCAFFOLD_MARK
from kb.data.checks.base import Collector, as_list, get
from kb.data.problems import WARNING, Problem
from kb.data.yamlsafe import STR_TAG, SourceDoc, format_path
from kb.text import chinese_number

# A blank X/Ｘ/x of the template next to Chinese text: X个, 第X指导组, X党组, X次, XX单位.
_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9Ａ-Ｚａ-ｚ０-９_])[XＸx]+(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９_])"
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_PLACEHOLDER = re.compile(r"[XＸx](?:光|射线|线|型)")
# What follows the X of a template blank (X党组, XX系统, X个 …), longest first: it is quoted
# with the X, so the message shows exactly the blank (“X党组”, not “X党组认”).
_BLANK_NOUN = re.compile(
    "指导组|党工委|党支部|党总支|党组|党委|系统|单位|部门|领域|行业|街道|[局委办处科室厅院县区市镇乡村]"
    "|[个次件篇项条名人天场期家户所批届轮年月日万元亿]"
)
_SCAFFOLD = SCAFFOLD_MARK
# Numbering the page adds itself, written at the start of a title or lead: （一）(1) 一、 1. 一是 第一，
_CN_NUM = "[一二三四五六七八九十]+"
_NUMBERING = re.compile(
    rf"\s*(?:[（(]\s*(?:{_CN_NUM}|[0-9０-９]+)\s*[）)]|{_CN_NUM}是|{_CN_NUM}[、．.]"
    rf"|[0-9０-９]+[、．.](?![0-9０-９])|第{_CN_NUM}(?=是|[，,、：:；;\s]))[\s，,、：:；;]*"
)
_LEAD_END = re.compile(r"[\s。．.，,；;：:、]+$")  # the page ends a lead with 。 itself


class Placeholder(NamedTuple):
    """A template blank left in a text: where the X is, and a quote around it."""

    offset: int  # of the X (or of 【) in the text
    quote: str  # e.g. 第X指导组
    lead: int  # offset of the X inside ``quote``


def find_placeholders(text: str) -> list[Placeholder]:
    """Template blanks left in ``text``: X个, 第X指导组, X党组, X次 …, and 【请填写…】."""
    found: list[Placeholder] = []
    if "X" in text or "x" in text or "Ｘ" in text:
        for match in _PLACEHOLDER.finditer(text):
            start, end = match.span()
            before, after = text[start - 1 : start], text[end : end + 1]
            if not (_CJK.match(before) or _CJK.match(after)) or _NOT_PLACEHOLDER.match(text, end - 1):
                continue
            left = start - 1 if before == "第" else start
            noun = _BLANK_NOUN.match(text, end)
            right = noun.end() if noun else end
            found.append(Placeholder(start, text[left:right], start - left))
    scaffold = text.find(_SCAFFOLD)
    if scaffold >= 0:
        close = text.find("】", scaffold)
        found.append(Placeholder(scaffold, text[scaffold : close + 1 if close >= 0 else scaffold + 12], 0))
    return found


def check_placeholders(out: Collector, doc: SourceDoc) -> None:
    """Error for every template blank left in any text of ``doc``."""
    for path, info in doc.scalars.items():
        if info.tag != STR_TAG:
            continue
        for blank in find_placeholders(info.raw):
            found = doc.find(path, blank.quote)
            line, col = (found[0], found[1] + blank.lead) if found else doc.mark(path)
            out.problems.append(
                Problem.of(
                    rules.PLACEHOLDER, doc.rel, line, col, f"模板占位符“{blank.quote}”没有替换：请填写实际内容",
                    path=format_path(path),
                )
            )




def _numbered_texts(doc: SourceDoc) -> Iterator[tuple[tuple, str, bool]]:
    """(path, text, is a lead) of the section titles and point leads the page numbers itself."""
    highlights, plans, problems = get(doc, "highlights"), get(doc, "plans"), get(doc, "problems")
    for part, block in (("highlights", highlights), ("plans", plans)):
        sections = block.get("sections") if isinstance(block, dict) else None
        for i, section in enumerate(as_list(sections)):
            if not isinstance(section, dict):
                continue
            yield (part, "sections", i, "title"), section.get("title"), False
            for j, point in enumerate(as_list(section.get("points"))):
                if isinstance(point, dict):
                    yield (part, "sections", i, "points", j, "lead"), point.get("lead"), True
    for j, point in enumerate(as_list(problems.get("points") if isinstance(problems, dict) else None)):
        if isinstance(point, dict):
            yield ("problems", "points", j, "lead"), point.get("lead"), True


def check_numbering(out: Collector, doc: SourceDoc) -> None:
    """Warning for a title or lead that starts with its own numbering, or a lead ending in 。."""
    for path, text, lead in _numbered_texts(doc):
        if not isinstance(text, str) or not text.strip():
            continue
        number = _NUMBERING.match(text)
        head = number.group().strip() if number and number.end() < len(text) else ""
        end = _LEAD_END.search(text) if lead else None
        tail = end.group().strip() if end else ""
        if not head and not tail:
            continue
        fixed = text[number.end() if head and number else 0 : end.start() if tail and end else len(text)].strip()
        n = chinese_number(path[-2] + 1)
        shown = f"{n}是{text.strip()}。" if lead else f"（{n}）{text.strip()}"
        added = f"“{n}是”和句末的“。”" if lead else f"序号“（{n}）”"
        parts = [f"开头的“{head}”"] if head else []
        parts += [f"句末的“{tail}”"] if tail else []
        what = "领句 lead" if lead else "小节标题 title"
        out.at(
            doc, path,
            f"{what} 不用写{'和'.join(parts)}：网页会自动加上{added}，现在会显示成“{shown}”；请写成：{fixed}",
            level=WARNING, expected=fixed, found=text, rule=rules.NUMBERING,
        )

