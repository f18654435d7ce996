"""A new unit from scratch: register it and write a commented report outline to fill.

:func:`create` adds the unit to ``data/units.yml`` and to the campaign's roster when
missing, then writes ``data/reports/<campaign>/<unit>.yml``: the template's outline
with Chinese comments, every prose field a ``【请填写…】`` placeholder (the validator
reports each one with its line) and every declared figure set to 0. The file is
otherwise valid, so the validator's output is exactly the list of things to write.

``units.yml`` and campaign files are edited by *textual append* (:func:`append_list_item`),
in the style of the entries already there, so their comments and layout stay as the
maintainers wrote them; the result is re-read and compared before it is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb.contrib import reportyaml
from kb.contrib.reference import Reference
from kb.contrib.reportyaml import Comment
from kb.data import confine
from kb.data.blanks import SCAFFOLD_MARK, SUBMITTED_PLACEHOLDER
from kb.data.ids import explain_id

PLACEHOLDER = SCAFFOLD_MARK
SECTIONS = 3
POINTS = 3


class ScaffoldError(Exception):
    """A Chinese message for the contributor: what is wrong and how to fix it."""


# ------------------------------------------------------------ textual append

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
_DASH = re.compile(r"^(\s*)-(?:\s|$)(\s*\{)?")


def _render_item(item: Mapping[str, Any], indent: int, flow: bool) -> list[str]:
    pad = " " * indent
    if flow:
        body = ", ".join(f"{k}: {reportyaml.scalar(v, flow=True)}" for k, v in item.items())
        return [f"{pad}- {{{body}}}"]
    lines = []
    for n, (k, v) in enumerate(item.items()):
        lines.append(f"{pad}{'- ' if n == 0 else '  '}{k}: {reportyaml.scalar(v)}")
    return lines


def append_list_item(text: str, key: str, item: Mapping[str, Any], *, default_flow: bool = True) -> str:
    """``text`` with ``item`` appended to the top-level list ``key``, nothing else changed.

    The new entry copies the indentation and the flow (``- {a: 1}``) or block style of the
    entries already there. Raises :class:`ScaffoldError` when the result would not read
    back as the same document plus the new entry.
    """
    before = reportyaml.load(text) or {}
    if not isinstance(before, dict):
        raise ScaffoldError("文件内容不是“字段: 值”的映射，无法自动添加")
    lines = text.split("\n")
    trailing_newline = text.endswith("\n")
    if trailing_newline:
        lines.pop()
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(key)}\s*:", line)), None)
    if start is None:
        new = lines + [f"{key}:"] + _render_item(item, 2, default_flow)
    else:
        head = lines[start].split("#", 1)[0]
        inline_empty = re.match(rf"^{re.escape(key)}\s*:\s*\[\s*\]\s*$", head)
        last, indent, flow = start, None, None
        for i in range(start + 1, len(lines)):
            line = lines[i]
            if _TOP_KEY.match(line):
                break
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            last = i
            m = _DASH.match(line)
            if m and (indent is None or len(m.group(1)) == indent):
                indent, flow = len(m.group(1)), bool(m.group(2))
        rendered = _render_item(item, 2 if indent is None else indent, default_flow if flow is None else flow)
        if inline_empty:
            comment = lines[start][len(head):].strip()
            lines[start] = f"{key}:" + (f"  {comment}" if comment else "")
        new = lines[: last + 1] + rendered + lines[last + 1:]
    result = "\n".join(new) + ("\n" if trailing_newline or start is None else "")
    try:
        after = reportyaml.load(result)
    except yaml.YAMLError:
        after = None
    expected = dict(before)
    expected[key] = list(before.get(key) or []) + [dict(item)]
    if after != expected:
        raise ScaffoldError(f"无法在不改动原有内容的前提下向 {key} 添加条目，请手工添加：{dict(item)}")
    return result


# ----------------------------------------------------------- the choices


class Choices(Reference):
    """The reference data as the scaffold asks for it: a group, campaign or batch named by
    id, number or name as a contributor types it; an unknown one is a :class:`ScaffoldError`
    listing the choices."""

    def group(self, value: str) -> dict:
        """A group by id (g1), number (1) or name (第一指导组)."""
        value = str(value).strip()
        for g in self.groups:
            if value in {str(g.get("id")), str(g.get("number")), str(g.get("name"))}:
                return g
        known = "、".join(f"{g.get('id')}（{g.get('name')}）" for g in self.groups)
        raise ScaffoldError(f"没有指导组“{value}”，可选：{known}")

    def campaign(self, value: str) -> dict:
        """A campaign by id (2023-zhuti), short name (2023年主题教育) or full name."""
        value = str(value).strip()
        if value in self.campaigns:
            return self.campaigns[value]
        for c in self.campaigns.values():
            if value in {str(c.get("short_name")), str(c.get("name"))}:
                return c
        if value.isascii():
            check_id(value, "campaign")  # no name and no possible id (../x): say why
        known = "、".join(f"{cid}（{c.get('short_name') or c.get('name')}）" for cid, c in self.campaigns.items())
        raise ScaffoldError(f"没有学习教育“{value}”，可选：{known}")

    @staticmethod
    def batch(campaign: dict, value: str | int) -> dict:
        for b in campaign.get("batches") or []:
            if str(b.get("id")) == str(value).strip() or str(b.get("name")) == str(value).strip():
                return b
        known = "、".join(f"{b.get('id')}（{b.get('name')}）" for b in campaign.get("batches") or [])
        raise ScaffoldError(f"学习教育 {campaign.get('id')} 没有批次“{value}”，可选：{known}")


# ----------------------------------------------------------- the outline


def _ph(what: str) -> str:
    return f"{PLACEHOLDER}{what}】"


def report_outline(campaign: dict, unit: dict, materials: Sequence[dict] | None = None,
                   today: str | None = None) -> str:
    """The commented report file for ``unit`` in ``campaign``, ready to fill.

    ``submitted`` is the date given as ``today`` or else :data:`SUBMITTED_PLACEHOLDER`,
    never the current date: a date nobody wrote would pass validation unnoticed.
    """
    org = str(unit.get("party_org") or unit.get("name"))
    highlights = {
        "sections": [
            {
                "title": _ph("小节标题"),
                "intro": _ph("本节导语"),
                "points": [{"lead": _ph("领句"), "text": _ph("正文")} for _ in range(POINTS)],
            }
            for _ in range(SECTIONS)
        ]
    }
    problems = {
        "intro": _ph("导语"),
        "points": [{"lead": _ph("问题概括"), "text": _ph("问题的具体表现")} for _ in range(POINTS)],
    }
    plans = {
        "intro": _ph("导语"),
        "sections": [{"title": _ph("打算标题"), "text": _ph("具体措施")} for _ in range(SECTIONS)],
    }
    figures = {str(f["key"]): 0 for f in campaign.get("figures") or []}
    required = [str(m) for m in campaign.get("required_materials") or []]
    data: dict[str, Any] = {
        "unit": unit["id"],
        "campaign": campaign["id"],
        "submitted": today or SUBMITTED_PLACEHOLDER,
        "title": Comment(f"title: {campaign.get('report_title', '')}  # 可选：报告标题与此不同时才需要写，去掉行首的 # 再修改"),
        "opening": _ph("开头段"),
        "highlights": highlights,
        "problems": problems,
        "plans": plans,
        "figures": figures,
        "ledger": Comment(LEDGER_EXAMPLE),
        "materials": required,
        "signature": Comment(f"signature: 中共{org}  # 可选：落款与此不同时才需要写"),
    }
    batch_names = {str(b.get("id")): b.get("name") for b in campaign.get("batches") or []}
    header = [
        reportyaml.REPORT_MODELINE,
        f"# {unit.get('name')} · {campaign.get('report_title', '')}",
        "#",
        "# 填写说明（写完后这几行说明可以保留）：",
        "# 1. 把所有“【请填写……】”换成报告内容。标了“可选”的项目不需要就整段删除。",
        "# 2. 正文写在“|-”的下一行，比字段名多缩进两个空格；分段时段与段之间空一行。",
        "# 3. 只用空格缩进，不要用 Tab 键；冒号“:”和短横线“-”后面都要有一个半角空格。",
        "# 4. 写完运行  make validate  检查，按提示的“文件:行:列”修改；",
        f"#    再运行  make preview UNIT=data/reports/{campaign['id']}/{unit['id']}.yml  预览网页。",
        f"# 批次和指导组以 data/campaigns/{campaign['id']}.yml 的名单为准"
        + (f"（可选批次：{'、'.join(str(v) for v in batch_names.values())}）" if batch_names else "") + "。",
    ]
    figure_notes = {
        f"figures.{f['key']}": f"{f.get('label', '')}（{f.get('unit', '')}）"
        + ("，必填" if f.get("required") else "，可选：没有就删除这一行")
        for f in campaign.get("figures") or []
    }
    trailing = {
        "unit": f"单位：{unit.get('name')}（data/units.yml 中的 id，与文件名相同）",
        "campaign": f"学习教育：{campaign.get('short_name') or campaign.get('name')}（与所在文件夹名相同）",
        "submitted": "报送日期：报告的落款日期，格式 年-月-日，如 2023-09-08（不是今天的日期）",
        "opening": f"开头段，如：……开展以来，{org}认真贯彻落实……现将自查评估情况报告如下：",
        "highlights": "一、工作开展情况及创新亮点做法",
        "highlights.sections": "（一）（二）（三）……每个小节以“- title:”开头，可增可减",
        "highlights.sections.0.title": "小节标题，不写“（一）”",
        "highlights.sections.0.intro": "可选：本节导语，不需要就删除 intro 和下一行",
        "highlights.sections.0.points": "一是、二是、三是……每条以“- lead:”开头，可增可减",
        "highlights.sections.0.points.0.lead": "可选：简短的领句，不写“一是”，句末不加句号",
        "highlights.sections.0.points.0.text": "这一条的具体做法和成效，尽量写实际数字和例子",
        "problems": "二、存在的问题和不足之处",
        "problems.intro": "如：对照目标要求，我们清醒看到还存在一些差距和不足：",
        "problems.points": "一是、二是、三是……",
        "problems.points.0.lead": "可选：问题的概括，句末不加句号",
        "plans": "三、下步工作打算",
        "plans.intro": "如：下一步，我们将坚持收官不收兵……",
        "plans.sections": "（一）（二）（三）……每项以“- title:”开头",
        "figures": "关键数据：只写阿拉伯数字，不写单位",
        "materials": _materials_note(required, materials or ()),
        **figure_notes,
    }
    return reportyaml.dump(data, header=header, trailing=trailing)


LEDGER_EXAMPLE = """整改台账（可选）：有台账时，去掉下面各行开头的“# ”，每个问题一段“- problem:”
ledger:
  - problem: 【请填写：问题】
    measure: 【请填写：整改措施】
    responsible_unit: 【请填写：责任单位（处室）】
    responsible_person: 【请填写：责任人（职务）】
    deadline: 2023-12-31            # 完成时限
    status: 推进中                  # 已完成 | 推进中 | 长期坚持 | 未开始
    # completed: 2023-11-28         # 状态为“已完成”时填写完成日期"""


