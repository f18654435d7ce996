"""Register the units of a roster: new units in ``units.yml``, entries in the campaign roster.

:func:`plan` compares the roster (:mod:`kb.contrib.intake.roster`) with the data directory
and decides, row by row, what to add; it writes nothing. A unit already registered under the
same name keeps its id; a new one gets an id from :func:`kb.contrib.intake.ids.unit_id`.
Anything that contradicts the data — the same name with another party organisation, a
party organisation that belongs to another unit, a group or batch that does not exist, a
unit already in the campaign's roster under another group or batch — is a
:class:`~kb.data.problems.Problem` and the row adds nothing: the data is never silently
changed. Groups are matched by id, number or name as ``scripts/new_unit.py`` does
(:class:`kb.contrib.scaffold.Choices`), then by a number written in the cell (第1组, 一组)
and by a part of the name or short name; a value that fits several groups is listed.
The ``group``/``batch`` options fill cells the roster leaves empty. :func:`choose_campaign`
finds the campaign of a roster given without one (its 学习教育 column, the only campaign,
or the only one open today; never a guess between several).

:func:`apply` writes the plan through :func:`kb.contrib.scaffold.append_list_item` (the
files keep their comments and layout) and :func:`kb.data.confine.write_atomically`. It
skips what is already there, so applying the same roster twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kb.contrib import reportyaml, scaffold
from kb.contrib.intake.ids import unit_id
from kb.contrib.intake.roster import Roster, RosterRow
from kb.contrib.scaffold import Choices, ScaffoldError
from kb.data import confine, rules
from kb.data.problems import Problem
from kb.data.rules import Rule
from kb.text import CHINESE_NUMERALS

ALL_THERE = "名单中的单位都已登记，无需改动"
NOTHING_ADDED = "没有登记新的单位：名单中的行有上面列出的问题"
UNREAD = "没有登记任何单位：名单文件无法读取（{why}）"


@dataclass
class Plan:
    """What registering a roster would add; ``problems`` are the rows that add nothing."""

    campaign: str | None = None
    new_units: list[dict] = field(default_factory=list)  # {id, name, party_org}
    roster_entries: list[dict] = field(default_factory=list)  # {unit, group, batch}
    problems: list[Problem] = field(default_factory=list)
    unit_ids: dict[str, str] = field(default_factory=dict)  # unit name → id, for every row registered


class _RowError(Exception):
    """A row that cannot be registered: its rule and Chinese message."""

    def __init__(self, rule: Rule, message: str) -> None:
        super().__init__(message)
        self.rule = rule


# ------------------------------------------------------------- matching


_NUMBER = re.compile(r"^第?([0-9]+|[" + CHINESE_NUMERALS + r"]+)(?:指导组|组|批次|批)?$")


def number_in(value: str) -> int | None:
    """The number a cell names: ``1``, ``第1组``, ``第一指导组``, ``二批``, ``十二`` → 1, 1, 1, 2, 12."""
    match = _NUMBER.match("".join(value.split()))
    if not match:
        return None
    digits = match.group(1)
    if digits.isdigit():
        return int(digits)
    if len(digits) == 1:
        return CHINESE_NUMERALS.index(digits) + 1
    tens, _, ones = digits.partition("十")
    if "十" not in digits or len(tens) > 1 or len(ones) > 1:
        return None
    return (CHINESE_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (CHINESE_NUMERALS.index(ones) + 1 if ones else 0)


def match_group(choices: Choices, value: str) -> dict:
    """The group ``value`` names. Raises :class:`_RowError` (unknown, or several fit)."""
    try:
        return choices.group(value)
    except ScaffoldError:
        pass
    number = number_in(value)
    if number is not None and (group := choices.group_by_number(number)) is not None:
        return group
    text = "".join(value.split())
    fits = [g for g in choices.groups if text and any(
        text in str(g.get(key) or "") for key in ("name", "short_name"))]
    if len(fits) == 1:
        return fits[0]
    listed = "、".join(f"{g.get('id')}（{g.get('name')}）" for g in (fits or choices.groups))
    if fits:
        raise _RowError(rules.INTAKE_GROUP_UNKNOWN, f"指导组“{value}”有歧义，可能是：{listed}：请写出完整名称或序号")
    raise _RowError(rules.INTAKE_GROUP_UNKNOWN, f"没有指导组“{value}”，可选：{listed}")


def match_batch(campaign: dict, value: str) -> dict:
    """The batch of ``campaign`` that ``value`` names. Raises :class:`_RowError`."""
    try:
        return Choices.batch(campaign, value)
    except ScaffoldError:
        pass
    number = number_in(value)
    for b in campaign.get("batches") or []:
        if number is not None and str(b.get("id")) == str(number):
            return b
    known = "、".join(f"{b.get('id')}（{b.get('name')}）" for b in campaign.get("batches") or [])
    raise _RowError(rules.INTAKE_BATCH_UNKNOWN, f"学习教育 {campaign.get('id')} 没有批次“{value}”，可选：{known}")


# ------------------------------------------------------------- the campaign


class NoCampaign(Exception):
    """No single campaign for the roster (the message, in Chinese, names the choices)."""


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def campaign_named(campaigns: dict[str, dict], value: str) -> list[str]:
    """The campaigns a 学习教育 cell names: by id, name, short name or title, or a part of them."""
    text = _plain(value)
    if not text:
        return []
    names = {cid: [_plain(str(c.get(k) or "")) for k in ("id", "name", "short_name", "report_title")]
             for cid, c in campaigns.items()}
    exact = [cid for cid, keys in names.items() if text in keys]
    if exact:
        return exact
    return [cid for cid, keys in names.items() if any(k and (text in k or k in text) for k in keys[1:])]


def _last_day(campaign: dict) -> str:
    """The campaign's end or its latest batch deadline, whichever is later (ISO text)."""
    days = [str(campaign.get("end") or "")]
    days += [str(b.get(k) or "") for b in campaign.get("batches") or [] if isinstance(b, dict) for k in ("end", "deadline")]
    return max(days)


