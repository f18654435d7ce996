"""Read a Word document into blocks: python-docx → paragraphs and tables.

:func:`read_docx` turns a checked package (:mod:`.package`) into a flat list of blocks:
non-empty paragraphs (text, style outline level, bold spans; Word's automatic numbering
resolved into text, soft line breaks split) and tables (rows of cell texts). Nothing here
knows the report's outline; the later stages work on these blocks only.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.contrib.docx.normalise import clean_text
from kb.contrib.docx.package import CORRUPT, LIMITS, DocxError, Limits, check_package, read_file
from kb.text import chinese_number

# ---------------------------------------------------------------------- blocks


@dataclass
class Para:
    """A non-empty paragraph: text, its number among non-empty paragraphs, hints."""

    text: str
    number: int = 0
    style: str = ""
    level: int = 0  # outline level from the style (Heading 1 → 1); 0 = body text
    title_style: bool = False
    bold: tuple[tuple[int, int], ...] = ()  # bold character spans [start, end)

    @property
    def all_bold(self) -> bool:
        return bool(self.text) and self.bold_end(0) >= len(self.text.rstrip())

    def bold_end(self, start: int) -> int:
        """End of the bold text that begins at ``start`` (ignoring spaces); ``start`` if none."""
        while start < len(self.text) and self.text[start].isspace():
            start += 1
        end = start
        for s, e in sorted(self.bold):
            if s <= end < e or (s == end and e > s):
                end = e
        return end


@dataclass
class Table:
    """A table: its non-empty rows of cell texts; ``number`` is the paragraph count before it."""

    rows: list[list[str]]
    number: int = 0


Block = Para | Table


def _style_chain(style: Any) -> Iterator[Any]:
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


def _style_bold(style: Any) -> bool:
    for s in _style_chain(style):
        if s.font.bold is not None:
            return bool(s.font.bold)
    return False


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _outline_level(paragraph: Any) -> tuple[int, bool]:
    """(outline level 1-9 or 0, is the Title style) from the paragraph's style chain."""
    from docx.oxml.ns import qn

    def lvl(element: Any) -> int | None:
        ppr = element.find(qn("w:pPr"))
        node = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if node is None:
            return None
        value = int(node.get(qn("w:val"), "9"))
        return value + 1 if value < 9 else 0

    direct = lvl(paragraph._p)
    if direct is not None:
        return direct, False
    for style in _style_chain(paragraph.style):
        name = style.name or ""
        if name.lower() in {"title", "标题"}:
            return 0, True
        m = _HEADING_STYLE.match(name)
        if m:
            return int(m.group(1)), False
        found = lvl(style.element)
        if found is not None:
            return found, False
    return 0, False


class _Numbering:
    """Word's automatic list numbering (numbering.xml) resolved to label text."""

    FORMATS = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "taiwaneseCounting", "ideographDigital"}

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(self._val(lvl, "w:start") or 1),
                    self._val(lvl, "w:numFmt") or "decimal",
                    self._val(lvl, "w:lvlText") or "",
                )
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = self._val(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.nums[num.get(qn("w:numId"))] = (self._val(num, "w:abstractNumId") or "", overrides)

    def _val(self, element: Any, tag: str) -> str | None:
        node = element.find(self.qn(tag))
        return node.get(self.qn("w:val")) if node is not None else None

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        qn = self.qn
        candidates = [paragraph._p] + [s.element for s in _style_chain(paragraph.style)]
        for element in candidates:
            ppr = element.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is None:
                continue
            num_id = self._val(numpr, "w:numId")
            ilvl = int(self._val(numpr, "w:ilvl") or 0)
            return (num_id, ilvl) if num_id and num_id != "0" else None
        return None

    def _format(self, n: int, fmt: str) -> str:
        if fmt in self.FORMATS and 0 < n < 100:
            return chinese_number(n)
        if fmt in {"bullet", "none"}:
            return ""
        if fmt in {"lowerLetter", "upperLetter"} and 0 < n <= 26:
            letter = chr(ord("a") + n - 1)
            return letter.upper() if fmt == "upperLetter" else letter
        return str(n)

    def label(self, paragraph: Any) -> str:
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.nums:
            return ""
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, [0] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                if level < 9:
                    counters[level] = start - 1
        start, fmt, text = levels[ilvl]
        counters[ilvl] = max(counters[ilvl], start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return ""

        def sub(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            lvl_start, lvl_fmt, _ = levels.get(level, (1, "decimal", ""))
            return self._format(counters[level] or lvl_start, lvl_fmt)

        return re.sub(r"%([1-9])", sub, text)


def _runs(paragraph: Any) -> Iterator[Any]:
    from docx.text.run import Run

    for item in paragraph.iter_inner_content():
        if isinstance(item, Run):
            yield item
        else:  # Hyperlink
            yield from item.runs


def _run_bold(run: Any, paragraph_bold: bool) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    if style is not None and style.name not in {"Default Paragraph Font", "默认段落字体"}:
        for s in _style_chain(style):
            if s.font.bold is not None:
                return bool(s.font.bold)
    return paragraph_bold


def _split_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, tuple]]:
    """Split at line breaks and strip each line, carrying the bold spans along."""
    out = []
    offset = 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip(" \t\u3000\xa0"))
        stripped = line.strip(" \t\u3000\xa0")
        begin = offset + lead
        local = tuple(
            (max(s, begin) - begin, min(e, begin + len(stripped)) - begin)
            for s, e in spans
            if e > begin and s < begin + len(stripped)
        )
        if stripped:
            out.append((stripped.replace("\t", " "), local))
        offset += len(line) + 1
    return out



