"""Excel and CSV downloads on the built example site: every download link of the views leads
to a file, each .xlsx holds the rows of the HTML table it comes from (header, values and
types, read with openpyxl), each .csv the same rows as its .xlsx, and each workbook has a
Chinese sheet name, a frozen header row, an autofilter and column widths."""

from __future__ import annotations

import csv
import datetime as dt
import posixpath
import re
from pathlib import Path

import openpyxl
import pytest
from lxml import html as lxml_html

from conftest import DATA, read_data

pytestmark = pytest.mark.slow

CAMPAIGN_IDS = sorted((read_data(p) for p in (DATA / "campaigns").glob("*.yml")),
                      key=lambda c: (c["start"], c["id"]))
CAMPAIGN_IDS = [c["id"] for c in CAMPAIGN_IDS]
GROUP_FILES = 3 * sum(len({e["group"] for e in read_data(DATA / "campaigns" / f"{cid}.yml")["roster"]})
                      for cid in CAMPAIGN_IDS)  # compare, ledger, submission per campaign × group
SHEET_NAMES = {"compare": "对比表", "submission": "报送情况", "originality": "原创度排行",
               "ledger": "整改台账"}


# --- reading the three kinds of table -----------------------------------------------------

def page(site: Path, url: str):
    return lxml_html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))


def text(node, drop_small: bool = True) -> str:
    """A cell's text without its <small> notes and badges (they are columns of their own)."""
    node = lxml_html.fromstring(lxml_html.tostring(node, encoding="unicode"))
    if drop_small:
        for extra in node.xpath(".//small | .//span[contains(@class, 'kb-badge')]"):
            extra.drop_tree()
    return " ".join(node.text_content().split())


def html_table(site: Path, url: str, table_id: str) -> tuple[list[str], list]:
    """Header texts and body rows (<tr> elements) of the table inside the element ``table_id``."""
    root = page(site, url).get_element_by_id(table_id)
    header = [text(th) for th in root.xpath(".//thead//th")]
    return header, root.xpath(".//tbody/tr")


def cells(tr) -> list:
    return tr.xpath("./td")


def smalls(td) -> list[str]:
    return [" ".join(s.text_content().split()) for s in td.xpath(".//small")]


def workbook(path: Path):
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 1
    return book.active


def xlsx_rows(path: Path) -> tuple[list[str], list[tuple]]:
    ws = workbook(path)
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path
    return list(csv.reader(raw[3:].decode("utf-8").splitlines(keepends=True)))


def num(value) -> str:
    """A number as the HTML tables show it (kb.views.stats.format_number)."""
    if value is None:
        return "—"
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def iso(value) -> str:
    assert isinstance(value, dt.datetime), value  # a real date cell
    return value.date().isoformat()


def pct(value) -> str:
    assert isinstance(value, float | int), value
    return f"{100 * value:.1f}%"


def files(site: Path) -> list[Path]:
    found = sorted(site.joinpath("views").rglob("*.xlsx"))
    # compare, submission, ranking, ledger; all items; the groups' own (tests/views/test_exports_groups.py)
    assert len(found) == 4 * len(CAMPAIGN_IDS) + 1 + GROUP_FILES
    return found


# --- the links ----------------------------------------------------------------------------

def test_every_download_link_leads_to_a_file(built_site: Path) -> None:
    linked = set()
    for html_file in sorted(built_site.joinpath("views").rglob("index.html")):
        for a in page(built_site, str(html_file.parent.relative_to(built_site))).xpath(
                "//div[contains(@class, 'kb-downloads')]//a"):
            target = posixpath.normpath(posixpath.join(
                str(html_file.parent.relative_to(built_site)), a.get("href")))
            assert (built_site / target).is_file(), (html_file, a.get("href"))
            assert a.get("download").endswith(Path(target).suffix)
            linked.add(target)
    on_disk = {str(p.relative_to(built_site)) for p in built_site.joinpath("views").rglob("*")
               if p.suffix in {".xlsx", ".csv"}}
    assert linked == on_disk and len(on_disk) == 2 * (4 * len(CAMPAIGN_IDS) + 1 + GROUP_FILES)


