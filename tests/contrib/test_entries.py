"""kb.contrib.entries: the entries of units.yml / a roster a change touches, by key, and the
file with only the chosen entries' changes (what ``make submit`` stages)."""

from __future__ import annotations

import pytest

from kb.contrib.entries import ADDED, CHANGED, REMOVED, ROSTER, UNITS, changes, keep_only

UNITS_BASE = """# yaml-language-server: $schema=schema/units.schema.json
# 单位名录
units:
  - {id: shi-czj, name: 市财政局, party_org: 市财政局党组}
  - {id: shi-fgw, name: 市发展和改革委员会, party_org: 市发展和改革委员会党组}
"""
OLD_UNIT = "  - {id: shi-daj, name: 市档案局, party_org: 市档案局党组}\n"
OWN_UNIT = "  - {id: shi-lcj, name: 市林业局, party_org: 市林业局党组}\n"
BLOCK_UNIT = "  - id: shi-lcj\n    name: 市林业局\n    party_org: 市林业局党组\n"
ROSTER_BASE = """id: 2023-zhuti
name: 主题教育
roster:
  - {unit: shi-czj, group: g1, batch: 1}
batches:
  - {id: 1, name: 第一批}
"""

# (name, kind, base, current, keep, the changes by key, what the staged text must equal)
CASES = [
    ("own-only", UNITS, UNITS_BASE, UNITS_BASE + OWN_UNIT, {"shi-lcj"},
     [("shi-lcj", ADDED)], UNITS_BASE + OWN_UNIT),
    ("unrelated-registered-earlier", UNITS, UNITS_BASE, UNITS_BASE + OLD_UNIT + OWN_UNIT, {"shi-lcj"},
     [("shi-daj", ADDED), ("shi-lcj", ADDED)], UNITS_BASE + OWN_UNIT),
    ("unrelated-after-own", UNITS, UNITS_BASE, UNITS_BASE + OWN_UNIT + OLD_UNIT, {"shi-lcj"},
     [("shi-lcj", ADDED), ("shi-daj", ADDED)], UNITS_BASE + OWN_UNIT),
    ("block-style", UNITS, UNITS_BASE, UNITS_BASE + OLD_UNIT + BLOCK_UNIT, {"shi-lcj"},
     [("shi-daj", ADDED), ("shi-lcj", ADDED)], UNITS_BASE + BLOCK_UNIT),
    ("no-final-newline", UNITS, UNITS_BASE.rstrip("\n"), UNITS_BASE + OLD_UNIT + OWN_UNIT, {"shi-lcj"},
     [("shi-daj", ADDED), ("shi-lcj", ADDED)], UNITS_BASE + OWN_UNIT),
    ("changed-other-unit", UNITS, UNITS_BASE, UNITS_BASE.replace("市财政局,", "市财政局（改）,") + OWN_UNIT,
     {"shi-lcj"}, [("shi-czj", CHANGED), ("shi-lcj", ADDED)], UNITS_BASE + OWN_UNIT),
    ("removed-other-unit", UNITS, UNITS_BASE, UNITS_BASE.replace(
        "  - {id: shi-fgw, name: 市发展和改革委员会, party_org: 市发展和改革委员会党组}\n", "") + OWN_UNIT,
     {"shi-lcj"}, [("shi-lcj", ADDED), ("shi-fgw", REMOVED)], UNITS_BASE + OWN_UNIT),
    ("roster-in-the-middle", ROSTER, ROSTER_BASE, ROSTER_BASE.replace(
        "batches:", "  - {unit: shi-daj, group: g1, batch: 1}\n  - {unit: shi-lcj, group: g2, batch: 2}\nbatches:"),
     {"shi-lcj"}, [("shi-daj", ADDED), ("shi-lcj", ADDED)],
     ROSTER_BASE.replace("batches:", "  - {unit: shi-lcj, group: g2, batch: 2}\nbatches:")),
]


@pytest.mark.parametrize(("name", "kind", "base", "current", "keep", "touched", "staged"), CASES, ids=[c[0] for c in CASES])
def test_changes_by_entry_and_the_file_with_only_ones_own(name, kind, base, current, keep, touched, staged) -> None:
    assert [(c.key, c.kind) for c in changes(base, current, kind)] == touched
    assert keep_only(base, current, kind, keep) == staged


def test_a_layout_it_cannot_split_gives_none_not_a_wrong_file() -> None:
    base = "units: [{id: shi-czj, name: 市财政局, party_org: 市财政局党组},\n  {id: shi-fgw, name: 发改委, party_org: 发改委党组}]\n"
    current = base.replace("}]", "},\n  {id: shi-daj, name: 档案局, party_org: 档案局党组}, {id: shi-lcj, name: 林业局, party_org: 林业局党组}]")
    assert [c.key for c in changes(base, current, UNITS)] == ["shi-daj", "shi-lcj"]
    assert keep_only(base, current, UNITS, {"shi-lcj"}) is None


@pytest.mark.parametrize("text", ["units: [", "units: 3", "- a\n- b\n"], ids=["broken-yaml", "not-a-list", "not-a-mapping"])
def test_a_file_that_is_not_a_list_file_is_a_chinese_error(text) -> None:
    with pytest.raises(ValueError, match="[\u4e00-\u9fff]"):
        changes(UNITS_BASE, text, UNITS)
