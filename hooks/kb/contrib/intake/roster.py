"""The roster of units as offices keep it: an Excel sheet or a CSV file.

:func:`read_roster` reads ``.xlsx`` (openpyxl, read-only: the first sheet with a
recognisable header row, which need not be row 1 — a merged title row above it is
fine) and ``.csv`` in UTF-8, UTF-8 with BOM or GBK (what Excel on Chinese Windows writes:
tried as ``utf-8-sig``, then ``gb18030``). Header names are found flexibly
(:data:`HEADERS`: 单位名称/单位/单位全称, 党组织名称/党组织, 指导组/所属指导组, 批次,
联系人/联系方式, 学习教育/主题教育 …, spaces and full-width forms ignored, a note in brackets too).

Bounded: at most :data:`MAX_BYTES` on disk, :data:`MAX_ROWS` data rows, the columns of
:data:`MAX_COLUMNS`, and an .xlsx whose parts unpack to more than :data:`MAX_UNPACKED` is
refused (a zip bomb). A symlink or special file is refused unread (:mod:`kb.data.confine`).
Whatever goes wrong — no header, an encrypted or old-format workbook, a file that is not a
spreadsheet — is a :class:`~kb.data.problems.Problem` in Chinese naming ``file:row``;
nothing here raises.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kb.contrib.intake.convert import OLE2, ZIP
from kb.data import confine, rules
from kb.data.problems import Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 64
MAX_UNPACKED = 200 * 1024 * 1024
MAX_NAME = 100  # the schema's maxLength of a unit's name and party organisation
HEADER_SEARCH_ROWS = 30  # the header row is looked for among the first rows of a sheet

FIELDS = ("name", "party_org", "group", "batch", "contact", "campaign")
# Header cell (normalised) → field. A cell matches exactly, or after dropping a note in brackets.
HEADERS: dict[str, str] = {
    **dict.fromkeys(("单位名称", "单位", "单位全称", "单位名", "报送单位", "单位(部门)", "单位(部门)名称",
                     "部门", "部门名称", "单位(部门)全称"), "name"),
    **dict.fromkeys(("党组织名称", "党组织", "党组织全称", "党组织名", "党委(党组)", "党委(党组)名称",
                     "所属党组织"), "party_org"),
    **dict.fromkeys(("指导组", "所属指导组", "指导组名称", "巡回指导组", "联系指导组", "负责指导组"), "group"),
    **dict.fromkeys(("批次", "所属批次", "批", "开展批次"), "batch"),
    **dict.fromkeys(("联系人", "联系方式", "联系电话", "联系人及电话", "联系人及联系方式", "联络员"), "contact"),
    **dict.fromkeys(("学习教育", "主题教育", "学习教育名称", "主题教育名称", "所属学习教育", "开展的学习教育"), "campaign"),
}
_BRACKETS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class RosterRow:
    """One unit of the roster; ``line`` is the row number in the sheet (or line of the CSV)."""

    line: int
    name: str
    party_org: str = ""
    group: str = ""
    batch: str = ""
    contact: str = ""
    campaign: str = ""  # the 学习教育 column, when the roster has one


@dataclass
class Roster:
    """The rows read from ``file`` and the problems met (empty rows skipped)."""

    file: str
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Unreadable(Exception):
    """A Chinese reason why the file is not read."""


def normalise_header(cell: str) -> str:
    """A header cell compared without spaces, full-width forms, a trailing colon or star."""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return text.strip(":*※")


def header_field(cell: str) -> str:
    """The field a header cell names, or ""."""
    text = normalise_header(cell)
    return HEADERS.get(text) or HEADERS.get(_BRACKETS.sub("", text), "")


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing ``.0``, spaces at the ends and doubled inside removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).replace("\u3000", " ").split())
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)  # 市 财政局 → 市财政局


def read_roster(path: Path) -> Roster:
    """The roster in ``path`` (.xlsx or .csv); problems instead of exceptions."""
    shown = str(path)
    roster = Roster(shown)
    try:
        data = confine.read_regular(path, MAX_BYTES)
    except confine.Refused as refused:
        roster.problems.append(confine.refused_problem(shown, refused.rule))
        return roster
    except ValueError:
        return _fail(roster, f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MiB），不像是单位名单：请只保留名单所在的工作表")
    except OSError as exc:
        return _fail(roster, f"无法读取：{confine.os_error_text(exc)}" if exc.errno else "无法读取这个文件")
    try:
        rows = _table_rows(path, data)
        _collect(roster, rows)
    except _Unreadable as why:
        return _fail(roster, str(why))
    except Exception:  # noqa: BLE001 - a damaged workbook may fail anywhere inside openpyxl
        return _fail(roster, "文件已损坏或格式无法识别：请用 Excel 或 WPS 打开后另存为 .xlsx 或 .csv 再试")
    return roster


def _fail(roster: Roster, message: str) -> Roster:
    roster.problems.append(Problem.of(rules.INTAKE_ROSTER_UNREADABLE, roster.file, 0, 0, message))
    return roster


# ------------------------------------------------------------- file formats


def _table_rows(path: Path, data: bytes) -> Iterator[tuple[str, int, list[str]]]:
    """(sheet, row number, cells) of every sheet, in order, from the bytes of ``path``."""
    suffix = path.suffix.lower()
    if data.startswith(OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _Unreadable("文件设置了打开密码（已加密），无法读取：请在 Excel 中取消密码后另存一份再试")
        raise _Unreadable("这是旧版 Excel（.xls）或其他 Office 文件：请在 Excel 或 WPS 中另存为 .xlsx 或 .csv 再试")
    if data.startswith(ZIP):
        return _xlsx_rows(data)
    if suffix in (".xlsx", ".xlsm"):
        raise _Unreadable("扩展名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏）：请重新导出")
    if suffix in (".csv", ".txt") or not suffix:
        return _csv_rows(data)
    raise _Unreadable(f"不是表格文件（{suffix}）：名单请用 .xlsx 或 .csv")


def _xlsx_rows(data: bytes) -> Iterator[tuple[str, int, list[str]]]:
    from openpyxl import load_workbook  # imported here: only an .xlsx roster needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _Unreadable("文件已损坏，无法作为 Excel 工作簿打开：请重新导出") from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _Unreadable("这是压缩包或其他 Office 文件（如 Word），不是 Excel 工作簿：名单请用 .xlsx 或 .csv")
    if unpacked > MAX_UNPACKED:
        raise _Unreadable("工作簿解压后过大，不像是单位名单：请只保留名单所在的工作表")
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return _sheets(book)


def _sheets(book: object) -> Iterator[tuple[str, int, list[str]]]:
    try:
        for sheet in book.worksheets:  # type: ignore[attr-defined]
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                yield sheet.title, number, [cell_text(v) for v in values]
    finally:
        book.close()  # type: ignore[attr-defined]


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else GBK/GB18030."""
    if b"\x00" in data:
        raise _Unreadable("不是文本文件：名单请用 .xlsx 或 .csv")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Unreadable("文字编码无法识别（不是 UTF-8 或 GBK）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”再试")


