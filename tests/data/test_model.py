"""Model: Chinese outline numbering, and the cross references built from the example data
(checked against the YAML files read directly)."""

from __future__ import annotations

import functools
import typing
from collections import Counter

import pytest
import yaml

from conftest import DATA
from kb.data import model
from kb.data.load import load_and_validate
from kb.data.problems import INFO, Problem
from kb.data.raw import RawData
from kb.text import chinese_number


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (3, "三"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
     (23, "二十三"), (99, "九十九")],
)
def test_chinese_number(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


def test_chinese_number_rejects_zero() -> None:
    with pytest.raises(ValueError):
        chinese_number(0)


# --- the model built from the example data, checked against the files read directly ---



def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.cache
def example_kb() -> model.KnowledgeBase:
    raw, problems = load_and_validate(DATA)
    assert not [p for p in problems if p.is_error]
    return model.build(raw)


REPORT_FILES = sorted((DATA / "reports").glob("*/*.yml"))


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_report_resolves_roster_batch_and_defaults(path) -> None:
    data = read(path)
    campaign = read(DATA / "campaigns" / f"{data['campaign']}.yml")
    entry = next(e for e in campaign["roster"] if e["unit"] == data["unit"])
    batch = next(b for b in campaign["batches"] if b["id"] == entry["batch"])
    unit = next(u for u in read(DATA / "units.yml")["units"] if u["id"] == data["unit"])
    report = example_kb().report(data["campaign"], data["unit"])
    assert report is not None
    assert report.group.id == entry["group"]
    assert report.batch.id == entry["batch"]
    assert report.late == (str(data["submitted"]) > str(batch["deadline"]))
    assert report.signature == data.get("signature", f"中共{unit['party_org']}")
    assert report.title == data.get("title", campaign["report_title"])
    assert [m.id for m in report.materials] == data.get("materials", [])
    assert report.figures == data.get("figures", {})
    assert len(report.ledger) == len(data.get("ledger", []))
    assert report.source == f"data/reports/{data['campaign']}/{data['unit']}.yml"


def test_late_flags_match_the_batch_deadlines() -> None:
    expected = set()
    for path in REPORT_FILES:
        data = read(path)
        campaign = read(DATA / "campaigns" / f"{data['campaign']}.yml")
        entry = next(e for e in campaign["roster"] if e["unit"] == data["unit"])
        deadline = next(b["deadline"] for b in campaign["batches"] if b["id"] == entry["batch"])
        if str(data["submitted"]) > str(deadline):
            expected.add(f"{data['campaign']}/{data['unit']}")
    assert expected  # the example data shows late reports
    assert {r.id for r in example_kb().reports if r.late} == expected


def test_citations_count_every_report_that_uses_a_material() -> None:
    expected = Counter(m for p in REPORT_FILES for m in read(p).get("materials", []))
    got = {mid: len(reports) for mid, reports in example_kb().citations.items()}
    assert got == dict(expected)


def test_reports_are_ordered_by_campaign_batch_group_unit() -> None:
    keys = [(r.campaign.start, r.batch.id, r.group.number, r.unit.id) for r in example_kb().reports]
    assert keys == sorted(keys)


def test_build_keeps_the_notices_it_is_given() -> None:
    raw, problems = load_and_validate(DATA)
    notice = Problem("data/units.yml", 1, 1, "提示", level=INFO, rule="modeline")
    assert model.build(raw).notices == []
    kb = model.build(raw, notices=[notice])
    assert kb.notices == [notice] and kb.data_dir == raw.data_dir


def test_build_takes_raw_data_typed() -> None:
    hints = typing.get_type_hints(model.build)
    assert hints["raw"] is RawData


# --- ledger items: ongoing deadlines and original wordings ------------------------------


@pytest.mark.parametrize(
    ("deadline", "status", "completed", "overdue", "late"),
    [("2023-12-31", "推进中", "", True, False),
     ("2023-12-31", "未开始", "", True, False),
     ("2026-12-31", "推进中", "", False, False),
     ("2023-12-31", "长期坚持", "", False, False),
     ("2023-12-31", "已完成", "2024-01-05", False, True),
     ("长期坚持", "长期坚持", "", False, False),
     ("持续推进", "推进中", "", False, False),  # the validator refuses it; the model never calls it overdue
     ("常态化", "未开始", "", False, False),
     ("常态化", "已完成", "2024-01-05", False, False)],
)
def test_ongoing_deadline_is_never_overdue(deadline, status, completed, overdue, late) -> None:
    item = model.LedgerItem("问题", "措施", "处", "处长", deadline, status, completed)
    assert item.ongoing == (deadline[0] not in "0123456789")
    assert item.overdue("2026-01-01") is overdue
    assert item.completed_late is late


@pytest.mark.parametrize(
    ("deadline", "text", "note"),
    [("2023-12-31", "2023年12月底", "2023年12月底"), ("2023-12-31", "", ""), ("2023-12-31", "2023-12-31", ""),
     ("常态化", "常态化推进", "常态化推进"), ("2023-12-31", "  ", "")],
)
def test_deadline_note_is_the_wording_when_it_adds_something(deadline, text, note) -> None:
    item = model.LedgerItem("问题", "措施", "处", "处长", deadline, "推进中", deadline_text=text)
    assert item.deadline_note == note