# ---------------------------------------------------------------- reading


def _document(data: bytes) -> Any:
    """python-docx's Document for checked bytes; its errors become Chinese :class:`DocxError`."""
    import docx
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except KeyError:
        raise DocxError("Word 文件不完整：文件内部引用的部件不存在（可能被其他软件改坏了）。"
                        "请在 Word/WPS 中打开它，“另存为”新的 Word 文档（*.docx）后再导入") from None
    except etree.LxmlError:
        raise DocxError("Word 文件内部的 XML 内容已损坏，无法读取。"
                        "请在 Word/WPS 中打开它，“另存为”新的 Word 文档（*.docx）后再导入") from None
    except Exception:  # ValueError (not a Word document: .xlsx, .pptx …) and anything else
        raise DocxError("这个文件不是可以读取的 Word 文档（*.docx）（可能是改了扩展名的其他文件）。"
                        "请在 Word/WPS 中打开它，“另存为” Word 文档（*.docx）后再导入") from None


def read_docx(path: Path | bytes, limits: Limits = LIMITS) -> list[Block]:
    """The document as non-empty paragraphs and tables, in order.

    ``path`` (or the file's bytes) passes :func:`check_package` first; a file python-docx
    cannot read raises :class:`DocxError` with a Chinese message.
    """
    data = path if isinstance(path, bytes) else read_file(path, limits)
    check_package(data, limits)
    document = _document(data)
    try:
        return _blocks(document)
    except (DocxError, MemoryError):
        raise
    except Exception:  # a part the document refers to is missing or damaged (styles, numbering …)
        raise DocxError(CORRUPT) from None


def _blocks(document: Any) -> list[Block]:
    from docx.table import Table as DocxTable

    numbering = _Numbering(document)
    blocks: list[Block] = []
    count = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            blocks.append(Table(_table_rows(item), count))
            continue
        paragraph_bold = _style_bold(item.style)
        text = ""
        spans: list[tuple[int, int]] = []
        for run in _runs(item):
            piece = clean_text(run.text)
            if piece and _run_bold(run, paragraph_bold):
                spans.append((len(text), len(text) + len(piece)))
            text += piece
        label = clean_text(numbering.label(item))
        if label and text.strip():
            if spans and spans[0][0] == 0:
                spans = [(0, spans[0][1] + len(label))] + [(s + len(label), e + len(label)) for s, e in spans[1:]]
            else:
                spans = [(s + len(label), e + len(label)) for s, e in spans]
            text = label + text
        level, title_style = _outline_level(item)
        for line, local in _split_lines(text, spans):
            count += 1
            blocks.append(Para(line, count, item.style.name or "", level, title_style, local))
    return blocks


def _table_rows(table: Any) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[Any] = []
        for cell in row.cells:
            if any(tc is cell._tc for tc in seen):  # a merged cell repeats
                continue
            seen.append(cell._tc)
            texts = (clean_text(p.text).strip() for p in cell.paragraphs)
            text = " ".join(t for t in texts if t)
            cells.append(re.sub(r"\s*\n\s*", " ", text))
        if any(cells):
            rows.append(cells)
    return rows