@pytest.mark.parametrize("name", ["compare/compare", "submission", "originality"])
@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_campaign_files_are_linked_from_their_page(built_site: Path, cid: str, name: str) -> None:
    folder = f"views/{cid}/" + posixpath.dirname(name)
    hrefs = page(built_site, folder.rstrip("/")).xpath("//div[contains(@class, 'kb-downloads')]//a/@href")
    assert f"./{posixpath.basename(name)}.xlsx" in hrefs and f"./{posixpath.basename(name)}.csv" in hrefs


# --- the workbooks ------------------------------------------------------------------------

def test_workbooks_have_a_chinese_sheet_a_frozen_header_a_filter_and_widths(built_site: Path) -> None:
    for path in files(built_site):
        ws = workbook(path)
        kind = "ledger" if path.stem.startswith("ledger") else path.stem
        if path.parent.parent.name == "upward":
            assert path.stem in {"compare", "ledger", "submission"}, path
        assert ws.title == SHEET_NAMES[kind], path
        assert ws.freeze_panes == "A2", path
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                  for c in range(1, ws.max_column + 1)]
        assert all(w and w >= 6 for w in widths), (path, widths)
        assert all(cell.font.b for cell in ws[1]), path


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_comparison_workbook_equals_the_comparison_table(built_site: Path, cid: str) -> None:
    header, trs = html_table(built_site, f"views/{cid}/compare", "compare-table")
    x_header, rows = xlsx_rows(built_site / f"views/{cid}/compare/compare.xlsx")
    assert x_header == header
    assert len(rows) == len(trs) > 0
    for tr, row in zip(trs, rows, strict=True):
        tds = [text(td) for td in cells(tr)]
        assert list(row[:3]) == tds[:3]
        assert [num(v) for v in row[3:]] == tds[3:]
        assert all(isinstance(v, int) or v is None for v in row[3:])


def ledger_expected(tr) -> list:
    """The export row a ledger <tr> stands for (its <small> notes are columns of their own)."""
    tds = cells(tr)
    deadline_note = [s.removeprefix("原文：") for s in smalls(tds[6])]
    done = smalls(tds[7])
    overdue = text(tds[8], drop_small=False)
    return [*(text(td) for td in tds[:8]),
            int(re.fullmatch(r"逾期 (\d+) 天", overdue).group(1)) if overdue != "—" else None,
            deadline_note[0] if deadline_note else None,
            done[0].split()[0] if done else None,
            "是" if done and "逾期完成" in done[0] else None]


def ledger_actual(row: tuple) -> list:
    values = list(row)
    for i in (6, 10):  # 完成时限 (a date, or a word such as 长期坚持) and 完成日期
        if isinstance(values[i], dt.datetime):
            values[i] = iso(values[i])
    assert values[8] is None or isinstance(values[8], int)
    return values


