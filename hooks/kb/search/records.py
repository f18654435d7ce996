"""What the built site contributes to the search index: records, and the documents Pagefind reads.

Every built page is read (:mod:`kb.search.extract`) and cut into its head and one
record per ``<h2 id>`` section, so a report gives one record per part (亮点做法, 存在的问题,
下步打算, 整改台账) with the URL of that part (``…/#problems``) and the 报告部分 filter;
every study material is a record of its own (``materials/#<id>``) with the 材料类别
filter; the materials page itself is not indexed twice.

Records are handed to Pagefind as small HTML documents whose text is in the bigram
encoding of :mod:`kb.search.tokens` (language ``und``: Pagefind's own segmenter stays
out), with the readable title, section and filter values as metadata. Headings keep
their ids, so Pagefind's sub-results point at the matching （一）（二） subsection.
Pages that declare no filter (home, campaign tables, data views) are weighted low and
indexed by their headings and first words only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from kb import urls
from kb.data.model import KnowledgeBase
from kb.search.extract import Block, PageText, read_page
from kb.search.tokens import tokenize

LANGUAGE = "und"  # no stemming, no segmentation: the text is already in search tokens
OUTPUT_DIR = "pagefind"
FILTERS = ["学习教育", "指导组", "批次", "报告部分", "材料类别"]  # as search.js shows them
MATERIALS_URL = urls.url(urls.MATERIALS)  # "materials/"
SKIP_FILES = {"404.html"}
SKIP_DIRS = {OUTPUT_DIR, "assets", "search", "overrides"}  # overrides: theme templates
CONTEXT_WEIGHT = "0.5"
# Pages that declare no filter (home, campaign tables, data views …) repeat what reports
# say; their words count less, so a query ranks the reports themselves first, and only
# their headings and first words are indexed (a table of every ledger item of every
# report would otherwise be a tenth of the index and slow every common query down).
SECONDARY_WEIGHT = "0.4"
SECONDARY_WORDS = 400  # per section of such a page
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Record:
    """One search result: a page head, a page section or a study material."""

    url: str  # site-relative, e.g. "reports/2023-zhuti/shi-czj/#problems"
    page: str  # results are grouped by this key (the page URL)
    title: str
    section: str = ""
    blocks: list[Block] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    context: str = ""  # page title and labels: found together with section words, weighted low
    primary: bool = True  # False: a page derived from the reports (tables, lists), weighted low

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks)


# -- records ------------------------------------------------------------------------


def page_url(rel_path: str) -> str:
    """``reports/x/index.html`` → ``reports/x/`` (directory URLs), ``index.html`` → ``""``."""
    if rel_path == "index.html":
        return ""
    if rel_path.endswith("/index.html"):
        return rel_path[: -len("index.html")]
    return rel_path


def page_records(page: PageText, url: str) -> list[Record]:
    """Records of one built page: its head (if it has text) and each ``<h2 id>`` section."""
    head = page.head
    page_filters = {k: list(v) for k, v in head.filters.items() if v}
    primary = bool(page_filters) or any(s.filters for s in page.sections)
    labels = [v for values in page_filters.values() for v in values] + list(head.meta.values())
    records = []
    for section in page.sections:
        if section.ignored or not any(b.text for b in section.blocks):
            continue
        filters = {k: list(v) for k, v in page_filters.items()}
        for key, values in section.filters.items():
            filters.setdefault(key, [])
            filters[key] += [v for v in values if v not in filters[key]]
        is_head = section is head
        context = " ".join(dict.fromkeys(labels if is_head else [page.title, *labels]))
        blocks = section.blocks if primary else _first_words(section.blocks, SECONDARY_WORDS)
        records.append(Record(
            url=url + (f"#{section.anchor}" if section.anchor else ""),
            page=url,
            title=page.title,
            section=section.heading,
            blocks=[Block(b.kind, b.text, "" if b.kind == "h1" else b.id) for b in blocks],
            filters=filters,
            meta={**head.meta, **section.meta},
            context=context,
            primary=primary,
        ))
    return records


def _first_words(blocks: list[Block], limit: int) -> list[Block]:
    """Every heading, and paragraphs while fewer than ``limit`` index words were kept."""
    kept, words = [], 0
    for block in blocks:
        if block.kind != "p":
            kept.append(block)
        elif words < limit:
            kept.append(block)
            words += len(tokenize(block.text))
    return kept


def _plain(markdown_text: str) -> str:
    return html.unescape(_TAG.sub(" ", markdown.markdown(markdown_text)))


def material_records(kb: KnowledgeBase) -> list[Record]:
    """One record per study material, linked to its entry on the materials page."""
    records = []
    for m in kb.materials.values():
        campaigns = [kb.campaigns[c].short_name for c in m.campaigns if c in kb.campaigns]
        url = f"{MATERIALS_URL}#{m.id}"
        details = "，".join(x for x in (m.category, m.reading, m.publisher, m.date) if x)
        records.append(Record(
            url=url,
            page=url,
            title=f"《{m.title}》",
            section="学习材料",
            blocks=[Block("h1", f"《{m.title}》"), Block("p", details), Block("p", _plain(m.summary))],
            filters={"材料类别": [m.category], **({"学习教育": campaigns} if campaigns else {})},
            meta={"类别": m.category, "阅读": m.reading},
        ))
    return records


def site_pages(site_dir: Path) -> Iterable[tuple[str, Path]]:
    """``(url, file)`` of every built HTML page worth indexing."""
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        top = rel.split("/", 1)[0]
        if rel in SKIP_FILES or top in SKIP_DIRS or top.startswith("."):
            continue
        yield page_url(rel), path


def iter_records(site_dir: Path, kb: KnowledgeBase | None = None) -> Iterator[Record]:
    """Records of every built page, then of every study material (with ``kb``)."""
    for url, path in site_pages(site_dir):
        if kb is not None and url == MATERIALS_URL:
            continue
        yield from page_records(read_page(path.read_text(encoding="utf-8")), url)
    if kb is not None:
        yield from material_records(kb)


def site_records(site_dir: Path, kb: KnowledgeBase | None = None) -> list[Record]:
    return list(iter_records(site_dir, kb))


# -- Pagefind documents -------------------------------------------------------------


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def record_meta(record: Record, context_at: int | None = None) -> dict[str, str]:
    """Metadata shown with a result: readable title, section, labels and grouping key."""
    if context_at is None:
        context_at = sum(len(tokenize(b.text)) for b in record.blocks)
    meta = {
        "url": record.url,
        "title": record.title,
        "page": record.page,
        "section": record.section,
        # Word position where the context line starts (it comes last): matches from there
        # on are not shown as excerpts.
        "ctx": str(context_at),
    }
    for key, values in record.filters.items():
        if values:
            meta.setdefault(key, "、".join(values))
    for key, value in record.meta.items():
        meta.setdefault(key, value)
    return {k: v for k, v in meta.items() if v}


def record_document(record: Record) -> tuple[str, int]:
    """The record as the HTML document Pagefind indexes (text in search tokens), and
    its number of index words."""
    weight = "" if record.primary else f' data-pagefind-weight="{SECONDARY_WEIGHT}"'
    body = []
    words = 0
    for block in record.blocks:
        tokens = tokenize(block.text)
        words += len(tokens)
        tag = block.kind
        anchor = f' id="{_attr(block.id)}"' if block.id and tag != "p" else ""
        body.append(f"<{tag}{anchor}{weight}>{html.escape(' '.join(tokens))}</{tag}>")
    context_at = words
    if record.context:
        tokens = tokenize(record.context)
        words += len(tokens)
        body.append(f'<p data-pagefind-weight="{CONTEXT_WEIGHT}">'
                    f"{html.escape(' '.join(tokens))}</p>")
    head = [f'<meta data-pagefind-meta="{_attr(k)}[content]" content="{_attr(v)}">'
            for k, v in record_meta(record, context_at).items()]
    head += [f'<meta data-pagefind-filter="{_attr(k)}[content]" content="{_attr(v)}">'
             for k, values in record.filters.items() for v in values]
    document = (f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8">'
                + "".join(head) + "</head><body>" + "\n".join(body) + "</body></html>")
    return document, words


def record_html(record: Record) -> str:
    return record_document(record)[0]
