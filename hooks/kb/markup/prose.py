"""Contributor prose (Markdown) to safe HTML, one field at a time.

Every prose field (opening, intros, section texts, points 一是…, material and campaign
summaries) is rendered on its own by a Python-Markdown instance without raw-HTML handling:
the ``html_block`` preprocessor and the ``html`` inline pattern are removed, so ``<`` is
always text, whatever backslashes, backticks or indentation surround it. Its extensions only
add plain content (tables, lists, definition lists, abbreviations, fenced code, admonition
and details boxes); none reads attributes from the text (no attr_list, no md_in_html).
Headings sit below the report outline (h4 or lower). The HTML is then cleaned with the
strict prose allow-list (:func:`kb.markup.safety.clean_prose`).

Pages hold the result as fragments (:func:`kb.markup.render.md_prose`): the page's own Markdown,
with its attr_list and md_in_html, never reads contributor text. Word and print use the
same HTML (:mod:`kb.official.prose`).
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from kb.markup.safety import clean_prose

EXTENSIONS = [
    "abbr", "admonition", "def_list", "sane_lists", "tables",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight",
]
EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},  # align="right", not a style attribute
    "pymdownx.highlight": {"use_pygments": False},  # code as text, no token classes
}
TOP_HEADING = 4  # h1–h3 belong to the page outline
MARKDOWN_CACHE = 512  # rendered non-plain fields kept (a field is at most 20,000 characters)


class _DemoteHeadings(Treeprocessor):
    """Headings of prose (``#``, ``##``, setext) become h4: below the report outline."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3"}:
                element.tag = f"h{TOP_HEADING}"


class ProseExtension(Extension):
    """No raw HTML (``<`` is text everywhere) and headings demoted."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")  # strict: fails loudly if renamed
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DemoteHeadings(md), "kb_demote_headings", 1)


_LOCAL = threading.local()  # one instance per thread: Word files are made in the background


def _markdown() -> markdown.Markdown:
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = markdown.Markdown(
            extensions=[*EXTENSIONS, ProseExtension()], extension_configs=EXTENSION_CONFIGS,
        )
    return md


# Text Markdown would read exactly as its plain paragraphs: no character or line start that
# can begin markup, no control character, no indented or space-ended line.
_MARKUP = re.compile(
    r"[\\`*_\[\]!#|<>&~=\x00-\x09\x0b-\x1f\x7f]"
    r"|^(?:[-+:]|\d+[.)])(?:[ \t]|$)|^\?{3}|^-+$",
    re.MULTILINE,
)
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def is_plain(text: str) -> bool:
    """Whether ``text`` is only paragraphs of text (the Markdown parser can be skipped)."""
    return not _MARKUP.search(text) and all(
        line == line.strip() for line in text.split("\n")
    )


def plain_paragraphs(text: str) -> list[str]:
    """The paragraphs of plain text (:func:`is_plain`), as Markdown splits them."""
    return [p for p in _PARAGRAPH_BREAK.split(text.strip("\n")) if p]


def to_html(text: str) -> str:
    """Safe HTML of one prose field (empty for empty text)."""
    text = text.strip()
    if not text:
        return ""
    if is_plain(text):  # most prose: the same HTML without the parser
        rendered = "\n".join(f"<p>{html.escape(p, quote=False)}</p>"
                             for p in plain_paragraphs(text))
    else:
        return _markdown_html(text)
    return clean_prose(rendered)


@lru_cache(maxsize=MARKDOWN_CACHE)
def _markdown_html(text: str) -> str:
    """Safe HTML of prose that needs the parser. Cached: the report page, the print
    bundles and the Word file each render the same field, and real prose is mostly plain."""
    md = _markdown()
    md.reset()
    return clean_prose(md.convert(text))


def with_lead(body: str, lead: str, bold: bool = False) -> str:
    """``body`` (HTML of :func:`to_html`) with a plain-text lead (一是…。) at the start of its
    first paragraph, or in a paragraph of its own before a list, table or heading."""
    if not lead:
        return body
    lead = html.escape(lead, quote=False)
    if bold:
        lead = f"<strong>{lead}</strong>"
    if body.startswith("<p>"):
        return f"<p>{lead}{body[3:]}"
    return f"<p>{lead}</p>\n{body}" if body else f"<p>{lead}</p>"