@pytest.mark.parametrize("cid", [None, *CAMPAIGN_IDS])
def test_ledger_workbooks_equal_the_ledger_table(built_site: Path, cid: str | None) -> None:
    header, trs = html_table(built_site, "views/ledger", "ledger-items")
    if cid:
        trs = [tr for tr in trs if tr.get("data-kb-campaign") == cid]
    x_header, rows = xlsx_rows(built_site / f"views/ledger/{'ledger-' + cid if cid else 'ledger'}.xlsx")
    assert x_header[:8] == header[:8] and x_header[8:] == ["逾期天数", "完成时限原文", "完成日期", "逾期完成"]
    assert len(rows) == len(trs) > 0
    for tr, row in zip(trs, rows, strict=True):
        assert ledger_actual(row) == ledger_expected(tr)
    kinds = {type(r[6]) for r in rows}
    assert dt.datetime in kinds  # dates are date cells; ongoing words (常态化) stay text
    assert any(r[8] for r in rows) and any(r[10] for r in rows)


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_submission_workbook_is_the_roster_behind_the_dashboard(built_site: Path, cid: str) -> None:
    x_header, rows = xlsx_rows(built_site / f"views/{cid}/submission.xlsx")
    assert x_header == ["指导组", "批次", "单位", "报送截止", "报告日期", "状态", "迟报天数", "逾期未报天数"]
    roster = read_data(DATA / "campaigns" / f"{cid}.yml")["roster"]
    assert len(rows) == len(roster)
    g, b, unit, deadline, submitted, state, days, overdue = range(8)
    # 迟报天数 only for a late report, 逾期未报天数 only for a missing one
    assert all(r[days] is None for r in rows if r[state] != "迟报")
    assert all(r[overdue] is None for r in rows if r[state] != "未报送")
    missing = [[r[g], r[b], r[unit], iso(r[deadline]),
                f"逾期未报 {r[overdue]} 天" if r[overdue] else "未到截止日期"]
               for r in rows if r[state] == "未报送"]
    late = [[r[g], r[b], r[unit], iso(r[submitted]), iso(r[deadline]), str(r[days])]
            for r in rows if r[state] == "迟报"]
    dashboard = page(built_site, f"views/{cid}")
    for table_id, expected in (("missing-table", missing), ("late-table", late)):
        found = dashboard.xpath(f"//*[@id='{table_id}']//tbody/tr")
        shown = [[" ".join(td.text_content().split()) for td in cells(tr)] for tr in found]
        assert shown == expected, table_id
    _, groups = html_table(built_site, f"views/{cid}", "submission-table")
    for tr in groups[:-1]:  # the last row is the total
        name, expected_n, submitted_n, on_time, late_n, missing_n = (text(td) for td in cells(tr))
        mine = [r for r in rows if r[g] == name]
        assert [len(mine), sum(r[state] != "未报送" for r in mine),
                sum(r[state] == "按时报送" for r in mine), sum(r[state] == "迟报" for r in mine),
                sum(r[state] == "未报送" for r in mine)] == [
            int(expected_n), int(submitted_n), int(on_time), int(late_n), int(missing_n)]
    assert {r[state] for r in rows} <= {"按时报送", "迟报", "未报送"}


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_originality_workbook_equals_the_ranking(built_site: Path, cid: str) -> None:
    header, trs = html_table(built_site, f"views/{cid}", "originality-table")
    x_header, rows = xlsx_rows(built_site / f"views/{cid}/originality.xlsx")
    assert x_header == ["排名", "单位", "指导组", "重复率", "重复较多", "其中：模板",
                        "其中：其他单位报告", "最长的重复段落", "段落字数", "段落来源"]
    assert [h for h in header if h not in x_header] == []
    assert len(rows) == len(trs) > 0
    for tr, row in zip(trs, rows, strict=True):
        rank, unit, share, template, reports, passage = cells(tr)
        rank_, unit_, group_, share_, high_, template_, reports_, text_, length_, source_ = row
        assert isinstance(rank_, int) and str(rank_) == text(rank)
        assert [unit_, group_] == [text(unit), smalls(unit)[0]]
        assert [pct(share_), pct(template_), pct(reports_)] == [text(share), text(template), text(reports)]
        assert (high_ == "是") == bool(share.xpath(".//span[contains(@class, 'kb-badge')]"))
        if text_ is None:
            assert text(passage) == "—" and length_ is None
            continue
        excerpt = text_[:60] + ("……" if len(text_) > 60 else "")
        assert text(passage) == " ".join(excerpt.split())
        assert smalls(passage)[0] == f"{length_} 字，来自{source_}"


# --- the CSV twins ------------------------------------------------------------------------

def csv_value(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return iso(value)
    if "%" in cell.number_format:
        return pct(value)
    if isinstance(value, int | float):
        return num(value)
    value = str(value)
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def test_every_csv_holds_the_rows_of_its_workbook(built_site: Path) -> None:
    for path in files(built_site):
        rows = [[csv_value(c) for c in row] for row in workbook(path).iter_rows()]
        assert read_csv(path.with_suffix(".csv")) == rows, path
