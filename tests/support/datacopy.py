"""A scratch copy of data/ for tests that register units or import reports.

The tests use fictitious "new" units (市审计局 shi-sjj, 市档案局 shi-daj) — the same ones
CONTRIBUTING.md walks a contributor through. Once a contributor has really registered
one of them, the live data no longer matches what the tests expect, so the copy
*forgets* them: their units.yml entries and roster lines are cut out of the text (every
other line, comment and layout is kept byte for byte) and no report is copied.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import DATA

# Units the tests treat as not registered yet (by id or by name/party organisation).
NEW_UNIT_IDS = frozenset({"shi-sjj", "shi-daj"})
NEW_UNIT_NAMES = frozenset({"市审计局", "市审计局党组", "市档案局", "市档案局党组"})
# Roster lines the tests treat as absent: campaign -> unit ids.
NOT_IN_ROSTER = {"2024-dangji": frozenset({"shi-fgw"})}


def copy_data(target: Path, *, reports: bool = False) -> Path:
    """Copy data/ to ``target`` without the test's new units (and without reports unless asked)."""
    ignore = None if reports else shutil.ignore_patterns("reports")
    shutil.copytree(DATA, target, ignore=ignore)
    (target / "reports").mkdir(exist_ok=True)
    units_file = target / "units.yml"
    units = yaml.safe_load(units_file.read_text(encoding="utf-8")).get("units") or []
    forgotten = {u["id"] for u in units
                 if u.get("id") in NEW_UNIT_IDS or {u.get("name"), u.get("party_org")} & NEW_UNIT_NAMES}
    forgotten |= NEW_UNIT_IDS
    _drop_items(units_file, "units", lambda item: item.get("id") in forgotten)
    for campaign in sorted((target / "campaigns").glob("*.yml")):
        absent = forgotten | NOT_IN_ROSTER.get(campaign.stem, frozenset())
        _drop_items(campaign, "roster", lambda item, absent=absent: item.get("unit") in absent)
        for unit in absent:
            (target / "reports" / campaign.stem / f"{unit}.yml").unlink(missing_ok=True)
    _check(target, forgotten)
    return target


def _drop_items(path: Path, key: str, drop) -> None:
    """Cut the list items of top-level ``key`` for which ``drop(item)`` is true, line by line."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text)
    if root is None or not isinstance(root, yaml.MappingNode):
        return
    seq = next((v for k, v in root.value if k.value == key), None)
    if not isinstance(seq, yaml.SequenceNode):
        return
    lines = text.splitlines(keepends=True)
    cuts = []
    for node in seq.value:
        item = yaml.safe_load(yaml.serialize(node))
        if isinstance(item, dict) and drop(item):
            end = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
            cuts.append((node.start_mark.line, end))
    for start, end in reversed(cuts):
        del lines[start:end + 1]
    path.write_text("".join(lines), encoding="utf-8")


def _check(target: Path, forgotten: set[str]) -> None:
    """Fail loudly if a layout defeated the line cutting (rather than testing the wrong data)."""
    units = yaml.safe_load((target / "units.yml").read_text(encoding="utf-8"))["units"]
    left = [u for u in units if u["id"] in forgotten or {u.get("name"), u.get("party_org")} & NEW_UNIT_NAMES]
    assert not left, f"test data copy still holds the test's new units: {left}"
    for campaign in (target / "campaigns").glob("*.yml"):
        roster = yaml.safe_load(campaign.read_text(encoding="utf-8")).get("roster") or []
        absent = forgotten | NOT_IN_ROSTER.get(campaign.stem, frozenset())
        assert not [r for r in roster if r["unit"] in absent], f"{campaign.name}: roster still lists {absent}"
