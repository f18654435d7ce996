"""Paragraph slices to Markdown prose: spans of paragraphs, lists, tables.

A :class:`Span` is the part of a paragraph that belongs to one field (a heading's run-in
body, the text after a point's lead) or a ready Markdown block (a table).
:func:`markdown_blocks` makes them inert Markdown, with • and 1. paragraphs as lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.contrib.docx.normalise import escape_markdown
from kb.contrib.docx.read import Para, Table


@dataclass
class Span:
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


def markdown_blocks(spans: list[Span]) -> list[tuple[str, str]]:
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


def table_markdown(table: Table) -> str:
    """A non-ledger table as a Markdown table (cells inert)."""
    width = max(len(r) for r in table.rows)
    rows = [r + [""] * (width - len(r)) for r in table.rows]

    def cell(text: str) -> str:
        return escape_markdown(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows[1:]]
    return "\n".join(lines)
