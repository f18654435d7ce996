"""Reading the roster (kb.contrib.intake.roster): real .xlsx files made with openpyxl, CSV in the
three encodings Excel writes, and one case per bad input — each a Chinese problem naming
file:row, never an exception."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kb.contrib.intake import roster as roster_module
from kb.contrib.intake.roster import RosterRow, read_roster
from kb.data import rules

HEADER = ["单位名称", "党组织名称", "指导组", "批次", "联系人"]
ROWS = [
    ["市林业局", "市林业局党组", "第一指导组", "1", "张三 13800000000"],
    ["市审计局", "市审计局党组", "2", "第二批", ""],
]
EXPECTED = [
    RosterRow(0, "市林业局", "市林业局党组", "第一指导组", "1", "张三 13800000000"),
    RosterRow(0, "市审计局", "市审计局党组", "2", "第二批", ""),
]


def rows_at(lines: list[int]) -> list[RosterRow]:
    return [RosterRow(line, *(getattr(r, f) for f in roster_module.FIELDS)) for line, r in zip(lines, EXPECTED, strict=True)]


def workbook(path: Path, rows: list[list], *, title: str | None = None, sheets: int = 0) -> Path:
    book = openpyxl.Workbook()
    for n in range(sheets):  # sheets before the roster without a header (notes, a chart's data)
        book.active.title = f"说明{n}"
        book.active.append(["填表说明：请按下表填写"])
        book.create_sheet()
        book.active = len(book.worksheets) - 1
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# -------------------------------------------------------------------- xlsx


def test_xlsx_header_on_row_1(tmp_path: Path) -> None:
    result = read_roster(workbook(tmp_path / "名单.xlsx", [HEADER, *ROWS]))
    assert result.problems == []
    assert result.rows == rows_at([2, 3])


def test_xlsx_header_below_a_merged_title_row(tmp_path: Path) -> None:
    result = read_roster(workbook(tmp_path / "名单.xlsx", [HEADER, *ROWS], title="2023年主题教育第二批单位名单"))
    assert result.problems == []
    assert result.rows == rows_at([4, 5])  # rows as Excel numbers them


def test_xlsx_extra_columns_flexible_names_and_number_cells(tmp_path: Path) -> None:
    header = ["序号", "单位 名称", "党组织全称", "备注", "所属指导组（填序号）", "批 次", "联系方式"]
    rows = [[1, " 市林业局 ", "市林业局党组", "无", "第一指导组", 1, "张三 13800000000"],
            [2, "市审计局", "市审计局党组", None, 2.0, "第二批", None]]
    result = read_roster(workbook(tmp_path / "名单.xlsx", [header, *rows]))
    assert result.problems == []
    assert [(r.name, r.group, r.batch) for r in result.rows] == [("市林业局", "第一指导组", "1"), ("市审计局", "2", "第二批")]


def test_xlsx_roster_on_a_later_sheet(tmp_path: Path) -> None:
    result = read_roster(workbook(tmp_path / "名单.xlsx", [HEADER, *ROWS], sheets=1))
    assert result.problems == []
    assert [r.name for r in result.rows] == ["市林业局", "市审计局"]


def test_full_width_header_names(tmp_path: Path) -> None:
    header = ["单位名称：", "党组织　名称", "指导组", "批次"]
    result = read_roster(workbook(tmp_path / "名单.xlsx", [header, ROWS[0][:4]]))
    assert result.problems == [] and result.rows[0].party_org == "市林业局党组"


def test_a_row_without_a_name_is_skipped_with_a_warning(tmp_path: Path) -> None:
    result = read_roster(workbook(tmp_path / "名单.xlsx", [HEADER, ROWS[0], [None, "某党组", "1", "1"], [], ROWS[1]]))
    assert [r.line for r in result.rows] == [2, 5]  # the empty row 4 is passed over silently
    (problem,) = result.problems
    assert (problem.rule, problem.line, problem.level) == (rules.INTAKE_ROSTER_ROW.id, 3, "warning")
    assert "第 3 行" in problem.message


# --------------------------------------------------------------------- csv


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str) -> None:
    text = "\r\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\r\n"
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode(encoding))
    result = read_roster(path)
    assert result.problems == []
    assert result.rows == rows_at([2, 3])


def test_csv_with_tabs_quotes_and_a_title_line(tmp_path: Path) -> None:
    text = "单位名单\n\n单位\t党组织\t指导组\t批次\n\"市林业局\"\t市林业局党组\t1\t1\n"
    path = tmp_path / "名单.csv"
    path.write_text(text, encoding="utf-8")
    result = read_roster(path)
    assert result.problems == [] and [(r.line, r.name) for r in result.rows] == [(4, "市林业局")]


# ------------------------------------------------------------- bad inputs


def encrypted(path: Path) -> None:  # an OLE container with an EncryptionInfo stream, as Excel writes
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)


def old_xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "Workbook".encode("utf-16-le"))


def damaged_xlsx(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + os.urandom(200))


def not_a_zip_xlsx(path: Path) -> None:
    path.write_text("单位名称,党组织名称\n", encoding="utf-8")


def word_file(path: Path) -> None:  # a zip, but a Word document
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")


def broken_workbook(path: Path) -> None:  # looks like a workbook, but its parts are missing
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>")


def binary_csv(path: Path) -> None:
    path.write_bytes(b"\x00\x01\x02" * 100)


def undecodable_csv(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\xfd\xfc" * 50)


def no_header_csv(path: Path) -> None:
    path.write_text("名称,地址\n市林业局,某路1号\n", encoding="utf-8")


def title_only_xlsx(path: Path) -> None:  # 单位 appears only inside the title, never as a header cell
    workbook(path, [["各单位名单"], ["市林业局", "市林业局党组"]])


def pdf_file(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n")


def too_big(path: Path) -> None:
    with path.open("wb") as out:
        out.truncate(roster_module.MAX_BYTES + 1)


def symlink(path: Path) -> None:
    target = path.parent / "real.csv"
    target.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    path.symlink_to(target)


def directory(path: Path) -> None:
    path.mkdir()


def missing(path: Path) -> None:
    pass


BAD = {
    "encrypted.xlsx": (encrypted, rules.INTAKE_ROSTER_UNREADABLE, "密码"),
    "old.xls": (old_xls, rules.INTAKE_ROSTER_UNREADABLE, ".xls"),
    "damaged.xlsx": (damaged_xlsx, rules.INTAKE_ROSTER_UNREADABLE, "损坏"),
    "text-named.xlsx": (not_a_zip_xlsx, rules.INTAKE_ROSTER_UNREADABLE, "不是 Excel 工作簿"),
    "word.xlsx": (word_file, rules.INTAKE_ROSTER_UNREADABLE, "不是 Excel 工作簿"),
    "broken.xlsx": (broken_workbook, rules.INTAKE_ROSTER_UNREADABLE, "损坏"),
    "binary.csv": (binary_csv, rules.INTAKE_ROSTER_UNREADABLE, "不是文本文件"),
    "undecodable.csv": (undecodable_csv, rules.INTAKE_ROSTER_UNREADABLE, "编码"),
    "no-header.csv": (no_header_csv, rules.INTAKE_ROSTER_NO_HEADER, "表头"),
    "title-only.xlsx": (title_only_xlsx, rules.INTAKE_ROSTER_NO_HEADER, "表头"),
    "report.pdf": (pdf_file, rules.INTAKE_ROSTER_UNREADABLE, "不是表格文件"),
    "huge.csv": (too_big, rules.INTAKE_ROSTER_UNREADABLE, "太大"),
    "link.csv": (symlink, rules.SYMLINK, "符号链接"),
    "folder.csv": (directory, rules.INTAKE_ROSTER_UNREADABLE, "无法读取"),
    "missing.csv": (missing, rules.INTAKE_ROSTER_UNREADABLE, "无法读取"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_one_chinese_problem(tmp_path: Path, name: str) -> None:
    make, rule, words = BAD[name]
    path = tmp_path / name
    make(path)
    result = read_roster(path)
    assert result.rows == []
    (problem,) = result.problems
    assert (problem.rule, problem.level) == (rule.id, "error")
    assert problem.file == str(path)
    assert words in problem.message
    assert not any(english in problem.message for english in ("Error", "File", "zip", "Traceback"))


def test_too_many_rows_reads_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_ROWS", 5)
    path = tmp_path / "名单.csv"
    path.write_text("\n".join([",".join(HEADER)] + [f"单位{n},党组{n},1,1" for n in range(6)]), encoding="utf-8")
    result = read_roster(path)
    assert result.rows == []
    (problem,) = result.problems
    assert (problem.rule, problem.line) == (rules.INTAKE_ROSTER_TOO_MANY_ROWS.id, 7)


def test_exactly_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_ROWS", 5)
    path = tmp_path / "名单.csv"
    path.write_text("\n".join([",".join(HEADER)] + [f"单位{n},党组{n},1,1" for n in range(5)]), encoding="utf-8")
    assert len(read_roster(path).rows) == 5


def test_a_zip_bomb_is_not_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_UNPACKED", 10_000)
    path = workbook(tmp_path / "名单.xlsx", [HEADER, *ROWS] + [["x" * 100, "y"]] * 200)
    (problem,) = read_roster(path).problems
    assert "过大" in problem.message


@pytest.mark.parametrize(("cell", "words"), [
    ("市林业局\x1b[31m", "控制字符"),
    ("市林业\u202e局", "控制字符"),
    ("市林业局\u200b", "控制字符"),
    ("市" + "林" * 100 + "局", "太长"),
])
def test_a_name_that_cannot_be_registered_is_skipped(tmp_path: Path, cell: str, words: str) -> None:
    path = tmp_path / "名单.csv"
    path.write_text(f"单位名称,党组织名称\n{cell},某党组\n市审计局,市审计局党组\n", encoding="utf-8")
    result = read_roster(path)
    assert [r.name for r in result.rows] == ["市审计局"]
    (problem,) = result.problems
    assert (problem.rule, problem.line) == (rules.INTAKE_ROSTER_ROW.id, 2) and words in problem.message
