"""Checks of contributor Markdown (prose fields) that a JSON Schema cannot express.

Two kinds, both in one linear pass over the text:

* **Links the strict build would refuse.** MkDocs checks every relative link and image
  of a page and ``mkdocs build --strict`` fails on any it cannot resolve. Prose is shown
  on several pages at different depths, so a relative link, an anchor (``#…``) or a
  relative image is an error here; a link to another host is fine (the sanitiser keeps
  only http, https and mailto links, so other schemes get a warning).
* **Text that makes Python-Markdown slow.** Its link pattern scans to the end of the
  paragraph for every ``[`` without a partner, so N unmatched brackets cost O(N × length);
  deep list indentation or ``>`` quoting recurses. Bounded here: at most
  :data:`MAX_BRACKETS` brackets a field, every ``[`` closed in its paragraph, nesting at most
  :data:`MAX_NESTING`, a link target closed within :data:`MAX_TARGET` characters, line
  indentation and quote depth bounded, and at most :data:`MAX_MARKUP` Markdown marks and
  :data:`MAX_LINES` lines a field. Parsing is linear but costs per mark and per list item or
  table row (~20–50 µs each), so a field of 20,000 asterisks or 5,000 one-character list
  items would cost as much as many whole reports; ordinary reports use a handful.
  ``scripts/prose_bench.py`` measures the slowest text these rules accept.

Markdown fields are those marked ``"contentMediaType": "text/markdown"`` in the schemas;
:func:`check_doc` applies :func:`check` to each of them in one loaded file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from kb.data import rules
from kb.data.checks.base import Collector, get_path
from kb.data.problems import ERROR, WARNING, Problem
from kb.data.rules import Rule
from kb.data.yamlsafe import STR_TAG, SourceDoc, format_path
from kb.text import HAN_CHAR

MARKDOWN_TYPE = "text/markdown"
MAX_BRACKETS = 64  # "[" per field (Chinese prose uses 【】; links need one each)
MAX_NESTING = 4  # [ inside [ …
MAX_TARGET = 1000  # characters from "](" to its ")"
MAX_INDENT = 40  # columns of leading white space (ten list levels)
MAX_QUOTE = 8  # ">" quoting levels
MAX_LINES = 300  # lines per field: list items, table rows and boxes each cost parser work
MAX_MARKUP = 2000  # Markdown marks (* _ ` \\ | & [ ] ! < > # ~) per field: each costs parser work
LINK_SCHEMES = {"http", "https", "mailto"}

_INLINE_TARGET = re.compile(r"\]\([ \t]*(<[^>\n]*>|[^\s)]*)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)")
_QUOTES = re.compile(r"^[ \t]*((?:>[ \t]?)+)")
_MARKUP = re.compile(r"[*_`\\|&\[\]!<>#~]")


class Finding(NamedTuple):
    """One problem in a prose text: what to quote to locate it, the rule, message, level."""

    needle: str  # a piece of the text on one line, to find where to point
    rule: Rule
    message: str
    warning: bool = False

    @property
    def anchor(self) -> str:
        return self.needle.split("\n", 1)[0]


def markdown_paths(schema: Any, path: tuple = ()) -> set[tuple]:
    """Field paths (array items as ``"*"``) whose schema says ``contentMediaType: text/markdown``."""
    found: set[tuple] = set()
    if not isinstance(schema, dict):
        return found
    if schema.get("contentMediaType") == MARKDOWN_TYPE:
        found.add(path)
    for key, sub in (schema.get("properties") or {}).items():
        found |= markdown_paths(sub, (*path, key))
    if isinstance(schema.get("items"), dict):
        found |= markdown_paths(schema["items"], (*path, "*"))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            found |= markdown_paths(sub, path)
    return found


@functools.lru_cache(maxsize=4096)  # the same few hundred paths in every report
def pattern_of(path: tuple) -> tuple:
    """A data path with list indexes replaced by ``"*"`` (to look up :func:`markdown_paths`)."""
    return tuple("*" if isinstance(part, int) else part for part in path)


def check(text: str) -> list[Finding]:
    """Every finding in one prose text (linear in its length)."""
    findings: list[Finding] = []
    marks = sum(1 for _ in _MARKUP.finditer(text))
    if marks > MAX_MARKUP:
        findings.append(Finding(text[:10], rules.PROSE_MARKUP,
                                f"Markdown 标记符号（* _ ` \\ | & [ ] ! < > # ~）太多：{marks} 个，"
                                f"一个字段最多 {MAX_MARKUP} 个。请删去不必要的符号，或把内容分成几段"))
    if text.count("\n") >= MAX_LINES:
        findings.append(Finding(text[:10], rules.PROSE_LINES,
                                f"这一段正文超过 {MAX_LINES} 行：请精简，或把内容分到几个小节（条目）中"))
    # No exemption for code spans or fences: telling code from text the way Markdown does
    # is what a bypass exploits (an escaped backtick, an unclosed fence). Brackets and links
    # written as code are rare in reports; they are refused too.
    lines = text.split("\n")
    findings += _layout(lines)
    findings += _brackets(text)
    findings += _links(text, lines)
    return findings


def _layout(lines: list[str]) -> Iterator[Finding]:
    for line in lines:
        stripped = line.lstrip(" \t")
        if stripped and len(line[: len(line) - len(stripped)].expandtabs(4)) > MAX_INDENT:
            yield Finding(stripped[:20], rules.PROSE_NESTING,
                          f"这一行缩进太深（超过 {MAX_INDENT} 个空格）：列表最多嵌套十层，请减少行首空格")
            return
        quotes = _QUOTES.match(line)
        if quotes and quotes.group(1).count(">") > MAX_QUOTE:
            yield Finding(quotes.group(1).strip(), rules.PROSE_NESTING,
                          f"引用符号“>”嵌套太深（超过 {MAX_QUOTE} 层），请减少行首的“>”")
            return


def _brackets(text: str) -> Iterator[Finding]:
    """Too many, too deep or unmatched ``[`` (backslash-escaped ones do not count)."""
    if "[" not in text:  # nearly every field: nothing to count (the loop below is per character)
        return
    count = 0
    for paragraph in re.split(r"\n[ \t]*\n", text):
        stack: list[int] = []
        i, end = 0, len(paragraph)
        while i < end:
            char = paragraph[i]
            if char == "\\":
                i += 2
                continue
            if char == "[":
                count += 1
                stack.append(i)
                if len(stack) > MAX_NESTING:
                    yield Finding(paragraph[i : i + 10], rules.PROSE_BRACKETS,
                                  f"方括号“[”嵌套超过 {MAX_NESTING} 层，请简化")
                    return
            elif char == "]" and stack:
                stack.pop()
            i += 1
        if count > MAX_BRACKETS:
            yield Finding("[", rules.PROSE_BRACKETS,
                          f"方括号“[”太多（{count} 个，最多 {MAX_BRACKETS} 个）：方括号用于链接，"
                          "作为普通文字请改用中文方括号【】")
            return
        if stack:
            at = stack[0]
            yield Finding(paragraph[at : at + 10], rules.PROSE_BRACKETS,
                          "方括号“[”在本段中没有配对的“]”：方括号用于链接，作为普通文字请改用中文方括号【】，"
                          "或写成 \\[")
            return


def _links(text: str, lines: list[str]) -> Iterator[Finding]:
    for match in _INLINE_TARGET.finditer(text):
        close = text.find(")", match.end(), match.end() + MAX_TARGET)
        newline = text.find("\n\n", match.end(), match.end() + MAX_TARGET)
        if close < 0 or 0 <= newline < close:
            yield Finding(match.group(0)[:20], rules.PROSE_LINK,
                          "链接“](”后面缺少结尾的“)”：请写成 [文字](https://…) 的形式")
            return
        yield from _target(match.group(1))
    for line in lines:
        reference = _REFERENCE.match(line)
        if reference:
            yield from _target(reference.group(1))


def _target(raw: str) -> Iterator[Finding]:
    url = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
    parts = urlsplit(url) if _splittable(url) else None
    if parts is not None and (parts.scheme or parts.netloc):
        if parts.scheme.lower() not in LINK_SCHEMES:
            yield Finding(url[:40], rules.PROSE_LINK,
                          f"链接“{url[:40]}”不是 http、https 或 mailto 地址，网页上不会显示为链接",
                          warning=True)
        return
    yield Finding(
        url[:40] or "](", rules.PROSE_LINK,
        f"链接地址“{url[:40]}”不是完整网址：正文会显示在多个页面上，相对链接、页内锚点（#…）"
        "和相对图片地址都会失效，严格构建会失败。请写以 http:// 或 https:// 开头的完整网址，或只保留文字",
    )


def _splittable(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host part
        return False
    return True


def check_doc(out: Collector, doc: SourceDoc, patterns: set[tuple]) -> None:
    """Every finding in the Markdown fields of ``doc`` (``patterns``: :func:`markdown_paths`),
    and a `` #`` that cuts off a plain Chinese value of any other field (a title, a lead, a
    ledger cell: :func:`_cut_by_comment` with ``one_space``)."""
    if not patterns:
        return
    for path, info in doc.scalars.items():
        if info.tag != STR_TAG:
            continue
        markdown = pattern_of(path) in patterns
        value = get_path(doc.data, path)
        if not isinstance(value, str):
            continue
        if info.plain and (markdown or HAN_CHAR.search(value)):
            _cut_by_comment(out, doc, path, info.end, one_space=not markdown)
        if not markdown:
            continue
        for finding in check(value):
            line, col = doc.find(path, finding.anchor) or doc.mark(path)
            out.problems.append(Problem.of(
                finding.rule, doc.rel, line, col, finding.message, path=format_path(path),
                level=WARNING if finding.warning else ERROR, found=finding.needle[:40],
            ))


_COMMENT_AFTER = re.compile(r"[ \t]+#(.*)")


def _cut_by_comment(out: Collector, doc: SourceDoc, path: tuple, end: tuple[int, int],
                    one_space: bool = False) -> None:
    """Warning when a plain (unquoted, one-line style) prose value is followed by `` #…``:
    YAML reads that as a comment, so the rest of the line silently disappears. With
    ``one_space`` only a ``#`` after a single space counts: the outline ``make new-unit``
    writes puts its own comments two spaces after titles and leads, as YAML style has it."""
    line = doc.lines[end[0] - 1] if 0 < end[0] <= len(doc.lines) else ""
    comment = _COMMENT_AFTER.match(line, end[1] - 1)
    if comment is None or (one_space and comment.group() and comment.group()[:2] != " #"):
        return
    lost = comment.group(1).strip()
    out.problems.append(Problem.of(
        rules.PROSE_COMMENT, doc.rel, end[0], comment.start() + len(comment.group()) - len(comment.group(1)),
        f"“#”后面的文字“{lost[:30]}”不会出现在网页上：YAML 把空格后的“#”当作注释的开头。"
        "如果这是正文，请把“#”改成全角的“＃”，或把这段正文改用多行写法（字段名后写 |-，正文另起一行并多缩进两个空格）",
        path=format_path(path), found=lost[:40],
    ))
