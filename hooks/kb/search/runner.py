"""The Pagefind runner: the index of a built site in shards, one Pagefind run at a time.

A large site is indexed in shards (:func:`index_site`), merged into one index afterwards
(:mod:`kb.search.merge`); Pagefind indexes one shard in a background thread while the next
one is written. Each run is a
process group of its own (:class:`Runs`): a newer serve build supersedes it, the server's
exit stops it. The new index is swapped in at once, so a reader never finds it missing.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pagefind.service import get_executable

from kb import concurrency
from kb.data.model import KnowledgeBase
from kb.search import merge, reproducible
from kb.search.records import LANGUAGE, MATERIALS_URL, OUTPUT_DIR, iter_records, record_document

# Index words per Pagefind run (~0.6 GB). One run holds its whole index in memory, about 0.5 GB
# per million words (measured with Pagefind 1.5.2: 0.5 M words 0.26 GB, 1 M 0.49 GB,
# 2 M 0.97 GB; 1,000 reports ≈ 4.4 million words), and it runs beside the MkDocs
# process, so the shard size bounds the build's peak memory (issue 8: ≤ 1.5 GB at 5,000
# reports). The shards are merged into one index (a query then costs the same whatever
# their number); the size is fixed, not derived from free memory, so builds stay
# reproducible.
SHARD_WORDS = 1_200_000
MANIFEST = "kb-shards.json"
SCRATCH_PREFIX = ".kb-pagefind-"  # the index being built, inside the site folder


class SearchIndexError(RuntimeError):
    """Pagefind could not build the index."""


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
               shard_words: int = SHARD_WORDS, merge_pages: int = merge.MERGE_PAGES) -> IndexStats:
    """(Re)build ``<site_dir>/pagefind/`` from the built pages (and ``kb``'s materials).

    Pagefind holds a whole index in memory (about 0.5 GB per million index words), so
    records are indexed in shards of at most ``shard_words`` words, one Pagefind run each:
    the first in ``pagefind/``, the others in ``pagefind/shard-N/``; consecutive shards are
    then merged into indexes of at most ``merge_pages`` records each
    (:func:`kb.search.merge.merge_shards`, :func:`kb.search.merge.groups`). The indexes
    after the first are listed in ``pagefind/kb-shards.json``; the browser merges them
    (Pagefind's ``mergeIndex``).
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
        stats = _index_into(output, site_dir, kb, shard_words, merge_pages, generation)
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
                merge_pages: int, generation: int) -> IndexStats:
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
    runs = len(shards)
    # Few indexes for the browser: a query loads one metadata file and one chunk per word
    # of each, not of each shard (kb.search.merge).
    if runs > 1:
        shards = merge.merge_groups(output, shards, merge_pages)
    (output / MANIFEST).write_text(json.dumps({"shards": shards[1:]}), encoding="utf-8")
    files = [p for p in output.rglob("*") if p.is_file()]
    return IndexStats(
        pages=len(pages),
        records=records,
        materials=materials,
        words=total_words,
        shards=max(1, runs),
        seconds=0.0,
        bytes=sum(p.stat().st_size for p in files),
        files=len(files),
    )
