"""The rectification ledger (整改台账): a table whose header names problem, measure,
responsible unit and person, deadline and status becomes the ``ledger`` list.

Deadlines are read as Chinese reports write them (:func:`kb.data.deadlines.read_deadline`:
2023年12月底 → 2023-12-31, 2024年3月 → 2024-03-31, 12月31日前 → the report's year), the
wording kept in ``deadline_text`` unless it was an exact date (the site's Word export writes a
kept wording after the deadline, ``2023-12-31 原文：2023年12月底``: read back as such); an ongoing deadline (长期坚持,
持续推进, 常态化) stays a word and makes the item 长期坚持. Statuses are read as units write
them through the status synonyms of the schema in the data directory imported into
(已整改 → 已完成, 整改中 → 推进中 …). A cell that cannot be read is kept as written and is
an error naming what it should be, so nothing is lost and nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kb.contrib.docx.normalise import LOOSE_DATE, half, parse_deadline, shorten
from kb.contrib.docx.read import Table
from kb.contrib.docx.state import Work
from kb.data import rules
from kb.data.deadlines import is_date, ongoing_word, read_deadline, read_status

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


def normalise_status(text: str, table: Mapping[str, str]) -> str | None:
    """The schema's status word for a status cell (已整改到位 → 已完成 …), or None;
    ``table`` maps every status and synonym to its status (``Enums.status_table``)."""
    return read_status(text, table)


def report_year(work: Work) -> int | None:
    """The year a deadline without one (12月31日前) belongs to: the report's date's, else
    the campaign's start year, else None."""
    for date in (work.submitted, str(work.campaign.get("start") or "")):
        if is_date(date):
            return int(date[:4])
    return None


# The original wording after the deadline, as the site's Word export writes it: 2023-12-31 / 原文：2023年12月底.
WORDING = re.compile(r"\s*[（(]?原文\s*[：:]\s*")


def read_deadline_cell(work: Work, raw: str) -> tuple[dict[str, str], bool]:
    """The deadline fields of a deadline cell (``deadline`` and maybe ``deadline_text``) and
    whether the cell was read (a date or an ongoing word). A cell that names its original
    wording after the deadline (``2023-12-31 原文：2023年12月底``) keeps it as ``deadline_text``."""
    wording = WORDING.search(raw)
    if wording is not None and wording.start() > 0:
        fields, read = read_deadline_cell(work, raw[:wording.start()].strip())
        text = raw[wording.end():].strip().removesuffix("）").removesuffix(")").strip()
        if read and text and text != fields["deadline"]:
            fields = {"deadline": fields["deadline"], "deadline_text": text}
        return fields, read
    found = read_deadline(raw, report_year(work))
    if found is not None:
        return ({"deadline": found.date} if found.exact else {"deadline": found.date, "deadline_text": raw}), True
    word = ongoing_word(raw, work.ref.enums.ongoing_deadlines)
    if word is not None:
        return ({"deadline": word} if raw == word else {"deadline": word, "deadline_text": raw}), True
    return {"deadline": raw}, False


def _without_year(raw: str) -> bool:
    """A date without its year (12月31日前, 年底): readable once the report's year is known."""
    return read_deadline(raw) is None and read_deadline(raw, 2000) is not None


def settle_deadlines(work: Work) -> None:
    """Deadlines without a year (12月31日前) take the report's year, once the report's date
    and campaign are known (the ledger tables are read first); without one they stay as
    written, with an error."""
    for index, item in enumerate(work.ledger):
        raw = item.get("deadline", "")
        if not isinstance(raw, str) or is_date(raw) or not _without_year(raw):
            continue
        fields, read = read_deadline_cell(work, raw)
        if read:
            work.ledger[index] = _with_deadline(item, fields)
        else:
            label = shorten(item.get("problem") or item.get("measure") or "", 30)
            work.say(rules.IMPORT_LEDGER_DEADLINE, f"整改台账“{label}”的完成时限“{raw}”没有年份，报告日期也未知："
                     "请改为 YYYY-MM-DD", raw)


def _with_deadline(item: dict, fields: dict[str, str]) -> dict:
    """``item`` with its deadline fields replaced, in the same place (deadline_text after deadline)."""
    out: dict = {}
    for key, value in item.items():
        if key == "deadline":
            out.update(fields)
        elif key != "deadline_text":
            out[key] = value
    return out


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
        enums = work.ref.enums
        status = normalise_status(raw_status, enums.status_table)
        label = shorten(item["problem"] or item["measure"], 30)
        deadline, read = read_deadline_cell(work, raw_deadline)
        item.update(deadline)
        if not read and not _without_year(raw_deadline):  # those wait for the report's date: settle_deadlines
            words = "、".join(f"“{w}”" for w in enums.ongoing_deadlines)
            work.say(rules.IMPORT_LEDGER_DEADLINE, f"整改台账“{label}”的完成时限“{raw_deadline}”不是日期，请改为 YYYY-MM-DD"
                     + (f"，持续性的事项写{words}之一" if words else ""), " | ".join(row))
        elif deadline["deadline"] in enums.ongoing_deadlines and enums.ongoing_status:
            if status not in (None, enums.ongoing_status):
                work.say(rules.IMPORT_LEDGER_ONGOING, f"整改台账“{label}”的完成时限是“{raw_deadline}”，状态“{raw_status}”"
                         f"按“{enums.ongoing_status}”导入，请核对", " | ".join(row))
            status = enums.ongoing_status
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
