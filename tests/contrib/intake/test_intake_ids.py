"""Unit ids from names (kb.contrib.intake.ids): the style of data/units.yml, stable, never taken."""

from __future__ import annotations

import pytest
import yaml

from conftest import DATA
from kb.contrib.intake.ids import base_id, unit_id
from kb.data.ids import explain_id

UNITS = yaml.safe_load((DATA / "units.yml").read_text(encoding="utf-8"))["units"]
# Registered ids the rule does not give, and why. Anything else must match.
KNOWN_EXCEPTIONS = {
    # 区卫生健康局 is a 局 (卫健局 → wjj); its id was written as for the 委员会 (卫健委).
    "qu-wjw": "qu-wjj",
}


@pytest.mark.parametrize("unit", UNITS, ids=[u["id"] for u in UNITS])
def test_registered_units_get_their_own_id(unit: dict) -> None:
    expected = KNOWN_EXCEPTIONS.get(unit["id"], unit["id"])
    assert base_id(unit["name"]) == expected


def test_most_registered_ids_are_reproduced() -> None:
    same = sum(base_id(u["name"]) == u["id"] for u in UNITS)
    assert same >= 0.9 * len(UNITS)
    assert set(KNOWN_EXCEPTIONS) <= {u["id"] for u in UNITS}  # a stale exception is noticed


@pytest.mark.parametrize(("name", "expected"), [
    ("市财政局", "shi-czj"),
    ("市 财 政 局", "shi-czj"),                       # spaces typed in the cell
    ("区市场监督管理局", "qu-scjgj"),                  # 区 + the short form 市场监管局
    ("市市场监督管理局", "shi-scjgj"),
    ("市场监督管理局", "scjgj"),                      # 市场 is not the level 市
    ("县教育局", "qu-jyj"),                           # 区/县 → qu
    ("省统计局", "sheng-tjj"),
    ("中国银行市分行", "zgyhsfh"),                    # heteronym 行 read in context: 银行 yinhang
    ("市重大项目办公室", "shi-zdxmbgs"),              # 重大 zhong, not chong
    ("重庆路街道", "jd-chongqinglu"),                 # 重庆 chong; streets in full pinyin
    ("长安镇", "zhen-changan"),                      # 长安 chang
    ("绿水乡", "xiang-lvshui"),                       # ü written v
    ("西湖街道办事处", "jd-xihu"),
    ("ＡＢＣ科技公司", "abckjgs"),                    # full-width letters folded
    ("市第2中学", "shi-d2zx"),                        # digits kept
    ("区乡村振兴局", "qu-xczxj"),                     # 乡 at the start is not the level 乡
])
def test_tricky_names(name: str, expected: str) -> None:
    assert base_id(name) == expected
    assert explain_id(base_id(name)) == ""


def test_taken_ids_get_a_numeric_suffix() -> None:
    assert unit_id("市财政局", set()) == "shi-czj"
    assert unit_id("市财政局", {"shi-czj"}) == "shi-czj-2"
    assert unit_id("市财政局", {"shi-czj", "shi-czj-2"}) == "shi-czj-3"


def test_stable() -> None:
    taken = {"shi-czj"}
    assert {unit_id("市残联", taken) for _ in range(3)} == {unit_id("市残联", set(taken))}


@pytest.mark.parametrize("name", ["", "   ", "——", "！！", "a" * 200, "市" + "长" * 100, "-x-"])
def test_always_a_valid_id(name: str) -> None:
    made = unit_id(name, set())
    assert explain_id(made) == ""
    assert len(made) <= 60  # room left for a "-999" suffix