def _materials_note(required: Sequence[str], materials: Sequence[dict]) -> str:
    base = "学习材料 id，见 data/materials.yml"
    return base + ("；已列出本次学习教育的必读材料，可增删" if required else "；没有就写 []")


# ------------------------------------------------------------------ create


@dataclass
class Request:
    unit: str
    campaign: str
    group: str = ""
    batch: str = ""
    name: str = ""
    party_org: str = ""


@dataclass
class Outcome:
    report: Path
    actions: list[str]


ID_KINDS = {
    "unit": ("单位", "shi-czj（市财政局）、qu-jyj（区教育局）"),
    "campaign": ("学习教育", "2023-zhuti、2024-dangji"),
}


def check_id(value: str, kind: str = "unit") -> None:
    """Raise :class:`ScaffoldError` unless ``value`` follows the schema's id rule.

    The one rule for ids typed by a contributor (``--unit``, ``--campaign``) before they
    become part of a path, shared by ``scripts/new_unit.py`` and ``scripts/import_docx.py``.
    """
    why = explain_id(value)
    if why:
        what, examples = ID_KINDS[kind]
        shown = value if len(value) <= 70 else value[:69] + "…"
        raise ScaffoldError(f"{what} id“{shown}”不可用：{why}。例如 {examples}")


