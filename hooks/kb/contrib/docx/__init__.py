"""Import a self-assessment report written in Word (.docx) into a report data file.

Units write their reports in Word from the official template. :func:`read_docx` turns a
document into a flat list of blocks: paragraphs (text, style outline level, bold spans;
Word's automatic numbering resolved into text, soft line breaks split) and tables.
:func:`parse` then finds the template's outline mainly by *text* — 一、/（一）/一是…
typed or auto-numbered — with heading styles and bold as hints, so a report imports
whether its headings are Word heading styles, bold paragraphs or plain paragraphs.

What the parser recognises:

* title, addressee ``……第N指导组：`` (→ group by number), opening paragraphs;
* 一、二、三、 parts (by keyword, else by position), （一）sections with run-in or
  separate titles, 一是/二是… points with their lead sentence (bold, or the first short
  sentence);
* the figures the campaign declares, out of template sentences such as
  ``领题调研6个课题`` (matched by label and unit of measure);
* the party organisation (``X党组``/``X党委``) → unit, via ``data/units.yml``;
* rectification-ledger tables (header 问题/整改措施/责任单位/责任人/时限/状态);
  other tables become Markdown tables in the prose;
* signature and date lines at the end.

Anything it cannot place is kept: it is reported as a :class:`Note` with the paragraph
text and written as comments at the end of the data file. No MkDocs imports here.

Word files come from untrusted contributors, so reading one is bounded (:data:`LIMITS`):
:func:`check_package` refuses, from the zip directory alone, files that are too large, have
too many parts or inflate too much (zip bombs), then verifies every part decompresses;
:func:`import_docx_limited` runs the whole import in a child process that is stopped after
a time limit (and, where the OS allows, has its memory capped). Every refusal is a
:class:`DocxError` with a Chinese message that never quotes the refused file.
:func:`output_problems` checks the YAML text against the loader's hard limits before it is
written (file size, field lengths, list lengths, reads back as the same data).
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import re
import signal
import struct
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.contrib import reportyaml, scaffold
from kb.data.schema import ledger_statuses
from kb.text import chinese_number

ERROR = "error"
WARNING = "warning"
INFO = "info"
LEVEL_ZH = {ERROR: "错误", WARNING: "注意", INFO: "说明"}

PART_KEYS = ("highlights", "problems", "plans")
PART_TITLES = {
    "highlights": "一、工作开展情况及创新亮点做法",
    "problems": "二、存在的问题和不足之处",
    "plans": "三、下步工作打算",
}
PART_WORDS = {
    "highlights": ("亮点", "开展情况", "主要做法", "工作开展", "做法", "成效"),
    "problems": ("问题", "不足", "差距"),
    "plans": ("打算", "下步", "下一步", "努力方向", "工作思路"),
}
PARTY_SUFFIXES = ("党工委", "党总支", "党支部", "党组", "党委")
LEAD_MAX = 40
HEADING_MAX = 40
CN_DIGITS = "一二三四五六七八九十"

# ---------------------------------------------------------------- normalisation

_HALF = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_HALF.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20})
_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’"
_PUNCT_FIX = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])|(?<=[{_CJK}])\.(?=$|[{_CJK}\s])"
)
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}0-9])|(?<=[0-9])[ \t]+(?=[{_CJK}])")


_OTHER_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_UNPRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """Word text as the data files may hold it: every kind of line break becomes ``\n``
    and control characters the loader refuses (C0/C1 controls, U+FFFE …) are dropped."""
    return _UNPRINTABLE.sub("", _OTHER_BREAKS.sub("\n", text))


def half(text: str) -> str:
    """Full-width ASCII forms → half-width, one character for one (offsets are kept)."""
    return text.translate(_HALF)


def tidy_prose(text: str) -> tuple[str, int]:
    """Mixed punctuation made consistent for a Chinese document; returns (text, fixes).

    Half-width ``,;:?!()`` and a final ``.`` next to Chinese text become full-width;
    full-width digits and Latin letters become half-width (GB/T 15834 usage); stray
    spaces between Chinese characters, or between Chinese and digits, are removed.
    """
    count = 0

    def punct(m: re.Match) -> str:
        nonlocal count
        count += 1
        return "。" if m.group() == "." else _PUNCT_FIX[m.group()]

    def alnum(m: re.Match) -> str:
        nonlocal count
        count += 1
        return half(m.group())

    def space(_m: re.Match) -> str:
        nonlocal count
        count += 1
        return ""

    text = _FULLWIDTH_ALNUM.sub(alnum, text)
    text = _CJK_SPACE.sub(space, text)
    return _ASCII_PUNCT_NEAR_CJK.sub(punct, text), count


_MD_LINE_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d+[.)]\s|={3,}|-{3,}|!!!|\?\?\?)")
_MD_INLINE = re.compile(r"([\\`*_\[\]<])")


def escape_markdown(text: str) -> str:
    """Plain text from Word made inert as Markdown prose (the page shows it as written)."""
    lines = []
    for line in text.split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line)
        if _MD_LINE_START.match(line):
            line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, also 〇/零 digits (二〇二三 → 2023) and Arabic digits."""
    text = half(text).strip()
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if text and all(c in digits for c in text) and len(text) > 2:
        return int("".join(str(digits[c]) for c in text))
    if not text or any(c not in digits and c != "十" for c in text):
        return None
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


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