def _choices(campaigns: dict[str, dict]) -> str:
    return "、".join(f"{cid}（{c.get('short_name') or c.get('name')}）" for cid, c in campaigns.items()) or "（没有）"


def choose_campaign(campaigns: dict[str, dict], roster: Roster, today: date | None = None) -> str:
    """The campaign a roster given without ``--campaign`` is for.

    The roster's 学习教育 column when all its cells name one campaign; else the data
    directory's only campaign, or the only one open ``today`` (from its start to its last
    end or deadline). Raises :class:`NoCampaign` (Chinese, naming the campaigns) otherwise.
    """
    cells = sorted({row.campaign for row in roster.rows if row.campaign})
    if cells:
        named = {cell: campaign_named(campaigns, cell) for cell in cells}
        unclear = [cell for cell, found in named.items() if len(found) != 1]
        chosen = {found[0] for found in named.values() if len(found) == 1}
        if not unclear and len(chosen) == 1:
            return chosen.pop()
        if unclear:
            raise NoCampaign(f"名单“学习教育”列中的“{unclear[0]}”对应不到唯一的学习教育："
                             f"请用 --campaign 指定（可选：{_choices(campaigns)}）")
        raise NoCampaign(f"名单“学习教育”列写了多个学习教育（{'、'.join(sorted(chosen))}）："
                         "请按学习教育分成几份名单，分别用 --campaign 指定")
    if len(campaigns) == 1:
        return next(iter(campaigns))
    day = (today or date.today()).isoformat()
    running = [cid for cid, c in campaigns.items() if str(c.get("start") or "9999") <= day <= _last_day(c)]
    if len(running) == 1:
        return running[0]
    raise NoCampaign("用 --roster 登记单位时，请用 --campaign 指定学习教育，或在名单中加一列“学习教育”"
                     f"（可选：{_choices(campaigns)}）")


# ---------------------------------------------------------------- plan


@dataclass
class _State:
    choices: Choices
    campaign: dict | None
    group: str
    batch: str
    taken: set[str]
    by_name: dict[str, dict]
    by_org: dict[str, dict]
    seen: dict[str, int] = field(default_factory=dict)  # name → first row


def plan(data_dir: Path, roster: Roster, campaign_id: str | None, *,
         group: str | None = None, batch: str | None = None) -> Plan:
    """What registering ``roster`` would add to ``data_dir`` (for ``campaign_id``, if given)."""
    result = Plan(campaign=campaign_id)
    refused = confine.scan(data_dir, data_dir.parent)
    if refused:
        result.problems.extend(refused)
        return result
    choices = Choices.load(data_dir)
    campaign = None
    if campaign_id is not None:
        campaign = choices.campaigns.get(campaign_id)
        if campaign is None:
            known = "、".join(choices.campaigns) or "（没有）"
            result.problems.append(Problem.of(rules.INTAKE_CAMPAIGN_UNKNOWN, roster.file, 0, 0,
                                              f"没有学习教育“{campaign_id}”，可选：{known}"))
            return result
    state = _State(
        choices, campaign, (group or "").strip(), str(batch or "").strip(),
        taken={str(u.get("id")) for u in choices.units},
        by_name={str(u.get("name")): u for u in choices.units},
        by_org={str(u.get("party_org")): u for u in choices.units},
    )
    for row in roster.rows:
        try:
            _plan_row(result, state, row)
        except _RowError as err:
            result.problems.append(Problem.of(err.rule, roster.file, row.line, 0, f"第 {row.line} 行“{row.name}”：{err}"))
    return result


