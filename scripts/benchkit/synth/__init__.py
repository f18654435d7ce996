"""Synthetic, valid data folders for the scale benchmark (``scripts/bench.py``).

:func:`generate` writes a complete data folder — schema and template copies, groups,
units, materials, several campaigns with batches, figures and rosters, and N reports —
that the project validator accepts. Each report carries about 4,000 characters of Chinese
prose composed from a sizeable phrase vocabulary with a seeded RNG: sentences are built
from independent slots (subject, verb, modifier, business term, object, effect, numbers),
so two reports share words but not runs of sentences, and copy detection does not see
them as near-copies. Report ``i`` depends only on the seed and its campaign and unit,
so the first 100 reports of a 1,000-report folder equal a 100-report folder.

The files are written like contributors write them: the ``yaml-language-server``
modeline first, block scalars for prose, plain dates.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchkit.paths import REPO
from benchkit.synth import families
from benchkit.synth.campaigns import (
    CAMPAIGNS,
    GENERAL_MATERIALS,
    GROUP_COUNT,
    iso_date,
    materials_for,
)
from benchkit.synth.units import SynthUnit, make_unit
from benchkit.synth.vocabulary import (
    ASPECTS,
    GAPS,
    GOAL_TAILS,
    INTRO_ENDS,
    ISSUES,
    LEAD_STATES,
    MODIFIERS,
    NEG,
    OBJECTS,
    PLAN_TIMES,
    PLAN_VERBS,
    VERBS,
    Prose,
    figure_value,
)
from kb.data import schema
from kb.text import chinese_number

__all__ = ["CAMPAIGNS", "SynthResult", "SynthUnit", "generate", "mark_opening", "plan",
           "prose_chars", "report_data", "touch_report"]

FIGURE_ORDER = [("problems_solved", "problems_collected"), ("problems_rectified", "problems_found")]  # (≤, ≥)
REPO_DATA = REPO / "data"


def plan(n: int) -> list[tuple[dict, SynthUnit]]:
    """(campaign, unit) of the N reports: every unit reports in every campaign, in order."""
    per_campaign = math.ceil(n / len(CAMPAIGNS))
    units = [make_unit(i) for i in range(per_campaign)]
    pairs = [(c, u) for u in units for c in CAMPAIGNS]
    return pairs[:n]


def group_of(unit: SynthUnit) -> str:
    return f"g{unit.index % GROUP_COUNT + 1}"


def batch_of(campaign: dict, unit: SynthUnit) -> int:
    return 1 + (unit.index // 3) % len(campaign["batches"])


def _date_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def report_data(campaign: dict, unit: SynthUnit, seed: int) -> dict:
    """The YAML mapping of one synthetic report (about 4,000 characters of prose)."""
    rng = random.Random(f"{seed}:{campaign['id']}:{unit.id}")
    p = Prose(rng, unit.bureau, unit.name, unit.party_org, unit.place)
    batch = next(b for b in campaign["batches"] if b[0] == batch_of(campaign, unit))
    b_end, b_deadline = iso_date(batch[3]), iso_date(batch[4])
    submitted = _date_between(rng, b_end - dt.timedelta(days=12), b_deadline)

    opening = (
        f"{campaign['short_name']}开展以来，{unit.party_org}以{p.term()}为{p.a('抓手|切入点|重点|突破口')}，"
        f"{p.a('坚持把|始终把|切实把')}{campaign['name']}{p.a('作为重大政治任务|摆在突出位置|作为头等大事')}，"
        + p.paragraph(p.sentence, rng.randint(110, 190))
        + f"{p.a('现将|特将|谨将')}{unit.party_org}{campaign['short_name']}"
        + f"{p.a('开展情况|工作情况|开展成效|主要情况')}{p.a('报告如下|汇报如下')}："
    )
    sections = []
    for _ in range(rng.choice((3, 3, 3, 4))):
        section: dict = {
            "title": (f"{p.a('坚持|突出|聚焦|强化|深化|注重|抓实|夯实|锤炼')}{p.pick(ASPECTS)}，"
                      f"{p.a('推动|促进|带动')}{p.term()}{p.pick(GOAL_TAILS)}"),
        }
        if rng.random() < 0.6:
            section["intro"] = p.paragraph(p.sentence, rng.randint(40, 90))
        section["points"] = [
            {"lead": f"{p.pick(VERBS)}{p.term()}{p.pick(OBJECTS)}" if rng.random() < 0.5
             else f"{p.term()}{p.pick(LEAD_STATES)}",
             "text": p.point_text(rng.randint(130, 240))}
            for _ in range(rng.choice((2, 3, 3, 4)))
        ]
        sections.append(section)
    highlights: dict = {"sections": sections}
    if rng.random() < 0.7:
        highlights = {"intro": p.paragraph(p.sentence, rng.randint(50, 110)), **highlights}

    problems = {
        "intro": (f"对照{campaign['short_name']}目标要求，{p.who()}{p.a('认识到|看到|感到')}{p.pick(ASPECTS)}和"
                  f"{p.term()}{p.a('方面|领域')}{p.pick(INTRO_ENDS)}，{p.people()}"
                  f"{p.a('也有反映|有所反映|仍有期盼')}："),
        "points": [
            {"lead": f"{p.who()}{p.pick(NEG)}" if rng.random() < 0.5
             else f"{p.term()}{p.pick(GAPS)}",
             "text": p.paragraph(p.problem_sentence, rng.randint(90, 170))}
            for _ in range(rng.choice((3, 3, 4)))
        ],
    }
    plans = {
        "intro": (f"{p.pick(PLAN_TIMES)}，{p.who()}将{p.pick(PLAN_VERBS)}{p.pick(ASPECTS)}和"
                  f"{p.term()}，推动{campaign['short_name']}成果转化为{p.term()}实效，让"
                  f"{p.people()}{p.a('更满意|得实惠|受益')}。"),
        "sections": [
            {"title": f"{p.pick(PLAN_VERBS)}{p.pick(ASPECTS)}",
             "text": p.paragraph(p.plan_sentence, rng.randint(90, 170))}
            for _ in range(rng.choice((3, 3, 4)))
        ],
    }
    figures = {
        f["key"]: figure_value(rng, f["key"])
        for f in campaign["figures"] if f["required"] or rng.random() < 0.6
    }
    for big, small in FIGURE_ORDER:  # e.g. problems solved never exceed problems collected
        if big in figures and small in figures and figures[big] > figures[small]:
            figures[big], figures[small] = figures[small], figures[big]
    ledger = []
    for _ in range(rng.randint(2, 6)):
        deadline = _date_between(rng, campaign["start"] + dt.timedelta(days=45),
                                 campaign["end"] + dt.timedelta(days=150))
        status = rng.choice(("已完成", "已完成", "推进中", "长期坚持", "未开始"))
        if status == "已完成" and deadline > submitted:
            status = "推进中"
        item = {
            "problem": f"{p.term()}{p.pick(ISSUES)}",
            "measure": f"{p.pick(VERBS)}{p.thing()}，{p.pick(VERBS)}{p.pick(MODIFIERS)}{p.pick(OBJECTS)}",
            "responsible_unit": p.pick(unit.bureau.depts),
            "responsible_person": rng.choice(("科长", "主任", "副局长", "大队长", "负责人")),
            "deadline": deadline,
            "status": status,
        }
        if status == "已完成":
            item["completed"] = _date_between(rng, deadline - dt.timedelta(days=30), deadline)
        ledger.append(item)
    required = [f"{campaign['id']}-m1", f"{campaign['id']}-m2"]
    optional = [f"{campaign['id']}-m{i}" for i in range(3, 6)] + [m["id"] for m in GENERAL_MATERIALS]
    materials = required + rng.sample(optional, rng.randint(0, 3))
    return families.plant({  # paraphrase families for the 共性问题 grouping (kb.upward)
        "unit": unit.id,
        "campaign": campaign["id"],
        "submitted": submitted,
        "opening": opening,
        "highlights": highlights,
        "problems": problems,
        "plans": plans,
        "figures": figures,
        "ledger": ledger,
        "materials": materials,
    }, seed)


def prose_chars(data: object) -> int:
    """Characters of prose in a report mapping (every string except ids and dates)."""
    if isinstance(data, dict):
        return sum(prose_chars(v) for k, v in data.items()
                   if k not in {"unit", "campaign", "materials", "status", "responsible_person"})
    if isinstance(data, list):
        return sum(prose_chars(v) for v in data)
    return len(data) if isinstance(data, str) else 0


class _Dumper(yaml.SafeDumper):
    """Block scalars for prose, plain dates, no line wrapping."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value or len(value) > 60 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _modeline(kind: str, depth: int) -> str:
    return schema.modeline(kind, depth) + "\n"


