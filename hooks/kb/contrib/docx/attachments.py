"""Tables attached to a report: the rectification ledger, key figures and study materials.

:func:`attachments` takes these tables (and their captions, such as ``附件：整改台账``) out
of the flow of the text before the outline is read; other tables stay in the prose as
Markdown tables. :func:`materials` lists the study materials, from a materials table or
from book titles (《…》) in the text.
"""

from __future__ import annotations

import re

from kb.contrib.docx.figures import figure_table
from kb.contrib.docx.ledger import ledger_columns, parse_ledger
from kb.contrib.docx.normalise import half, squash
from kb.contrib.docx.outline import HEADING_MAX, all_text, classify
from kb.contrib.docx.read import Para, Table
from kb.contrib.docx.state import Work
from kb.data import rules

TABLE_KINDS = {"ledger": "整改台账", "figures": "关键数据", "materials": "学习材料"}
CAPTION = re.compile(r"附件|附表|台账|清单|整改|关键数据|学习材料")


def table_kind(header: list[str]) -> str | None:
    """ledger / figures / materials from a table's header row, or None for other tables."""
    if ledger_columns(header) is not None:
        return "ledger"
    names = [re.sub(r"\s", "", c) for c in header]
    if any(n in {"项目", "指标", "名称", "数据项"} for n in names) and any(
            n in {"数量", "数值", "数字", "数据"} for n in names) and "单位" in names:
        return "figures"
    if any("材料" in n for n in names) and any(n in {"类别", "要求", "类型", "必读/选读"} for n in names):
        return "materials"
    return None


def is_caption(p: Para, levels: dict[int, str]) -> bool:
    """Whether ``p`` is a short caption above an attached table (附件1, 整改台账 …)."""
    text = p.text.strip()
    return (len(text) <= HEADING_MAX and classify(p, levels) is None
            and (bool(re.fullmatch(r"附件\s*\d*", half(text))) or bool(CAPTION.search(text))))


def attachments(work: Work) -> None:
    """Ledger, key-figure and study-material tables (and their captions) leave the flow."""
    for i, block in enumerate(work.blocks):
        if not isinstance(block, Table) or not block.rows:
            continue
        kind = table_kind(block.rows[0])
        if kind is None:
            continue
        work.used.add(id(block))
        if kind == "ledger":
            columns = ledger_columns(block.rows[0])
            assert columns is not None
            work.ledger += parse_ledger(work, block, columns)
        elif kind == "figures":
            figure_table(work, block)
        else:
            _material_table(work, block)
        for back in (1, 2):
            caption = work.blocks[i - back] if i - back >= 0 else None
            if not isinstance(caption, Para) or id(caption) in work.used or not is_caption(caption, work.levels):
                break
            work.used.add(id(caption))
            work.note(rules.IMPORT_TABLE_CAPTION, f"这一段是{TABLE_KINDS[kind]}表格的标题，已随表格导入", caption)


def _material_table(work: Work, table: Table) -> None:
    """Study-material rows → material ids (by title, with or without 《》)."""
    header = [re.sub(r"\s", "", c) for c in table.rows[0]]
    column = next((n for n, c in enumerate(header) if "材料" in c or "名称" in c), 0)
    titles = {squash(str(m.get("title", ""))): str(m["id"]) for m in work.ref.materials}
    for row in table.rows[1:]:
        title = row[column] if column < len(row) else ""
        name = squash(title)
        if name.startswith("《") and name.endswith("》"):
            name = name[1:-1]
        found = titles.get(name)
        if found is None:
            work.keep(rules.IMPORT_MATERIAL_UNKNOWN, f"学习材料“{title}”不在 data/materials.yml 中，未导入", " | ".join(row),
                      table.number)
        elif found not in work.table_materials:
            work.table_materials.append(found)


def materials(work: Work, data: dict) -> list[str]:
    """The study-material ids: from the materials table, else from 《titles》 in the text."""
    if work.table_materials:
        return list(work.table_materials)
    text = squash(" ".join(all_text(data)))
    found = []
    for m in work.ref.materials:
        if work.campaign_id and m.get("campaigns") and work.campaign_id not in m.get("campaigns"):
            continue
        title = squash(str(m.get("title", "")))
        if title and f"《{title}》" in text:
            found.append(str(m["id"]))
    if found:
        work.note(rules.IMPORT_MATERIALS_FOUND, f"根据正文中的书名号找到学习材料：{', '.join(found)}，请补全其他用到的材料")
    else:
        work.note(rules.IMPORT_MATERIALS_MISSING, "学习材料（materials）无法从 Word 中识别，请按 data/materials.yml 补填")
    return found
