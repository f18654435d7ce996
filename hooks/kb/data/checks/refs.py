"""References between files, and the campaigns they hang on.

Ids defined in the shared files (groups, units, materials) and campaigns are collected
once per run into an :class:`Index`; duplicates are reported where they are defined.
Then every reference is checked against it: a material's campaigns, a campaign's
required materials and roster (unit, group, batch), a report's campaign, unit and
materials, and whether the report's unit is on its campaign's roster. A campaign is also
checked on its own: its id matches its file name, ``at_most`` names another figure,
start lies before end.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.data import rules
from kb.data.checks.base import Collector, as_id, as_list, get, iso_date, items, suggestion
from kb.data.ids import ID_RE
from kb.data.problems import WARNING
from kb.data.yamlsafe import SourceDoc, format_path

_FIGURE_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass
class CampaignInfo:
    """What report checks need from one campaign, computed once per run."""

    doc: SourceDoc
    roster: dict[str, dict]
    figures: dict[str, dict]
    batches: dict[Any, dict]
    required_materials: list[str]

    @classmethod
    def of(cls, doc: SourceDoc) -> CampaignInfo:
        return cls(
            doc,
            {e["unit"]: e for _i, e in items(doc, "roster") if isinstance(e.get("unit"), str)},
            {f["key"]: f for _i, f in items(doc, "figures") if isinstance(f.get("key"), str)},
            {as_id(b.get("id")): b for _i, b in reversed(list(items(doc, "batches"))) if as_id(b.get("id")) is not None},
            [m for m in as_list(get(doc, "required_materials")) if isinstance(m, str)],
        )


@dataclass
class Index:
    """Known ids (None when the file defining them could not be read)."""

    groups: set[str] | None
    units: set[str] | None
    materials: set[str] | None
    campaigns: dict[str, CampaignInfo]
    material_titles: dict[str, str] = field(default_factory=dict)


def unique_ids(out: Collector, doc: SourceDoc | None, key: str, field_name: str, what: str) -> set[str] | None:
    """Ids of the entries of ``doc[key]``; duplicates are errors at the second one."""
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get(key), list):
        return None
    first: dict[Any, int] = {}
    for index, item in items(doc, key):
        value = as_id(item.get(field_name))
        if value is None:
            continue
        path = (key, index, field_name)
        if value in first:
            out.at(
                doc, path, f"重复的{what} {value}（第 {first[value]} 行已经定义过）",
                found=str(value), rule=rules.DUPLICATE_ID,
            )
        else:
            first[value] = doc.mark(path)[0]
    return {str(v) for v in first}


def check_refs(out: Collector, doc: SourceDoc, path: tuple, value: Any, known: set[str] | None, what: str, where: str) -> bool:
    """Error when the id ``value`` is not in ``known``; True when it is known."""
    if known is None or not isinstance(value, str) or not ID_RE.fullmatch(value):
        return False
    if value in known:
        return True
    out.at(
        doc, path, f"未知的{what} {value}：{where}中没有这个标识{suggestion(value, known)}",
        found=value, rule=rules.UNKNOWN_ID,
    )
    return False


def build_index(
    out: Collector,
    groups: SourceDoc | None,
    units: SourceDoc | None,
    materials: SourceDoc | None,
    campaigns: list[SourceDoc],
) -> Index:
    """The ids every reference is checked against; duplicate ids are reported."""
    campaign_index: dict[str, CampaignInfo] = {}
    for doc in campaigns:
        cid = get(doc, "id")
        if isinstance(cid, str):
            if cid in campaign_index:
                out.at(doc, ("id",), f"学习教育标识 {cid} 与 {campaign_index[cid].doc.rel} 重复", found=cid, rule=rules.DUPLICATE_ID)
            else:
                campaign_index[cid] = CampaignInfo.of(doc)
    index = Index(
        groups=unique_ids(out, groups, "groups", "id", "指导组标识"),
        units=unique_ids(out, units, "units", "id", "单位标识"),
        materials=unique_ids(out, materials, "materials", "id", "学习材料标识"),
        campaigns=campaign_index,
        material_titles={
            m["id"]: m["title"] for _i, m in items(materials, "materials")
            if isinstance(m.get("id"), str) and isinstance(m.get("title"), str)
        },
    )
    unique_ids(out, groups, "groups", "number", "指导组序号")
    return index


def check_shared(
    out: Collector, index: Index, data_dir: Path, materials: SourceDoc | None, campaigns: list[SourceDoc],
) -> None:
    """References in materials.yml and the campaigns; each campaign on its own."""
    known_campaigns = set(index.campaigns) if campaigns or (data_dir / "campaigns").is_dir() else None
    for i, material in items(materials, "materials"):
        for j, cid in enumerate(as_list(material.get("campaigns"))):
            check_refs(out, materials, ("materials", i, "campaigns", j), cid, known_campaigns, "学习教育", "data/campaigns/ ")
    for doc in campaigns:
        _check_campaign(out, doc, index)


def _check_campaign(out: Collector, doc: SourceDoc, index: Index) -> None:
    stem = doc.path.name[: -len(".yml")]
    cid = get(doc, "id")
    if isinstance(cid, str) and ID_RE.fullmatch(cid) and cid != stem:
        out.at(doc, ("id",), f"学习教育标识 {cid} 与文件名 {doc.path.name} 不一致：文件名必须是 <id>.yml", expected=f"{stem}", found=cid, rule=rules.FILE_NAME)
    batches = unique_ids(out, doc, "batches", "id", "批次编号") or set()
    if any(type(b.get("id") if isinstance(b, dict) else None) is not int for b in as_list(get(doc, "batches"))):
        batches = set()  # a batch without a usable number: its schema error is enough
    unique_ids(out, doc, "figures", "key", "数字键名")
    _check_at_most(out, doc)
    for i, material in enumerate(as_list(get(doc, "required_materials"))):
        check_refs(out, doc, ("required_materials", i), material, index.materials, "学习材料", "data/materials.yml ")
    seen: dict[str, int] = {}
    for i, entry in items(doc, "roster"):
        unit = entry.get("unit")
        check_refs(out, doc, ("roster", i, "unit"), unit, index.units, "单位", "data/units.yml ")
        check_refs(out, doc, ("roster", i, "group"), entry.get("group"), index.groups, "指导组", "data/groups.yml ")
        batch = entry.get("batch")
        if type(batch) is int and batches and str(batch) not in batches:
            out.at(
                doc, ("roster", i, "batch"), f"批次 {batch} 不在本学习教育的批次中",
                expected="、".join(sorted(batches)), found=str(batch), rule=rules.UNKNOWN_ID,
            )
        if isinstance(unit, str):
            if unit in seen:
                out.at(doc, ("roster", i, "unit"), f"单位 {unit} 在名册中重复出现（第 {seen[unit]} 行已有）", found=unit, rule=rules.DUPLICATE_ID)
            else:
                seen[unit] = doc.mark(("roster", i, "unit"))[0]
    _date_order(out, doc, (), "学习教育")
    for i, _batch in items(doc, "batches"):
        _date_order(out, doc, ("batches", i), "批次")


def _check_at_most(out: Collector, doc: SourceDoc) -> None:
    """``at_most`` of a declared figure names another figure of the same campaign."""
    keys = [f.get("key") for _i, f in items(doc, "figures") if isinstance(f.get("key"), str)]
    for i, figure in items(doc, "figures"):
        other = figure.get("at_most")
        if not isinstance(other, str) or not _FIGURE_KEY.fullmatch(other):
            continue  # the schema reports it
        path = ("figures", i, "at_most")
        if other == figure.get("key"):
            out.at(doc, path, f"at_most 不能指向本项数字 {other} 自己：请写另一项数字的键名", found=other, rule=rules.AT_MOST)
        elif other not in keys:
            out.at(
                doc, path, f"at_most 指向的数字 {other} 不在本学习教育的 figures 中{suggestion(other, keys)}",
                expected="、".join(str(k) for k in keys), found=other, rule=rules.UNKNOWN_FIGURE,
            )


def _date_order(out: Collector, doc: SourceDoc, base: tuple, what: str) -> None:
    node: Any = doc.data
    for part in base:
        node = node[part] if isinstance(node, dict | list) else None
    if not isinstance(node, dict):
        return
    start, end = iso_date(node.get("start")), iso_date(node.get("end"))
    if start and end and start > end:
        out.at(doc, base + ("end",), f"{what}的结束日期早于开始日期 {start}", level=WARNING, found=end, rule=rules.DATE_ORDER)


def check_report(out: Collector, doc: SourceDoc, index: Index) -> tuple[str, str, CampaignInfo | None, dict | None]:
    """A report's place and references: (campaign id, unit id it claims, its campaign, its roster entry)."""
    folder, stem = doc.path.parent.name, doc.path.name[: -len(".yml")]
    unit, cid = get(doc, "unit"), get(doc, "campaign")
    if isinstance(cid, str) and cid != folder:
        out.at(doc, ("campaign",), f"报告在目录 reports/{folder}/ 下，但 campaign 写的是 {cid}：两者必须一致", expected=folder, found=cid, rule=rules.LAYOUT)
    if isinstance(unit, str) and unit != stem:
        out.at(doc, ("unit",), f"报告文件名是 {doc.path.name}，但 unit 写的是 {unit}：文件名必须是 <单位 id>.yml", expected=stem, found=unit, rule=rules.LAYOUT)
    if not isinstance(cid, str):
        cid = folder
    if not isinstance(unit, str):
        unit = stem
    unit_known = check_refs(out, doc, ("unit",), unit, index.units, "单位", "data/units.yml ")
    info = index.campaigns.get(cid)
    if info is None and ID_RE.fullmatch(cid):
        out.at(
            doc, ("campaign",), f"未知的学习教育 {cid}：data/campaigns/ 中没有 {cid}.yml{suggestion(cid, index.campaigns)}",
            found=cid, rule=rules.UNKNOWN_ID,
        )
    for i, material in enumerate(as_list(get(doc, "materials"))):
        check_refs(out, doc, ("materials", i), material, index.materials, "学习材料", "data/materials.yml ")
        if isinstance(material, str) and not ID_RE.fullmatch(material):
            _title_for_id(out, doc, ("materials", i), material, index.material_titles)
    entry = None
    if info is not None:
        entry = info.roster.get(unit)
        if entry is None and unit_known:
            out.at(doc, ("unit",), f"单位 {unit} 不在学习教育 {cid} 的名册（roster）中：请先在 {info.doc.rel} 的 roster 里添加", found=unit, rule=rules.ROSTER)
    return cid, unit, info, entry