def _csv_rows(data: bytes) -> Iterator[tuple[str, int, list[str]]]:
    text = decode(data)
    head = text.splitlines()[:HEADER_SEARCH_ROWS]
    # Excel writes ",", some tools tabs or ";": the one a line of the head has most of (a title line has none)
    delimiter = max(",\t;", key=lambda d: max((line.count(d) for line in head), default=0))
    return _csv_records(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _csv_records(reader: Iterable[list[str]]) -> Iterator[tuple[str, int, list[str]]]:
    start = 1
    try:
        for record in reader:
            yield "", start, [cell_text(v) for v in record[:MAX_COLUMNS]]
            start = reader.line_num + 1  # type: ignore[attr-defined]
    except csv.Error:
        raise _Unreadable(f"第 {start} 行附近的格式无法识别（引号不配对或单元格过长）：请在 Excel 中另存为 .csv 再试") from None


# -------------------------------------------------------------- the table


def _header(cells: list[str]) -> dict[str, int] | None:
    """Field → column of a header row (the first column for a field named twice), or None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        found = header_field(cell) if cell else ""
        if found and found not in columns:
            columns[found] = index
    return columns if "name" in columns and len(columns) >= 2 else None


def _collect(roster: Roster, rows: Iterator[tuple[str, int, list[str]]]) -> None:
    """Find the header in each sheet, then read the rows below it into ``roster``."""
    columns: dict[str, int] | None = None
    sheet_with_header = None
    for sheet, number, cells in rows:
        if sheet_with_header is not None and sheet != sheet_with_header:
            break  # only the first sheet with a header is the roster
        if columns is None:
            if number <= HEADER_SEARCH_ROWS:
                columns = _header(cells)
                if columns is not None:
                    sheet_with_header = sheet
            continue
        if not any(cells) and number <= 2 * MAX_ROWS:  # empty rows count too, up to a point
            continue
        if len(roster.rows) >= MAX_ROWS or number > 2 * MAX_ROWS:
            roster.rows.clear()
            roster.problems.append(Problem.of(
                rules.INTAKE_ROSTER_TOO_MANY_ROWS, roster.file, number, 0,
                f"名单超过 {MAX_ROWS} 行，没有读取：请拆分成几个文件，或只保留需要登记的单位"))
            return
        _add_row(roster, _where(sheet), number, columns, cells)
    if columns is None:
        roster.problems.append(Problem.of(
            rules.INTAKE_ROSTER_NO_HEADER, roster.file, 0, 0,
            f"没有找到表头：前 {HEADER_SEARCH_ROWS} 行中应有一行写着“单位名称”以及“党组织名称”“指导组”“批次”等列名"))


def _where(sheet: str) -> str:
    return f"（工作表“{sheet}”）" if sheet else ""


def _add_row(roster: Roster, where: str, number: int, columns: dict[str, int], cells: list[str]) -> None:
    values = {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()}
    if not values.get("name"):
        roster.problems.append(Problem.of(
            rules.INTAKE_ROSTER_ROW, roster.file, number, 0, f"第 {number} 行{where}没有单位名称，已跳过"))
        return
    why = _unusable(values)
    if why:
        roster.problems.append(Problem.of(
            rules.INTAKE_ROSTER_ROW, roster.file, number, 0, f"第 {number} 行{where}的{why}，已跳过：请修改后再导入"))
        return
    roster.rows.append(RosterRow(number, **{f: values.get(f, "") for f in FIELDS}))


def _unusable(values: dict[str, str]) -> str:
    """Why the names of a row cannot be registered as they are (Chinese), or ""."""
    for key, label in (("name", "单位名称"), ("party_org", "党组织名称")):
        value = values.get(key, "")
        if not visible_only(value):
            return f"{label}含有看不见的控制字符"
        if len(value) > MAX_NAME:
            return f"{label}太长（{len(value)} 个字，最多 {MAX_NAME} 个）"
    return ""


def visible_only(text: str) -> bool:
    """True when ``text`` has no control, format (bidi, zero-width) or private-use characters."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text)