def report_file(data_dir: Path, campaign: str, unit: str) -> Path:
    """``data_dir/reports/<campaign>/<unit>.yml``, the only way report paths are built.

    Both ids must pass :func:`check_id` (so neither can be ``..``, ``/x`` or ``C:``), and
    the path must stay inside ``data_dir/reports`` once links are followed (a folder or
    file that is a link to elsewhere is refused). Raises :class:`ScaffoldError`.
    """
    check_id(campaign, "campaign")
    check_id(unit, "unit")
    reports = data_dir / "reports"
    path = reports / campaign / f"{unit}.yml"
    if not path.resolve().is_relative_to(reports.resolve()):
        raise ScaffoldError(f"reports/{campaign}/{unit}.yml 指向 data/reports/ 之外（其中的文件夹或文件是指向别处的链接），"
                            "没有写入：请检查这个文件夹")
    return path


def plan_roster(choices: Choices, req: Request) -> tuple[dict, dict | None]:
    """(campaign, roster entry to add or None when present). Raises on conflicts."""
    campaign = choices.campaign(req.campaign)
    req.campaign = str(campaign["id"])  # given by name or short name: from here on, its id
    entry = choices.roster_entry(req.campaign, req.unit)
    if entry is not None:
        if req.group and choices.group(req.group).get("id") != entry.get("group"):
            raise ScaffoldError(
                f"单位 {req.unit} 已在 {req.campaign} 的名单中，属于指导组 {entry.get('group')}，"
                f"与指定的 {req.group} 不同：请核对，或请管理员修改 data/campaigns/{req.campaign}.yml")
        if req.batch and str(Choices.batch(campaign, req.batch).get("id")) != str(entry.get("batch")):
            raise ScaffoldError(
                f"单位 {req.unit} 已在 {req.campaign} 的名单中，属于第 {entry.get('batch')} 批，与指定的批次不同：请核对")
        return campaign, None
    if not req.group or not req.batch:
        raise ScaffoldError(f"单位 {req.unit} 还不在 {req.campaign} 的名单中：请给出指导组（--group）和批次（--batch）")
    group = choices.group(req.group)
    batch = Choices.batch(campaign, req.batch)
    return campaign, {"unit": req.unit, "group": group["id"], "batch": batch["id"]}


