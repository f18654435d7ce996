"""Full-text search: a Pagefind index of the built site, written into ``<site>/pagefind/``.

Runs after MkDocs wrote the site (registered in :mod:`kb.site.postbuild`, so ``mkdocs build``
and ``mkdocs serve`` both rebuild it). Records, not whole pages, are indexed:

- every built page is read (:mod:`kb.search.search_extract`) and cut into its head and one
  record per ``<h2 id>`` section, so a report gives one record per part (亮点做法, 存在的问题,
  下步打算, 整改台账) with the URL of that part (``…/#problems``) and the 报告部分 filter;
- every study material is a record of its own (``materials/#<id>``) with the 材料类别
  filter; the materials page itself is not indexed twice.

Records are handed to Pagefind as small HTML documents whose text is in the bigram
encoding of :mod:`kb.search.search_tokens` (language ``und``: Pagefind's own segmenter stays
out), with the readable title, section and filter values as metadata. Headings keep
their ids, so Pagefind's sub-results point at the matching （一）（二） subsection.
Pages that declare no filter (home, campaign tables, data views) are weighted low and
indexed by their headings and first words only. A large site is indexed in shards
(:func:`index_site`) that the browser merges. The browser side is
``docs/assets/search.js``; ``scripts/search_bench.py`` measures it all.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import html
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import markdown
from pagefind.service import get_executable

from kb import concurrency
from kb.data.model import KnowledgeBase
from kb.markup.render import SiteSettings
from kb.search import reproducible
from kb.search.search_extract import Block, PageText, read_page
from kb.search.search_tokens import tokenize

LANGUAGE = "und"  # no stemming, no segmentation: the text is already in search tokens
OUTPUT_DIR = "pagefind"
FILTERS = ["学习教育", "指导组", "批次", "报告部分", "材料类别"]  # as search.js shows them
MATERIALS_URL = "materials/"
SKIP_FILES = {"404.html"}
SKIP_DIRS = {OUTPUT_DIR, "assets", "search", "overrides"}  # overrides: theme templates
CONTEXT_WEIGHT = "0.5"
# Pages that declare no filter (home, campaign tables, data views …) repeat what reports
# say; their words count less, so a query ranks the reports themselves first, and only
# their headings and first words are indexed (a table of every ledger item of every
# report would otherwise be a tenth of the index and slow every common query down).
SECONDARY_WEIGHT = "0.4"
SECONDARY_WORDS = 400  # per section of such a page
# Index words per Pagefind run (~0.6 GB). One run holds its whole index in memory, about 0.5 GB
# per million words (measured with Pagefind 1.5.2: 0.5 M words 0.26 GB, 1 M 0.49 GB,
# 2 M 0.97 GB; 1,000 reports ≈ 4.4 million words), and it runs beside the MkDocs
# process, so the shard size bounds the build's peak memory (issue 8: ≤ 1.5 GB at 5,000
# reports). Each further shard costs every query one more set of index requests
# (~0.05–0.1 MB); the size is fixed, not derived from free memory, so builds stay
# reproducible.
SHARD_WORDS = 1_200_000
MANIFEST = "kb-shards.json"
SCRATCH_PREFIX = ".kb-pagefind-"  # the index being built, inside the site folder
_TAG = re.compile(r"<[^>]+>")


class SearchIndexError(RuntimeError):
    """Pagefind could not build the index."""


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


@dataclass
class IndexStats:
    pages: int
    records: int
    materials: int
    words: int  # index words (bigrams and other words) in all records
    shards: int
    seconds: float
    bytes: int
    files: int


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


# -- Pagefind ------------------------------------------------------------------------


# A Pagefind run that takes longer is stuck (a full 1,000-report shard takes ~1 min).
PAGEFIND_TIMEOUT = 600.0
_POLL = 0.2  # seconds between checks of a running Pagefind for supersede / timeout


class IndexSuperseded(SearchIndexError):
    """A newer build asked for a new index while this one was being built."""


class Runs:
    """Pagefind processes of this process, each in its own process group.

    :meth:`supersede` (a newer serve build) and :meth:`stop` (the server stops; also
    registered with :mod:`atexit`) kill every running one with its group; a run started
    before the latest :meth:`supersede` stops itself. :meth:`run` waits for one process
    and kills it on timeout; ``clock``/``wait`` are injectable for tests.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.generation = 0
        self.clock = clock

    def supersede(self) -> None:
        with self._lock:
            self.generation += 1
        self.stop()

    def stop(self) -> None:
        with self._lock:
            running = list(self._running)
        for proc in running:
            _kill_group(proc)

    def run(self, command: list[str], timeout: float = PAGEFIND_TIMEOUT,
            generation: int | None = None) -> tuple[int, str]:
        """Run ``command`` (output to a temporary file); (return code, output).

        Raises :class:`IndexSuperseded` when :meth:`supersede` was called after
        ``generation`` (default: now), :class:`SearchIndexError` on timeout.
        """
        if generation is None:
            generation = self.generation
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            with self._lock:
                self._running.add(proc)
            try:
                self._wait(proc, timeout, generation)
            finally:
                with self._lock:
                    self._running.discard(proc)
                if proc.poll() is None:
                    _kill_group(proc)
            out.seek(0)
            return proc.returncode, out.read()

    def _wait(self, proc: subprocess.Popen, timeout: float, generation: int) -> None:
        deadline = self.clock() + timeout
        while True:
            if self.generation != generation:
                raise IndexSuperseded("搜索索引已被更新的构建取代")
            try:
                proc.wait(_POLL)
                if self.generation != generation:  # killed by supersede()
                    raise IndexSuperseded("搜索索引已被更新的构建取代")
                return
            except subprocess.TimeoutExpired:
                pass
            if self.clock() >= deadline:
                raise SearchIndexError(f"Pagefind 超过 {timeout:.0f} 秒仍未完成，已终止")


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and its process group (it leads one: ``start_new_session``), reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL is not ignored
        proc.wait(5)


