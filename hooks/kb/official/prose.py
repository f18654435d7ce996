"""Contributor prose (Markdown) as plain blocks for documents that are not HTML (Word).

The prose is rendered to HTML by the site's own prose renderer (:func:`kb.markup.prose.to_html`:
no raw HTML, the strict prose allow-list), then the HTML is walked into :class:`Paragraph`
and :class:`Table` blocks made of :class:`Run` pieces of text with bold/italic flags.
Nothing of the text is dropped: unknown tags contribute their text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from kb.markup import prose as site_prose

_VOID = {"br", "hr", "img", "input", "col", "wbr"}
_BLOCK_CONTAINERS = {"div", "details", "blockquote", "section", "article", "aside", "figure"}
_BOLD = {"strong", "b", "th"}
_ITALIC = {"em", "i"}


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    """A paragraph of runs. ``kind``: body, item (list item), heading, note (admonition title)."""

    runs: list[Run]
    kind: str = "body"
    level: int = 0  # list nesting depth

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Table:
    rows: list[list[str]]
    header: bool = True

    @property
    def text(self) -> str:
        return "\n".join(" ".join(row) for row in self.rows)


Block = Paragraph | Table


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def to_html(text: str) -> str:
    """HTML of a prose field: the site's (plain prose: its paragraphs, lines joined as
    :func:`_collapse` joins them)."""
    if site_prose.is_plain(text.strip()):
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in _plain_paragraphs(text))
    return site_prose.to_html(text)


def _runs(node: _Node, bold: bool = False, italic: bool = False) -> list[Run]:
    runs: list[Run] = []
    for child in node.children:
        if isinstance(child, str):
            text = _collapse(child)
            if text:
                runs.append(Run(text, bold, italic))
        elif child.tag == "br":
            runs.append(Run("\n", bold, italic))
        elif child.tag in {"ul", "ol", "table"}:
            continue  # nested blocks are handled by the caller
        else:
            runs.extend(
                _runs(child, bold or child.tag in _BOLD, italic or child.tag in _ITALIC)
            )
    return _merge(runs)


_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*|\s*\n[ \t]*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


def _collapse(text: str) -> str:
    """HTML whitespace rules, except that a line break next to Chinese joins without a space."""
    return _SPACES.sub(" ", _CJK_NEWLINE.sub("", text))


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return merged


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_text(c) for c in node.children)


def _table(node: _Node) -> Table:
    rows: list[list[str]] = []
    header = False

    def walk(n: _Node) -> None:
        nonlocal header
        for child in n.children:
            if isinstance(child, str):
                continue
            if child.tag == "tr":
                cells = [c for c in child.children if isinstance(c, _Node) and c.tag in {"td", "th"}]
                header = header or (not rows and any(c.tag == "th" for c in cells))
                rows.append([_text(c).strip() for c in cells])
            else:
                walk(child)

    walk(node)
    return Table(rows, header)


def _list(node: _Node, level: int) -> list[Block]:
    blocks: list[Block] = []
    number = int(node.attrs.get("start") or 1)
    for child in node.children:
        if not isinstance(child, _Node) or child.tag != "li":
            continue
        marker = f"{number}. " if node.tag == "ol" else "• "
        number += 1
        inner = _blocks(child, level + 1)
        first = next((b for b in inner if isinstance(b, Paragraph)), None)
        if first is None or inner.index(first) != 0:
            first = Paragraph([], "item", level)
            inner.insert(0, first)
        first.runs = _merge([Run(marker), *first.runs])
        first.kind, first.level = "item", level
        blocks.extend(inner)
    return blocks


def _blocks(node: _Node, level: int = 0) -> list[Block]:
    """Blocks of a container; loose inline content becomes a paragraph."""
    blocks: list[Block] = []
    loose: list[_Node | str] = []

    def flush() -> None:
        if loose:
            runs = _runs(_Node("span", {}, list(loose)))
            if "".join(r.text for r in runs).strip():
                blocks.append(Paragraph(_strip(runs), "body", level))
            loose.clear()

    for child in node.children:
        if isinstance(child, str) or child.tag not in _BLOCK_TAGS:
            loose.append(child)
            continue
        flush()
        tag = child.tag
        if tag == "p":
            cls = child.attrs.get("class", "")
            kind = "note" if "admonition-title" in cls else "body"
            runs = _runs(child, bold=kind == "note")
            if "".join(r.text for r in runs).strip():
                blocks.append(Paragraph(_strip(runs), kind, level))
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6", "dt", "summary"}:
            blocks.append(Paragraph(_strip(_runs(child, bold=True)), "heading", level))
        elif tag in {"ul", "ol"}:
            blocks.extend(_list(child, level))
        elif tag == "table":
            blocks.append(_table(child))
        elif tag == "pre":
            blocks.append(Paragraph([Run(_text(child).rstrip("\n"))], "body", level))
        elif tag == "hr":
            continue
        else:  # div, blockquote, details, dl, dd, li …
            blocks.extend(_blocks(child, level))
    flush()
    return blocks


_BLOCK_TAGS = _BLOCK_CONTAINERS | {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "pre", "hr",
    "dl", "dt", "dd", "summary",
}


def _strip(runs: list[Run]) -> list[Run]:
    """Trim whitespace at both ends of a paragraph (not inside it)."""
    runs = [r for r in runs if r.text]
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic)
    return [r for r in runs if r.text]


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _plain_paragraphs(text: str) -> list[str]:
    paragraphs = (_collapse(p).strip() for p in _BLANK_LINE.split(text.strip()))
    return [p for p in paragraphs if p]


def blocks(text: str) -> list[Block]:
    """Paragraphs and tables of a prose field, in order."""
    if not text or not text.strip():
        return []
    if site_prose.is_plain(text.strip()):
        return [Paragraph([Run(p)]) for p in _plain_paragraphs(text)]
    builder = _TreeBuilder()
    builder.feed(to_html(text))
    builder.close()
    return _blocks(builder.root)


def plain_text(text: str) -> str:
    """The prose as plain text, one block per line (for tests and search)."""
    return "\n".join(b.text for b in blocks(text))