def dump(data: object, modeline: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000, indent=2)
    return modeline + body


@dataclass(frozen=True)
class SynthResult:
    data_dir: Path
    reports: list[Path]
    report_ids: list[str]  # "<campaign>/<unit>"
    prose_chars: int


def generate(dest: Path, n: int, seed: int = 2024) -> SynthResult:
    """Write a data folder with N reports into ``dest`` (created; must be empty or absent)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    shutil.copytree(REPO_DATA / "schema", dest / "schema")
    if (REPO_DATA / "template").is_dir():
        shutil.copytree(REPO_DATA / "template", dest / "template")

    pairs = plan(n)
    units = list({u.id: u for _, u in pairs}.values())
    groups = [{"id": f"g{i}", "name": f"第{chinese_number(i)}指导组", "number": i,
               "note": f"联系第{i}片区单位（虚构）"} for i in range(1, GROUP_COUNT + 1)]
    (dest / "groups.yml").write_text(dump({"groups": groups}, _modeline("groups", 0)), "utf-8")
    (dest / "units.yml").write_text(dump(
        {"units": [{"id": u.id, "name": u.name, "party_org": u.party_org} for u in units]},
        _modeline("units", 0)), "utf-8")
    materials = [m for c in CAMPAIGNS for m in materials_for(c)] + GENERAL_MATERIALS
    (dest / "materials.yml").write_text(
        dump({"materials": materials}, _modeline("materials", 0)), "utf-8")

    (dest / "campaigns").mkdir()
    for c in CAMPAIGNS:
        roster = [{"unit": u.id, "group": group_of(u), "batch": batch_of(c, u)}
                  for cc, u in pairs if cc is c]
        if not roster:
            continue
        doc = {k: c[k] for k in ("id", "name", "short_name", "report_title", "addressee_prefix",
                                 "start", "end", "summary")}
        doc["batches"] = [{"id": b[0], "name": b[1], "start": iso_date(b[2]), "end": iso_date(b[3]),
                           "deadline": iso_date(b[4])} for b in c["batches"]]
        doc["figures"] = c["figures"]
        doc["required_materials"] = [f"{c['id']}-m1", f"{c['id']}-m2"]
        doc["roster"] = roster
        (dest / "campaigns" / f"{c['id']}.yml").write_text(
            dump(doc, _modeline("campaign", 1)), "utf-8")

    paths, ids, chars = [], [], 0
    report_modeline = _modeline("report", 2)
    for c, u in pairs:
        folder = dest / "reports" / c["id"]
        folder.mkdir(parents=True, exist_ok=True)
        data = report_data(c, u, seed)
        chars += prose_chars(data)
        path = folder / f"{u.id}.yml"
        path.write_text(dump(data, report_modeline), "utf-8")
        paths.append(path)
        ids.append(f"{c['id']}/{u.id}")
    return SynthResult(dest, paths, ids, chars)


# ---------------------------------------------------------------------------------------
# Editing a generated report (as a contributor saving it would)
# ---------------------------------------------------------------------------------------


def mark_opening(text: str, marker: str) -> str:
    """The report YAML with ``marker`` put at the start of its opening paragraph."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^opening:\s*[|>]", line) and i + 1 < len(lines):
            indent = re.match(r"^\s*", lines[i + 1]).group(0)
            lines[i + 1] = indent + marker + lines[i + 1][len(indent):]
            return "\n".join(lines)
        if line.startswith("opening: "):
            value = line[len("opening: "):]
            lines[i] = "opening: " + marker + value
            return "\n".join(lines)
    raise ValueError("no opening: field in the report")


def touch_report(path: Path, marker: str) -> None:
    """Put ``marker`` at the start of a generated report's opening and move the file's
    modification time on (two saves within a clock tick still differ)."""
    path.write_text(mark_opening(path.read_text("utf-8"), marker), "utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