# -------------------------------------------------------------- package limits

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a Word file may cost to read. Real reports stay far below every number."""

    file_bytes: int = 50 * MiB  # the .docx file itself
    parts: int = 2000  # entries in the zip directory
    directory_bytes: int = 1 * MiB  # the zip directory (about 100 bytes a part)
    xml_bytes: int = 20 * MiB  # one XML part (document.xml …), uncompressed
    part_bytes: int = 50 * MiB  # any one part (pictures …), uncompressed
    total_bytes: int = 100 * MiB  # all parts, uncompressed
    ratio: int = 200  # uncompressed / compressed size of one part …
    ratio_from: int = 1 * MiB  # … counted for parts at least this large
    seconds: float = 60.0  # reading and recognising, in the child process
    memory_bytes: int = 2048 * MiB  # extra address space the child may use (where settable)


LIMITS = Limits()
_CORRUPT = ("Word 文件已损坏：文件内部的数据无法完整读出（可能下载或拷贝不完整）。"
            "请在 Word/WPS 中打开它，“另存为”新的 Word 文档（*.docx）后再导入")


class DocxError(Exception):
    """Why a Word file cannot be imported, in Chinese (never quoting the file's content)."""


def _mib(size: int) -> str:
    return f"{size / MiB:.1f} MiB"


def _directory_size(data: bytes) -> tuple[int, int] | None:
    """(number of entries, size in bytes) of the zip directory, from its end record."""
    tail_start = max(0, len(data) - 22 - 65535)
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or len(data) - at < 22:
        return None
    entries, size = struct.unpack("<HI", data[at + 10:at + 16])
    if entries == 0xFFFF or size == 0xFFFFFFFF:  # zip64: the real numbers are in the zip64 end record
        locator = data.rfind(b"PK\x06\x07", max(0, at - 20), at)
        if locator < 0:
            return None
        (offset,) = struct.unpack("<Q", data[locator + 8:locator + 16])
        record = data[offset:offset + 56]
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            return None
        entries, size = struct.unpack("<QQ", record[32:48])
    return entries, size


def _part_problem(info: zipfile.ZipInfo, limits: Limits) -> str:
    """Why one part is refused from its directory entry alone, or ""."""
    if info.flag_bits & 0x1:
        return "Word 文件设置了密码（已加密），无法读取：请在 Word 中取消密码保护后另存一份再导入"
    is_xml = info.filename.lower().endswith((".xml", ".rels"))
    limit = limits.xml_bytes if is_xml else limits.part_bytes
    if info.file_size > limit:
        what = "正文等文字部件" if is_xml else "图片等部件"
        return (f"Word 文件中的{what}解压后过大（{_mib(info.file_size)}，最多 {_mib(limit)}），已拒绝读取："
                "请删去不需要的内容（如图片、修订记录）后另存再导入")
    if info.file_size >= limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return (f"Word 文件中有部件的压缩比异常（约 {ratio} 倍，正常文件不超过 {limits.ratio} 倍），"
                "可能是恶意构造的“压缩炸弹”，已拒绝读取")
    return ""


def check_package(data: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a .docx by its size and zip directory, then check every part decompresses.

    Raises :class:`DocxError`. Nothing is parsed before the directory passed: sizes and
    counts come from the directory (``zipfile`` never inflates a part beyond the size the
    directory states, so these numbers bound memory), then each part is inflated in
    chunks and its checksum verified, so a truncated or damaged part is found here.
    """
    if len(data) > limits.file_bytes:
        raise _too_large(len(data), limits)
    directory = _directory_size(data)
    if directory is None:
        raise DocxError(_CORRUPT)
    entries, size = directory
    if entries > limits.parts:
        raise DocxError(f"Word 文件内部的部件过多（{entries} 个，正常文件最多 {limits.parts} 个），"
                        "不像正常的报告文件，已拒绝读取")
    if size > limits.directory_bytes:
        raise DocxError(f"Word 文件内部的目录异常庞大（{_mib(size)}），不像正常的报告文件，已拒绝读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if len(infos) > limits.parts:
                raise DocxError(f"Word 文件内部的部件过多（{len(infos)} 个，正常文件最多 {limits.parts} 个），"
                                "不像正常的报告文件，已拒绝读取")
            for info in infos:
                problem = _part_problem(info, limits)
                if problem:
                    raise DocxError(problem)
            total = sum(info.file_size for info in infos)
            if total > limits.total_bytes:
                raise DocxError(f"Word 文件解压后总共 {_mib(total)}，超过上限 {_mib(limits.total_bytes)}，"
                                "已拒绝读取：请删去不需要的图片等内容后另存再导入")
            for info in infos:
                with package.open(info) as part:
                    while part.read(MiB):
                        pass
    except (DocxError, MemoryError):
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError …: all mean damaged
        raise DocxError(_CORRUPT) from None


def _too_large(size: int, limits: Limits) -> DocxError:
    return DocxError(f"Word 文件过大（{_mib(size)}），导入工具最多接受 {_mib(limits.file_bytes)}："
                     "请删去或压缩其中的图片后另存，再导入")


def _read_file(path: Path, limits: Limits) -> bytes:
    """The file's bytes, read only up to the size limit."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.file_bytes:
                raise _too_large(size, limits)
            data = handle.read(limits.file_bytes + 1)
    except OSError:
        raise DocxError("无法打开这个 Word 文件（没有读取权限，或它不是普通文件）") from None
    if len(data) > limits.file_bytes:
        raise _too_large(len(data), limits)
    return data


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
    data = path if isinstance(path, bytes) else _read_file(path, limits)
    check_package(data, limits)
    document = _document(data)
    try:
        return _blocks(document)
    except (DocxError, MemoryError):
        raise
    except Exception:  # a part the document refers to is missing or damaged (styles, numbering …)
        raise DocxError(_CORRUPT) from None


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


# ------------------------------------------------------------------ reference


@dataclass
class Reference:
    """What the importer needs from the data directory: groups, units, campaigns, materials."""

    groups: list[dict]
    units: list[dict]
    campaigns: dict[str, dict]
    materials: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, data_dir: Path) -> Reference:
        def read(path: Path, key: str) -> list[dict]:
            if not path.is_file():
                return []
            data = reportyaml.load(path.read_text(encoding="utf-8")) or {}
            return [d for d in data.get(key) or [] if isinstance(d, dict)]

        campaigns = {}
        for path in sorted((data_dir / "campaigns").glob("*.yml")):
            data = reportyaml.load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("id"):
                campaigns[str(data["id"])] = data
        return cls(
            groups=read(data_dir / "groups.yml", "groups"),
            units=read(data_dir / "units.yml", "units"),
            campaigns=campaigns,
            materials=read(data_dir / "materials.yml", "materials"),
        )

    def unit(self, unit_id: str) -> dict | None:
        return next((u for u in self.units if u.get("id") == unit_id), None)

    def group_by_number(self, number: int) -> dict | None:
        return next((g for g in self.groups if g.get("number") == number), None)

    def roster_entry(self, campaign_id: str, unit_id: str) -> dict | None:
        campaign = self.campaigns.get(campaign_id) or {}
        return next((r for r in campaign.get("roster") or [] if r.get("unit") == unit_id), None)


# ---------------------------------------------------------------------- result


@dataclass(frozen=True)
class Note:
    """Something the importer could not map, or had to assume; ``text`` is the paragraph."""

    level: str
    message: str
    text: str = ""
    where: int = 0  # paragraph number (第 N 段), 0 = not tied to one

    def format(self) -> str:
        where = f"第 {self.where} 段：" if self.where else ""
        text = f"\n    原文：{_shorten(self.text)}" if self.text else ""
        return f"[{LEVEL_ZH[self.level]}] {where}{self.message}{text}"


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _one_line(text: str) -> str:
    """``text`` safe inside one comment line: control characters and line breaks become "?"."""
    return _LINE_BREAKS.sub("?", text)


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ImportResult:
    data: dict[str, Any]
    campaign: str = ""
    unit: str = ""
    notes: list[Note] = field(default_factory=list)
    unmapped: list[Note] = field(default_factory=list)
    missing_figures: list[dict] = field(default_factory=list)
    figures_declared: list[dict] = field(default_factory=list)
    source_name: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.campaign and self.unit) and not any(n.level == ERROR for n in self.notes)

    def all_notes(self) -> list[Note]:
        return self.notes + self.unmapped

    def summary(self, ref: Reference | None = None) -> str:
        """One Chinese line: what was recognised."""
        d = self.data
        unit = ref.unit(self.unit) if ref and self.unit else None
        sections = (d.get("highlights") or {}).get("sections") or []
        points = sum(len(s.get("points") or []) for s in sections)
        parts = [
            f"单位：{unit['name']}（{self.unit}）" if unit else f"单位：{self.unit or '未识别'}",
            f"学习教育：{self.campaign or '未识别'}",
            f"报告日期：{d.get('submitted', '')}",
            f"一、{len(sections)} 个小节 {points} 条做法",
            f"二、{len((d.get('problems') or {}).get('points') or [])} 条问题",
            f"三、{len((d.get('plans') or {}).get('sections') or [])} 个小节",
            f"数字 {len(d.get('figures') or {})} 项",
            f"整改台账 {len(d.get('ledger') or [])} 条",
        ]
        return " · ".join(parts)

    def to_yaml(self) -> str:
        """The data file text: modeline, import note, data, missing figures and leftovers as comments."""
        data = dict(self.data)
        figures = dict(data.get("figures") or {})
        for fig in self.missing_figures:
            need = "必填" if fig.get("required") else "可选，如有"
            figures[f"__missing_{fig['key']}"] = reportyaml.Comment(
                f"{fig['key']}: 0  # Word 中没有找到“{fig.get('label', '')}”（{fig.get('unit', '')}）："
                f"{need}请填写数字并去掉行首的 #"
            )
        if figures:
            data["figures"] = figures
        trailing = {
            f"figures.{f['key']}": f"{f.get('label', '')}（{f.get('unit', '')}）"
            for f in self.figures_declared
        }
        trailing.update({
            "highlights": PART_TITLES["highlights"],
            "problems": PART_TITLES["problems"],
            "plans": PART_TITLES["plans"],
        })
        header = [
            reportyaml.REPORT_MODELINE,
            f"# 由 scripts/import_docx.py 从 Word 文件“{_one_line(self.source_name)}”导入，请核对后再提交。",
        ]
        footer = []
        if self.unmapped:
            footer += ["", "# ---- 以下段落未能归入报告提纲，导入时保留在此（不会显示在网页上），请人工处理后删除："]
            for note in self.unmapped:
                footer.append(f"# [第 {note.where} 段] {note.message}" if note.where else f"# {note.message}")
                footer += [f"#   {line}" for line in note.text.splitlines()]
        return reportyaml.dump(data, header=header, trailing=trailing, footer=footer)


