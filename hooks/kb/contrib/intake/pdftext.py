"""A PDF with a text layer → a Word file the importer reads, its outline recovered from the numbering.

:func:`pdf_to_docx` checks the PDF (size, pages, password, text layer) with poppler's
``pdfinfo``, reads its text with ``pdftotext -layout`` (the layout keeps indents and the
blank lines between paragraphs) and its words' positions with ``-bbox-layout`` (tables are
rebuilt from them by :mod:`.pdftables`, wrapped cells merged), drops page headers, footers and page numbers, joins the
lines the page width broke (:func:`paragraphs`) and writes a .docx with python-docx in
which ``一、`` parts are Heading 1, ``（一）`` sections on a line of their own Heading 2 and
run-in section titles bold (:func:`write_docx`), which is what :mod:`kb.contrib.docx`
reads. Every refusal is :class:`~kb.contrib.intake.convert.NotImportable` in Chinese.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from kb.contrib.intake import pdftables
from kb.contrib.intake.convert import MAX_BYTES, NotImportable, classify, run_bounded

MAX_PAGES = 200
MIN_CHARS_PER_PAGE = 20

POPPLER_MISSING = ("没有找到 poppler 的 pdftotext/pdfinfo，无法读取 PDF。请安装它："
                   "Debian/Ubuntu 上运行 apt-get install poppler-utils；"
                   "或把 PDF 的原始 Word 文件（*.docx）交来导入")
NOT_PDF = "这个文件不是 PDF 文件"
TOO_LARGE = "PDF 文件超过 50 MiB，不予读取。请交来报告的 Word 文件（*.docx）"
TOO_MANY_PAGES = "PDF 文件超过 {pages} 页，不像一份自查评估报告，不予读取。请交来报告的 Word 文件（*.docx）"
ENCRYPTED = "PDF 文件设置了打开密码（已加密），无法读取。请交来没有密码的 PDF 或报告的 Word 文件（*.docx）"
DAMAGED = "无法读取这个 PDF 文件（文件可能已损坏）。请交来报告的 Word 文件（*.docx）"
SCANNED = ("这个 PDF 没有文字层（像是扫描件或图片），无法读出文字。"
           "请交来报告的 Word 文件（*.docx），或带文字的 PDF（由 Word/WPS“导出为 PDF”生成）")
TIMED_OUT = "读取这个 PDF 超过了 {seconds:g} 秒仍未完成，已停止。请交来报告的 Word 文件（*.docx）"
UNREADABLE = "无法读取这个文件（文件不存在或没有读取权限）"

# ------------------------------------------------------------------ poppler


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise NotImportable(POPPLER_MISSING)
    return found


def _run(args: list[str], timeout: float, workdir: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return run_bounded(args, timeout, cwd=workdir)
    except subprocess.TimeoutExpired:
        raise NotImportable(TIMED_OUT.format(seconds=timeout)) from None
    except OSError:
        raise NotImportable(POPPLER_MISSING) from None


def _password_needed(stderr: bytes) -> bool:
    return b"password" in stderr.lower()


def page_count(source: Path, workdir: Path, timeout: float) -> int:
    """Pages of a PDF, from ``pdfinfo``; a password or a damaged file is :class:`NotImportable`."""
    done = _run([_tool("pdfinfo"), str(source)], timeout, workdir)
    if done.returncode != 0:
        raise NotImportable(ENCRYPTED if _password_needed(done.stderr) else DAMAGED)
    found = re.search(rb"^Pages:\s*(\d+)", done.stdout, re.MULTILINE)
    if found is None:
        raise NotImportable(DAMAGED)
    return int(found.group(1))


def pdf_words(source: Path, workdir: Path, timeout: float) -> list[list[pdftables.Line]] | None:
    """The lines of words with their positions of every page (``pdftotext -bbox-layout``), or
    None when poppler cannot give them (the tables then come from the layout text alone)."""
    target = workdir / "words.html"
    try:
        done = _run([_tool("pdftotext"), "-bbox-layout", "-enc", "UTF-8", str(source), str(target)], timeout, workdir)
        if done.returncode != 0 or not target.is_file():
            return None
        return pdftables.parse_bbox(target.read_text(encoding="utf-8", errors="replace"))
    except (NotImportable, OSError):
        return None


def pdf_text(source: Path, workdir: Path, timeout: float) -> str:
    """``pdftotext -layout`` of the copy ``source`` (pages separated by form feeds)."""
    target = workdir / "text.txt"
    done = _run([_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(source), str(target)], timeout, workdir)
    if done.returncode != 0 or not target.is_file():
        raise NotImportable(ENCRYPTED if _password_needed(done.stderr) else DAMAGED)
    return target.read_text(encoding="utf-8", errors="replace")


# ------------------------------------------------------------------ text → paragraphs

CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{CJK}])[ \t]+|[ \t]+(?=[{CJK}])")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
PAGE_NUMBER = re.compile(
    r"^[-—–－_·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|／|共)\s*\d{1,4}\s*页?)?[-—–－_·\s]*$"
)
PART = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、，,.．]")
# A line that starts "一，" is far more often a wrapped sentence (……进展不一，影响……) than a part
# numbered with a comma: only 、 . ． start a paragraph, and a comma-numbered part must not end a sentence.
PART_START = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")
SECTION = re.compile(r"^[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]")
NUMBERED = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[)）]|第[一二三四五六七八九十]+[章节条部分])")
STARTS_PARAGRAPH = (PART_START, SECTION, NUMBERED)


def tidy(line: str) -> str:
    """One line of layout text without the spaces pdftotext puts next to Chinese characters."""
    line = _SPACES.sub(" ", line.strip(" \t\u3000\u00a0"))
    return _CJK_SPACE.sub("", line)


def _furniture(pages: list[list[str]]) -> set[str]:
    """Header and footer lines repeated at the top or bottom of most pages (digits ignored)."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        filled = [tidy(line) for line in lines if line.strip()]
        for line in {*filled[:1], *filled[-1:]}:
            seen[re.sub(r"\d+", "#", line)] += 1
    return {key for key, n in seen.items() if n >= 2 and n * 2 >= len(pages)}


