"""The text around the YAML parser: raw bytes, a line pre-scan, and parser errors in Chinese.

* :func:`decode` checks the raw bytes of a data file: UTF-8 only, and a Chinese message
  telling how to save the file otherwise (BOM, UTF-16/32, GBK, NUL bytes).
* :func:`prescan` finds in the decoded text what YAML reports badly or not at all:
  control characters, tabs and invisible characters in indentation, full-width colons
  used as key separators. Findings inside a multi-line scalar are dropped later
  (:func:`inside_scalar`, :func:`block_scalar_lines`).
* :func:`translate_yaml_error` explains a PyYAML/libyaml error in Chinese at the place
  that needs fixing (where an unclosed quote starts, not the end of the file).

:mod:`kb.data.yamlsafe` uses all three around its event parser.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import yaml

from kb.data import rules
from kb.data.problems import Problem
from kb.data.rules import Rule

SAVE_AS_UTF8 = "请另存为 UTF-8（无 BOM）编码"

Mark = tuple[int, int]

# Characters that look like spaces (or nothing) but are not YAML whitespace.
INVISIBLE = {
    "\u00a0": "不换行空格 U+00A0（NBSP）",
    "\u3000": "全角空格 U+3000",
    "\u200b": "零宽空格 U+200B",
    "\u200c": "零宽非连接符 U+200C",
    "\u200d": "零宽连接符 U+200D",
    "\u2060": "零宽不换行符 U+2060",
    "\ufeff": "零宽不换行空格/BOM U+FEFF",
}
_INDENT_CHARS = " \t" + "".join(INVISIBLE)
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FULLWIDTH_KEY = re.compile(r"[ \t]*(?:-[ \t]+)*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*：")
_BLOCK_INDICATOR = re.compile(r"(?:^|[:\-][ \t]|^[ \t]*)[|>][0-9+-]*[ \t]*(?:#.*)?$")


# --------------------------------------------------------------------------- bytes


def _byte_position(raw: bytes, offset: int) -> Mark:
    """1-based line and character column of byte ``offset`` (UTF-8 up to there)."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 bytes; other encodings are an error telling how to fix the file."""

    def bad(message: str, at: Mark = (1, 1), found: str = "") -> Problem:
        return Problem.of(rules.ENCODING, rel, at[0], at[1], message, found=found)

    if raw.startswith(b"\xef\xbb\xbf"):
        text, problems = decode(raw[3:], rel)
        return text, [bad(f"文件开头带有 BOM（字节顺序标记），{SAVE_AS_UTF8}", found="EF BB BF")] + problems
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return None, [bad(f"文件是 UTF-32 编码，{SAVE_AS_UTF8}", found=raw[:4].hex(" ").upper())]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [bad(f"文件是 UTF-16 编码，{SAVE_AS_UTF8}", found=raw[:2].hex(" ").upper())]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, [
            bad(
                f"文件含有 NUL 字节，可能是 UTF-16/UTF-32 编码或二进制文件，{SAVE_AS_UTF8}",
                _byte_position(raw, nul),
                found="00",
            )
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        at = _byte_position(raw, exc.start)
        found = raw[exc.start : exc.start + 2].hex(" ").upper()
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, [bad(f"文件不是有效的 UTF-8 编码，{SAVE_AS_UTF8}", at, found)]
        return None, [bad(f"文件似乎是 GBK/GB18030 编码，{SAVE_AS_UTF8}", at, found)]



# ------------------------------------------------------------------------ pre-scan


@dataclass(frozen=True)
class Suspect:
    """A pre-scan finding; dropped later if it lies inside a multi-line scalar."""

    line: int
    column: int
    message: str
    found: str
    rule: Rule


def block_scalar_lines(lines: list[str]) -> set[int]:
    """Lines (1-based) that look like the content of a ``|``/``>`` block scalar."""
    inside: set[int] = set()
    parent: int | None = None
    for number, line in enumerate(lines, 1):
        indent = len(line) - len(line.lstrip(" "))
        if parent is not None and (not line.strip() or indent > parent):
            inside.add(number)
            continue
        parent = indent if _BLOCK_INDICATOR.search(line.split(" #")[0]) else None
    return inside


# Searched in "\n" + text: a literal first character lets the regex engine skip ahead.
_INDENT_SUSPECT = re.compile("\n *[\t" + "".join(INVISIBLE) + "]")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def _position(starts: list[int], offset: int) -> Mark:
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def prescan(text: str) -> tuple[list[Suspect], list[Suspect]]:
    """(control characters, suspects in indentation/keys) of ``\n``-normalised text.

    Whole-text regexes find candidates; lines are only examined where one matched.
    """
    control: list[Suspect] = []
    suspects: list[Suspect] = []
    starts: list[int] | None = None
    for bad in _NON_PRINTABLE.finditer(text):
        starts = starts or _line_starts(text)
        char = bad.group()
        line, col = _position(starts, bad.start())
        if not control or control[-1].line != line:
            control.append(
                Suspect(line, col, f"含有不可打印的控制字符 U+{ord(char):04X}，请删除", "", rules.CONTROL_CHAR)
            )
    for hit in _INDENT_SUSPECT.finditer("\n" + text):
        starts = starts or _line_starts(text)
        char = hit.group()[-1]
        line, col = _position(starts, hit.end() - 2)
        if char == "\t":
            suspects.append(Suspect(line, col, "缩进中使用了 Tab 制表符，YAML 只允许用空格缩进", "", rules.TAB))
        else:
            suspects.append(
                Suspect(
                    line,
                    col,
                    f"缩进中含有不可见字符：{INVISIBLE[char]}，请改为普通空格",
                    "",
                    rules.INVISIBLE_CHAR,
                )
            )
    pos = text.find("：")
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        colon = _FULLWIDTH_KEY.match(text, line_start, pos + 1)
        pos = text.find("：", pos + 1)
        if colon is None:
            continue
        starts = starts or _line_starts(text)
        line, col = _position(starts, colon.end() - 1)
        suspects.append(
            Suspect(
                line,
                col,
                "使用了全角冒号“：”，请改为半角冒号“:”加空格",
                colon.group(1) + "：",
                rules.FULLWIDTH_COLON,
            )
        )
    return control, suspects


def inside_scalar(line: int, spans: list[tuple[int, int, int]]) -> bool:
    """Whether ``line`` continues a scalar that started on an earlier line."""
    for start_line, end_line, end_col in spans:
        if start_line < line and (line < end_line or (line == end_line and end_col > 1)):
            return True
    return False



# ------------------------------------------------------------------ YAML errors

# (substring of the English message, Chinese explanation); first match wins.
_YAML_MESSAGES: list[tuple[str, str]] = [
    ("mapping values are not allowed", "此处不允许出现“: ”：值里的冒号请改用中文冒号“：”；确需半角冒号时给整个值加引号，或检查上一行的缩进"),
    ("could not find expected ':'", "找不到预期的“:”：可能是字段名后缺少半角冒号加空格、缩进不一致，或引号没有闭合"),
    ("cannot start any token", "此处的字符不能作为内容开头（如 Tab、`、@、%）：请改用空格缩进，或给值加引号"),
    ("tab character", "缩进中使用了 Tab 制表符，YAML 只允许用空格缩进"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合"),
    ("expected <block end>, but found '<block mapping start>'", "缩进不一致：这一行的缩进与上文的同级字段不匹配"),
    ("expected <block end>, but found '?'", "列表项和字段混在同一层级：请检查缩进和“-”"),
    ("expected <block end>", "缩进不一致：这一行与上文的层级不匹配"),
    ("did not find expected key", "缩进不一致：这一行与上文的同级字段不匹配"),
    ("did not find expected '-' indicator", "列表项和字段混在同一层级：请检查缩进和“-”"),
    ("',' or ']'", "方括号列表 [ ] 没有闭合，或元素之间缺少“,”"),
    ("',' or '}'", "花括号 { } 没有闭合，或元素之间缺少“,”"),
    ("escape", "双引号字符串中的反斜杠“\\”被当作转义符：请改用单引号，或写成“\\\\”"),
    ("hexdecimal", "双引号字符串中的反斜杠“\\”被当作转义符：请改用单引号，或写成“\\\\”"),
    ("comment or a line break", "多行文字的 |- 标记（“|”或“>”）后面只能跟注释或换行"),
    ("comment or line break", "多行文字的 |- 标记（“|”或“>”）后面只能跟注释或换行"),
    ("found undefined tag handle", "不允许使用 YAML 标签（!…）"),
    ("found undefined alias", "不支持 YAML 锚点/别名（&、*）"),
    ("found unexpected ':'", "此处不应出现“:”：请给值加引号"),
    ("expected alphabetic or numeric character", "“&”或“*”后缺少名称：不支持 YAML 锚点/别名（&、*），含这些字符的值请加引号"),
    ("found duplicate anchor", "不支持 YAML 锚点/别名（&、*）"),
    ("expected the node content", "此处缺少内容：请检查“-”“?”或“:”的位置"),
    ("expected <document start>", "一个文件只能有一个 YAML 文档：请检查多余的内容或“---”"),
    ("found incompatible YAML document", "不支持的 YAML 版本声明"),
    ("found duplicate YAML directive", "重复的 %YAML 版本声明"),
    ("directive", "不支持的 YAML 指令（以 % 开头的行）"),
    ("special characters are not allowed", "含有不可打印的控制字符，请删除"),
    ("control characters are not allowed", "含有不可打印的控制字符，请删除"),
]


def translate_yaml_error(exc: yaml.YAMLError, text: str) -> tuple[Mark, str]:
    """(mark, Chinese message) for a PyYAML/libyaml error.

    The parser's English is left out when a Chinese explanation exists; otherwise it is
    the only information and comes last, marked 解析器原文.
    """
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    english = " ".join(part for part in (context, problem) if part)
    if isinstance(exc, yaml.reader.ReaderError) or not english:
        english = problem = str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    unclosed = "quoted scalar" in context and "end of stream" in problem
    if getattr(exc, "context_mark", None) is not None and (unclosed or "simple key" in context):
        mark = exc.context_mark  # where the quote or the key starts, not the end of the file
    if mark is not None:
        at = (mark.line + 1, mark.column + 1)
    elif isinstance(getattr(exc, "position", None), int):
        before = text[: exc.position]
        at = (len(LINE_BREAK.findall(before)) + 1, len(LINE_BREAK.split(before)[-1]) + 1)
    else:
        at = (1, 1)
    if unclosed:
        return at, "YAML 语法错误：引号没有闭合：从这里开始的引号直到文件末尾都没有配对的引号"
    specific = _explain_in_context(problem, context, at, text)
    if specific is not None:
        return specific[0], f"YAML 语法错误：{specific[1]}"
    for haystack in (problem, english):
        for needle, chinese in _YAML_MESSAGES:
            if needle in haystack:
                return at, f"YAML 语法错误：{chinese}"
    return at, f"YAML 语法错误：无法解析此处的内容（解析器原文：{english}）"


# ------------------------------------------------------- errors read in context
# Some parser errors mean one typical mistake when the line they point at is read:
# a block text not indented under ``text: |-``, a value that starts with an ASCII
# quote (``"林间课堂"进林场``), a half-width ``: `` inside a title. The explanation
# then says how to fix that mistake instead of what the parser expected.

_KEY_LINE = re.compile(r"^( *)(?:- +)*([^\s#:][^:#]*?) *: +(.*)$")
_VALUE_START = re.compile(r"^ *(?:- +)*(?:[^\s#:\"'][^:#]*? *: +)?(?=[\"'])")


def _source_lines(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def _explain_in_context(problem: str, context: str, at: Mark, text: str) -> tuple[Mark, str] | None:
    """(mark, Chinese explanation) of a typical mistake behind a parser error, or None."""
    lines = _source_lines(text)
    line = lines[at[0] - 1] if 0 < at[0] <= len(lines) else ""
    if "could not find expected ':'" in problem and "simple key" in context:
        return _unindented_block(lines, at)
    if "but found '<scalar>'" in problem or "did not find expected key" in problem:
        return _quoted_start(line, at)
    if "mapping values are not allowed" in problem:
        return _colon_in_value(line, at)
    return None


def _unindented_block(lines: list[str], at: Mark) -> tuple[Mark, str] | None:
    """Text meant for a ``key: |-`` above it, written without indentation: its first line,
    or a later paragraph after a blank line (the lines between, indented deeper than the
    bad line, are the block's own text)."""
    bad_indent = at[1] - 1
    number = at[0] - 1
    later = False
    while number > 0:
        above = lines[number - 1]
        if above.strip() and not above.lstrip().startswith("#"):
            if len(above) - len(above.lstrip(" ")) <= bad_indent:
                break
            later = True
        number -= 1
    if number < 1:
        return None
    above = lines[number - 1]
    match = _KEY_LINE.match(above)
    if match is None or not _BLOCK_INDICATOR.search(above.split(" #")[0]):
        return None
    indent = match.start(2)
    if at[1] - 1 > indent:
        return None
    key = match.group(2)
    wanted = indent + 2
    return at, (
        f"多行文字没有缩进：第 {number} 行“{key}: {match.group(3).split(' #')[0].strip()}”下面的正文，"
        f"每行都要比 {key}: 多缩进两个空格（行首 {wanted} 个空格）"
        + ("，空行后的各段也一样" if later else "")
    )


def _quoted_start(line: str, at: Mark) -> tuple[Mark, str] | None:
    """A value that starts with an ASCII quote and goes on after the closing quote."""
    start = _VALUE_START.match(line)
    if start is None:
        return None
    quote_at = start.end()
    quote = line[quote_at]
    close = line.find(quote, quote_at + 1)
    if close < 0 or close + 1 != at[1] - 1:
        return None
    value = line[quote_at:].split(" #")[0].rstrip()
    quoted, rest = line[quote_at + 1 : close], value[close - quote_at + 1 :]
    chinese = f"“{quoted}”{rest}"
    # The whole value in the other quote mark when it has none (readable), else doubled quotes.
    if quote == "'" and '"' not in value and "\\" not in value:
        whole, mark = f'"{value}"', "双引号"
    else:
        whole, mark = "'" + value.replace("'", "''") + "'", "单引号"
    return (at[0], quote_at + 1), (
        f"值以半角引号 {quote} 开头，YAML 只把引号里的“{quoted}”当作值，后面的“{rest}”就多出来了："
        f"请改用中文引号，写成 {chinese}；或者给整个值加{mark}，写成 {whole}"
    )


def _colon_in_value(line: str, at: Mark) -> tuple[Mark, str] | None:
    """A half-width ``: `` inside a value such as a title: suggest the Chinese colon first."""
    match = _KEY_LINE.match(line)
    if match is None or not match.group(3) or match.group(3)[0] in "\"'|>[{":
        return None
    value = match.group(3).split(" #")[0].rstrip()
    if ": " not in value:
        return None
    fixed = re.sub(r" *: +", "：", value)
    return at, (
        f"此处不允许出现“: ”：值里的冒号请改用中文冒号“：”，写成 {match.group(2)}: {fixed}；"
        "确需半角冒号时给整个值加引号；如果这里本该是新的一行，请检查上一行的缩进"
    )
