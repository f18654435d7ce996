"""Read the text of a built page for the search index, cut into sections.

The article of a Material page (``<article class="md-content__inner">``) is read as a
list of blocks (headings and paragraph-like text). Pagefind's own attributes keep their
meaning, so contributors can use Pagefind's documentation:

- ``data-pagefind-ignore`` (any value) leaves an element and its content out of the text
  (so does the ``hidden`` attribute: readers never see that text);
- ``data-pagefind-filter`` / ``data-pagefind-meta`` declare filters and metadata, in the
  forms ``key`` (the element's text), ``key:value`` and ``key[attribute]``.

One addition makes one search record per report section: the page is cut at every
``<h2 id>``. Filters and metadata declared before the first such heading belong to the
whole page; those declared inside a section belong to that section only (the report
template puts ``<div hidden data-pagefind-filter="报告部分:存在的问题"></div>`` right
after the heading). A section that contains ``data-pagefind-ignore="section"`` is left
out of the index altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import lxml.html
from lxml.html import HtmlElement

BLOCK = {"address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
         "dt", "figcaption", "figure", "footer", "header", "li", "ol", "p", "pre", "section",
         "summary", "table", "tbody", "tfoot", "thead", "tr", "ul"}
CELLS = {"td", "th"}  # a table row is one block, its cells separated by spaces
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP = {"script", "style", "svg", "template", "noscript", "button", "form", "select",
        "textarea"}
SECTION_IGNORE = "section"
ARTICLE = '<article class="md-content__inner'
_SPACE = re.compile(r"\s+")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass
class Block:
    """A heading (``h1``…``h6``, with its id) or a paragraph-like run of text (``p``)."""

    kind: str
    text: str
    id: str = ""


@dataclass
class Section:
    """The page head (``anchor == ""``) or the part of a page under one ``<h2 id>``."""

    anchor: str = ""
    heading: str = ""
    blocks: list[Block] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    ignored: bool = False

    def add_filter(self, key: str, value: str) -> None:
        values = self.filters.setdefault(key, [])
        if value and value not in values:
            values.append(value)


@dataclass
class PageText:
    title: str
    sections: list[Section]

    @property
    def head(self) -> Section:
        return self.sections[0]


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _declarations(value: str) -> list[tuple[str, str | None, str | None]]:
    """``"a, b:c, d[content]"`` → [(a, None, None), (b, "c", None), (d, None, "content")]."""
    out: list[tuple[str, str | None, str | None]] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"([^:\[\]]+)\[([\w-]+)\]", part)
        if m:
            out.append((m.group(1).strip(), None, m.group(2)))
        elif ":" in part:
            key, _, inline = part.partition(":")
            out.append((key.strip(), inline.strip(), None))
        else:
            out.append((part, None, None))
    return out


class _Reader:
    """Walks the article element and collects blocks, filters and metadata per section."""

    def __init__(self) -> None:
        self.sections: list[Section] = [Section()]
        self.buffer: list[str] = []
        self.heading: tuple[str, str] | None = None  # (tag, id) while inside a heading
        self.title = ""

    def _flush(self) -> None:
        text = _clean("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        if self.heading:
            tag, anchor = self.heading
            block = Block(tag, text, anchor)
            if tag == "h1" and not self.title:
                self.title = text
        else:
            block = Block("p", text)
        self.sections[-1].blocks.append(block)

    def _declare(self, kind: str, element: HtmlElement) -> None:
        for key, inline, attr in _declarations(element.get(f"data-pagefind-{kind}") or ""):
            if inline is not None:
                value = inline
            elif attr is not None:
                value = element.get(attr) or ""
            else:
                value = element.text_content()
            self._store(kind, key, value)

    def _store(self, kind: str, key: str, value: str) -> None:
        value = _clean(value)
        section = self.sections[-1]
        if kind == "filter":
            section.add_filter(key, value)
        elif value:
            section.meta.setdefault(key, value)

    def walk(self, element: HtmlElement, ignored: bool = False) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag:  # comment or processing instruction
            return
        attrs = element.attrib
        ignore_value = attrs.get("data-pagefind-ignore")
        if ignore_value == SECTION_IGNORE:
            self.sections[-1].ignored = True
        if ignore_value != "all":
            if "data-pagefind-filter" in attrs:
                self._declare("filter", element)
            if "data-pagefind-meta" in attrs:
                self._declare("meta", element)
        inner_ignored = (
            ignored
            or ignore_value is not None
            or "hidden" in attrs
            or tag in SKIP
            or (tag == "a" and "headerlink" in (attrs.get("class") or "").split())
        )
        if ignored:
            for child in element:  # filters and metadata still count inside ignored parts
                self.walk(child, True)
            return
        block = tag in HEADINGS or tag in BLOCK
        if block:
            self._flush()
        elif tag in CELLS or tag == "br":
            self.buffer.append(" ")
        if tag == "h2" and attrs.get("id") and not inner_ignored:
            self.sections.append(Section(anchor=attrs["id"]))
        if tag in HEADINGS and not inner_ignored:
            self.heading = (tag, attrs.get("id") or "")
        if element.text and not inner_ignored:
            self.buffer.append(element.text)
        for child in element:
            self.walk(child, inner_ignored)
            if child.tail and not inner_ignored:
                self.buffer.append(child.tail)
        if block and not inner_ignored:
            self._flush()
            if tag == "h2" and self.heading and self.sections[-1].anchor == attrs.get("id"):
                self.sections[-1].heading = next(
                    (b.text for b in reversed(self.sections[-1].blocks) if b.kind == "h2"), ""
                )
            if tag in HEADINGS:
                self.heading = None


def read_page(html: str) -> PageText:
    """Title and sections of a built page (no text when it has no article)."""
    reader = _Reader()
    start = html.find(ARTICLE)
    if start >= 0:  # only the article is read: Material's navigation is most of the page
        end = html.rfind("</article>")
        article = html[start : end + len("</article>")] if end > start else html[start:]
        reader.walk(lxml.html.fragment_fromstring(article))
        reader._flush()
    found = _TITLE.search(html)
    title = reader.title or (_clean(unescape(found.group(1))) if found else "")
    return PageText(title=title, sections=reader.sections)