def _plan_row(result: Plan, state: _State, row: RosterRow) -> None:
    first = state.seen.setdefault(row.name, row.line)
    if first != row.line:
        raise _RowError(rules.INTAKE_ROSTER_ROW, f"与第 {first} 行是同一单位，已跳过")
    unit = _unit(state, row)
    entry = _roster_entry(state, row, unit["id"]) if state.campaign is not None else None
    if unit.get("new"):
        del unit["new"]
        result.new_units.append(unit)
        state.taken.add(unit["id"])
        state.by_name[unit["name"]] = unit
        state.by_org[unit["party_org"]] = unit
    if entry is not None:
        result.roster_entries.append(entry)
    result.unit_ids[row.name] = unit["id"]


def _unit(state: _State, row: RosterRow) -> dict:
    """The registered unit of ``row``, or a new one marked ``new``."""
    known = state.by_name.get(row.name)
    if known is not None:
        org = str(known.get("party_org") or "")
        if row.party_org and row.party_org != org:
            raise _RowError(rules.INTAKE_UNIT_CONFLICT,
                            f"已登记为 {known.get('id')}，党组织是“{org}”，与名单中的“{row.party_org}”不同："
                            "请核对名单，或请管理员修改 data/units.yml")
        return {"id": str(known.get("id")), "name": row.name, "party_org": org}
    if not row.party_org:
        raise _RowError(rules.INTAKE_UNIT_INCOMPLETE, "是新单位，名单中缺少党组织名称：请补上（如“市财政局党组”）")
    other = state.by_org.get(row.party_org)
    if other is not None:
        raise _RowError(rules.INTAKE_UNIT_CONFLICT,
                        f"党组织“{row.party_org}”已属于单位“{other.get('name')}”（{other.get('id')}）："
                        "请核对单位名称，或请管理员修改 data/units.yml")
    return {"id": unit_id(row.name, state.taken), "name": row.name, "party_org": row.party_org, "new": True}


def _roster_entry(state: _State, row: RosterRow, unit: str) -> dict | None:
    """The roster entry to add for ``unit``, None when it is already there as the row says."""
    campaign = state.campaign or {}
    group_text, batch_text = row.group or state.group, row.batch or state.batch
    group = match_group(state.choices, group_text) if group_text else None
    batch = match_batch(campaign, batch_text) if batch_text else None
    present = state.choices.roster_entry(str(campaign.get("id")), unit)
    if present is not None:
        if group is not None and group.get("id") != present.get("group"):
            raise _RowError(rules.INTAKE_ROSTER_CONFLICT,
                            f"已在 {campaign.get('id')} 的名单中，属于指导组 {present.get('group')}，"
                            f"与名单文件中的“{group_text}”不同：请核对，或请管理员修改 data/campaigns/{campaign.get('id')}.yml")
        if batch is not None and str(batch.get("id")) != str(present.get("batch")):
            raise _RowError(rules.INTAKE_ROSTER_CONFLICT,
                            f"已在 {campaign.get('id')} 的名单中，属于第 {present.get('batch')} 批，"
                            f"与名单文件中的“{batch_text}”不同：请核对")
        return None
    if group is None or batch is None:
        missing = "、".join(w for w, v in (("指导组", group), ("批次", batch)) if v is None)
        raise _RowError(rules.INTAKE_ROSTER_MISSING,
                        f"还不在 {campaign.get('id')} 的名单中，缺少{missing}：请在名单中填写，或用 --group、--batch 指定")
    return {"unit": unit, "group": group["id"], "batch": batch["id"]}


# --------------------------------------------------------------- apply