def create(data_dir: Path, req: Request, *, force: bool = False, today: str | None = None,
           write_report: bool = True) -> Outcome:
    """Register the unit where needed and write its report outline (unless ``write_report`` is off)."""
    check_id(req.unit)
    refused = confine.scan(data_dir, data_dir.parent)  # a linked units.yml is never read or written
    if refused:
        raise ScaffoldError(f"{refused[0].file}：{refused[0].message}")
    choices = Choices.load(data_dir)
    unit = choices.unit(req.unit)
    new_unit = None
    if unit is None:
        if not req.name.strip() or not req.party_org.strip():
            raise ScaffoldError(f"单位 {req.unit} 还没有登记：请给出单位名称（--name）和党组织名称（--party-org）")
        same = [u for u in choices.units if u.get("name") == req.name.strip()]
        if same:
            raise ScaffoldError(f"单位名称“{req.name}”已经登记，id 是 {same[0].get('id')}：请使用这个 id")
        new_unit = {"id": req.unit, "name": req.name.strip(), "party_org": req.party_org.strip()}
        unit = new_unit
    campaign, roster_item = plan_roster(choices, req)
    report = report_file(data_dir, str(campaign["id"]), req.unit)
    if write_report and report.exists() and not force:
        raise ScaffoldError(f"{report.name} 已经存在（{_rel(report, data_dir)}）：直接编辑它即可；确需重新生成请加 --force")
    actions = []
    # compute every edit first, write only when all of them succeeded
    units_path = data_dir / "units.yml"
    campaign_path = data_dir / "campaigns" / f"{campaign['id']}.yml"
    writes: list[tuple[Path, str]] = []
    if new_unit is not None:
        writes.append((units_path, append_list_item(units_path.read_text(encoding="utf-8"), "units", new_unit)))
        actions.append(f"已在 {_rel(units_path, data_dir)} 中登记单位 {new_unit['name']}（{req.unit}）")
    if roster_item is not None:
        text = campaign_path.read_text(encoding="utf-8")
        writes.append((campaign_path, append_list_item(text, "roster", roster_item)))
        group = choices.group(roster_item["group"])
        batch = Choices.batch(campaign, roster_item["batch"])
        actions.append(f"已把 {req.unit} 加入 {_rel(campaign_path, data_dir)} 的名单（{group.get('name')}，{batch.get('name')}）")
    if write_report:
        writes.append((report, report_outline(campaign, unit, choices.materials, today)))
    for path, text in writes:
        confine.write_atomically(path, text)
    if write_report:
        actions.append(f"已生成报告文件 {_rel(report, data_dir)}")
    elif not actions:
        actions.append(f"单位 {req.unit} 已登记并在 {campaign['id']} 的名单中，无需改动")
    return Outcome(report, actions)


def _rel(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)
