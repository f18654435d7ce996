"""Which campaign, unit and guidance group the report is from.

The party organisation (``X党组``/``X党委``) or the unit's name in the title, opening and
signature names the unit (via ``data/units.yml``); the title, the addressee's prefix and
the year name the campaign; the addressee's number names the group. Ids given on the
command line win; what cannot be settled is an error with the command that fixes it.
"""

from __future__ import annotations

import re

from kb.contrib.docx.frame import ADDRESSEE_RE, PARTY_SUFFIXES
from kb.contrib.docx.normalise import cn_to_int, half, lcs, squash
from kb.contrib.docx.prose import Span
from kb.contrib.docx.read import Para
from kb.contrib.docx.state import Work
from kb.data import rules


def identify(work: Work, title: Para | None, addressee: Para | None, opening: list[Span]) -> None:
    """Settle ``work.campaign_id`` and ``work.unit_id`` and check them against groups and roster."""
    text = " ".join([title.text if title else ""] + [s.text for s in opening[:2]] + [work.signature])
    group_number, prefix = None, ""
    if addressee is not None:
        m = ADDRESSEE_RE.match(half(addressee.text))
        assert m is not None
        group_number, prefix = cn_to_int(m.group("n")), m.group("prefix").strip()
    if not work.campaign_id:
        work.campaign_id = _find_campaign(work, title.text if title else "", prefix)
    elif work.campaign_id not in work.ref.campaigns:
        work.note(rules.IMPORT_CAMPAIGN_UNKNOWN, f"学习教育 {work.campaign_id} 不存在（data/campaigns/ 中没有这个文件）")
    group = work.ref.group_by_number(group_number) if group_number else None
    if group_number and group is None:
        work.note(rules.IMPORT_GROUP_UNKNOWN, f"data/groups.yml 中没有编号为 {group_number} 的指导组", addressee)
    _settle_unit(work, text, group)
    if not work.campaign_id:
        ids = "、".join(work.ref.campaigns)
        work.note(rules.IMPORT_CAMPAIGN_NOT_FOUND, f"无法从标题确定是哪一次学习教育，请用 --campaign 指定（可选：{ids}）",
                  title)
        return
    if work.unit_id and work.ref.unit(work.unit_id) is not None:
        _check_roster(work, group, addressee)


def _settle_unit(work: Work, text: str, group: dict | None) -> None:
    """The unit named on the command line (checked against ``text``), else the one ``text`` names."""
    found = _find_unit(work, text)
    if work.unit_id:
        if work.ref.unit(work.unit_id) is None:
            work.note(rules.IMPORT_UNIT_UNREGISTERED, f"单位 {work.unit_id} 不在 data/units.yml 中：请先登记，"
                      + _register_hint(work, work.unit_id, "", group))
        elif found and found != work.unit_id:
            work.note(rules.IMPORT_UNIT_MISMATCH,
                      f"正文中的党组织属于 {found}，但命令行指定了 {work.unit_id}，以命令行为准")
    elif found:
        work.unit_id = found
    else:
        orgs = list(dict.fromkeys(
            o.removeprefix("中共") for o in re.findall(r"[\u4e00-\u9fff]{2,30}?(?:" + "|".join(PARTY_SUFFIXES) + ")", text)
        ))
        hint = f"（正文中的党组织：{'、'.join(orgs)}）" if orgs else ""
        work.note(rules.IMPORT_UNIT_NOT_FOUND,
                  f"无法从正文确定单位：data/units.yml 中没有与正文对应的党组织或单位名称{hint}。"
                  "如果单位已登记，请用 --unit 指定；新单位请先登记，"
                  + _register_hint(work, "<单位id>", orgs[0] if orgs else "", group))


def _check_roster(work: Work, group: dict | None, addressee: Para | None) -> None:
    """The unit is in the campaign's roster, in the group the report is addressed to."""
    entry = work.ref.roster_entry(work.campaign_id, work.unit_id)
    if entry is None:
        work.note(rules.IMPORT_NOT_IN_ROSTER,
                  f"单位 {work.unit_id} 不在学习教育 {work.campaign_id} 的名单（roster）中：请先加入，"
                  + _register_hint(work, work.unit_id, "", group))
    elif group is not None and entry.get("group") != group.get("id"):
        work.note(rules.IMPORT_GROUP_MISMATCH,
                  f"报告写给{group.get('name')}，但名单中 {work.unit_id} 属于 {entry.get('group')}："
                  "网页以名单为准，请核对", addressee)


def _register_hint(work: Work, unit_id: str, org: str, group: dict | None) -> str:
    """The make new-unit command that registers the unit (and adds it to the roster)."""
    parts = ["--register-only", f"--unit {unit_id}"]
    if org:
        name = org
        for suffix in PARTY_SUFFIXES:
            name = name.removesuffix(suffix)
        parts += [f"--name {name}", f"--party-org {org}"]
    elif work.ref.unit(unit_id) is None:
        parts += ["--name <单位名称>", "--party-org <党组织名称>"]
    parts += [f"--campaign {work.campaign_id or '<学习教育>'}", f"--group {group['id'] if group else '<指导组>'}",
              "--batch <批次>"]
    return f'运行：make new-unit ARGS="{" ".join(parts)}"，然后重新导入'


def _find_unit(work: Work, text: str) -> str:
    """The unit whose party organisation (else name) ``text`` mentions, longest first."""
    squashed = squash(text)
    by_org = sorted(work.ref.units, key=lambda u: -len(str(u.get("party_org", ""))))
    for unit in by_org:
        org = squash(str(unit.get("party_org", "")))
        if org and org in squashed:
            return str(unit["id"])
    by_name = sorted(work.ref.units, key=lambda u: -len(str(u.get("name", ""))))
    for unit in by_name:
        name = squash(str(unit.get("name", "")))
        if name and name in squashed:
            return str(unit["id"])
    return ""


def _find_campaign(work: Work, title: str, prefix: str) -> str:
    """The campaign the title (and the addressee's ``prefix``) names, or the unit's only one."""
    t = squash(title)
    campaigns = work.ref.campaigns
    for cid, c in campaigns.items():
        if t and t == squash(str(c.get("report_title", ""))):
            return cid
    scored = []
    for cid, c in campaigns.items():
        score = 0
        for key in ("short_name", "name"):
            value = squash(str(c.get(key, "")))
            if value and value in t:
                score += 3
        report_title = squash(str(c.get("report_title", "")))
        if t and report_title:
            score += 4 * lcs(t, report_title) / max(len(report_title), len(t))
        year = str(c.get("start", ""))[:4]
        if year and year in t:
            score += 1
        ap = str(c.get("addressee_prefix", ""))
        if prefix and ap and squash(prefix) == squash(ap):
            score += 3
        scored.append((score, cid))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 4 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 1):
        return scored[0][1]
    if work.unit_id:
        having = [cid for cid in campaigns if work.ref.roster_entry(cid, work.unit_id)]
        if len(having) == 1:
            work.note(rules.IMPORT_CAMPAIGN_FROM_ROSTER, f"标题无法确定学习教育，按名单取唯一包含该单位的 {having[0]}")
            return having[0]
    return ""