def apply(data_dir: Path, plan: Plan) -> list[str]:
    """Write ``plan`` into ``data_dir``; what was done, in Chinese. Nothing already there is added twice.

    Raises :class:`~kb.contrib.scaffold.ScaffoldError` (Chinese) when a file is a link,
    cannot be edited without changing what is there, or cannot be written; files are only
    written when every edit succeeded.
    """
    writes: list[tuple[Path, str]] = []
    done: list[str] = []
    units_path = data_dir / "units.yml"
    text, added = _with_new_items(data_dir, units_path, "units", "id", plan.new_units)
    if added:
        writes.append((units_path, text))
        done += [f"已在 data/units.yml 中登记单位 {u['name']}（{u['id']}）" for u in added]
    if plan.campaign and plan.roster_entries:
        path = data_dir / "campaigns" / f"{plan.campaign}.yml"
        text, entries = _with_new_items(data_dir, path, "roster", "unit", plan.roster_entries)
        if entries:
            writes.append((path, text))
            done += [f"已把 {e['unit']} 加入 data/campaigns/{plan.campaign}.yml 的名单（指导组 {e['group']}，"
                     f"第 {e['batch']} 批）" for e in entries]
    for path, new_text in writes:
        try:
            confine.write_atomically(path, new_text)
        except OSError as exc:
            raise ScaffoldError(f"无法写入 {path.name}：{confine.os_error_text(exc)}") from None
    if done:
        return done
    return [NOTHING_ADDED if plan.problems else ALL_THERE]


def _with_new_items(data_dir: Path, path: Path, key: str, field: str,
                    items: list[dict]) -> tuple[str, list[dict]]:
    """The text of ``path`` with those of ``items`` appended to its list ``key`` whose ``field``
    is not there yet, and those items."""
    text = _read(path, data_dir)
    present = {str(entry.get(field)) for entry in _items(text, key)}
    new = [item for item in items if item[field] not in present]
    return append_all(text, key, new, path), new


def append_all(text: str, key: str, items: list[dict], path: Path) -> str:
    """``text`` with ``items`` appended to the list ``key`` as :func:`scaffold.append_list_item` would,
    one by one, but reading the (large) file a bounded number of times instead of once per item.

    The first item is appended by ``append_list_item`` itself (which checks the file); the others
    are rendered in the same style on a copy of the new entry alone and inserted after it. The
    result is read back and compared once; when it differs, the items are appended one by one.
    """
    if not items:
        return text
    first = _append(text, key, items[0], path)
    if len(items) == 1:
        return first
    old, new = text.split("\n"), first.split("\n")
    prefix = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    block = new[prefix: len(new) - suffix]
    size = 1 if block and block[-1].lstrip().startswith("- {") else len(items[0])
    sample = [f"{key}:", *block[-size:]]
    rendered: list[str] = []
    for item in items[1:]:
        grown = _append("\n".join(sample) + "\n", key, item, path).split("\n")
        rendered += grown[len(sample):-1]
    result = "\n".join(new[: len(new) - suffix] + rendered + new[len(new) - suffix:])
    if _same_plus(text, result, key, items):
        return result
    for item in items[1:]:  # an unusual layout: the careful way
        first = _append(first, key, item, path)
    return first


def _same_plus(before: str, after: str, key: str, items: list[dict]) -> bool:
    """Does ``after`` read as ``before`` with ``items`` appended to the list ``key``?"""
    try:
        old, new = reportyaml.load(before) or {}, reportyaml.load(after)
    except Exception:  # noqa: BLE001 - unreadable means "not the same"
        return False
    if not isinstance(old, dict):
        return False
    expected = dict(old)
    expected[key] = list(old.get(key) or []) + [dict(i) for i in items]
    return new == expected


def _append(text: str, key: str, item: dict, path: Path) -> str:
    try:
        return scaffold.append_list_item(text, key, item)
    except ScaffoldError as err:
        raise ScaffoldError(f"{path.name}：{err}") from None
    except Exception:  # noqa: BLE001 - a YAML error in the file: reported in Chinese, not as a traceback
        raise ScaffoldError(f"{path.name} 的内容无法读取（YAML 格式有误）：请先运行 make validate 修正") from None


def _items(text: str, key: str) -> list[dict]:
    """The entries of the top-level list ``key`` in ``text`` (read leniently)."""
    try:
        data = reportyaml.load(text) if text.strip() else {}
    except Exception:  # noqa: BLE001 - a broken file is reported by append_list_item's check
        data = {}
    items = data.get(key) if isinstance(data, dict) else None
    return [i for i in items or [] if isinstance(i, dict)]


def _read(path: Path, data_dir: Path) -> str:
    refused = confine.path_problems(path, data_dir.parent)
    if refused:
        raise ScaffoldError(f"{refused[0].file}：{refused[0].message}")
    try:
        return path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError):
        raise ScaffoldError(f"无法读取 {path.name}：请检查文件") from None