Words = pdftables.Line | None  # a layout line's words with their positions, when known


def _page_words(words: list[list[pdftables.Line]] | None, number: int, lines: list[str]) -> list[pdftables.Line]:
    """The lines of words of page ``number`` when they match its layout lines one for one, else []."""
    if words is None or number >= len(words):
        return []
    filled = sum(1 for line in lines if tidy(line))
    return list(words[number]) if len(words[number]) == filled else []


def _page_number(clean: str, index: int, filled: list[int]) -> bool:
    """A page number: the first or last line of its page, or next to it when decorated (— 2 —, 第 2 页);
    a bare number further in is text (a table cell's last line: ``30`` of ``2021-10-30``)."""
    if not PAGE_NUMBER.match(clean):
        return False
    edge = min(filled.index(index), len(filled) - 1 - filled.index(index))
    return edge == 0 or (edge == 1 and not clean.isdigit())


def _lines(text: str, words: list[list[pdftables.Line]] | None = None) -> tuple[list[str], list[Words]]:
    """Body lines of all pages in order; a blank line stays as ``""``; page furniture dropped.
    With ``words`` (:func:`pdf_words`), each line's words too (None where they do not match)."""
    pages = [page.split("\n") for page in text.split("\f")]
    furniture = _furniture(pages)
    out: list[str] = []
    found: list[Words] = []
    for number, lines in enumerate(pages):
        on_page = _page_words(words, number, lines)
        filled = [i for i, line in enumerate(lines) if tidy(line)]
        for index, line in enumerate(lines):
            clean = tidy(line)
            mine = on_page.pop(0) if clean and on_page else None
            if clean and (_page_number(clean, index, filled) or re.sub(r"\d+", "#", clean) in furniture):
                continue
            out.append(line.rstrip() if clean else "")
            found.append(mine)
        while out and out[-1] == "":  # a page break is not a paragraph break
            out.pop()
            found.pop()
    return out, found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\u3000"))


def width(line: str) -> float:
    """A layout line's right edge in character widths: indent plus Chinese 1, ASCII ½ each."""
    return _indent(line) + sum(1 if ord(ch) >= 0x2E80 else 0.5 for ch in tidy(line))


