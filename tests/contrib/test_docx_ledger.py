"""Ledger cells of the Word import (kb.contrib.docx.ledger): deadlines and statuses as units
write them, read through the schema of the data directory imported into."""

from __future__ import annotations

import pytest

from kb.contrib.docx.ledger import normalise_status, parse_ledger, settle_deadlines
from kb.contrib.docx.read import Table
from kb.contrib.docx.state import Work
from kb.contrib.reference import Reference
from kb.data import rules
from kb.data import schema as schemas

ENUMS = schemas.enums(schemas.SCHEMA_DIR)
HEADER = ["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限", "状态"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("已完成", "已完成"), ("已整改到位", "已完成"), ("完成（2023.11.28）", "已完成"), ("未完成", "推进中"),
     ("正在推进", "推进中"), ("长期坚持", "长期坚持"), ("常态化推进", "长期坚持"), ("未启动", "未开始"),
     ("已整改", "已完成"), ("整改完成", "已完成"), ("整改中", "推进中"),
     ("研究中", None), ("", None)],
)
def test_normalise_status(text, expected):
    assert normalise_status(text, ENUMS.status_table) == expected


def work(submitted: str = "2023-09-08", campaign: dict | None = None) -> Work:
    ref = Reference(groups=[], units=[], campaigns={"c": campaign or {}}, enums=ENUMS)
    return Work(blocks=[], ref=ref, levels={}, today="2026-01-01", campaign_id="c", submitted=submitted)


def parse(w: Work, deadline: str, status: str) -> dict:
    table = Table([HEADER, ["1", "问题甲", "措施甲", "处室", "某人", deadline, status]])
    columns = {"problem": 1, "measure": 2, "responsible_unit": 3, "responsible_person": 4, "deadline": 5, "status": 6}
    return parse_ledger(w, table, columns)[0]


@pytest.mark.parametrize(
    ("deadline", "status", "expected", "rule"),
    [
        # dates as people write them: the date, the wording kept when it was approximate
        ("2023年12月底", "推进中", {"deadline": "2023-12-31", "deadline_text": "2023年12月底", "status": "推进中"}, None),
        ("12月31日前", "推进中", {"deadline": "2023-12-31", "deadline_text": "12月31日前", "status": "推进中"}, None),
        ("2024年3月", "整改中", {"deadline": "2024-03-31", "deadline_text": "2024年3月", "status": "推进中"}, None),
        ("2023年底", "正在推进", {"deadline": "2023-12-31", "deadline_text": "2023年底", "status": "推进中"}, None),
        ("2024年上半年", "未启动", {"deadline": "2024-06-30", "deadline_text": "2024年上半年", "status": "未开始"}, None),
        ("2023年12月31日", "推进中", {"deadline": "2023-12-31", "status": "推进中"}, None),
        ("2023-12-31", "推进中", {"deadline": "2023-12-31", "status": "推进中"}, None),
        # ongoing words: kept as the word, the status becomes 长期坚持
        ("长期坚持", "长期坚持", {"deadline": "长期坚持", "status": "长期坚持"}, None),
        ("持续推进", "", {"deadline": "持续推进", "status": "长期坚持"}, None),
        ("常态化", "长期", {"deadline": "常态化", "status": "长期坚持"}, None),
        ("常态化推进", "长期坚持", {"deadline": "常态化", "deadline_text": "常态化推进", "status": "长期坚持"}, None),
        ("长期", "推进中", {"deadline": "长期坚持", "deadline_text": "长期", "status": "长期坚持"},
         rules.IMPORT_LEDGER_ONGOING),
        # unreadable: kept as written, with an error
        ("尽快", "推进中", {"deadline": "尽快", "status": "推进中"}, rules.IMPORT_LEDGER_DEADLINE),
        ("2023年2月30日", "推进中", {"deadline": "2023年2月30日", "status": "推进中"}, rules.IMPORT_LEDGER_DEADLINE),
        # statuses through the synonyms table
        ("2023-12-31", "研究中", {"deadline": "2023-12-31", "status": "研究中"}, rules.IMPORT_LEDGER_STATUS),
    ],
)
def test_deadline_and_status_cells(deadline, status, expected, rule):
    w = work()
    item = parse(w, deadline, status)
    assert {k: v for k, v in item.items() if k in ("deadline", "deadline_text", "status")} == expected
    assert [p.rule for p in w.problems] == ([rule.id] if rule else [])


def test_synonym_for_done_still_needs_its_completion_date():
    w = work()
    assert parse(w, "2023-12-31", "已整改")["status"] == "已完成"
    assert [p.rule for p in w.problems] == [rules.IMPORT_LEDGER_COMPLETED.id]


@pytest.mark.parametrize(
    ("submitted", "campaign", "expected"),
    [("2024-01-10", {"start": "2023-04-01"}, "2024-12-31"),  # the report's year first
     ("", {"start": "2023-04-01"}, "2023-12-31"),  # else the campaign's
     ("", {}, None)],  # else no year: unreadable, kept as written
)
def test_deadline_without_year_takes_the_reports_or_campaigns_year(submitted, campaign, expected):
    """The ledger tables are read before the report's date: the year is settled afterwards."""
    w = work("", {})
    w.ledger = [parse(w, "12月31日前", "推进中")]
    assert w.ledger[0]["deadline"] == "12月31日前" and not w.problems  # not yet known
    w.submitted, w.ref.campaigns["c"] = submitted, campaign
    settle_deadlines(w)
    item = w.ledger[0]
    assert item["deadline"] == (expected or "12月31日前")
    assert list(item)[:6] == ["problem", "measure", "responsible_unit", "responsible_person", "deadline",
                              "deadline_text" if expected else "status"]
    assert (rules.IMPORT_LEDGER_DEADLINE.id in [p.rule for p in w.problems]) is (expected is None)


def test_unreadable_deadline_message_names_the_ongoing_words():
    w = work()
    parse(w, "尽快", "推进中")
    assert "持续性的事项写“长期坚持”、“持续推进”、“常态化”之一" in w.problems[0].message


def test_without_synonyms_in_the_schema_only_the_statuses_are_read():
    w = work()
    w.ref.enums = schemas.Enums(ENUMS.ledger_statuses, ENUMS.material_categories)
    assert parse(w, "2023-12-31", "已整改")["status"] == "已整改"
    assert parse(w, "2023-12-31", "推进中")["status"] == "推进中"
    assert parse(w, "长期坚持", "推进中")["deadline"] == "长期坚持"  # no ongoing words known: kept, an error