def _title_for_id(out: Collector, doc: SourceDoc, path: tuple, value: str, titles: dict[str, str]) -> None:
    """A study material written by its title where its id belongs: the schema's
    message for it (one error) is replaced by one that names the material's id."""
    material = material_by_title(value, titles)
    if material is None:
        return
    where = format_path(path)
    for n, problem in enumerate(out.problems):
        if problem.file == doc.rel and problem.path == where and problem.rule == rules.SCHEMA_PATTERN.id:
            how = "是" if titles[material] == value.strip("《》 ") else "像是"
            out.problems[n] = dataclasses.replace(
                problem,
                message=f"“{value}”{how}学习材料《{titles[material]}》的标题：materials 中要写材料的标识，写成 {material}",
                expected=material,
            )


def material_by_title(value: str, titles: dict[str, str]) -> str | None:
    """The id of the material whose title is ``value`` (without 《》), exactly or nearly."""
    text = value.strip("《》 ")
    exact = [mid for mid, title in titles.items() if title == text]
    if exact:
        return exact[0]
    by_title = {title: mid for mid, title in titles.items()}
    close = difflib.get_close_matches(text, list(by_title), n=1, cutoff=0.6)
    if close:
        return by_title[close[0]]
    inside = [mid for mid, title in titles.items() if text and (text in title or title in text)]
    return inside[0] if len(inside) == 1 else None