def _join(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and right[0].isascii() and left[-1].isalnum() and right[0].isalnum():
        return left + " " + right
    return left + right


_GAP = re.compile(r"\S[ \t]{3,}\S")
_TOKEN = re.compile(r"\S+(?: {1,2}\S+)*")
Block = str | list[list[str]]


def _table_line(line: str) -> bool:
    """Layout text of a table row: cells apart by wide gaps."""
    return bool(_GAP.search(line.strip()))


def table(lines: list[str]) -> list[list[str]]:
    """Rows of cells from a table's layout lines: columns where the first line's cells start.

    A line with text in the first column starts a row; the others continue the cells above.
    """
    starts = [m.start() for m in _TOKEN.finditer(lines[0])]
    rows: list[list[str]] = []
    for line in lines:
        cells = [""] * len(starts)
        for m in _TOKEN.finditer(line):
            column = min(range(len(starts)), key=lambda i: abs(starts[i] - m.start()))
            cells[column] = _join(cells[column], tidy(m.group()))
        if not any(cells):
            continue
        if not rows or cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [_join(a, b) for a, b in zip(rows[-1], cells, strict=True)]
    return rows


def _table_block(lines: list[str], words: list[Words]) -> list[list[str]]:
    """A table from its layout lines: by the words' positions when every line has them
    (:func:`kb.contrib.intake.pdftables.table`), else by the layout's columns (:func:`table`)."""
    kept = [(line, w) for line, w in zip(lines, words, strict=True) if line.strip()]
    if kept and all(w is not None for _, w in kept):
        return pdftables.table([w for _, w in kept if w is not None])
    return table([line for line, _ in kept])


def paragraphs(text: str, words: list[list[pdftables.Line]] | None = None) -> list[Block]:
    """Paragraphs (and tables) of ``pdftotext -layout`` output: lines joined where the page width broke them.

    A line ends its paragraph when a blank line follows, when it stops short of the text's
    right edge, or when the next line is indented or starts with an outline number. Lines
    whose text stands in columns become a table: rebuilt from the words' positions when
    ``words`` (:func:`pdf_words`) match the page's lines, else from the layout (:func:`table`).
    """
    lines, line_words = _lines(text, words)
    filled = [line for line in lines if line.strip() and not _table_line(line)]
    if not filled:
        return []
    margin = min(_indent(line) for line in filled)
    edges = sorted(width(line) for line in filled)
    right = edges[int(len(edges) * 0.9)] if len(edges) > 1 else edges[0]
    out: list[Block] = []
    current = ""
    short = True
    rows: list[str] = []
    row_words: list[Words] = []
    for line, mine in zip(lines, line_words, strict=True):
        clean = tidy(line)
        if rows and (not clean or _table_line(line) or _indent(line) > margin + 1):
            rows.append(line)
            row_words.append(mine)
            continue
        if rows:
            out.append(_table_block(rows, row_words))
            rows, row_words = [], []
        if not clean:
            short = True
            continue
        if _table_line(line):
            if current:
                out.append(current)
                current = ""
            rows, row_words = [line], [mine]
            continue
        starts = _indent(line) > margin + 1 or any(p.match(clean) for p in STARTS_PARAGRAPH)
        if current and (short or starts):
            out.append(current)
            current = ""
        current = _join(current, clean)
        short = width(line) < right - 1.5
    if rows:
        out.append(_table_block(rows, row_words))
    if current:
        out.append(current)
    return out


# ------------------------------------------------------------------ paragraphs → Word

LEAD_END = re.compile(r"[。；;！!？?]")
HEADING_MAX = 40


def _kind(text: str) -> str:
    """"part", "section" (on its own line), "run-in" (section title then body) or "body"."""
    sentence_end = bool(LEAD_END.match(text[-1:])) and not PART_START.match(text)  # 一，……。 is prose
    if PART.match(text) and len(text) <= HEADING_MAX and not LEAD_END.search(text[:-1]) and not sentence_end:
        return "part"
    if SECTION.match(text):
        found = LEAD_END.search(text)
        if found is None or found.end() >= len(text.rstrip()):
            return "section" if len(text) <= HEADING_MAX * 2 else "body"
        return "run-in"
    return "body"


def _add_table(document: object, rows: list[list[str]]) -> None:
    width_ = max(len(row) for row in rows)
    grid = document.add_table(rows=len(rows), cols=width_)  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text


def write_docx(paragraphs_: list[Block], target: Path) -> Path:
    """A .docx of the paragraphs: parts Heading 1, sections Heading 2, run-in section titles bold."""
    import docx

    document = docx.Document()
    for text in paragraphs_:
        if isinstance(text, list):
            _add_table(document, text)
            continue
        kind = _kind(text)
        if kind == "part":
            document.add_heading(text, level=1)
        elif kind == "section":
            document.add_heading(text, level=2)
        elif kind == "run-in":
            end = LEAD_END.search(text).end()  # type: ignore[union-attr]  # _kind found it
            paragraph = document.add_paragraph()
            paragraph.add_run(text[:end]).bold = True
            paragraph.add_run(text[end:])
        else:
            document.add_paragraph(text)
    document.save(str(target))
    return target


# ------------------------------------------------------------------ the whole step


def _copy(path: Path, workdir: Path) -> Path:
    if classify(path) != "pdf":
        raise NotImportable(NOT_PDF)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise NotImportable(TOO_LARGE)
        workdir.mkdir(parents=True, exist_ok=True)
        source = workdir / "source.pdf"
        shutil.copyfile(path, source)
    except OSError:
        raise NotImportable(UNREADABLE) from None
    return source


def pdf_to_docx(path: Path, workdir: Path, *, timeout: float = 60) -> Path:
    """The text of a PDF as ``workdir/pdftext.docx`` for the Word importer.

    Raises :class:`NotImportable` for a file that is no PDF, over 50 MiB or 200 pages,
    needs a password, has no text layer (a scan), is damaged or takes over ``timeout`` seconds.
    """
    workdir = workdir.resolve()
    source = _copy(path, workdir)
    pages = page_count(source, workdir, timeout)
    if pages > MAX_PAGES:
        raise NotImportable(TOO_MANY_PAGES.format(pages=MAX_PAGES))
    text = pdf_text(source, workdir, timeout)
    letters = sum(1 for ch in text if not ch.isspace())
    if letters < MIN_CHARS_PER_PAGE * max(pages, 1):
        raise NotImportable(SCANNED)
    found = paragraphs(text, pdf_words(source, workdir, timeout))
    if not found:
        raise NotImportable(SCANNED)
    return write_docx(found, workdir / "pdftext.docx")