# ----------------------------------------------------------------------- parse

_PART_RE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、,.]\s*")
_SECTION_RE = re.compile(r"^\s*\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*[、,.]?\s*")
_ADDRESSEE_RE = re.compile(
    r"^(?P<prefix>.{0,40}?)第\s*(?P<n>[一二三四五六七八九十]{1,3}|\d{1,2})\s*(?P<kind>[^\s:]{0,6}?)指导组\s*:?\s*$"
)
_DATE_RE = re.compile(
    r"^\(?\s*(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*\)?$"
    r"|^\(?\s*(?P<y2>\d{4})\s*[-./]\s*(?P<m2>\d{1,2})\s*[-./]\s*(?P<d2>\d{1,2})\s*\)?$"
)
_BOUNDARY = "。;!?:"
_SENTENCE_PUNCT = re.compile(r"[。;!?]")


def parse_date(text: str) -> str | None:
    """'2023年9月8日', '二〇二三年九月八日', '2023.9.8', '2023-09-08' → '2023-09-08'."""
    m = _DATE_RE.match(half(text).strip())
    if not m:
        return None
    y, mo, d = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else (
        m.group("y2"), m.group("m2"), m.group("d2"))
    values = [cn_to_int(y), cn_to_int(mo), cn_to_int(d)]
    if None in values:
        return None
    try:
        return dt.date(*values).isoformat()  # type: ignore[arg-type]
    except ValueError:
        return None


_LOOSE_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:[月.\-/]\s*(?:(\d{1,2})\s*日?|底)?)?")


def parse_deadline(text: str) -> str | None:
    """A ledger date cell: a full date, or '2023年12月(底)' → the last day of that month."""
    exact = parse_date(text)
    if exact:
        return exact
    m = _LOOSE_DATE.search(half(text))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else None
    if day is None:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass
class _Heading:
    kind: str  # "part" | "section"
    n: int | None
    title: str
    body_start: int  # where run-in body text starts in the paragraph (len = none)


def _heading_levels(blocks: list[Block]) -> dict[int, str]:
    """Outline levels of heading styles below the title → part / section."""
    levels = sorted({b.level for b in blocks[1:] if isinstance(b, Para) and b.level})
    return {lvl: kind for lvl, kind in zip(levels, ("part", "section"), strict=False)}


def _split_title(p: Para, start: int) -> tuple[str, int]:
    """Title text after a heading marker and where the run-in body begins."""
    text = p.text
    bold_end = p.bold_end(start)
    if start < bold_end < len(text.rstrip()) and text[start:bold_end].strip():
        return text[start:bold_end].strip().rstrip("。.：:"), bold_end
    h = half(text)
    m = _SENTENCE_PUNCT.search(h, start)
    if m and text[m.end():].strip():
        return text[start:m.start()].strip(), m.end()
    return text[start:].strip().rstrip("。.：:"), len(text)


def classify(p: Para, levels: dict[int, str]) -> _Heading | None:
    """Whether a paragraph is a 一、 part or （一） section heading."""
    h = half(p.text)
    styled = levels.get(p.level)
    m = _PART_RE.match(h)
    if m:
        rest = h[m.end():].rstrip("。. ")
        short = len(rest) <= HEADING_MAX and not _SENTENCE_PUNCT.search(rest)
        if short or styled == "part" or p.all_bold:
            return _Heading("part", cn_to_int(m.group(1)), p.text[m.end():].strip().rstrip("。."), len(p.text))
    m = _SECTION_RE.match(h)
    if m:
        title, body = _split_title(p, m.end())
        return _Heading("section", cn_to_int(m.group(1)), title, body)
    if styled and len(p.text) <= HEADING_MAX * 2:
        title, body = _split_title(p, 0)
        return _Heading(styled, None, title, body)
    return None


@dataclass
class _Span:
    """A slice of a paragraph, or a ready Markdown block (a table)."""

    para: Para | None
    start: int = 0
    end: int = 0
    markdown: str = ""

    @property
    def text(self) -> str:
        return self.para.text[self.start:self.end].strip() if self.para else self.markdown


_BULLET = re.compile(r"^[•●▪◦·]\s*")
_ORDERED = re.compile(r"^(\d{1,2})\.\s+")


def markdown_blocks(spans: list[_Span]) -> list[tuple[str, str]]:
    """(kind, Markdown) per span: p, ul, ol or table. Paragraphs starting with a bullet
    become list items; "1. ", "2. " … paragraphs numbered from 1 become an ordered list,
    other numbers stay text."""
    raw: list[tuple[str, str, int]] = []
    for span in spans:
        if span.para is None:
            raw.append(("table", span.markdown, 0))
            continue
        text = span.text
        at_start = not span.para.text[:span.start].strip()
        bullet = _BULLET.match(text) if at_start else None
        ordered = _ORDERED.match(text) if at_start else None
        if bullet and text[bullet.end():].strip():
            raw.append(("ul", "- " + escape_markdown(text[bullet.end():].strip()), 0))
        elif ordered:
            raw.append(("ol", text, int(ordered.group(1))))
        else:
            raw.append(("p", escape_markdown(text), 0))
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(raw):
        kind, text, number = raw[i]
        if kind != "ol":
            out.append((kind, text))
            i += 1
            continue
        run = i
        while run < len(raw) and raw[run][0] == "ol" and raw[run][2] == run - i + 1:
            run += 1
        if run == i:  # not numbered from 1: keep the number as text
            out.append(("p", escape_markdown(text)))
            i += 1
            continue
        for k in range(i, run):
            body = _ORDERED.sub("", raw[k][1], count=1)
            out.append(("ol", f"{raw[k][2]}. {escape_markdown(body)}"))
        i = run
    return out


def _find_marker(p: Para, marker: str, start: int, end: int) -> int | None:
    h = half(p.text)
    first = start
    while first < end and h[first].isspace():
        first += 1
    pos = h.find(marker, start, end)
    while pos >= 0:
        before = h[start:pos].rstrip()
        if pos == first or (before and before[-1] in _BOUNDARY):
            return pos
        pos = h.find(marker, pos + 1, end)
    return None


def split_points(spans: list[_Span]) -> tuple[list[_Span], list[list[_Span]]]:
    """Text before 一是, then one span list per point (一是, 二是 … in sequence)."""
    pre: list[_Span] = []
    points: list[list[_Span]] = []
    current = pre
    for sp in spans:
        if sp.para is None:
            current.append(sp)
            continue
        pos = sp.start
        while True:
            marker = chinese_number(len(points) + 1) + "是"
            at = _find_marker(sp.para, marker, pos, sp.end)
            if at is None:
                break
            if sp.para.text[pos:at].strip():
                current.append(_Span(sp.para, pos, at))
            current = []
            points.append(current)
            pos = at
        if sp.para.text[pos:sp.end].strip():
            current.append(_Span(sp.para, pos, sp.end))
    return pre, points


def doubled_marker(text: str) -> str:
    """The marker written twice at the start of a point (``二是是``, ``二是二是``), else ""."""
    h = half(text)
    marker = h[:2]
    after = h[2:].lstrip(":,、 ")
    if after.startswith(marker):
        return marker + marker
    if after.startswith(marker[-1]) and not after.startswith("是否"):
        return marker + marker[-1]
    return ""


def _point(spans: list[_Span]) -> tuple[str, list[_Span]]:
    """(lead, body spans) of one point whose first span starts at its 一是 marker.

    The lead is the bold text right after the marker, else the first sentence when it
    is short and more text follows; without a lead the whole point is its text.
    """
    first = spans[0]
    p = first.para
    assert p is not None
    h = half(p.text)
    start = first.start + 2
    while start < first.end and h[start] in ":,、 ":
        start += 1
    lead = ""
    rest_start = start
    bold_end = min(p.bold_end(first.start), first.end)
    if bold_end <= start:
        bold_end = min(p.bold_end(start), first.end)
    if start < bold_end < first.end and p.text[bold_end:first.end].strip():
        lead, rest_start = p.text[start:bold_end].strip(), bold_end
    else:
        m = re.search("。", h[start:first.end])
        if m and 0 < m.start() <= LEAD_MAX:
            after = p.text[start + m.end():first.end].strip()
            if after or len(spans) > 1:
                lead, rest_start = p.text[start:start + m.start()].strip(), start + m.end()
    lead = lead.rstrip("。.；;：: ")
    if len(lead) > LEAD_MAX:
        lead, rest_start = "", start
    body = [_Span(p, rest_start, first.end)] + spans[1:]
    body = [b for b in body if b.text]
    if not body:  # a lead alone is the text
        lead, body = "", [_Span(p, start, first.end)]
    return lead, body