RUNS = Runs()
atexit.register(RUNS.stop)  # the server stops: no Pagefind is left behind as an orphan


def supersede() -> None:
    """A newer build will index the site again: stop the index being built now."""
    RUNS.supersede()


def _run_pagefind(documents: Path, output: Path, generation: int | None = None) -> None:
    """Index a folder of record documents with the Pagefind binary into ``output``.

    (The binary's ``--service`` mode behind Pagefind's Python API takes ~0.1 s per
    document here, a directory run ~1 ms.) Result URLs come from the ``url`` metadata.
    """
    executable = get_executable()
    if executable is None:
        raise SearchIndexError("未找到 Pagefind 程序：请安装 requirements.txt 中的 pagefind[extended]")
    code, text = RUNS.run(
        [str(executable), "--site", str(documents), "--output-path", str(output),
         "--force-language", LANGUAGE],
        generation=generation,
    )
    if code != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：{text}")


def _strip_bundle(shard: Path) -> None:
    """A merged shard needs only its index; the scripts and WebAssembly come from the first."""
    for path in shard.iterdir():
        if path.is_file() and (path.suffix in {".js", ".css"} or path.name.startswith("wasm.")):
            path.unlink()


def index_site(site_dir: Path, kb: KnowledgeBase | None = None,
               shard_words: int = SHARD_WORDS) -> IndexStats:
    """(Re)build ``<site_dir>/pagefind/`` from the built pages (and ``kb``'s materials).

    Pagefind holds a whole index in memory (about 0.5 GB per million index words), so
    records are indexed in shards of at most ``shard_words`` words, one Pagefind run each:
    the first in ``pagefind/``, the others in ``pagefind/shard-N/``, listed in
    ``pagefind/kb-shards.json``; the browser merges them (Pagefind's ``mergeIndex``).
    """
    started = time.perf_counter()
    generation = RUNS.generation
    site_dir = Path(site_dir)
    # Built next to the live index (same file system, hidden: a clean MkDocs rebuild
    # keeps dot-folders), then swapped in at once: a reader never finds it missing.
    for stale in site_dir.glob(SCRATCH_PREFIX + "*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    output = site_dir / f"{SCRATCH_PREFIX}{os.getpid()}"
    output.mkdir(parents=True)  # (mkdtemp would make it private to this user)
    try:
        stats = _index_into(output, site_dir, kb, shard_words, generation)
        _swap_into_place(output, site_dir / OUTPUT_DIR)
    finally:
        shutil.rmtree(output, ignore_errors=True)
    stats.seconds = time.perf_counter() - started
    return stats


def _swap_into_place(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``; the old ``target`` (if any) ends up at ``new``."""
    if target.exists() and _exchange(new, target):
        return
    if target.exists():  # no atomic exchange here: a moment without the folder
        old = new.with_name(new.name + "-old")
        target.rename(old)
        new.rename(target)
        old.rename(new)
    else:
        new.rename(target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _index_into(output: Path, site_dir: Path, kb: KnowledgeBase | None, shard_words: int,
                generation: int) -> IndexStats:
    shards: list[str] = []
    records = materials = total_words = 0
    pages: set[str] = set()
    # Pagefind indexes one batch in the background while the next batch is written: one
    # Pagefind at a time (memory), but reading pages and running Pagefind overlap.
    with tempfile.TemporaryDirectory(prefix="kb-search-") as scratch:
        batch: Path | None = None
        batch_words = 0
        running: concurrency.Job | None = None

        def index(batch: Path, number: int) -> None:
            target = output if number == 0 else output / f"shard-{number}"
            _run_pagefind(batch, target, generation)
            reproducible.stabilize_pagefind(target)  # Pagefind orders filter files randomly
            if number:
                _strip_bundle(target)
            shutil.rmtree(batch)

        def flush() -> concurrency.Job:
            if running is not None:
                running.wait()  # the previous shard is done (and its errors raised)
            number = len(shards)
            shards.append("" if number == 0 else f"shard-{number}/")
            return concurrency.Job(partial(index, batch, number), "kb-pagefind")

        try:
            for record in iter_records(site_dir, kb):
                document, words = record_document(record)
                if batch is not None and batch_words and batch_words + words > shard_words:
                    running = flush()
                    batch = None
                if batch is None:
                    batch = Path(scratch) / f"batch-{len(shards)}"
                    batch.mkdir()
                    batch_words = 0
                (batch / f"{records:06d}.html").write_text(document, encoding="utf-8")
                batch_words += words
                total_words += words
                records += 1
                pages.add(record.page)
                materials += record.url.startswith(MATERIALS_URL + "#")
            if batch is not None:
                running = flush()
        except Exception:
            if running is not None:  # let it end before its batch folder goes
                with contextlib.suppress(Exception):
                    running.wait()
            raise
        if running is not None:
            running.wait()
    output.mkdir(parents=True, exist_ok=True)  # an empty site still gets an (empty) bundle
    (output / MANIFEST).write_text(json.dumps({"shards": shards[1:]}), encoding="utf-8")
    files = [p for p in output.rglob("*") if p.is_file()]
    return IndexStats(
        pages=len(pages),
        records=records,
        materials=materials,
        words=total_words,
        shards=max(1, len(shards)),
        seconds=0.0,
        bytes=sum(p.stat().st_size for p in files),
        files=len(files),
    )


def postbuild_step(kb: KnowledgeBase, settings: SiteSettings, site_dir: Path) -> None:
    """Post-build step: write the search index next to the pages."""
    try:
        index_site(site_dir, kb)
    except IndexSuperseded:  # a newer build indexes the site again
        return
