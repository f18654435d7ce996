"""One table written as a spreadsheet: an ``.xlsx`` workbook and its ``.csv`` twin.

A :class:`Sheet` is a title, typed :class:`Column` s and a function that yields the rows;
each writer asks for them afresh and reads them one at a time, so a table of any length is written in bounded
memory: XlsxWriter in ``constant_memory`` mode flushes every row to a temporary file (no
workbook held in memory) and the CSV writer streams to its file.

Both files are reproducible: the workbook's document timestamps are the build date
(``created``), XlsxWriter gives every zip entry the same fixed time, and nothing depends
on the time zone or the locale. Values keep their types: whole numbers and percentages
are number cells, dates are Excel date cells with a date format.

Text from the data is never a formula: in the workbook it is always written as a string
cell (``write_string``, and the options that would turn ``=…`` or ``http…`` strings into
formulas or links are off); in the CSV, a text cell starting with ``= + - @``, a tab or a
carriage return gets a leading apostrophe (OWASP, CSV injection), so a spreadsheet program
opening the file shows it as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import xlsxwriter

Kind = Literal["text", "number", "date", "percent"]
Value = str | int | float | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: CSV injection
MAX_CELL = 32767  # characters Excel keeps in one cell
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Column:
    """A column: its header, the kind of its values, its width in characters.

    Values by kind: ``text`` a str ('' for none), ``number`` an int or float or None,
    ``date`` an ISO date ``YYYY-MM-DD`` (a date cell) or another str such as 长期坚持 (a text
    cell) or None, ``percent`` a share 0..1 (shown as 12.3%) or None.
    """

    title: str
    kind: Kind = "text"
    width: float = 12


@dataclass(frozen=True)
class Sheet:
    """A table to export: ``name`` is the worksheet's name (Chinese, at most 31 characters)."""

    name: str
    columns: Sequence[Column]
    rows: Callable[[], Iterable[Sequence[Value]]]


def is_iso_date(value: str) -> bool:
    return bool(_ISO_DATE.fullmatch(value))


def csv_text(value: str) -> str:
    """A text cell made inert for spreadsheet programs that open the CSV."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_value(kind: Kind, value: Value) -> str:
    if value is None or value == "":
        return ""
    if kind == "text":
        return csv_text(str(value))
    if kind == "percent":
        return f"{100 * float(value):.1f}%"
    if kind == "date":
        return csv_text(str(value))  # the ISO date, or a word such as 长期坚持
    return str(value)


def write_csv(path: Path, sheet: Sheet) -> None:
    """The sheet as UTF-8 CSV with a byte-order mark (Excel reads it as UTF-8), CRLF lines."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([csv_text(c.title) for c in sheet.columns])
        for row in sheet.rows():
            writer.writerow([_csv_value(c.kind, v) for c, v in zip(sheet.columns, row, strict=True)])


def _workbook(path: Path, created: dt.datetime, title: str) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True,  # rows go to a temporary file as they are written
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    workbook.set_properties({"title": title, "created": created, "author": "", "company": ""})
    return workbook


def write_xlsx(path: Path, sheet: Sheet, created: dt.datetime) -> int:
    """The sheet as a one-worksheet workbook; returns the number of data rows written.

    Header row in bold, frozen; an autofilter over the whole table; column widths.
    """
    workbook = _workbook(path, created, sheet.name)
    ws = workbook.add_worksheet(sheet.name)
    header = workbook.add_format({"bold": True, "bg_color": "#E8EAF6", "text_wrap": True,
                                  "valign": "top"})
    formats = {"date": workbook.add_format({"num_format": DATE_FORMAT}),
               "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
               "text": workbook.add_format({"valign": "top"}),
               "number": None}
    for i, column in enumerate(sheet.columns):
        ws.set_column(i, i, column.width)
        ws.write_string(0, i, column.title, header)
    ws.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(sheet.rows(), start=1):
        for i, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
            _write_cell(ws, count, i, column.kind, value, formats[column.kind])
    ws.autofilter(0, 0, count, len(sheet.columns) - 1)
    workbook.close()
    return count


def _write_cell(ws, row: int, col: int, kind: Kind, value: Value, fmt) -> None:  # noqa: ANN001
    if value is None or value == "":
        return  # an empty cell
    if kind == "text":
        ws.write_string(row, col, str(value)[:MAX_CELL], fmt)
    elif kind == "date":
        if is_iso_date(str(value)):
            ws.write_datetime(row, col, dt.date.fromisoformat(str(value)), fmt)
        else:
            ws.write_string(row, col, str(value)[:MAX_CELL])
    else:
        ws.write_number(row, col, value, fmt)


def write_both(folder: Path, stem: str, sheet: Sheet, created: dt.datetime) -> None:
    """``<folder>/<stem>.xlsx`` and ``<folder>/<stem>.csv``."""
    write_xlsx(folder / f"{stem}.xlsx", sheet, created)
    write_csv(folder / f"{stem}.csv", sheet)
