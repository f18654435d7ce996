"""The rectification ledger (整改台账): a table whose header names problem, measure,
responsible unit and person, deadline and status becomes the ``ledger`` list.

Dates are read as Chinese reports write them (a month alone means its last day); statuses
as units write them (已整改到位 → 已完成 …). A cell that cannot be read is kept as written
and is an error naming what it should be (the statuses of the schema in the data directory
imported into), so nothing is lost and nothing is guessed.
"""

from __future__ import annotations

import re
from typing import Any

from kb.contrib.docx.normalise import LOOSE_DATE, half, parse_deadline, shorten
from kb.contrib.docx.read import Table
from kb.contrib.docx.state import Work
from kb.data import rules

LEDGER_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("measure", ("措施",)),
    ("responsible_person", ("责任人", "负责人")),
    ("responsible_unit", ("责任单位", "责任部门", "责任处室", "牵头单位", "牵头部门", "责任科室")),
    ("deadline", ("时限", "期限", "截止")),
    ("completed", ("完成时间", "完成日期", "销号时间", "办结时间")),
    ("status", ("状态", "进展", "完成情况", "进度", "整改情况")),
    ("problem", ("问题",)),
]


def ledger_columns(header: list[str]) -> dict[str, int] | None:
    """Column of each ledger field, when ``header`` is a rectification-ledger header row."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = re.sub(r"\s", "", cell)
        for key, words in LEDGER_COLUMNS:
            if key not in found and any(w in name for w in words):
                found[key] = index
                break
    if "completed" in found and "deadline" not in found:
        found["deadline"] = found.pop("completed")
    if {"problem", "measure"} <= found.keys() and len(found) >= 3:
        return found
    return None


def normalise_status(text: str) -> str | None:
    """The schema's status word for a status cell (已整改到位 → 已完成 …), or None."""
    t = re.sub(r"\s", "", text)
    if not t:
        return None
    if "未开始" in t or "未启动" in t:
        return "未开始"
    if "长期" in t or "常态" in t:
        return "长期坚持"
    if ("完成" in t or "整改到位" in t or "已整改" in t or "销号" in t) and "未完成" not in t:
        return "已完成"
    if any(w in t for w in ("推进", "进行", "整改中", "持续", "正在", "未完成")):
        return "推进中"
    return None


def parse_ledger(work: Work, table: Table, columns: dict[str, int]) -> list[dict]:
    """The ledger items of ``table`` (its first row is the header); unreadable cells are noted."""
    items = []
    for row in table.rows[1:]:
        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        if not cell("problem") and not cell("measure"):
            continue
        item: dict[str, Any] = {
            "problem": cell("problem"),
            "measure": cell("measure"),
            "responsible_unit": cell("responsible_unit"),
            "responsible_person": cell("responsible_person"),
        }
        raw_deadline = cell("deadline")
        raw_status = cell("status")
        status = normalise_status(raw_status)
        deadline = parse_deadline(raw_deadline)
        label = shorten(item["problem"] or item["measure"], 30)
        if deadline:
            item["deadline"] = deadline
        else:
            item["deadline"] = raw_deadline
            work.say(rules.IMPORT_LEDGER_DEADLINE, f"整改台账“{label}”的完成时限“{raw_deadline}”不是日期，请改为 YYYY-MM-DD",
                     " | ".join(row))
        item["status"] = status or raw_status
        if status is None:
            expected = "、".join(work.ref.enums.ledger_statuses)  # the data dir's schema
            work.say(rules.IMPORT_LEDGER_STATUS, f"整改台账“{label}”的状态“{raw_status}”无法识别"
                     + (f"，应为{expected}" if expected else ""), " | ".join(row))
        completed = parse_deadline(cell("completed")) if "completed" in columns else None
        if completed is None and status == "已完成":
            m = LOOSE_DATE.search(half(raw_status))
            completed = parse_deadline(m.group()) if m else None
        if status == "已完成":
            if completed:
                item["completed"] = completed
            else:
                work.say(rules.IMPORT_LEDGER_COMPLETED, f"整改台账“{label}”状态为已完成，但没有完成日期：请补填 completed",
                         " | ".join(row))
        items.append({k: v for k, v in item.items() if v != "" or k in ("problem", "measure", "deadline")})
    return items