# ------------------------------------------------------------------ ledger


LEDGER_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("measure", ("措施",)),
    ("responsible_person", ("责任人", "负责人")),
    ("responsible_unit", ("责任单位", "责任部门", "责任处室", "牵头单位", "牵头部门", "责任科室")),
    ("deadline", ("时限", "期限", "截止")),
    ("completed", ("完成时间", "完成日期", "销号时间", "办结时间")),
    ("status", ("状态", "进展", "完成情况", "进度", "整改情况")),
    ("problem", ("问题",)),
]
STATUSES = ledger_statuses()


def ledger_columns(header: list[str]) -> dict[str, int] | None:
    """Column of each ledger field, when ``header`` is a rectification-ledger header row."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = re.sub(r"\s", "", cell)
        for key, words in LEDGER_COLUMNS:
            if key not in found and any(w in name for w in words):
                found[key] = index
                break
    if "completed" in found and "deadline" not in found:
        found["deadline"] = found.pop("completed")
    if {"problem", "measure"} <= found.keys() and len(found) >= 3:
        return found
    return None


def normalise_status(text: str) -> str | None:
    t = re.sub(r"\s", "", text)
    if not t:
        return None
    if "未开始" in t or "未启动" in t:
        return "未开始"
    if "长期" in t or "常态" in t:
        return "长期坚持"
    if ("完成" in t or "整改到位" in t or "已整改" in t or "销号" in t) and "未完成" not in t:
        return "已完成"
    if any(w in t for w in ("推进", "进行", "整改中", "持续", "正在", "未完成")):
        return "推进中"
    return None


def parse_ledger(table: Table, columns: dict[str, int], notes: list[Note]) -> list[dict]:
    items = []
    for row in table.rows[1:]:
        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        if not cell("problem") and not cell("measure"):
            continue
        item: dict[str, Any] = {
            "problem": cell("problem"),
            "measure": cell("measure"),
            "responsible_unit": cell("responsible_unit"),
            "responsible_person": cell("responsible_person"),
        }
        raw_deadline = cell("deadline")
        raw_status = cell("status")
        status = normalise_status(raw_status)
        deadline = parse_deadline(raw_deadline)
        label = _shorten(item["problem"] or item["measure"], 30)
        if deadline:
            item["deadline"] = deadline
        else:
            item["deadline"] = raw_deadline
            notes.append(Note(ERROR, f"整改台账“{label}”的完成时限“{raw_deadline}”不是日期，请改为 YYYY-MM-DD",
                              " | ".join(row)))
        item["status"] = status or raw_status
        if status is None:
            notes.append(Note(ERROR, f"整改台账“{label}”的状态“{raw_status}”无法识别，应为"
                                     + "、".join(STATUSES), " | ".join(row)))
        completed = parse_deadline(cell("completed")) if "completed" in columns else None
        if completed is None and status == "已完成":
            m = _LOOSE_DATE.search(half(raw_status))
            completed = parse_deadline(m.group()) if m else None
        if status == "已完成":
            if completed:
                item["completed"] = completed
            else:
                notes.append(Note(WARNING, f"整改台账“{label}”状态为已完成，但没有完成日期：请补填 completed",
                                  " | ".join(row)))
        items.append({k: v for k, v in item.items() if v != "" or k in ("problem", "measure", "deadline")})
    return items


TABLE_KINDS = {"ledger": "整改台账", "figures": "关键数据", "materials": "学习材料"}
_ATTACHMENT_NOTE = re.compile(r"^附件\s*:\s*[^。]{1,40}$|^\d{1,2}\s*[.、]\s*[^。]{1,30}$")
_CAPTION = re.compile(r"附件|附表|台账|清单|整改|关键数据|学习材料")


def table_kind(header: list[str]) -> str | None:
    """ledger / figures / materials from a table's header row, or None for other tables."""
    if ledger_columns(header) is not None:
        return "ledger"
    names = [re.sub(r"\s", "", c) for c in header]
    if any(n in {"项目", "指标", "名称", "数据项"} for n in names) and any(
            n in {"数量", "数值", "数字", "数据"} for n in names) and "单位" in names:
        return "figures"
    if any("材料" in n for n in names) and any(n in {"类别", "要求", "类型", "必读/选读"} for n in names):
        return "materials"
    return None


def _is_caption(p: Para, levels: dict[int, str]) -> bool:
    text = p.text.strip()
    return (len(text) <= HEADING_MAX and classify(p, levels) is None
            and (bool(re.fullmatch(r"附件\s*\d*", half(text))) or bool(_CAPTION.search(text))))


def _match_label(label: str, unit: str, figures: list[dict]) -> dict | None:
    """The declared figure a table row's label names (exact, else closely similar)."""
    wanted = _squash(label)
    for fig in figures:
        if _squash(str(fig.get("label", ""))) == wanted:
            return fig
    best, score = None, 0.0
    for fig in figures:
        if unit.strip() and str(fig.get("unit", "")) != unit.strip():
            continue
        name = _squash(str(fig.get("label", "")))
        value = _lcs(name, wanted) / max(len(name), len(wanted), 1)
        if value > score:
            best, score = fig, value
    return best if score >= FIGURE_MIN_SCORE else None


def table_markdown(table: Table) -> str:
    """A non-ledger table as a Markdown table (cells inert)."""
    width = max(len(r) for r in table.rows)
    rows = [r + [""] * (width - len(r)) for r in table.rows]

    def cell(text: str) -> str:
        return escape_markdown(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows[1:]]
    return "\n".join(lines)


# ----------------------------------------------------------------- figures


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


_CLAUSE_SPLIT = re.compile(r"[，。；、,;：:！？!?\n（）()]")
FIGURE_MIN_SCORE = 0.8


def find_figures(texts: Iterable[str], figures: list[dict]) -> tuple[dict[str, int], list[Note]]:
    """Figure values out of sentences like '领题调研6个课题，到基层走访累计32次'."""
    units = sorted({str(f.get("unit", "")) for f in figures if f.get("unit")}, key=len, reverse=True)
    if not units:
        return {}, []
    number_re = re.compile(r"(\d+|[XxＸｘ])\s*(?:余|多)?\s*(" + "|".join(map(re.escape, units)) + ")")
    values: dict[str, int] = {}
    notes: list[Note] = []
    for text in texts:
        h = half(text)
        for m in number_re.finditer(h):
            left = _CLAUSE_SPLIT.split(h[: m.start()])[-1][-18:]
            right = _CLAUSE_SPLIT.split(h[m.end():])[0][:6]
            if re.search("未|没有", left):  # 尚未整改的11个问题 is not a count of rectified ones
                continue
            window = left + right
            best, score = None, 0.0
            for fig in figures:
                if str(fig.get("unit")) != m.group(2):
                    continue
                label = str(fig.get("label", ""))
                s = _lcs(label, window) / max(len(label), 1)
                if s > score:
                    best, score = fig, s
            if best is None or score < FIGURE_MIN_SCORE:
                continue
            clause = (left + m.group() + right).strip()
            key = str(best["key"])
            if not m.group(1).isdigit():
                notes.append(Note(WARNING, f"模板中“{best['label']}”的数字还是“X”，请在 Word 或数据文件中填写", clause))
                continue
            value = int(m.group(1))
            if key in values and values[key] != value:
                notes.append(Note(WARNING, f"“{best['label']}”出现了两个不同的数字（{values[key]} 和 {value}），"
                                           f"采用了第一个，请核对", clause))
                continue
            values.setdefault(key, value)
    return values, notes


