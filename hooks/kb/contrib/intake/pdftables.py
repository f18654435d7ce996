"""PDF tables rebuilt from the positions of their words, cells that wrap over several lines merged.

``pdftotext -layout`` lays a table out in characters, and a Chinese cell that wraps inside a
narrow column lands in the neighbouring column's characters (the layout counts widths badly),
so a ledger with long problems and measures comes back as garbage rows. ``pdftotext
-bbox-layout`` gives every word with its box in points instead: :func:`parse_bbox` groups a
page's words into lines (tops within :data:`LINE_TOLERANCE`), :func:`columns` finds the
columns as the x ranges between gutters no word of the table crosses, and :func:`table` puts
each word into its column and joins the lines of a row: a line with text in the first column
starts a row (unless the first column alone wraps), the others continue the cells above; a
header repeated on a new page is dropped. :mod:`.pdftext` uses it for the table blocks it
finds in the layout text, line for line.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

LINE_TOLERANCE = 3.0  # points: words whose tops differ less stand on one line
GUTTER = 4.5  # points: the narrowest gap between two columns (cell margins and border); a space is narrower

_PAGE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="[-0-9.]+">(.*?)</word>', re.S)
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])[ \t]+"
                        r"|[ \t]+(?=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])")


class Word(NamedTuple):
    """One word of a PDF page: its left and right edge in points, its text."""

    x0: float
    x1: float
    text: str


Line = list[Word]


def parse_bbox(xhtml: str) -> list[list[Line]]:
    """The lines of words of every page of ``pdftotext -bbox-layout`` output, top to bottom, left to right."""
    pages = []
    for page in _PAGE.finditer(xhtml):
        found = sorted((float(y), float(x0), float(x1), html.unescape(text))
                       for x0, y, x1, text in _WORD.findall(page.group(1)))
        lines: list[Line] = []
        last = None
        for y, x0, x1, text in found:
            if not lines or last is None or y - last >= LINE_TOLERANCE:
                lines.append([])
            lines[-1].append(Word(x0, x1, text))
            last = y
        pages.append([sorted(line) for line in lines])
    return pages


def columns(lines: list[Line]) -> list[float]:
    """The left edges of the table's columns: where a gap of :data:`GUTTER` no word crosses ends.

    Lines of several words decide (a centred caption or a lone continuation may cross a gutter).
    """
    deciding = [line for line in lines if len(line) > 1] or lines
    spans = sorted((w.x0, w.x1) for line in deciding for w in line)
    if not spans:
        return []
    starts, reach = [spans[0][0]], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= GUTTER:
            starts.append(x0)
        reach = max(reach, x1)
    return starts


def _column(starts: list[float], x0: float) -> int:
    return max((i for i, start in enumerate(starts) if start <= x0 + GUTTER), default=0)


def _join(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and right[0].isascii() and left[-1].isalnum() and right[0].isalnum():
        return left + " " + right
    return left + right


def _cells(line: Line, starts: list[float]) -> list[str]:
    cells = [""] * len(starts)
    for word in line:
        column = _column(starts, word.x0)
        cells[column] = _join(cells[column], _CJK_SPACE.sub("", word.text.strip()))
    return cells


def _continues(cells: list[str], above: list[str]) -> bool:
    """A line that adds to the row above: nothing in the first column, or only the first column
    (a wrapped first cell) under a row that fills more."""
    if not cells[0]:
        return True
    return not any(cells[1:]) and sum(1 for c in above if c) >= 2


def table(lines: list[Line]) -> list[list[str]]:
    """The rows of cells of a table's lines of words (the first line is its header)."""
    starts = columns(lines)
    rows: list[list[str]] = []
    header: list[str] | None = None
    repeated = False  # inside the header repeated at the top of a new page (dropped)
    for line in lines:
        cells = _cells(line, starts)
        if not any(cells):
            continue
        if cells == header:
            repeated = True
            continue
        if rows and _continues(cells, rows[-1]):
            if not repeated:
                rows[-1] = [_join(a, b) for a, b in zip(rows[-1], cells, strict=True)]
            continue
        repeated = False
        rows.append(cells)
        header = header or cells
    return rows
