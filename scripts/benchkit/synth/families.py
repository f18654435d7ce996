"""Paraphrase families planted in the synthetic reports (quality of the 共性问题 grouping).

A *family* is one problem many units share, written by each in its own words: a few
paraphrases of its lead, of its first sentence and of its ledger wording, which share
the family's content words (理论学习, 系统) but little else. :func:`plant` puts a variant of
one family into a report's first problem and, for some reports, its first ledger item;
:func:`planted` says which, from the same seed, so a test knows which items belong
together without reading the files (see ``tests/upward/test_quality.py``).

The decision depends only on the seed and the report id, never on the report's content,
so report ``i`` of a 1,000-report folder equals report ``i`` of a 100-report folder.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

PROBLEM_SHARE = 0.6  # reports whose first problem is a family variant
LEDGER_SHARE = 0.5  # of those, reports whose first ledger item is one too


@dataclass(frozen=True)
class Family:
    id: str
    leads: tuple[str, ...]
    sentences: tuple[str, ...]  # first sentence of the point's text ({q}: 部分/个别 …)
    ledger: tuple[str, ...]


FAMILIES: tuple[Family, ...] = (
    # One topic as real reports have it (issue 17 review): 理论学习 — not deep, not
    # systematic, not joined with the work — in each unit's own words.
    Family("theory", (
        "理论学习的系统性还不够强", "理论学习不够系统深入", "系统学习理论还有差距", "学习理论系统性深入性不足",
        "学用结合不够紧密", "理论学习与业务工作结合不紧", "理论联系实际、学用结合还有差距",
        "理论学习转化为履职能力还不够", "政治理论学习的深度还不够",
    ), (
        "{q}党员干部学习原著原文不够系统，满足于读文件、记笔记。",
        "{q}干部对党的创新理论学得不够系统，原著原文读得少。",
        "{q}同志理论学习停留在读原文、抄笔记，系统性不强。",
        "{q}干部把学习和业务工作当成两张皮，学用结合不紧。",
        "{q}党员学习与业务工作结合不紧，存在两张皮现象。",
        "{q}单位运用理论分析解决实际问题的能力不强，学习研讨联系实际不够。",
    ), ("理论学习系统性不强", "党员干部理论学习不够系统", "学习与业务工作两张皮", "学用结合不紧密")),
    Family("rectify", (
        "问题整改还不够彻底", "整改落实不到位、有反弹", "检视问题整改不彻底", "整改销号把关不严",
    ), (
        "{q}问题整改满足于销号了事，问题清单上的事项出现反弹。",
        "{q}整改事项销号把关不严，整改不彻底，问题反弹回潮。",
        "{q}问题清单整改不彻底，已销号的问题又出现反弹。",
    ), ("问题整改不彻底出现反弹", "整改销号把关不严")),
    Family("burden", (
        "文山会海问题仍然存在", "会议文件多、基层负担重", "基层减负还不到位", "精文减会落实不够",
    ), (
        "{q}会议多、文件多、填报表格多，基层负担仍然较重。",
        "{q}单位开会发文偏多，各类台账报表让基层负担加重。",
        "{q}部门文件会议仍然偏多，重复填报台账报表，基层减负不到位。",
    ), ("会议文件多基层负担重", "重复填报报表加重基层负担")),
    Family("initiative", (
        "担当作为的劲头不足", "干部担当作为不够", "敢于担当的精神还不强", "怕担责、求稳怕乱思想存在",
    ), (
        "{q}干部面对难题怕担责、求稳怕乱，担当作为不够。",
        "{q}同志遇到矛盾绕着走，怕担责任，敢于担当作为的劲头不足。",
        "{q}干部求稳怕乱，怕担责任，攻坚克难的担当作为不够。",
    ), ("干部怕担责担当作为不够", "敢于担当的劲头不足")),
    Family("people", (
        "为群众办实事的成效还不够明显", "解决群众急难愁盼问题还有差距", "为民办实事不够到位", "群众急难愁盼问题解决不够",
    ), (
        "{q}为民办实事项目推进慢，群众急难愁盼问题解决不够及时。",
        "{q}群众反映的急难愁盼问题办理不及时，办实事成效不明显。",
        "{q}单位为群众办实事满足于完成项目，急难愁盼问题解决不彻底。",
    ), ("群众急难愁盼问题解决不及时", "为民办实事推进慢")),
    Family("cells", (
        "基层党组织战斗堡垒作用发挥不充分", "基层党组织作用发挥不够", "党支部战斗堡垒作用不强", "基层党组织组织力不够强",
    ), (
        "{q}基层党支部三会一课流于形式，战斗堡垒作用发挥不充分。",
        "{q}党支部组织生活不严格，三会一课质量不高，战斗堡垒作用不强。",
        "{q}基层党组织三会一课落实不严，组织生活质量不高。",
    ), ("党支部三会一课流于形式", "基层党组织战斗堡垒作用不强")),
    Family("mechanism", (
        "长效机制还不够健全", "建章立制的长效机制不完善", "常态化长效机制有待健全", "制度机制长效性不足",
    ), (
        "{q}工作靠集中突击推动，常态化长效机制还不健全。",
        "{q}好做法没有及时建章立制，长效机制不完善。",
        "{q}单位建章立制滞后，成果巩固的长效机制不健全。",
    ), ("长效机制不健全", "建章立制滞后")),
    Family("youth", (
        "年轻干部培养锻炼不够", "年轻干部历练不足", "干部梯队建设和年轻干部培养有短板", "年轻干部培养机制不完善",
    ), (
        "{q}年轻干部到基层一线历练少，干部梯队建设有断层。",
        "{q}单位年轻干部培养锻炼渠道窄，一线历练不足，梯队衔接不畅。",
        "{q}年轻干部缺少基层一线历练，干部梯队断层。",
    ), ("年轻干部一线历练少", "干部梯队建设有断层")),
    Family("discipline", (
        "纪律作风建设还需加强", "作风纪律方面还有薄弱环节", "警示教育和纪律作风建设不够", "纪律规矩意识有所松懈",
    ), (
        "{q}党员纪律规矩意识淡化，警示教育的震慑作用不够。",
        "{q}干部纪律作风松懈，警示教育针对性不强，纪律规矩意识不牢。",
        "{q}同志纪律规矩意识不强，警示教育入脑入心不够。",
    ), ("纪律规矩意识淡化", "警示教育针对性不强")),
    Family("digital", (
        "信息化数字化水平不高", "数据共享和信息化建设滞后", "数字化平台建设还有短板", "信息平台数据共享不够",
    ), (
        "{q}业务系统各自为政，信息平台之间数据共享不畅，数字化水平不高。",
        "{q}单位信息化平台建设滞后，数据共享不够，群众办事仍要重复提交材料。",
        "{q}部门之间数据共享不畅，信息平台数字化应用水平不高。",
    ), ("信息平台数据共享不畅", "数字化平台建设滞后")),
)

QUALIFIERS = ("部分", "个别", "少数", "一些", "有的")


@dataclass(frozen=True)
class Planted:
    """One planted item: ``kind`` "problem" or "ledger", its 0-based position, its family."""

    report_id: str  # "<campaign>/<unit>"
    kind: str
    index: int
    family: str


def _rng(seed: int, report_id: str) -> random.Random:
    return random.Random(f"families:{seed}:{report_id}")


def decide(seed: int, report_id: str) -> tuple[Family | None, bool, random.Random]:
    """The family planted in a report (or None), whether its ledger gets one, and the RNG
    that picks the wording."""
    rng = _rng(seed, report_id)
    if rng.random() >= PROBLEM_SHARE:
        return None, False, rng
    family = FAMILIES[rng.randrange(len(FAMILIES))]
    return family, rng.random() < LEDGER_SHARE, rng


def plant(data: dict, seed: int) -> dict:
    """The report mapping with a family variant as its first problem (and ledger item)."""
    report_id = f"{data['campaign']}/{data['unit']}"
    family, ledger, rng = decide(seed, report_id)
    if family is None:
        return data
    point = data["problems"]["points"][0]
    sentence = rng.choice(family.sentences).format(q=rng.choice(QUALIFIERS))
    point["lead"] = rng.choice(family.leads)
    point["text"] = sentence + point["text"]
    if ledger and data.get("ledger"):
        data["ledger"][0]["problem"] = rng.choice(family.ledger)
    return data


def planted(report_ids: list[str], seed: int, ledgers: set[str] | None = None) -> list[Planted]:
    """What :func:`plant` put into these reports. ``ledgers``: ids of the reports that have
    a ledger (every synthetic report does; None means all)."""
    out = []
    for report_id in report_ids:
        family, ledger, _ = decide(seed, report_id)
        if family is None:
            continue
        out.append(Planted(report_id, "problem", 0, family.id))
        if ledger and (ledgers is None or report_id in ledgers):
            out.append(Planted(report_id, "ledger", 0, family.id))
    return out


@dataclass(frozen=True)
class Score:
    purity: float  # of the clusters holding planted items: majority family / all their items
    recall: float  # of each family: share of its items in its largest cluster
    planted: int
    clusters: int  # clusters holding planted items


def score(planted_items: dict[tuple, str], cluster_of: dict[tuple, int],
          cluster_sizes: dict[int, int]) -> Score:
    """Purity and recall of a clustering on the planted items (keys: any item key).

    Purity is strict: an unplanted item in a cluster with planted ones counts against it.
    """
    by_cluster: dict[int, Counter[str]] = defaultdict(Counter)
    by_family: dict[str, Counter[int]] = defaultdict(Counter)
    for key, family in planted_items.items():
        by_cluster[cluster_of[key]][family] += 1
        by_family[family][cluster_of[key]] += 1
    majority = sum(c.most_common(1)[0][1] for c in by_cluster.values())
    members = sum(cluster_sizes[k] for k in by_cluster)
    kept = sum(c.most_common(1)[0][1] for c in by_family.values())
    total = len(planted_items)
    return Score(majority / members if members else 1.0, kept / total if total else 1.0,
                 total, len(by_cluster))