# ------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, blocks: list[Block], ref: Reference, campaign: str | None,
                 unit: str | None, submitted: str | None, today: str):
        self.blocks = blocks
        self.ref = ref
        self.campaign_id = campaign or ""
        self.unit_id = unit or ""
        self.submitted = submitted or ""
        self.today = today
        self.notes: list[Note] = []
        self.unmapped: list[Note] = []
        self.ledger: list[dict] = []
        self.punct_fixes = 0
        self.levels = _heading_levels(blocks)
        self.used: set[int] = set()  # ids of blocks consumed by title/addressee/trailer/captions
        self.table_figures: dict[str, int] = {}
        self.table_materials: list[str] = []
        self.pending_figures: list[Table] = []

    # -- helpers
    def note(self, level: str, message: str, para: Para | None = None) -> None:
        self.notes.append(Note(level, message, para.text if para else "", para.number if para else 0))

    def leftover(self, message: str, block: Block) -> None:
        text = block.text if isinstance(block, Para) else "\n".join(" | ".join(r) for r in block.rows)
        self.unmapped.append(Note(WARNING, message, text, block.number))

    def prose_spans(self, spans: list[_Span]) -> str:
        """Markdown prose from paragraphs: text made inert, • / 1. paragraphs as lists."""
        blocks = markdown_blocks(spans)
        out = ""
        previous = ""
        for kind, text in blocks:
            fixed, count = tidy_prose(text) if kind != "table" else (text, 0)
            self.punct_fixes += count
            if out:
                out += "\n" if kind == previous and kind in {"ul", "ol"} else "\n\n"
            out += fixed
            previous = kind
        return out

    def inline(self, text: str) -> str:
        fixed, count = tidy_prose(text)
        self.punct_fixes += count
        return fixed

    # -- top level
    def run(self) -> ImportResult:
        paras = [b for b in self.blocks if isinstance(b, Para)]
        if not paras:
            self.note(ERROR, "Word 文件中没有任何文字段落")
            return ImportResult({}, notes=self.notes)
        self._attachments()
        title, addressee, body_start = self._head()
        heads = [(i, classify(b, self.levels)) for i, b in enumerate(self.blocks)
                 if i >= body_start and isinstance(b, Para) and id(b) not in self.used]
        parts_at = [(i, h) for i, h in heads if h is not None and h.kind == "part"]
        end = self._trailer(parts_at[0][0] if parts_at else body_start)
        opening_end = parts_at[0][0] if parts_at else end
        opening = self._plain_spans(body_start, opening_end)
        data: dict[str, Any] = {}
        self._identify(title, addressee, opening)
        data["unit"] = self.unit_id or "【请填写单位id】"
        data["campaign"] = self.campaign_id or "【请填写学习教育id】"
        data["submitted"] = self.submitted or self.today
        if not self.submitted:
            self.note(WARNING, f"没有找到落款日期，报告日期暂填今天（{self.today}），请核对 submitted")
        campaign = self.ref.campaigns.get(self.campaign_id) or {}
        if title and campaign and _squash(title.text) != _squash(str(campaign.get("report_title", ""))):
            data["title"] = self.inline(title.text)
        data["opening"] = self.prose_spans(opening)
        if not opening:
            self.note(ERROR, "没有找到开头段（指导组称谓之后、“一、”之前的段落）")
        parts = self._parts(parts_at, end)
        data.update(parts)
        figures_decl = list(campaign.get("figures") or [])
        pending, self.pending_figures = self.pending_figures, []
        for table in pending:
            self._figure_table(table, final=True)
        if self.table_figures:
            values = self.table_figures
            self.note(INFO, "数字取自“关键数据”表格")
        else:
            values, fig_notes = find_figures(self._all_text(data), figures_decl)
            self.notes.extend(fig_notes)
        ordered = {str(f["key"]): values[str(f["key"])] for f in figures_decl if str(f["key"]) in values}
        missing = [f for f in figures_decl if str(f["key"]) not in values]
        data["figures"] = ordered
        for f in missing:
            level = WARNING if f.get("required") else INFO
            self.note(level, f"正文中没有找到“{f.get('label')}”（{f.get('unit')}）的数字"
                             + ("，这是必填数据" if f.get("required") else ""))
        if self.ledger:
            data["ledger"] = self.ledger
        data["materials"] = self._materials(data)
        if self.signature:
            data["signature"] = self.signature
        if self.punct_fixes:
            self.note(INFO, f"已把 {self.punct_fixes} 处中文里的半角标点或全角数字/字母统一为规范写法")
        return ImportResult(data, self.campaign_id, self.unit_id, self.notes, self.unmapped, missing,
                            figures_decl)

    def _attachments(self) -> None:
        """Ledger, key-figure and study-material tables (and their captions) leave the flow."""
        for i, block in enumerate(self.blocks):
            if not isinstance(block, Table) or not block.rows:
                continue
            kind = table_kind(block.rows[0])
            if kind is None:
                continue
            self.used.add(id(block))
            if kind == "ledger":
                columns = ledger_columns(block.rows[0])
                assert columns is not None
                self.ledger += parse_ledger(block, columns, self.notes)
            elif kind == "figures":
                self._figure_table(block)
            else:
                self._material_table(block)
            for back in (1, 2):
                caption = self.blocks[i - back] if i - back >= 0 else None
                if not isinstance(caption, Para) or id(caption) in self.used or not _is_caption(caption, self.levels):
                    break
                self.used.add(id(caption))
                self.note(INFO, f"这一段是{TABLE_KINDS[kind]}表格的标题，已随表格导入", caption)

    def _figure_table(self, table: Table, *, final: bool = False) -> None:
        """Key-figure rows → figures. Before the campaign is known the table waits in
        ``pending_figures``; on the ``final`` pass rows that still cannot be mapped are kept
        as leftovers (the table is never queued again)."""
        campaign = self.ref.campaigns.get(self.campaign_id) if self.campaign_id else None
        declared = list((campaign or {}).get("figures") or [])
        if not declared:
            if not final:  # the campaign is not known yet: keep the rows for later
                self.pending_figures.append(table)
                return
            why = ("本学习教育没有声明数字项目" if campaign else
                   f"学习教育 {self.campaign_id} 不存在，无法对应数字项目" if self.campaign_id else
                   "学习教育未能确定，无法对应数字项目")
            for row in table.rows[1:]:
                self.unmapped.append(Note(WARNING, f"关键数据表中的“{row[0] if row else ''}”未导入：{why}",
                                          " | ".join(row), table.number))
            return
        for row in table.rows[1:]:
            label, value, unit = (row + ["", "", ""])[:3]
            number = re.sub(r"[\s,，]", "", half(value))
            fig = _match_label(label, unit, declared)
            text = " | ".join(row)
            if fig is None or not number.isdigit():
                why = "数字不是整数" if fig is not None else "不是本学习教育声明的数字项目"
                self.unmapped.append(Note(WARNING, f"关键数据表中的“{label}”{why}，未导入", text, table.number))
                continue
            key = str(fig["key"])
            if key in self.table_figures and self.table_figures[key] != int(number):
                self.note(WARNING, f"关键数据表中“{fig['label']}”出现了两次，采用了第一个数字")
                continue
            self.table_figures.setdefault(key, int(number))

    def _material_table(self, table: Table) -> None:
        header = [re.sub(r"\s", "", c) for c in table.rows[0]]
        column = next((n for n, c in enumerate(header) if "材料" in c or "名称" in c), 0)
        titles = {_squash(str(m.get("title", ""))): str(m["id"]) for m in self.ref.materials}
        for row in table.rows[1:]:
            title = row[column] if column < len(row) else ""
            name = _squash(title)
            if name.startswith("《") and name.endswith("》"):
                name = name[1:-1]
            found = titles.get(name)
            if found is None:
                self.unmapped.append(Note(WARNING, f"学习材料“{title}”不在 data/materials.yml 中，未导入",
                                          " | ".join(row), table.number))
            elif found not in self.table_materials:
                self.table_materials.append(found)

    def _head(self) -> tuple[Para | None, Para | None, int]:
        """Title and addressee paragraphs, and the index where the opening starts."""
        limit = min(len(self.blocks), 8)
        addressee_at = next(
            (i for i in range(limit) if isinstance(self.blocks[i], Para)
             and _ADDRESSEE_RE.match(half(self.blocks[i].text))),
            None,
        )
        first_part = next((i for i, b in enumerate(self.blocks) if isinstance(b, Para)
                           and (h := classify(b, self.levels)) is not None and h.kind == "part"), len(self.blocks))
        head_end = addressee_at if addressee_at is not None else min(first_part, 1)
        candidates = [i for i in range(head_end) if isinstance(self.blocks[i], Para)]
        title_at = next((i for i in candidates if "报告" in self.blocks[i].text), candidates[0] if candidates else None)
        title = self.blocks[title_at] if title_at is not None else None
        for i in candidates:
            block = self.blocks[i]
            if i == title_at:
                continue
            date = parse_date(block.text)
            if date and not self.submitted:
                self.submitted = date
                self.note(INFO, f"标题下的日期作为报告日期 {date}", block)
            else:
                self.leftover("标题前后的这一段不属于报告提纲", block)
        if title is None:
            self.note(WARNING, "没有找到报告标题，将使用学习教育的标准标题")
        addressee = self.blocks[addressee_at] if addressee_at is not None else None
        if addressee is None:
            self.note(WARNING, "没有找到收文的指导组（如“主题教育第一指导组：”），指导组以名单为准")
        for i in [title_at, addressee_at]:
            if i is not None:
                self.used.add(id(self.blocks[i]))
        start = (addressee_at if addressee_at is not None else (title_at if title_at is not None else -1)) + 1
        return title, addressee, start

    def _trailer(self, first_part: int) -> int:
        """Signature and date at the end; returns where the body ends."""
        self.signature = ""
        end = len(self.blocks)
        i = end - 1
        taken = 0
        while i >= first_part and taken < 4:
            block = self.blocks[i]
            if id(block) in self.used:
                i -= 1
                continue
            if not isinstance(block, Para):
                break
            date = parse_date(block.text)
            if date:
                if not self.submitted:
                    self.submitted = date
                self.used.add(id(block))
            elif _is_signature(block.text, self.ref) and not self.signature:
                self.signature = block.text.strip()
                self.used.add(id(block))
            elif _ATTACHMENT_NOTE.match(half(block.text)):
                self.used.add(id(block))
                self.note(INFO, "附件说明已识别（附件的表格单独导入）", block)
                i -= 1
                continue
            else:
                break
            taken += 1
            i -= 1
        return end

    def _plain_spans(self, start: int, end: int) -> list[_Span]:
        spans = []
        for block in self.blocks[start:end]:
            if id(block) in self.used:
                continue
            if isinstance(block, Para):
                spans.append(_Span(block, 0, len(block.text)))
            elif block.rows:
                spans.append(_Span(None, markdown=table_markdown(block)))
                self.note(INFO, "表格不是整改台账，已作为 Markdown 表格放进正文", None)
        return spans

    # -- identification
    def _identify(self, title: Para | None, addressee: Para | None, opening: list[_Span]) -> None:
        text = " ".join([title.text if title else ""] + [s.text for s in opening[:2]]
                        + [getattr(self, "signature", "")])
        group_number, prefix = None, ""
        if addressee is not None:
            m = _ADDRESSEE_RE.match(half(addressee.text))
            assert m is not None
            group_number, prefix = cn_to_int(m.group("n")), m.group("prefix").strip()
        if not self.campaign_id:
            self.campaign_id = self._find_campaign(title.text if title else "", prefix)
        elif self.campaign_id not in self.ref.campaigns:
            self.note(ERROR, f"学习教育 {self.campaign_id} 不存在（data/campaigns/ 中没有这个文件）")
        group = self.ref.group_by_number(group_number) if group_number else None
        if group_number and group is None:
            self.note(ERROR, f"data/groups.yml 中没有编号为 {group_number} 的指导组", addressee)
        found = self._find_unit(text)
        if self.unit_id:
            if self.ref.unit(self.unit_id) is None:
                self.note(ERROR, f"单位 {self.unit_id} 不在 data/units.yml 中：请先登记，"
                                 + self._register_hint(self.unit_id, "", group))
            elif found and found != self.unit_id:
                self.note(WARNING, f"正文中的党组织属于 {found}，但命令行指定了 {self.unit_id}，以命令行为准")
        elif found:
            self.unit_id = found
        else:
            orgs = list(dict.fromkeys(
                o.removeprefix("中共") for o in re.findall(r"[\u4e00-\u9fff]{2,30}?(?:" + "|".join(PARTY_SUFFIXES) + ")", text)
            ))
            hint = f"（正文中的党组织：{'、'.join(orgs)}）" if orgs else ""
            self.note(ERROR, f"无法从正文确定单位：data/units.yml 中没有与正文对应的党组织或单位名称{hint}。"
                             "如果单位已登记，请用 --unit 指定；新单位请先登记，"
                             + self._register_hint("<单位id>", orgs[0] if orgs else "", group))
        if not self.campaign_id:
            ids = "、".join(self.ref.campaigns)
            self.note(ERROR, f"无法从标题确定是哪一次学习教育，请用 --campaign 指定（可选：{ids}）", title)
            return
        if not self.unit_id or self.ref.unit(self.unit_id) is None:
            return
        entry = self.ref.roster_entry(self.campaign_id, self.unit_id)
        if entry is None:
            self.note(ERROR, f"单位 {self.unit_id} 不在学习教育 {self.campaign_id} 的名单（roster）中：请先加入，"
                             + self._register_hint(self.unit_id, "", group))
        elif group is not None and entry.get("group") != group.get("id"):
            self.note(WARNING, f"报告写给{group.get('name')}，但名单中 {self.unit_id} 属于 {entry.get('group')}："
                               "网页以名单为准，请核对", addressee)

    def _register_hint(self, unit_id: str, org: str, group: dict | None) -> str:
        """The make new-unit command that registers the unit (and adds it to the roster)."""
        parts = ["--register-only", f"--unit {unit_id}"]
        if org:
            name = org
            for suffix in PARTY_SUFFIXES:
                name = name.removesuffix(suffix)
            parts += [f"--name {name}", f"--party-org {org}"]
        elif self.ref.unit(unit_id) is None:
            parts += ["--name <单位名称>", "--party-org <党组织名称>"]
        parts += [f"--campaign {self.campaign_id or '<学习教育>'}", f"--group {group['id'] if group else '<指导组>'}",
                  "--batch <批次>"]
        return f'运行：make new-unit ARGS="{" ".join(parts)}"，然后重新导入'

    def _find_unit(self, text: str) -> str:
        squashed = _squash(text)
        by_org = sorted(self.ref.units, key=lambda u: -len(str(u.get("party_org", ""))))
        for unit in by_org:
            org = _squash(str(unit.get("party_org", "")))
            if org and org in squashed:
                return str(unit["id"])
        by_name = sorted(self.ref.units, key=lambda u: -len(str(u.get("name", ""))))
        for unit in by_name:
            name = _squash(str(unit.get("name", "")))
            if name and name in squashed:
                return str(unit["id"])
        return ""

    def _find_campaign(self, title: str, prefix: str) -> str:
        t = _squash(title)
        campaigns = self.ref.campaigns
        for cid, c in campaigns.items():
            if t and t == _squash(str(c.get("report_title", ""))):
                return cid
        scored = []
        for cid, c in campaigns.items():
            score = 0
            for key in ("short_name", "name"):
                value = _squash(str(c.get(key, "")))
                if value and value in t:
                    score += 3
            report_title = _squash(str(c.get("report_title", "")))
            if t and report_title:
                score += 4 * _lcs(t, report_title) / max(len(report_title), len(t))
            year = str(c.get("start", ""))[:4]
            if year and year in t:
                score += 1
            ap = str(c.get("addressee_prefix", ""))
            if prefix and ap and _squash(prefix) == _squash(ap):
                score += 3
            scored.append((score, cid))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= 4 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 1):
            return scored[0][1]
        if self.unit_id:
            having = [cid for cid in campaigns if self.ref.roster_entry(cid, self.unit_id)]
            if len(having) == 1:
                self.note(INFO, f"标题无法确定学习教育，按名单取唯一包含该单位的 {having[0]}")
                return having[0]
        return ""

    # -- outline
    def _parts(self, parts_at: list[tuple[int, _Heading]], end: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not parts_at:
            self.note(ERROR, "没有找到“一、”“二、”“三、”各部分的标题：报告提纲无法识别")
            return out
        assigned: list[tuple[str | None, int, _Heading]] = []
        taken: set[str] = set()
        for pos, (i, h) in enumerate(parts_at):
            key = next((k for k in PART_KEYS if k not in taken and any(w in h.title for w in PART_WORDS[k])), None)
            if key is None and pos < len(PART_KEYS) and PART_KEYS[pos] not in taken:
                key = PART_KEYS[pos]
            if key is not None:
                taken.add(key)
            assigned.append((key, i, h))
        for n, (key, i, _) in enumerate(assigned):
            stop = assigned[n + 1][1] if n + 1 < len(assigned) else end
            heading = self.blocks[i]
            assert isinstance(heading, Para)
            blocks = [b for b in self.blocks[i + 1:stop] if id(b) not in self.used]
            if key is None:
                self.leftover("这一部分超出了报告提纲的三个部分（一、二、三），未导入", heading)
                for b in blocks:
                    self.leftover("属于未导入的部分", b)
                continue
            standard = PART_TITLES[key]
            if _squash(heading.text.lstrip("一二三四五六七八九十、. ")) != _squash(standard[2:]):
                self.note(INFO, f"这个标题在网页上显示为标准标题“{standard}”", heading)
            out[key] = self._part(key, blocks)
        for key in PART_KEYS:
            if key not in out:
                self.note(ERROR, f"没有找到“{PART_TITLES[key]}”这一部分")
        return out

    def _part(self, key: str, blocks: list[Block]) -> dict[str, Any]:
        intro: list[_Span] = []
        sections: list[tuple[_Heading, Para, list[_Span]]] = []
        for block in blocks:
            if isinstance(block, Table):
                span = _Span(None, markdown=table_markdown(block))
                (sections[-1][2] if sections else intro).append(span)
                self.note(INFO, "表格不是整改台账，已作为 Markdown 表格放进正文")
                continue
            h = classify(block, self.levels) if block.level or _SECTION_RE.match(half(block.text)) else None
            if h is not None and h.kind == "section":
                body = [_Span(block, h.body_start, len(block.text))] if h.body_start < len(block.text) else []
                sections.append((h, block, body))
                continue
            target = sections[-1][2] if sections else intro
            target.append(_Span(block, 0, len(block.text)))
        self._check_numbers(sections)
        if key == "problems":
            return self._problems(intro, sections)
        result: dict[str, Any] = {}
        if sections:
            if intro:
                result["intro"] = self.prose_spans(intro)
            make = self._section if key == "highlights" else self._plan
            result["sections"] = [make(h, p, body) for h, p, body in sections]
        else:
            result.update(self._sections_from_points(key, intro))
        if key == "plans" and not result.get("intro"):
            self.note(ERROR, "“三、下步工作打算”标题下、（一）之前没有导语段落（intro 必填）")
        return result

    def _sections_from_points(self, key: str, spans: list[_Span]) -> dict[str, Any]:
        """No （一） headings: each 一是/二是 becomes a section titled by its lead."""
        result: dict[str, Any] = {}
        pre, points = split_points(spans)
        if pre:
            result["intro"] = self.prose_spans(pre)
        result["sections"] = []
        if not points:
            self.note(ERROR, f"“{PART_TITLES[key]}”中没有（一）（二）……小节，至少需要一个")
            return result
        self.note(INFO, f"“{PART_TITLES[key]}”没有（一）（二）小标题，按“一是、二是……”分为小节")
        body_key = "intro" if key == "highlights" else "text"
        for spans_of_point in points:
            self.check_marker(spans_of_point)
            lead, body = _point(spans_of_point)
            section = {"title": self.inline(escape_markdown(lead)) if lead else "【请填写小标题】"}
            section[body_key] = self.prose_spans(body)
            if not lead:
                self.note(ERROR, "这一条没有可作小标题的首句，已填“【请填写小标题】”", spans_of_point[0].para)
            result["sections"].append(section)
        return result

    def _check_numbers(self, sections: list[tuple[_Heading, Para, list[_Span]]]) -> None:
        for expected, (h, p, _) in enumerate(sections, 1):
            if h.n is not None and h.n != expected:
                self.note(WARNING, f"小标题编号不连续：这里应为（{chinese_number(expected)}），网页按顺序重新编号", p)

    def _section(self, h: _Heading, p: Para, body: list[_Span]) -> dict[str, Any]:
        section: dict[str, Any] = {"title": self.inline(escape_markdown(h.title))}
        pre, points = split_points(body)
        if pre:
            section["intro"] = self.prose_spans(pre)
        if points:
            section["points"] = [self._point(spans) for spans in points]
        if not h.title:
            self.note(ERROR, "小标题为空", p)
        return section

    def _plan(self, h: _Heading, p: Para, body: list[_Span]) -> dict[str, Any]:
        """A （一） of 三、下步工作打算: title and text (一是… stay in the text)."""
        section = {"title": self.inline(escape_markdown(h.title)), "text": self.prose_spans(body)}
        if not section["text"]:
            self.note(ERROR, "这个小节只有标题没有正文（text 必填）", p)
        if not h.title:
            self.note(ERROR, "小标题为空", p)
        return section

    def check_marker(self, spans: list[_Span]) -> None:
        """A typo such as the template's own “二是是还存在…” is imported as written: say so."""
        first = spans[0]
        assert first.para is not None
        doubled = doubled_marker(first.para.text[first.start:first.end])
        if doubled:
            message = (f"这一条以“{doubled}”开头，序号重复了（笔误？）：已按“{doubled[:2]}”导入，"
                       f"正文以“{doubled[2:]}”开头。请在 Word 或数据文件中删去重复的“{doubled[2:]}”")
            self.notes.append(Note(WARNING, message, first.para.text[first.start:], first.para.number))

    def _point(self, spans: list[_Span]) -> dict[str, str]:
        self.check_marker(spans)
        lead, body = _point(spans)
        point = {"lead": self.inline(escape_markdown(lead))} if lead else {}
        point["text"] = self.prose_spans(body)
        return point

    def _problems(self, intro: list[_Span], sections: list[tuple[_Heading, Para, list[_Span]]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if sections:
            self.note(INFO, "“二、存在的问题和不足之处”用了（一）（二）小标题，按“一是、二是……”导入，小标题作为每条的首句")
            if intro:
                result["intro"] = self.prose_spans(intro)
            points = []
            for h, _, body in sections:
                point = {"lead": self.inline(escape_markdown(h.title)), "text": self.prose_spans(body)}
                if not point["text"]:
                    point = {"text": point["lead"]}
                points.append(point)
            result["points"] = points
            return result
        pre, points_spans = split_points(intro)
        if pre:
            result["intro"] = self.prose_spans(pre)
        else:
            self.note(ERROR, "“二、存在的问题和不足之处”在“一是”之前没有导语段落（intro 必填）")
        result["points"] = [self._point(spans) for spans in points_spans]
        if not points_spans:
            self.note(ERROR, "“二、存在的问题和不足之处”中没有找到“一是、二是……”，至少需要一条问题")
        return result

    # -- rest
    def _all_text(self, data: dict) -> list[str]:
        out: list[str] = []

        def walk(value: Any) -> None:
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        for key in ("opening", *PART_KEYS):
            walk(data.get(key))
        return out

    def _materials(self, data: dict) -> list[str]:
        if self.table_materials:
            return list(self.table_materials)
        text = _squash(" ".join(self._all_text(data)))
        found = []
        for m in self.ref.materials:
            if self.campaign_id and m.get("campaigns") and self.campaign_id not in m.get("campaigns"):
                continue
            title = _squash(str(m.get("title", "")))
            if title and f"《{title}》" in text:
                found.append(str(m["id"]))
        if found:
            self.note(INFO, f"根据正文中的书名号找到学习材料：{', '.join(found)}，请补全其他用到的材料")
        else:
            self.note(INFO, "学习材料（materials）无法从 Word 中识别，请按 data/materials.yml 补填")
        return found


def _squash(text: str) -> str:
    return re.sub(r"\s", "", half(text))


def _is_signature(text: str, ref: Reference) -> bool:
    t = _squash(text)
    if not t or len(t) > HEADING_MAX or _SENTENCE_PUNCT.search(t):
        return False
    if t.startswith("中共") or t.endswith(PARTY_SUFFIXES):
        return True
    return any(t in {_squash(str(u.get("name", ""))), _squash(str(u.get("party_org", "")))}
               for u in ref.units)


# ------------------------------------------------------------------- entry


def parse(blocks: list[Block], ref: Reference, *, campaign: str | None = None, unit: str | None = None,
          submitted: str | None = None, today: str | None = None) -> ImportResult:
    """The report data found in ``blocks``, with notes on everything not mapped."""
    today = today or dt.date.today().isoformat()
    result = _Parser(blocks, ref, campaign, unit, submitted, today).run()
    signature = result.data.get("signature")
    unit_rec = ref.unit(result.unit) if result.unit else None
    if signature and unit_rec and _squash(signature) == _squash(f"中共{unit_rec.get('party_org', '')}"):
        del result.data["signature"]  # the default
    return result


def import_docx(path: Path, data_dir: Path, *, limits: Limits = LIMITS, **options: Any) -> ImportResult:
    """Read and parse a Word report against the reference data in ``data_dir`` (in this process).

    The file passes :func:`check_package` first; :class:`DocxError` says why it cannot be read.
    """
    result = parse(read_docx(path, limits), Reference.load(data_dir), **options)
    result.source_name = path.name
    return result


def import_docx_limited(path: Path, data_dir: Path, *, limits: Limits = LIMITS, **options: Any) -> ImportResult:
    """:func:`import_docx` in a child process stopped after ``limits.seconds``.

    Raises :class:`DocxError` for a refused file, a time-out or a child that failed.
    """
    return run_limited(import_docx, (path, data_dir), {"limits": limits, **options}, limits)


_TIMEOUT = ("读取和识别这个 Word 文件超过了 {seconds:g} 秒仍未完成，已停止（没有写出任何文件）："
            "文件可能过于复杂或是恶意构造的（如大量修订记录、超长段落）。"
            "请在 Word/WPS 中“另存为”新的 Word 文档，删去不需要的内容后再导入")
_NO_MEMORY = "读取这个 Word 文件所需的内存超过上限，已停止（没有写出任何文件）：文件可能是恶意构造的"
_INTERNAL = "导入工具处理这个 Word 文件时出错，已停止（没有写出任何文件）。请把 Word 文件交给知识库管理员处理"


def _start_method() -> str:
    """fork where it is safe and fast (Linux, a single thread), spawn elsewhere."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _cap_memory(extra: int) -> None:
    """Let this (child) process grow by at most ``extra`` bytes of address space, where the OS allows."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            used = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = used + extra
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):  # not Linux: the size limits still bound memory
        pass


def _child(conn: Any, func: Callable[..., Any], args: tuple, kwargs: dict, memory: int, seconds: float) -> None:
    # The parent stops this process after `seconds`; should the parent itself be killed
    # first, the watchdog ends it shortly after.
    watchdog = threading.Timer(seconds + 5, os._exit, (3,))
    watchdog.daemon = True
    watchdog.start()
    _cap_memory(memory)
    try:
        outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except DocxError as err:
        outcome = ("error", str(err))
    except MemoryError:
        outcome = ("error", _NO_MEMORY)
    except Exception:  # a bug must not show a traceback to the contributor
        outcome = ("error", _INTERNAL)
    try:
        conn.send(outcome)
    except Exception:  # the result cannot be sent (too large for the memory cap …)
        conn.send(("error", _INTERNAL))
    finally:
        conn.close()


def run_limited(func: Callable[..., Any], args: tuple, kwargs: dict, limits: Limits = LIMITS) -> Any:
    """``func(*args, **kwargs)`` in a child process, stopped after ``limits.seconds``.

    ``func`` must be a module-level function (it may be started with ``spawn``). Its
    :class:`DocxError` is raised here; a time-out, lack of memory or any other failure
    raises :class:`DocxError` with a Chinese message.
    """
    context = multiprocessing.get_context(_start_method())
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, func, args, kwargs, limits.memory_bytes, limits.seconds),
                              daemon=True)
    try:
        process.start()
    except OSError:
        raise DocxError("无法启动导入进程（系统资源不足），请稍后重试") from None
    send.close()
    outcome: tuple | None = None
    try:
        if receive.poll(limits.seconds):
            outcome = receive.recv()
    except (EOFError, OSError):  # the child ended without answering
        outcome = ()
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    if outcome is None:
        raise DocxError(_TIMEOUT.format(seconds=limits.seconds))
    if not outcome:  # killed (the kernel's out-of-memory killer sends SIGKILL) or crashed
        raise DocxError(_NO_MEMORY if process.exitcode == -getattr(signal, "SIGKILL", 9) else _INTERNAL)
    status, value = outcome
    if status != "ok":
        raise DocxError(value)
    return value


