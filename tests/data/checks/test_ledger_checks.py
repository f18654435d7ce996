"""The 整改台账 checks (kb.data.checks.report): ongoing deadlines, original wordings and
status synonyms in a data file; the fixture cases in tests/fixtures/bad/ cover the messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixturetree import bad_tree, describe, make_tree

from kb.data.load import load_and_validate

REPORT = Path("reports") / "c1" / "u-a.yml"
GOOD_LEDGER_ITEM = "    deadline: 2024-06-30\n    status: 推进中\n"


@pytest.mark.parametrize(
    "replacement",
    ["    deadline: 长期坚持\n    status: 长期坚持\n",
     "    deadline: 持续推进\n    status: 长期坚持\n",
     "    deadline: 常态化\n    deadline_text: 常态化推进\n    status: 长期坚持\n",
     "    deadline: 2024-06-30\n    deadline_text: 2024年6月底前\n    status: 推进中\n",
     "    deadline: 2024-06-30\n    status: 长期坚持\n"],  # 长期坚持 with a date is fine too
    ids=["ongoing", "persisting", "routine-with-wording", "date-with-wording", "ongoing-status-with-date"],
)
def test_ongoing_deadlines_and_wordings_are_valid(tmp_path: Path, replacement: str) -> None:
    data = make_tree(tmp_path)
    report = data / REPORT
    text = report.read_text(encoding="utf-8")
    assert GOOD_LEDGER_ITEM in text
    report.write_text(text.replace(GOOD_LEDGER_ITEM, replacement), encoding="utf-8")
    _raw, problems = load_and_validate(data)
    assert problems == [], describe(problems)


def test_status_synonym_is_one_message(tmp_path: Path) -> None:
    """已整改 with a completion date: the schema's 请写成“已完成”, not also a date warning."""
    _raw, problems = load_and_validate(bad_tree(tmp_path, "status-synonym"))
    assert [p.rule for p in problems] == ["schema-enum"], describe(problems)
