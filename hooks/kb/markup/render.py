"""Render generated pages from Jinja2 templates in ``hooks/templates``.

Templates produce Markdown (with small HTML blocks for cards); this module only
provides the environment, the filters that make data safe inside Markdown, and
site settings such as repository links. Contributor prose never enters a page's
Markdown: the ``prose`` filter renders it to HTML on its own (:mod:`kb.markup.prose`) and leaves
a fragment marker that the hooks replace after Markdown (:func:`render_page`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from kb import urls
from kb.markup import prose
from kb.text import chinese_number

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!|])")


@dataclass(frozen=True)
class SiteSettings:
    """Settings of the generated pages, read from ``extra.kb`` of mkdocs.yml."""

    build_date: str
    repo_url: str = ""
    branch: str = "main"
    forge: str = "gitlab"

    def _forge_url(self, kind: str, path: str) -> str:
        if not self.repo_url:
            return ""
        base = self.repo_url.rstrip("/")
        sep = "/-/" if self.forge == "gitlab" else "/"
        return f"{base}{sep}{kind}/{self.branch}/{path}"

    def edit_url(self, path: str) -> str:
        return self._forge_url("edit", path)

    def history_url(self, path: str) -> str:
        return self._forge_url("commits", path)

    def blob_url(self, path: str) -> str:
        return self._forge_url("blob", path)


@dataclass(frozen=True)
class GeneratedPage:
    """A page made in memory: its source URI, Markdown content and whether to sanitise it.

    ``fragments`` are blocks of finished HTML that the Markdown holds only as markers
    (:func:`fragment_marker`): contributor prose, rendered and cleaned on its own
    (:func:`md_prose`), and the reports of a print bundle (Python-Markdown would otherwise
    run its HTML parser over every byte of them). The hooks put them back into the page's
    HTML (:func:`expand_fragments`) before it is sanitised.
    """

    src_uri: str
    content: str
    sanitize: bool = True
    fragments: tuple[str, ...] = ()

    def inline(self) -> str:
        """The Markdown with the fragments written in (as one plain Markdown file)."""
        return expand_fragments(self.content, self.fragments)


_FRAGMENT = re.compile(r"<!-- kb-fragment (\d+) -->")


def fragment_marker(number: int) -> str:
    """Where fragment ``number`` goes (a raw HTML comment on a line of its own)."""
    return f"<!-- kb-fragment {number} -->"


def expand_fragments(html: str, fragments: tuple[str, ...] | list[str]) -> str:
    """``html`` with each fragment marker replaced by its fragment."""
    if not fragments:
        return html
    return _FRAGMENT.sub(lambda m: fragments[int(m.group(1))], html)


def md_text(value: object) -> str:
    """Plain text made inert inside Markdown (no markup, no HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False)).replace("\n", " ")


# The fragments of the page being rendered (page_fragments); None outside it.
_PAGE_FRAGMENTS: ContextVar[list[str] | None] = ContextVar("kb_page_fragments", default=None)


@contextmanager
def page_fragments() -> Iterator[list[str]]:
    """The list that collects the fragments of the page rendered inside the block."""
    fragments: list[str] = []
    token = _PAGE_FRAGMENTS.set(fragments)
    try:
        yield fragments
    finally:
        _PAGE_FRAGMENTS.reset(token)


def md_prose(value: object, lead: str = "", bold: bool = False) -> str:
    """Contributor Markdown as a fragment of finished, cleaned HTML (:mod:`kb.markup.prose`); the
    page's Markdown gets only its marker. ``lead``: plain text starting the first paragraph
    (一是…。), in bold with ``bold``."""
    fragments = _PAGE_FRAGMENTS.get()
    if fragments is None:
        raise RuntimeError("the prose filter works only in page_fragments (its HTML is a fragment)")
    fragments.append(prose.with_lead(prose.to_html(str(value)), lead, bold))
    return fragment_marker(len(fragments) - 1)


def md_cell(value: object) -> str:
    """Text for a Markdown table cell (single line, pipes escaped)."""
    return md_text(value).replace("\r", "")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        text=md_text,
        prose=md_prose,
        cell=md_cell,
        cn=chinese_number,
        h=lambda v: html.escape(str(v), quote=True),
    )
    env.globals.update(link=urls.link, urls=urls, cn=chinese_number)
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def render_page(template: str, src: str, **context: object) -> GeneratedPage:
    """The page ``src`` from ``template``; the prose it shows goes in as its fragments."""
    with page_fragments() as fragments:
        content = render(template, src=src, **context)
    return GeneratedPage(src, content, fragments=tuple(fragments))