def report_path(data_dir: Path, result: ImportResult) -> Path:
    """Where the imported report belongs: ``data/reports/<campaign>/<unit>.yml``.

    Built by :func:`kb.contrib.scaffold.report_file` (the ids must follow the schema's id rule and
    the path must stay inside ``data_dir/reports``); raises :class:`kb.contrib.scaffold.ScaffoldError`.
    """
    return scaffold.report_file(data_dir, result.campaign, result.unit)


# Validator findings that no editing of an imported file is expected to fix: the file
# would be refused as a whole, or the field is beyond what the site accepts.
HARD_RULES = frozenset({"schema-max-length", "schema-max-items"})


def output_problems(text: str, data: dict[str, Any], schema_dir: Path) -> list[str]:
    """Why the data file ``text`` must not be written (Chinese, one line each); [] when it may.

    Checks the loader's hard limits on the very text: size (:data:`kb.data.yamlsafe.MAX_BYTES`),
    that the safe loader reads it without complaint and back as ``data`` (comments did not
    change it), and the schema's maximum lengths of texts and lists. Ordinary content
    errors (a missing field, a placeholder) are not checked here: the contributor fixes
    them in the written file.
    """
    from kb.data import schema, yamlsafe

    size = len(text.encode("utf-8"))
    if size > yamlsafe.MAX_BYTES:
        return [f"导入结果有 {_mib(size)}，超过单个数据文件的上限 {_mib(yamlsafe.MAX_BYTES)}："
                "报告正文过长，请在 Word 中精简后重新导入"]
    raw, problems = yamlsafe.decode(text.encode("utf-8"), "import.yml")
    doc = None
    if raw is not None:
        doc, more = yamlsafe.parse_text(raw, Path("import.yml"), "import.yml")
        problems += more
    if doc is None or problems or doc.data != reportyaml.strip_comments(data):
        return ["导入结果无法被数据加载器原样读回（Word 中可能有特殊的控制字符），没有写出："
                "请把 Word 文件交给知识库管理员处理"]
    compiled, _ = schema.load_schemas(schema_dir)
    if "report" not in compiled:
        return []
    return [f"{p.path}：{p.full_message()}" for p in schema.check(doc, compiled["report"]) if p.rule in HARD_RULES]


def validate_report(data_dir: Path, path: Path) -> list[Any]:
    """Problems the project validator finds in one report file (``kb.data.load``)."""
    from kb.data.load import load_and_validate

    _, problems = load_and_validate(data_dir, only=[path.resolve()])
    return list(problems)
