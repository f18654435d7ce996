"""PDF tables rebuilt from word positions (kb.contrib.intake.pdftables): cells that wrap over
several lines are merged by column, so a ledger printed to PDF by LibreOffice from our own Word
export — long problems and measures, a deadline with its original wording — comes back with
every row and every figure as the data has them."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, require_tool
from kb.contrib import docx as di
from kb.contrib.intake import pdftables, pdftext

LONGER_PROBLEM = "，在基层调研中发现部分科室对政策理解不到位、执行有偏差"
LONGER_MEASURE = "；制定专项工作方案，明确责任分工和时间节点，每月调度一次进展情况并在全局通报"
LEDGER_KEYS = ("problem", "measure", "responsible_unit", "responsible_person", "deadline", "deadline_text", "status",
               "completed")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, object]:
    """A report with long ledger cells (one deadline with its wording), exported to Word by the
    site and printed to PDF by LibreOffice; and the report."""
    soffice = require_tool("soffice", "LibreOffice prints the Word export to PDF (apt-get install libreoffice-writer-nogui)")
    require_tool("pdftotext", "poppler reads the PDF (apt-get install poppler-utils)")
    from kb.official.word import export_report
    from kb.site import build

    kb, _ = build.load(DATA)
    report = next(r for r in kb.reports if len(r.ledger) >= 4)
    ledger = [dataclasses.replace(item, problem=item.problem + LONGER_PROBLEM, measure=item.measure + LONGER_MEASURE)
              for item in report.ledger]
    ledger[1] = dataclasses.replace(ledger[1], deadline="2023-12-31", deadline_text="2023年12月底", status="推进中",
                                    completed="")
    report = dataclasses.replace(report, ledger=ledger)
    folder = tmp_path_factory.mktemp("ledger-pdf")
    docx_path = export_report(report, folder / "report.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(folder), str(docx_path)], check=True, capture_output=True, timeout=180)
    return folder / "report.pdf", report


@pytest.fixture(scope="module")
def imported(printed, tmp_path_factory) -> dict:
    pdf, _ = printed
    work = tmp_path_factory.mktemp("work")
    return di.import_docx(pdftext.pdf_to_docx(pdf, work), DATA, today="2030-01-01").data


def test_every_ledger_row_survives_the_pdf(printed, imported) -> None:
    _, report = printed
    want = [{k: v for k, v in {"problem": i.problem, "measure": i.measure, "responsible_unit": i.responsible_unit,
                                "responsible_person": i.responsible_person, "deadline": i.deadline,
                                "deadline_text": i.deadline_note or None, "status": i.status,
                                "completed": i.completed or None}.items() if v is not None} for i in report.ledger]
    got = [{k: str(v) for k, v in item.items() if k in LEDGER_KEYS} for item in imported.get("ledger") or []]
    assert got == want


def test_every_figure_survives_the_pdf(printed, imported) -> None:
    _, report = printed
    assert imported.get("figures") == {k: v for k, v in report.figures.items() if v is not None}


Word = pdftables.Word


def row(*cells: tuple[float, str]) -> list[Word]:
    """A line of words at the given x positions (each 10 pt per character wide)."""
    return [Word(x, x + 10 * len(text), text) for x, text in cells]


HEADER = row((80, "序号"), (110, "问题"), (200, "状态"))


@pytest.mark.parametrize(("lines", "expected"), [
    pytest.param([HEADER, row((80, "1"), (110, "学习不够"), (200, "推进中")), row((110, "深入")),
                  row((80, "2"), (110, "作风不实"), (200, "已完"), ), row((200, "成"))],
                 [["序号", "问题", "状态"], ["1", "学习不够深入", "推进中"], ["2", "作风不实", "已完成"]],
                 id="wrapped-cells-merge-by-column"),
    pytest.param([row((86, "序号"), (135, "问题"), (215, "状态")), row((80, "1"), (115, "学习"), (200, "推进中"))],
                 [["序号", "问题", "状态"], ["1", "学习", "推进中"]], id="centred-header"),
    pytest.param([HEADER, row((80, "1"), (110, "学习"), (200, "推进中")), HEADER, row((80, "2"), (110, "作风"), (200, "已完成"))],
                 [["序号", "问题", "状态"], ["1", "学习", "推进中"], ["2", "作风", "已完成"]],
                 id="header-repeated-on-the-next-page"),
    pytest.param([row((80, "项目"), (200, "数量")), row((80, "领导班子领题"), (200, "6")), row((80, "调研课题"))],
                 [["项目", "数量"], ["领导班子领题调研课题", "6"]], id="first-column-wraps"),
    pytest.param([HEADER, row((80, "1"), (110, "2023-08-"), (200, "已完成")), row((110, "31"))],
                 [["序号", "问题", "状态"], ["1", "2023-08-31", "已完成"]], id="a-date-broken-at-its-dash"),
])
def test_rows_come_from_column_ranges(lines, expected) -> None:
    assert pdftables.table(lines) == expected


def test_bbox_words_group_into_lines_per_page() -> None:
    xhtml = ('<doc><page width="595" height="842"><flow><block><line>'
             '<word xMin="80.0" yMin="100.0" xMax="100.0" yMax="110.0">序号</word>'
             '<word xMin="110.0" yMin="100.4" xMax="130.0" yMax="110.0">A&amp;B</word></line>'
             '<line><word xMin="80.0" yMin="115.0" xMax="90.0" yMax="125.0">1</word></line></block></flow></page>'
             '<page width="595" height="842"></page></doc>')
    assert pdftables.parse_bbox(xhtml) == [[[Word(80.0, 100.0, "序号"), Word(110.0, 130.0, "A&B")],
                                            [Word(80.0, 90.0, "1")]], []]
