"""A ledger deadline's original wording (deadline_text) survives the site's Word export and
the Word import: the export writes it after the date (原文：2023年12月底), the importer reads
it back as deadline_text, and a wording in a report written by hand is still read as before."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from datacopy import copy_data
from tests.fixtures.docx import builders as B

from conftest import DATA
from kb.contrib import docx as di
from kb.official.word import export_report
from kb.site import build


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("wording") / "data")


@pytest.fixture(scope="module")
def report():
    kb, _ = build.load(DATA)
    return next(r for r in kb.reports if len(r.ledger) >= 2)


@pytest.mark.parametrize(("deadline", "wording", "status"), [
    ("2023-12-31", "2023年12月底", "推进中"),
    ("2024-03-31", "2024年3月", "未开始"),
    ("长期坚持", "常态化推进、长期坚持", "长期坚持"),
    ("2023-11-30", "11月底前", "推进中"),  # no year: the wording alone would need the report's year
], ids=["month-end", "month", "ongoing", "without-year"])
def test_the_wording_survives_export_and_import(report, data_dir, tmp_path, deadline, wording, status) -> None:
    first = dataclasses.replace(report.ledger[0], deadline=deadline, deadline_text=wording, status=status,
                                completed="")
    changed = dataclasses.replace(report, ledger=[first, *report.ledger[1:]])
    path = export_report(changed, tmp_path / "report.docx")
    ledger = di.import_docx(path, data_dir, today="2030-01-01").data["ledger"]
    assert (ledger[0]["deadline"], ledger[0].get("deadline_text")) == (deadline, wording)
    assert [i.get("deadline_text") for i in ledger[1:]] == [i.deadline_text or None for i in report.ledger[1:]]


@pytest.mark.parametrize(("cell", "expected"), [
    ("2023年12月底", ("2023-12-31", "2023年12月底")),
    ("2023-12-31", ("2023-12-31", None)),
    ("2023-12-31（原文：2023年年底）", ("2023-12-31", "2023年年底")),
    ("2023-12-31 原文：2023-12-31", ("2023-12-31", None)),
], ids=["wording-alone", "date-alone", "bracketed", "same-as-date"])
def test_deadline_cells_as_people_write_them(data_dir, tmp_path, cell, expected) -> None:
    path = B.BUILDERS["plain"](B.template_paragraphs().paragraphs, tmp_path / "r.docx")
    B.add_ledger(path, rows=[["1", "问题", "措施", "处室", "处长", cell, "推进中"]])
    item = di.import_docx(path, data_dir, today="2030-01-01").data["ledger"][0]
    assert (item["deadline"], item.get("deadline_text")) == expected
