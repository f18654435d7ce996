"""Key figures (关键数据): the numbers the campaign declares, from a key-figures table or
out of template sentences such as ``领题调研6个课题`` (matched by label and unit of measure).

A figures table may come before the campaign is known: it then waits in
``Work.pending_figures`` and is read once :func:`collect` runs; rows that still cannot be
mapped are kept as leftovers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kb.contrib.docx.normalise import half, lcs, squash
from kb.contrib.docx.outline import all_text
from kb.contrib.docx.read import Table
from kb.contrib.docx.state import Work, finding
from kb.data import rules
from kb.data.problems import Problem

_CLAUSE_SPLIT = re.compile(r"[，。；、,;：:！？!?\n（）()]")
FIGURE_MIN_SCORE = 0.8


def find_figures(texts: Iterable[str], figures: list[dict], source: str = "") -> tuple[dict[str, int], list[Problem]]:
    """Figure values out of sentences like '领题调研6个课题，到基层走访累计32次'."""
    units = sorted({str(f.get("unit", "")) for f in figures if f.get("unit")}, key=len, reverse=True)
    if not units:
        return {}, []
    number_re = re.compile(r"(\d+|[XxＸｘ])\s*(?:余|多)?\s*(" + "|".join(map(re.escape, units)) + ")")
    values: dict[str, int] = {}
    problems: list[Problem] = []
    for text in texts:
        h = half(text)
        for m in number_re.finditer(h):
            left = _CLAUSE_SPLIT.split(h[: m.start()])[-1][-18:]
            right = _CLAUSE_SPLIT.split(h[m.end():])[0][:6]
            if re.search("未|没有", left):  # 尚未整改的11个问题 is not a count of rectified ones
                continue
            window = left + right
            best, score = None, 0.0
            for fig in figures:
                if str(fig.get("unit")) != m.group(2):
                    continue
                label = str(fig.get("label", ""))
                s = lcs(label, window) / max(len(label), 1)
                if s > score:
                    best, score = fig, s
            if best is None or score < FIGURE_MIN_SCORE:
                continue
            clause = (left + m.group() + right).strip()
            key = str(best["key"])
            if not m.group(1).isdigit():
                problems.append(finding(rules.IMPORT_FIGURE_PLACEHOLDER,
                                        f"模板中“{best['label']}”的数字还是“X”，请在 Word 或数据文件中填写",
                                        source=source, text=clause))
                continue
            value = int(m.group(1))
            if key in values and values[key] != value:
                problems.append(finding(rules.IMPORT_FIGURE_CONFLICT, f"“{best['label']}”出现了两个不同的数字"
                                        f"（{values[key]} 和 {value}），采用了第一个，请核对", source=source, text=clause))
                continue
            values.setdefault(key, value)
    return values, problems


def match_label(label: str, unit: str, figures: list[dict]) -> dict | None:
    """The declared figure a table row's label names (exact, else closely similar)."""
    wanted = squash(label)
    for fig in figures:
        if squash(str(fig.get("label", ""))) == wanted:
            return fig
    best, score = None, 0.0
    for fig in figures:
        if unit.strip() and str(fig.get("unit", "")) != unit.strip():
            continue
        name = squash(str(fig.get("label", "")))
        value = lcs(name, wanted) / max(len(name), len(wanted), 1)
        if value > score:
            best, score = fig, value
    return best if score >= FIGURE_MIN_SCORE else None


def figure_table(work: Work, table: Table, *, final: bool = False) -> None:
    """Key-figure rows → figures. Before the campaign is known the table waits in
    ``pending_figures``; on the ``final`` pass rows that still cannot be mapped are kept
    as leftovers (the table is never queued again)."""
    campaign = work.ref.campaigns.get(work.campaign_id) if work.campaign_id else None
    declared = list((campaign or {}).get("figures") or [])
    if not declared:
        if not final:  # the campaign is not known yet: keep the rows for later
            work.pending_figures.append(table)
            return
        why = ("本学习教育没有声明数字项目" if campaign else
               f"学习教育 {work.campaign_id} 不存在，无法对应数字项目" if work.campaign_id else
               "学习教育未能确定，无法对应数字项目")
        for row in table.rows[1:]:
            work.keep(rules.IMPORT_FIGURE_ROW, f"关键数据表中的“{row[0] if row else ''}”未导入：{why}", " | ".join(row),
                      table.number)
        return
    for row in table.rows[1:]:
        label, value, unit = (row + ["", "", ""])[:3]
        number = re.sub(r"[\s,，]", "", half(value))
        fig = match_label(label, unit, declared)
        text = " | ".join(row)
        if fig is None or not number.isdigit():
            why = "数字不是整数" if fig is not None else "不是本学习教育声明的数字项目"
            work.keep(rules.IMPORT_FIGURE_ROW, f"关键数据表中的“{label}”{why}，未导入", text, table.number)
            continue
        key = str(fig["key"])
        if key in work.table_figures and work.table_figures[key] != int(number):
            work.note(rules.IMPORT_FIGURE_TWICE, f"关键数据表中“{fig['label']}”出现了两次，采用了第一个数字")
            continue
        work.table_figures.setdefault(key, int(number))


def collect(work: Work, data: dict[str, Any]) -> tuple[dict[str, int], list[dict], list[dict]]:
    """(values in declared order, declared figures not found, all declared figures):
    from the key-figures tables if there were any, else from the report's sentences."""
    declared = list(work.campaign.get("figures") or [])
    pending, work.pending_figures = work.pending_figures, []
    for table in pending:
        figure_table(work, table, final=True)
    if work.table_figures:
        values = work.table_figures
        work.note(rules.IMPORT_FIGURES_TABLE, "数字取自“关键数据”表格")
    else:
        values, problems = find_figures(all_text(data), declared, work.source)
        work.problems.extend(problems)
    ordered = {str(f["key"]): values[str(f["key"])] for f in declared if str(f["key"]) in values}
    missing = [f for f in declared if str(f["key"]) not in values]
    for f in missing:
        rule = rules.IMPORT_REQUIRED_FIGURE_MISSING if f.get("required") else rules.IMPORT_FIGURE_MISSING
        work.note(rule, f"正文中没有找到“{f.get('label')}”（{f.get('unit')}）的数字"
                        + ("，这是必填数据" if f.get("required") else ""))
    return ordered, missing, declared
